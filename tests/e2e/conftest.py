"""One real game server for the whole end-to-end session, telnet players,
and an offline headless Chromium."""

import itertools

import pytest

from game.private_server import GameServer
from tests.e2e.helpers import HISTORY_POINTS, admin_player, new_player
from tests.support.browser import OfflineBrowser

_names = (f"player{i}" for i in itertools.count(1))


@pytest.fixture(scope="session")
def game_server():
    # automatic world snapshots: every restore and every expansion of the tests sharing this
    # server takes one, and the growing-world test checks the one before its own block
    server = GameServer(extra_env={"MUD_HISTORY_POINTS": str(HISTORY_POINTS), "MUD_SNAPSHOT_KEEP": "100"}).start()
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
    client = admin_player(game_server.telnet_port)
    yield client
    client.close()


@pytest.fixture
def rusty_sword_in_square(game_server):
    """The square's one rusty sword may already be in another test player's pack:
    the admin puts a fresh one there (spawned from the same prototype) if so."""
    admin = admin_player(game_server.telnet_port)
    try:
        admin.command("tel Village Square", "Village Square")
        admin.command(
            "py from evennia.prototypes.spawner import spawn, prototype_from_object; "
            "from evennia import search_tag; "
            "here.search('rusty sword', location=here, quiet=True) or spawn(dict(prototype_from_object("
            "search_tag('item.rusty_sword', category='from_prototype')[0]), location=here))",
            r">>> [^\n]*\n[^\n]*\n",
        )
        admin.command("look", r"You see:[^\n]*rusty sword")
    finally:
        admin.close()


@pytest.fixture
def browser(tmp_path):
    with OfflineBrowser(tmp_path / "chromium-profile") as session:
        yield session
