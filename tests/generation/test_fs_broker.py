"""The embedded broker: a worker polling the queue folder while a message is
being written never takes it half-written (kombu's own filesystem transport
hands it an empty file, and the worker's consumer dies on it)."""

from queue import Empty

import pytest
from kombu import Connection
from kombu.transport import filesystem

from generation import fs_broker


def connection(tmp_path, transport: str) -> Connection:
    folder = str(tmp_path)
    return Connection(f"{transport}://", transport_options={
        "data_folder_in": folder, "data_folder_out": folder, "store_processed": False})


@pytest.mark.parametrize("transport,whole", [(fs_broker.SCHEME, True), ("filesystem", False)])
def test_a_worker_polling_mid_write_never_takes_a_half_written_message(tmp_path, monkeypatch, transport, whole):
    with connection(tmp_path, transport) as producer, connection(tmp_path, transport) as consumer:
        taken = []
        module = fs_broker if whole else filesystem
        real = module.str_to_bytes

        def mid_write(text):  # runs once the message's file is open, before its bytes are written
            try:
                taken.append(consumer.default_channel._get("generation"))
            except Empty:
                taken.append(None)
            except ValueError as exc:  # the empty file does not parse
                taken.append(exc)
            return real(text)

        monkeypatch.setattr(module, "str_to_bytes", mid_write)
        producer.default_channel._put("generation", {"task": "generation.run_job"})
        monkeypatch.setattr(module, "str_to_bytes", real)
        if whole:
            assert taken == [None], "nothing to take while the message is being written"
            assert consumer.default_channel._get("generation") == {"task": "generation.run_job"}
        else:
            assert isinstance(taken[0], ValueError), "kombu's own transport hands out the empty file"
