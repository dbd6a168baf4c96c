"""The OpenAI-compatible enricher against a small fake server on loopback."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from generation.enrich import OpenAIProvider, enrich
from generation.guardrails import LlmLimits
from generation.models.proposal import Kind
from generation.drafting import draft, resolve_inputs
from generation.replay import proposal_bytes, replay


class FakeLLM:
    """Serves /v1/chat/completions from a script: each entry is a reply
    content string, or (status, content, delay_s)."""

    def __init__(self):
        self.script: list = []
        self.requests: list[dict] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                fake.requests.append(body)
                entry = fake.script.pop(0) if len(fake.script) > 1 else fake.script[0]
                status, content, delay = entry if isinstance(entry, tuple) else (200, entry, 0)
                time.sleep(delay)
                reply = {"id": "c1", "object": "chat.completion", "created": 0, "model": body["model"],
                         "choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": content}}],
                         "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}}
                data = json.dumps(reply if status == 200 else {"error": {"message": "boom"}}).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v1"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture(scope="module")
def fake():
    server = FakeLLM()
    yield server
    server.server.shutdown()


@pytest.fixture
def llm(fake):
    fake.script.clear()
    fake.requests.clear()
    limits = LlmLimits(timeout_s=0.5, attempts=3, calls_per_minute=100, max_tokens={"item": 111})
    return fake, OpenAIProvider(fake.url, "test-model", "key", lambda: limits)


@pytest.fixture
def item(index):
    return draft(Kind.item, 11, resolve_inputs(Kind.item, 11, "desert", index))


GOOD = json.dumps({"name": "glass-sand blade", "desc": "A blade fused from desert glass."})


def test_good_reply_is_used_and_replays_without_a_call(llm, item):
    fake, provider = llm
    fake.script.append(GOOD)
    out = enrich(item, provider)
    assert out.flavor == json.loads(GOOD)
    assert out.provenance.provider == "openai" and out.provenance.model == "test-model"
    assert out.provenance.llm_reply == GOOD and len(out.provenance.prompt_sha256) == 64
    request = fake.requests[0]
    assert request["max_tokens"] == 111
    assert request["response_format"]["type"] == "json_schema"
    assert set(request["response_format"]["json_schema"]["schema"]["properties"]) == {"name", "desc"}
    calls = len(fake.requests)
    stored = proposal_bytes(out)
    assert replay(stored) == stored
    assert len(fake.requests) == calls


def test_invalid_json_is_sent_back_and_retried(llm, item):
    fake, provider = llm
    fake.script.extend(["not json {", GOOD])
    out = enrich(item, provider)
    assert out.provenance.provider == "openai"
    assert "Rejected: reply is not JSON" in fake.requests[1]["messages"][-1]["content"]


def test_schema_breaking_reply_falls_back(llm, item):
    fake, provider = llm
    fake.script.append(json.dumps({"name": ""}))
    out = enrich(item, provider)
    assert out.provenance.provider == "procedural"
    assert "no valid reply in 3 attempt(s)" in out.provenance.fallback_reason
    assert len(fake.requests) == 3


def test_stat_changing_reply_is_rejected(llm, item):
    fake, provider = llm
    fake.script.append(json.dumps({"name": "x", "desc": "y", "power": 999, "value": 1}))
    out = enrich(item, provider)
    assert out.provenance.provider == "procedural"
    assert "mechanical payload" in out.provenance.fallback_reason
    assert out.payload == item.payload


def test_injections_are_sanitized_before_storing(llm, item):
    fake, provider = llm
    evil = {"name": "|rblade|n $eval(1)", "desc": "A {0} blade\x1b[31m red\x1b[0m \xff\xfb\x01 ok|/"}
    fake.script.append(json.dumps(evil))
    out = enrich(item, provider)
    assert out.provenance.provider == "openai"
    assert out.flavor == {"name": "||rblade||n eval(1)", "desc": "A 0 blade red \xfb ok||/"}


def test_slow_reply_falls_back_quickly(llm, item):
    fake, provider = llm
    fake.script.append((200, GOOD, 3.0))
    start = time.monotonic()
    out = enrich(item, provider)
    assert time.monotonic() - start < 2.0
    assert out.provenance.provider == "procedural" and "timed out" in out.provenance.fallback_reason


def test_server_error_falls_back(llm, item):
    fake, provider = llm
    fake.script.append((500, "", 0))
    out = enrich(item, provider)
    assert out.provenance.provider == "procedural" and "HTTP 500" in out.provenance.fallback_reason
    assert len(fake.requests) == 1


def test_calls_per_minute_budget(fake, item):
    fake.script[:] = [GOOD]
    limits = LlmLimits(timeout_s=0.5, attempts=1, calls_per_minute=1)
    provider = OpenAIProvider(fake.url, "m", "k", lambda: limits)
    assert enrich(item, provider).provenance.provider == "openai"
    second = enrich(item, provider)
    assert second.provenance.provider == "procedural" and "budget" in second.provenance.fallback_reason


def test_every_call_is_counted_in_the_usage_ledger(fake, item, tmp_path):
    from generation.enrich.usage import UsageLedger

    ledger = UsageLedger(tmp_path / "usage.sqlite")
    limits = LlmLimits(timeout_s=0.5, attempts=3, calls_per_minute=100)
    provider = OpenAIProvider(fake.url, "m", "k", lambda: limits, usage=ledger)
    fake.script[:] = ["not json {", GOOD]
    enrich(item, provider)
    fake.script[:] = [(500, "", 0)]
    enrich(item, provider)
    fake.script[:] = [(200, GOOD, 2.0)]
    enrich(item, provider)
    reader = UsageLedger(tmp_path / "usage.sqlite")  # another process's view of the same file
    assert reader.totals() == [
        {"model": "m", "outcome": "http_error", "calls": 1, "prompt_tokens": 0, "completion_tokens": 0},
        {"model": "m", "outcome": "ok", "calls": 2, "prompt_tokens": 2, "completion_tokens": 2},
        {"model": "m", "outcome": "timeout", "calls": 1, "prompt_tokens": 0, "completion_tokens": 0},
    ]


def test_oversized_reply_is_refused_unparsed(fake, item):
    fake.script[:] = [json.dumps({"name": "x" * 5000, "desc": "y"})]
    fake.requests.clear()
    limits = LlmLimits(timeout_s=0.5, attempts=3, calls_per_minute=100, max_reply_bytes=2048)
    out = enrich(item, OpenAIProvider(fake.url, "m", "k", lambda: limits))
    assert out.provenance.provider == "procedural"
    assert "over the 2048-byte cap; not parsed" in out.provenance.fallback_reason
    assert len(fake.requests) == 1
