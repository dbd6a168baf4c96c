"""Waits shared by the end-to-end tests that steer the game: the director's
proposals reaching a state (read from the server's approval queue file, as
any worker does), `sim` admin commands that answer "busy" while a step
runs instead of making the reactor wait, and the server's reactor lateness
(`sim reactor`)."""

import re
import time

from generation.approval import ApprovalQueue


def wait_for_proposal(server, kind: str, state: str = "pending", timeout: float = 120, exclude=()) -> str:
    """Id of a proposal of `kind` in `state` (several: "approved|published"),
    not in `exclude`, waiting for one."""
    queue = ApprovalQueue(server.runtime / "approval.sqlite")
    deadline = time.monotonic() + timeout
    while True:
        found = [p.id for one in state.split("|") for p in queue.in_state(one) if p.kind.value == kind and p.id not in exclude]
        if found:
            return found[-1]
        assert time.monotonic() < deadline, f"no {state} {kind} proposal after {timeout} s"
        time.sleep(0.5)


def sim_command(admin, line: str, pattern: str, timeout: float = 60) -> str:
    """Send a `sim` admin command, again while the simulation answers busy;
    the reply up to `pattern`."""
    deadline = time.monotonic() + timeout
    while True:
        reply = admin.command(line, rf"{pattern}|The simulation is busy[^\n]*\n", timeout=timeout)
        if "The simulation is busy" not in reply:
            return reply
        assert time.monotonic() < deadline, f"{line!r}: still busy after {timeout} s"
        time.sleep(0.2)


LATENESS = re.compile(r"Reactor lateness over \d+ s: p50 ([\d.]+) ms, p99 ([\d.]+) ms, max ([\d.]+) ms")


def reactor_lateness(admin, seconds: int) -> dict:
    """The server's lateness probe over the last `seconds`: p50, p99 and max in ms."""
    found = LATENESS.search(admin.command(f"sim reactor {seconds}", r"samples\)"))
    return dict(zip(("p50", "p99", "max"), map(float, found.groups())))
