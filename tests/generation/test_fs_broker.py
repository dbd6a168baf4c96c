"""The embedded broker never hands a worker a half-written message: a worker
polling the queue folder while a message is being written (forced here: it
polls at the moment the producer serializes the payload) sees nothing yet,
then the whole message. Kombu's own transport gave it an empty file, and the
JSONDecodeError killed the worker."""

import sys

from kombu import Connection

from generation.celery_app import broker_settings
from generation.runtime import RuntimePaths


def test_a_worker_polling_while_a_message_is_written_never_reads_it_half_written(tmp_path, monkeypatch):
    monkeypatch.setenv("MUD_RUNTIME_DIR", str(tmp_path))
    conf = broker_settings(RuntimePaths.from_env(), None)
    with Connection(conf["broker_url"], transport_options=conf["broker_transport_options"]) as producer, \
            Connection(conf["broker_url"], transport_options=conf["broker_transport_options"]) as worker:
        sender, reader = producer.default_channel, worker.default_channel
        module = sys.modules[type(sender)._put.__module__]
        polled = []

        def dumps_while_a_worker_polls(payload, real=module.dumps):
            try:
                polled.append(reader._get("generation"))
            except Exception as exc:  # what the worker's poll raised: Empty, or the fatal decode error
                polled.append(type(exc).__name__)
            return real(payload)

        monkeypatch.setattr(module, "dumps", dumps_while_a_worker_polls)
        sender._put("generation", {"job": 1})
        assert polled == ["Empty"], "the worker's poll saw the message before it was written"
        assert reader._get("generation") == {"job": 1}
