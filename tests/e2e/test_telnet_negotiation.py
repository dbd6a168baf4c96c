"""MUD clients that negotiate telnet options are never dropped: hundreds of
connections at once answering as tintin++ does (WILL NAWS, then the window size
as a 9-byte packet of its own), and NAWS, TTYPE and MSSP answers in every order
and split, all reach the login screen, a sample logs in and plays, and neither
portal.log nor server.log gains a traceback."""

import asyncio
import itertools
import re

import pytest

from tests.support.mud_client import (
    DO, MSSP, NAWS, TINTIN_TTYPES, TTYPE, WILL, MudClient, naws_report, option, ttype_answer,
)

LOGIN_SCREEN = r"create <username> <password>"
LOGS = ("portal.log", "server.log")
_accounts = (f"naws{i}" for i in itertools.count(1))


@pytest.fixture
def clean_logs(game_server):
    """Fails the test if the portal or server log gains a traceback while it runs."""
    offsets = {name: len(game_server.log(name)) for name in LOGS}
    yield
    for name in LOGS:
        added = game_server.log(name)[offsets[name]:]
        assert "Traceback" not in added and "Unhandled Error" not in added, f"{name}:\n{added[-4000:]}"


async def reach_login(port: int, answers: list[bytes] | None = None, **client_options) -> MudClient:
    """Connect, send the scripted answer packets (if any) and wait for the login screen."""
    client = await MudClient.connect("127.0.0.1", port, tintin=answers is None, **client_options)
    if answers is not None:
        await client.receive()  # the server's first option requests
        await client.send_packets(answers)
    await client.expect(LOGIN_SCREEN)
    return client


async def log_in_and_play(client: MudClient) -> str:
    """Create an account, connect, look and read the client settings the server holds."""
    name = next(_accounts)
    await client.command(f"create {name} naws-secret-pw", r"\[Y\]/N")
    await client.command("y", f"A new account '{name}' was created")
    await client.command(f"connect {name} naws-secret-pw", r"Exits:[^\n]*\n")
    await client.command("look", r"Exits:[^\n]*\n")
    return await client.command("options", r"SCREENWIDTH[^\n]*\n")


def window_size(options_table: str) -> tuple[int, int]:
    """(width, height) from the `options` table: what the server holds for the session."""
    width = re.search(r"SCREENWIDTH\s*\|\s*(\d+)", options_table).group(1)
    height = re.search(r"SCREENHEIGHT\s*\|\s*(\d+)", options_table).group(1)
    return int(width), int(height)


async def open_all(port: int, scripts: list[dict], sample: int) -> tuple[list, list[str]]:
    """Every script at once; then the first `sample` connections that got in log in and play."""
    results = await asyncio.gather(*(reach_login(port, **s) for s in scripts), return_exceptions=True)
    clients = [r for r in results if isinstance(r, MudClient)]
    dropped = [f"{s}: {r!r}" for s, r in zip(scripts, results) if not isinstance(r, MudClient)]
    settings = await asyncio.gather(*(log_in_and_play(c) for c in clients[:sample]))
    await asyncio.gather(*(c.close() for c in clients))
    return dropped, settings


def test_200_tintin_connections_at_once_all_reach_the_game(game_server, clean_logs):
    scripts = [{"size": (80 + i % 100, 24 + i % 50)} for i in range(200)]
    dropped, settings = asyncio.run(open_all(game_server.telnet_port, scripts, sample=8))
    assert dropped == []
    assert len(settings) == 8
    for script, table in zip(scripts, settings):
        assert window_size(table) == script["size"]  # the size each client reported


def every_split(stream: bytes) -> list[list[bytes]]:
    """The stream in one packet, byte by byte, and cut in two at every position."""
    return [[stream], [bytes([b]) for b in stream]] + [[stream[:k], stream[k:]] for k in range(1, len(stream))]


def test_naws_ttype_and_mssp_answers_in_every_order_and_split(game_server, clean_logs):
    answers = [option(WILL, NAWS), naws_report(100, 30), option(WILL, TTYPE), option(DO, MSSP)]
    scripts = []
    for order in itertools.permutations(answers):
        scripts.append({"answers": list(order)})  # each answer a packet of its own
        scripts.append({"answers": [b"".join(order)]})  # all in one packet
    for packets in every_split(b"".join(answers)):
        scripts.append({"answers": packets})
    # the size re-reported later, and sizes whose bytes need IAC escaping
    scripts.append({"answers": answers + [naws_report(132, 50)]})
    scripts.append({"answers": [option(WILL, NAWS), naws_report(255, 255)]})
    # each TTYPE answer itself cut in two at every position
    longest = max(len(ttype_answer(name)) for name in TINTIN_TTYPES)
    for cut in range(1, longest):
        scripts.append({"answers": answers, "ttype_split": cut})
    dropped, _ = asyncio.run(open_all(game_server.telnet_port, scripts, sample=0))
    assert dropped == []


def test_the_game_learns_what_tintin_answered(game_server, clean_logs):
    async def play():
        client = await reach_login(game_server.telnet_port, size=(140, 45))
        table = await log_in_and_play(client)
        await client.send_packets([naws_report(150, 52)])  # the player resizes the window
        resized = await client.command("options", r"SCREENWIDTH[^\n]*\n")
        await client.close()
        return client, table, resized

    client, table, resized = asyncio.run(play())
    assert client.mssp["NAME"] == ["TERA"]  # the MSSP table came through
    assert re.search(r"CLIENTNAME\s*\|\s*TINTIN\+\+", table)  # from TTYPE
    assert window_size(table) == (140, 45)
    assert window_size(resized) == (150, 52)
