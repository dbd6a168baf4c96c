"""Over real telnet, against a game server whose NPC dialogue goes to a real (local, scripted) HTTP
LLM endpoint: a slow reply shows a "thinking" line and never delays another player's command; a
failed one falls back to the NPC's own lines; what the model says is shown as plain text."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.e2e.helpers import new_player
from generation.loader import load_world
from tests.e2e.test_gameplay import route, walk
from game.private_server import GameServer

TERA = Path(__file__).resolve().parents[2] / "content" / "worlds" / "tera"


class ScriptedLLM(ThreadingHTTPServer):
    """An OpenAI-compatible chat endpoint that answers `reply` (or HTTP `status`) once `release` is set."""

    def __init__(self):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.release = threading.Event()
        self.reply, self.status, self.calls = "", 200, 0


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.server.calls += 1
        self.server.release.wait(timeout=60)
        if self.server.status != 200:
            self.send_response(self.server.status)
            self.end_headers()
            return
        body = json.dumps({"id": "c1", "object": "chat.completion", "created": 0, "model": "scripted",
                           "choices": [{"index": 0, "finish_reason": "stop",
                                        "message": {"role": "assistant", "content": self.server.reply}}],
                           "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="module")
def llm():
    server = ScriptedLLM()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.release.set()
    server.shutdown()


@pytest.fixture(scope="module")
def llm_game(llm):
    game = GameServer(extra_env={"MUD_LLM_BASE_URL": f"http://127.0.0.1:{llm.server_port}/v1",
                                 "MUD_DIALOGUE_THINKING_S": "0.2"}).start()
    yield game
    game.stop()


def player(game, name):
    return new_player(game.telnet_port, name, "llm-secret-pw")


def test_slow_llm_thinks_without_delaying_anyone_and_failures_fall_back(llm, llm_game):
    world = load_world(TERA)
    asker, other = player(llm_game, "asker"), player(llm_game, "bystander")
    walk(asker, route(world, world.header.start_room, lambda r: r.id == "village.sun_chapel"))
    llm.release.clear()
    llm.reply, llm.status = 'The Suns keep |rtheir $own() counsel, {traveller}.', 200
    asker.command("talk priest of the Suns", r"priest of the Suns thinks for a moment\.\.\.")
    for _ in range(100):  # the request reaches the endpoint, which holds its answer
        if llm.calls:
            break
        time.sleep(0.2)
    assert llm.calls == 1
    # the model has not answered: another player's commands are served all the same
    other.command("look", r"Exits:[^\n]*\n")
    other.command("score", r"Reputation:[^\n]*\n")
    assert "counsel" not in asker.buffer
    llm.release.set()
    said = asker.expect(r'says, "[^\n]*counsel[^\n]*"', timeout=30)
    # through generation's sanitizer: the colour code shows as text, inline functions and braces are gone
    assert "The Suns keep |rtheir own() counsel, traveller." in said
    # a failing endpoint: the NPC answers with its own lines
    llm.status = 500
    fallback = asker.command("talk priest of the Suns", r'says, "[^\n]*"\n')
    priest = world.archetypes["npc.priest"]
    assert any(bark in fallback for bark in priest.barks) or "I remember you" in fallback
    asker.close()
    other.close()
