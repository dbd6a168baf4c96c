"""Helpers shared by the end-to-end tests that steer the game: the director's
proposals reaching a state (read from the server's approval queue file, as
any worker does), `sim` admin commands that answer "busy" while a step runs
instead of making the reactor wait, and hand edits of the server's content
library (git, a zone file saved as an editor would, `look` until it shows),
and logging in to the staff dashboard."""

import json
import subprocess
import time

from game.private_server import ADMIN
from generation.approval import ApprovalQueue

TIMEOUT_MS = 30_000  # browser waits


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


def git(server, *args) -> str:
    return subprocess.run(["git", "-C", str(server.runtime / "library"), *args],
                          capture_output=True, text=True, check=True).stdout


def zone_path(server, zone: str):
    return server.runtime / "library" / "world" / "zones" / f"{zone}.json"


def edit_zone(server, zone: str, change) -> str:
    """Apply `change(data)` to a zone file of the library, as an editor would save it; the old text."""
    path = zone_path(server, zone)
    old = path.read_text()
    data = json.loads(old)
    change(data)
    path.write_text(json.dumps(data, indent=2))
    return old


def room_of(data: dict, room_id: str) -> dict:
    return next(r for r in data["rooms"] if r["id"] == room_id)


def look_until(client, text: str, timeout: float = 10.0) -> float:
    """Seconds until `look` shows `text` (polled)."""
    started = time.monotonic()
    while True:
        seen = client.command("look", r"Exits:[^\n]*\n")
        if text in seen:
            return time.monotonic() - started
        assert time.monotonic() - started < timeout, f"look never showed {text!r}; last:\n{seen}"
        time.sleep(0.05)


def log_in_to_dashboard(page, web: str) -> None:
    """Open the dashboard (anyone not logged in is sent to log in) and log in as the admin."""
    page.goto(f"{web}/dashboard/", wait_until="load")
    assert "/auth/login/" in page.url, "anyone not logged in is sent to log in"
    page.fill("#id_username", ADMIN[0])
    page.fill("#id_password", ADMIN[1])
    page.click("input[type=submit]")
    page.wait_for_url(f"{web}/dashboard/", timeout=TIMEOUT_MS)
