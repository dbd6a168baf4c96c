"""Helpers shared by the end-to-end tests that steer the game: the director's
proposals reaching a state (read from the server's approval queue file, as
any worker does), `sim` admin commands that answer "busy" while a step runs
instead of making the reactor wait, the server's reactor lateness (`sim
reactor`), hand edits of the server's content library (git, a zone file
saved as an editor would, `look` until it shows), logging in to the staff
dashboard, and the steps of a world snapshot round trip (take one, change
the square and see it, restore and wait for it)."""

import json
import re
import subprocess
import time

from game.private_server import ADMIN
from generation.approval import ApprovalQueue

TIMEOUT_MS = 30_000  # browser waits
RESTORE_S = 240  # a reload: the server process restarts, loads the simulation and builds the world
HISTORY_POINTS = 2000  # chart points the session's server keeps (MUD_HISTORY_POINTS; not the default 3600)


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


def sees(client, thing: str) -> bool:
    return "Could not find" not in client.command(f"look {thing}", rf"Could not find[^\n]*\n|{thing}[^\n]*\n")


def take_snapshot(admin, label: str) -> str:
    """`snapshot create <label>`; the new snapshot's id."""
    taken = admin.command(f"snapshot create {label}", r"Snapshot s\d+ taken:\n[^\n]*\n", timeout=120)
    return re.search(r"Snapshot (s\d+) taken", taken).group(1)


def change_square(server, player, desc: str) -> str:
    """Hand-edit the Village Square's description in the library until `player`'s look shows it; the old one."""
    old_zone = edit_zone(server, "village", lambda d: room_of(d, "village.square").update(desc=desc))
    look_until(player, desc)
    return room_of(json.loads(old_zone), "village.square")["desc"]


def restore_snapshot(admin, player, snapshot_id: str) -> None:
    """`snapshot restore <id>`, confirmed; returns once the still connected `player` is told it is done."""
    admin.command(f"snapshot restore {snapshot_id}", r"\[yes/N\]")
    admin.command("yes", rf"Checking snapshot {snapshot_id}")
    player.expect(rf"being restored to snapshot {snapshot_id}", timeout=60)
    told = player.expect(rf"(The world was restored to|Restoring) snapshot {snapshot_id}[^\n]*\n", timeout=RESTORE_S)
    assert "The world was restored" in told, told.splitlines()[-1]


def admin_player(port: int):
    """A telnet client logged in with the admin account (its login `look` read)."""
    from game.telnet_client import TelnetClient

    client = TelnetClient("127.0.0.1", port)
    client.expect("create <username>")
    client.command(f"connect {ADMIN[0]} {ADMIN[1]}", r"Exits:[^\n]*\n")
    return client


def new_player(port: int, name: str, password: str):
    """A telnet client that created the account `name` and is logged in with it."""
    from game.telnet_client import TelnetClient

    client = TelnetClient("127.0.0.1", port)
    client.expect("create <username>")
    client.command(f"create {name} {password}", r"\[Y\]/N")
    client.command("y", f"A new account '{name}' was created")
    client.command(f"connect {name} {password}", r"Exits:[^\n]*\n")
    client.name = name
    return client
