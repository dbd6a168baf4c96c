"""Over real telnet, with a real worker: a player at the world's edge makes the
director ask for a room block, a worker drafts, checks and publishes it as a
commit in the content library; admins steer the director from the game."""

import json
import subprocess
import time

from game.private_server import ADMIN
from game.telnet_client import TelnetClient


def library_log(server) -> list[str]:
    library = server.runtime / "library"
    if not (library / ".git").exists():
        return []
    out = subprocess.run(["git", "-C", str(library), "log", "--format=%s"], capture_output=True, text=True)
    return out.stdout.splitlines()


def decisions(server) -> list[dict]:
    path = server.runtime / "director-decisions.jsonl"
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


def test_edge_of_the_world_grows_a_room_block(game_server, telnet):
    game_server.start_worker()
    admin = TelnetClient("127.0.0.1", game_server.telnet_port)
    admin.expect("create <username>")
    admin.command(f"connect {ADMIN[0]} {ADMIN[1]}", r"\n")
    admin.command("director set expansion 1", "expansion set to 1.00")
    admin.command("director set chaos 1", "chaos set to 1.00")

    explorer = telnet()
    explorer.command("north", r"Exits:[^\n]*\n")  # the Sun Chapel, on the map's northern edge
    deadline = time.monotonic() + 120
    while not any(s.startswith("Publish room_block") for s in library_log(game_server)):
        assert time.monotonic() < deadline, f"no room block published; decisions: {decisions(game_server)[-4:]}"
        time.sleep(1)
    trace = [d for d in decisions(game_server) if d.get("rule") == "dead_end" and d.get("job")]
    assert trace and trace[0]["trigger"]["room"] == "village.sun_chapel"
    job_id = trace[0]["job"]["job_id"]
    why = admin.command(f"director why {job_id}", r"status=published[^\n]*\n", timeout=30)
    assert "rule=dead_end" in why

    admin.command("director stop testing the brake", "Director is now stopped.")
    assert "STOPPED" in admin.command("director status", r"broker [^\n]*\n", timeout=30)
    before = len(library_log(game_server))
    explorer.command("west", r"Exits:[^\n]*\n")  # the Granary Row: another edge room
    time.sleep(3)
    assert len(library_log(game_server)) == before, "a stopped director publishes nothing"
    assert decisions(game_server)[-1]["skipped"] == "director is stopped"
    admin.command("director resume", "Director is now running.")
    admin.close()
