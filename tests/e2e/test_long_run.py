"""A server left running: thousands of ticks at a fast clock while a scripted
player paces in and out of an edge room over real telnet.  Every runtime file
stays under its bound and the server's memory stops growing.  The sizes it
ends with are printed (run with -s to see them)."""

import os
import re
import time

import pytest

from game.telnet_client import TelnetClient
from tests.support.game_server import ADMIN, GameServer

TICK_S = 0.05
RUN_S = 150
EVENT_LOG_BYTES, EVENT_LOG_KEEP = 64 * 1024, 2
SNAPSHOT_KEEP = 2
DECISION_LOG_BYTES, DECISION_LOG_KEEP = 16 * 1024, 2
LONG_RUN_ENV = {
    "MUD_SIM_TICK": str(TICK_S),
    "MUD_SIM_SNAPSHOT_INTERVAL": "3",
    "MUD_SIM_SNAPSHOT_KEEP": str(SNAPSHOT_KEEP),
    "MUD_SIM_EVENT_LOG_BYTES": str(EVENT_LOG_BYTES),
    "MUD_SIM_EVENT_LOG_KEEP": str(EVENT_LOG_KEEP),
    "MUD_DECISION_LOG_MAX_BYTES": str(DECISION_LOG_BYTES),
    "MUD_DECISION_LOG_KEEP": str(DECISION_LOG_KEEP),
}


@pytest.fixture(scope="module")
def long_server():
    server = GameServer(extra_env=LONG_RUN_ENV)
    server.env["MUD_SIM_AGENTS"] = "3000"
    server.start()
    yield server
    server.stop()


def server_rss_kb(server) -> int:
    pid = int((server.root / "server" / "server.pid").read_text().strip())
    status = open(f"/proc/{pid}/status").read()
    return int(re.search(r"VmRSS:\s+(\d+) kB", status).group(1))


def runtime_files(server) -> dict:
    """path relative to the runtime folder -> size, for every file but the server's own logs."""
    sizes = {}
    for folder, _, names in os.walk(server.runtime):
        for name in names:
            path = os.path.join(folder, name)
            rel = os.path.relpath(path, server.runtime)
            if not rel.startswith(("logs", "library")) and os.path.exists(path):
                sizes[rel] = os.path.getsize(path)
    return sizes


def sim_tick(admin) -> int:
    return int(re.search(r"Simulation tick (\d+)", admin.command("sim status", r"active events:[^\n]*\n")).group(1))


def assert_bounded(sizes: dict) -> None:
    events = {k: v for k, v in sizes.items() if k.startswith("events" + os.sep)}
    assert len(events) <= 2 * (EVENT_LOG_KEEP + 1), sorted(events)
    assert all(v <= EVENT_LOG_BYTES for v in events.values()), events
    snapshots = [k for k in sizes if re.search(r"snapshot-\d+-t\d+\.npz$", k)]
    assert len(snapshots) <= SNAPSHOT_KEEP, snapshots
    decisions = {k: v for k, v in sizes.items() if k.startswith("director-decisions.jsonl")
                 and not k.endswith(".lock")}
    assert len(decisions) <= DECISION_LOG_KEEP + 1, sorted(decisions)
    assert all(v <= DECISION_LOG_BYTES for v in decisions.values()), decisions


def test_thousands_of_ticks_with_a_player_pacing_an_edge_room(long_server):
    admin = TelnetClient("127.0.0.1", long_server.telnet_port)
    admin.expect("create <username>")
    admin.command(f"connect {ADMIN[0]} {ADMIN[1]}", r"\n")
    admin.command("director set expansion 1", "expansion set to 1.00")
    player = TelnetClient("127.0.0.1", long_server.telnet_port)
    player.expect("create <username>")
    player.command("create pacer pacer-secret-pw", r"\[Y\]/N")
    player.command("y", "A new account 'pacer' was created")
    player.command("connect pacer pacer-secret-pw", r"Exits:[^\n]*\n")

    first_tick = sim_tick(admin)
    started = time.monotonic()
    rss, moves = [], 0
    next_sample = started
    while time.monotonic() - started < RUN_S:
        # the Chapel of the Twin Suns is on the map's northern edge: in and out, again and again
        player.command("north", r"Chapel of the Twin Suns[\s\S]*?Exits:[^\n]*\n")
        player.command("south", r"Exits:[^\n]*\n")
        player.buffer = player.transcript = ""
        moves += 2
        if time.monotonic() >= next_sample:
            rss.append(server_rss_kb(long_server))
            assert_bounded(runtime_files(long_server))
            next_sample += 5
    ticks = sim_tick(admin) - first_tick
    sizes = runtime_files(long_server)
    print(f"\nlong run: {ticks} ticks and {moves} moves in {RUN_S} s; server RSS kB every 5 s: {rss}")
    for name, size in sorted(sizes.items()):
        print(f"  {name}: {size:,} B")
    assert ticks >= 1000, f"only {ticks} ticks"
    assert moves >= 500
    assert_bounded(sizes)
    assert any(k.startswith("events" + os.sep) and k.endswith(".1") for k in sizes), "the event log has rotated"
    # memory stops growing: the last third of the run holds no more than the middle third, give or take
    third = len(rss) // 3
    middle, last = max(rss[third:2 * third]), max(rss[2 * third:])
    assert last <= middle * 1.03 + 4096, f"server RSS still growing: {rss}"
    admin.close()
    player.close()
