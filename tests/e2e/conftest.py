"""One real game server for the whole end-to-end session, telnet players,
and an offline headless Chromium."""

import itertools

import pytest

from game.private_server import ADMIN, GameServer
from game.telnet_client import TelnetClient
from tests.e2e.helpers import HISTORY_POINTS, new_player
from tests.support.browser import OfflineBrowser

_names = (f"player{i}" for i in itertools.count(1))


@pytest.fixture(scope="session")
def game_server():
    server = GameServer(extra_env={"MUD_HISTORY_POINTS": str(HISTORY_POINTS)}).start()
    yield server
    server.stop()


@pytest.fixture
def telnet(game_server):
    """Factory: a connected client logged in as a fresh player (closed after the test)."""
    clients = []

    def connect(name: str | None = None, password: str = "e2e-secret-pw"):
        name = name or next(_names)
        client = new_player(game_server.telnet_port, name, password)
        clients.append(client)
        return client

    yield connect
    for client in clients:
        client.close()


@pytest.fixture
def admin(game_server):
    """A telnet client logged in with the admin account (closed after the test)."""
    client = TelnetClient("127.0.0.1", game_server.telnet_port)
    client.expect("create <username>")
    client.command(f"connect {ADMIN[0]} {ADMIN[1]}", r"You become[^\n]*\n")
    yield client
    client.close()


@pytest.fixture
def browser(tmp_path):
    with OfflineBrowser(tmp_path / "chromium-profile") as session:
        yield session
