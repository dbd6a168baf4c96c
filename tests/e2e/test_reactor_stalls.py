"""At 1M agents, over real telnet: no admin `sim` command stalls the server's
reactor.  The server's own lateness probe (`sim reactor`) gives the p99
lateness of a 10 ms timer; while each command runs (a forced 1000-tick step
with saves, events and status against it, then a save, an event, pause and
resume) it stays within 5 ms of the p99 of an idle window just before.  A
server stop during a forced step ends the step at a tick and saves.  The p99
with the world ticking every second, and with a player walking (each room's
NPCs dressed from a pool of objects on the reactor; picking them is
O(players)), during a forced step and while paused, are printed, not
asserted (tests/bench/walk.py measures the walk against a standing player)."""

import re
import time

import pytest

from game.private_server import GameServer
from tests.e2e.helpers import admin_player, new_player, reactor_lateness

BOUND_MS = 5.0
ATTEMPTS = 3  # windows per phase at most (see phase())


@pytest.fixture(scope="module")
def million():
    server = GameServer(extra_env={"MUD_SIM_SNAPSHOT_INTERVAL": "100000"})
    server.env["MUD_SIM_AGENTS"] = "1000000"
    server.start(timeout=300)
    yield server
    server.stop()


def p99(admin, seconds: int) -> float:
    return reactor_lateness(admin, seconds)["p99"]


def test_no_sim_command_stalls_the_reactor_at_a_million_agents(million):
    admin, player = admin_player(million.telnet_port), new_player(million.telnet_port, "walker", "walker-secret-pw")
    assert "1,000,000 agents" in admin.command("sim status", r"active events:[^\n]*\n")
    admin.command("sim pause", "Simulation paused")
    lateness = {}

    def phase(name: str, run, seconds: int = 3, repeatable: bool = True) -> None:
        """p99 while `run()` and the rest of a `seconds` window go by, against the
        p99 of an idle window just before it (the machine's load drifts).  A
        window over the bound is measured again, up to ATTEMPTS times: a stall the
        command causes shows in every one, another process's burst of CPU on a
        shared machine does not.  A `run` that is not `repeatable` (it starts
        something that goes on) runs once; its later windows measure what it left
        running against the same idle window."""
        attempts = []
        for attempt in range(ATTEMPTS):
            if repeatable or not attempts:
                time.sleep(seconds)
                idle = p99(admin, seconds)
                start = time.monotonic()
                run()
                time.sleep(max(0.0, seconds - (time.monotonic() - start)))
                window = max(seconds, round(time.monotonic() - start))
            attempts.append((idle, p99(admin, window)))
            if attempts[-1][1] <= idle + BOUND_MS:
                break
        lateness[name] = attempts

    def forced_step_with_commands_against_it():
        # a forced 1000-tick step holds the simulation in its thread while admins save, start events, look
        admin.command("sim step 1000", r"Stepping 1000 tick\(s\)")
        assert "busy" in admin.command("sim save", r"try again[^\n]*\n")
        assert "busy" in admin.command("sim event drought plains", r"try again[^\n]*\n")
        assert "busy" in admin.command("sim step 5", r"try again[^\n]*\n")
        admin.command("sim status", r"active events:[^\n]*\n")

    def walks():  # the square and the south gate: each room's NPCs, picked at 1M agents
        for _ in range(3):
            player.command("south", r"Exits:[^\n]*\n")
            player.command("north", r"Exits:[^\n]*\n")

    phase("step 1000, with save, event and status against it", forced_step_with_commands_against_it, 4, repeatable=False)
    walking = {"during the forced step": None, "paused": None}
    start = time.monotonic()
    walks()
    walking["during the forced step"] = p99(admin, max(1, round(time.monotonic() - start)))
    admin.command("sim pause", "The running step stops at its next tick")
    admin.expect(r"Stepped \d+ tick\(s\)", timeout=60)
    start = time.monotonic()
    walks()
    walking["paused"] = p99(admin, max(1, round(time.monotonic() - start)))
    phase("save", lambda: admin.command("sim save", "Snapshot saved to", timeout=60))
    phase("event", lambda: admin.command("sim event drought plains", r"Started: \[Tick", timeout=60))
    phase("status", lambda: admin.command("sim status", "active events:"))
    phase("pause and resume", lambda: (admin.command("sim resume", "Simulation resumed"),
                                       admin.command("sim pause", "Simulation paused")))
    admin.command("sim resume", "Simulation resumed")
    time.sleep(3)
    ticking = p99(admin, 3)
    print(f"\nreactor p99 lateness at 1M agents ((idle just before, during) per attempt) ms: {lateness}; "
          f"ticking every second: {ticking}; a player walking (creating NPCs on the reactor): {walking}")
    for name, attempts in lateness.items():
        idle, during = attempts[-1]
        assert during <= idle + BOUND_MS, f"{name}: p99 (idle, during) ms in each attempt: {attempts}"
    # a server stop in the middle of a forced step ends it at a tick and saves
    admin.command("sim pause", "Simulation paused")
    tick = int(re.search(r"tick (\d+)", admin.command("sim status", r"active events:[^\n]*\n")).group(1))
    for _ in range(20):  # the last clock tick may still be running
        if "Stepping" in admin.command("sim step 1000", r"(Stepping 1000 tick\(s\)|try again)"):
            break
        time.sleep(0.5)
    else:
        raise AssertionError("the simulation stayed busy")
    time.sleep(1)
    admin.close()
    player.close()
    start = time.monotonic()
    million.evennia("stop", timeout=120)
    stop_s = time.monotonic() - start
    saved = re.findall(r"Simulation saved to \S+ at tick (\d+)", million.log())
    assert saved and tick < int(saved[-1]) < tick + 1000, saved
    print(f"server stop during a forced 1000-tick step took {stop_s:.1f} s (saved at tick {saved[-1]})")
