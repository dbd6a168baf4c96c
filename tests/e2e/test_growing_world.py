"""Over real telnet, with a real worker: a player at the world's edge makes the
director ask for a room block, a worker drafts, checks and publishes it as a
commit in the content library, the game takes an automatic world snapshot and
builds it (paired exits, on the map) and the player walks in and back; admins
steer the director from the game."""

import json
import re
import subprocess
import time

from tests.e2e.helpers import admin_player


def library_log(server) -> list[str]:
    library = server.runtime / "library"
    if not (library / ".git").exists():
        return []
    out = subprocess.run(["git", "-C", str(library), "log", "--format=%s"], capture_output=True, text=True)
    return out.stdout.splitlines()


def decisions(server) -> list[dict]:
    path = server.runtime / "director-decisions.jsonl"
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()] if path.exists() else []


def blocks_at(server, room: str) -> dict[str, dict]:
    """Published room blocks anchored at `room`, by proposal id, the first
    published first (earlier tests' players may have grown the world at other
    edges of the shared server, and the room may grow on another side too)."""
    published = [s.split()[-1] for s in reversed(library_log(server)) if s.startswith("Publish room_block")]
    blocks = {}
    for pid in published:
        path = server.runtime / "library" / "patches" / "room_block" / f"{pid}.json"
        block = json.loads(path.read_text())["content"] if path.exists() else None
        if block is not None and block["anchor"]["room"] == room:
            blocks[pid] = block
    return blocks


def walk_into_the_new_block(block: dict, explorer) -> None:
    """The published block is built in game: the anchor room (where the explorer
    stands) gets the exit, `map` draws the new rooms, the explorer walks in and back."""
    anchor, entrance = block["anchor"], block["rooms"][0]
    anchor_title = re.search(r"^(.*\[[^\]\n]+\])$", explorer.command("look", r"Exits:[^\n]*\n"), re.M).group(1)
    deadline = time.monotonic() + 15
    while anchor["direction"] not in explorer.command("look", r"Exits:[^\n]*\n").rsplit("Exits:", 1)[-1]:
        assert time.monotonic() < deadline, f"no {anchor['direction']} exit in the anchor room"
        time.sleep(0.1)
    here = explorer.command(anchor["direction"], r"Exits:[^\n]*\n")
    assert entrance["name"] in here
    back = next(e["direction"] for e in entrance["exits"] if e["to"] == anchor["room"])
    assert back in here.rsplit("Exits:", 1)[-1]
    drawn = explorer.command("map", r"\[@\][^\n]*\n(.*\n)*?\S*\n?", timeout=10)
    assert drawn.count("[") >= 2
    assert anchor_title in explorer.command(back, r"Exits:[^\n]*\n")


def snapshot_before_the_block(server, pid: str) -> None:
    """The server took an automatic world snapshot before the block `pid` went
    live: its library commit is the one before the block's publish commit."""
    library = server.runtime / "library"
    manifests = [json.loads(m.read_text()) for m in (server.runtime / "snapshots").glob("s*/manifest.json")]
    [snap] = [m for m in manifests if m["auto"] and pid in m["label"].removeprefix("before expansion ").split(", ")]
    assert snap["sim"] is not None and snap["db"]["engine"] == "sqlite"
    files = subprocess.run(["git", "-C", str(library), "ls-tree", "-r", "--name-only", snap["library_commit"]],
                           capture_output=True, text=True, check=True).stdout.split()
    assert "world/world.json" in files and f"patches/room_block/{pid}.json" not in files


def test_edge_of_the_world_grows_a_room_block(game_server, telnet):
    game_server.start_worker()
    admin = admin_player(game_server.telnet_port)
    admin.command("director set expansion 1", "expansion set to 1.00")
    admin.command("director set chaos 1", "chaos set to 1.00")

    explorer = telnet()
    explorer.command("north", r"Exits:[^\n]*\n")  # the Sun Chapel, on the map's northern edge
    deadline = time.monotonic() + 300  # the worker starts now, behind the jobs earlier tests' players queued
    while not blocks_at(game_server, "village.sun_chapel"):
        assert time.monotonic() < deadline, f"no room block published; decisions: {decisions(game_server)[-4:]}"
        time.sleep(1)
    trace = [d for d in decisions(game_server) if d.get("rule") == "dead_end" and d.get("job")
             and d["trigger"].get("room") == "village.sun_chapel"]
    assert trace
    job_id = trace[0]["job"]["job_id"]
    why = admin.command(f"director why {job_id}", r"status=published[^\n]*\n", timeout=30)
    assert "rule=dead_end" in why

    pid, block = next(iter(blocks_at(game_server, "village.sun_chapel").items()))
    walk_into_the_new_block(block, explorer)
    snapshot_before_the_block(game_server, pid)

    admin.command("director stop testing the brake", "Director is now stopped.")
    assert "STOPPED" in admin.command("director status", r"broker [^\n]*\n", timeout=30)
    before = len(library_log(game_server))
    explorer.command("west", r"Exits:[^\n]*\n")  # the Granary Row: another edge room
    time.sleep(3)
    assert len(library_log(game_server)) == before, "a stopped director publishes nothing"
    status = admin.command("director status", r"broker [^\n]*\n", timeout=30)
    assert "dead_end: director is stopped x1" in status  # counted, not logged line by line
    admin.command("director resume", "Director is now running.")
    admin.close()
