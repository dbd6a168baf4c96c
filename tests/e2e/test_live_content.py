"""Over real telnet, against the content library of a real server: hand edits
saved with a plain file write go live and are committed, broken ones are
refused with file, path and reason (the room keeps its text), an exit removal
that cuts a room off is refused, and an NPC patch published by a real worker
arrives in front of a player."""

import json
import re
import subprocess
import sys
import time

from generation.jobs import JobJournal
from tests.e2e.helpers import edit_zone, git, look_until, room_of, zone_path


def test_the_library_starts_as_the_shipped_base_world(game_server):
    log = git(game_server, "log", "--format=%s").splitlines()
    assert log[-1] == "Content library: seed"
    assert "world/zones/village.json" in git(game_server, "ls-files").splitlines()


def test_hand_edit_goes_live_and_is_committed(game_server, telnet):
    player = telnet()
    new_desc = "Lanterns of blue glass now hang over the square, humming softly."
    edit_zone(game_server, "village", lambda d: room_of(d, "village.square").update(desc=new_desc))
    look_until(player, new_desc)
    deadline = time.monotonic() + 10
    while "Hand edit: world/zones/village.json" not in git(game_server, "log", "--format=%s"):
        assert time.monotonic() < deadline, "no Hand edit commit"
        time.sleep(0.1)
    assert git(game_server, "status", "--porcelain", "--", "world") == ""


def test_broken_json_is_refused_and_the_room_keeps_its_text(game_server, telnet, admin):
    player = telnet()
    before = player.command("look", r"Exits:[^\n]*\n")
    path = zone_path(game_server, "village")
    good = path.read_text()
    data = json.loads(good)
    kept = room_of(data, "village.square")["desc"][:40]  # the live text's first words
    room_of(data, "village.square")["exits"][0]["to"] = "village.nowhere"
    room_of(data, "village.square")["desc"] = "This text must never go live."
    try:
        path.write_text(json.dumps(data, indent=2))
        told = admin.expect(r"Hand edit refused[^\n]*\n(  [^\n]*\n)+", timeout=15)
        assert "world/zones/village.json" in told and "no room village.nowhere" in told
        assert ".exits[0].to" in told
        status = admin.command("content status", r"refused[^\n]*\n(  [^\n]*\n)*", timeout=15)
        assert "world/zones/village.json" in status
        now = player.command("look", r"Exits:[^\n]*\n")
        assert "never go live" not in now and kept in now and kept in before

        path.write_text("{ not json")
        told = admin.expect(r"Hand edit refused[^\n]*\n(  [^\n]*\n)+", timeout=15)
        assert "world/zones/village.json $: invalid JSON at line 1" in told
    finally:
        path.write_text(good)  # fixed: nothing left to refuse (and the next tests find the square whole)
    deadline = time.monotonic() + 10
    while "world/zones/village.json" in admin.command("content status", r"applied[^\n]*\n", timeout=15):
        assert time.monotonic() < deadline, "the fixed file is still listed as refused"
        time.sleep(0.2)


def test_exit_removal_that_cuts_off_a_room_is_refused(game_server, admin):
    def cut(data):
        room_of(data, "market.counting_house")["exits"] = [
            e for e in room_of(data, "market.counting_house")["exits"] if e["to"] != "market.strongroom"]
        room_of(data, "market.strongroom")["exits"][0]["one_way"] = True

    good = edit_zone(game_server, "market", cut)
    try:
        told = admin.expect(r"Hand edit refused[^\n]*\n(  [^\n]*\n)+", timeout=15)
        assert "cuts off market.strongroom" in told
    finally:
        zone_path(game_server, "market").write_text(good)
    deadline = time.monotonic() + 10
    while "world/zones/market.json" in admin.command("content status", r"applied[^\n]*\n", timeout=15):
        assert time.monotonic() < deadline, "the restored file is still listed as refused"
        time.sleep(0.2)


def publish_through_worker(server, kind: str, seed: int, params: dict | None = None) -> dict:
    """Queue one job for the real worker; the patch it published (read from the library).

    The job is followed by its id in the job journal: the server's director may
    publish patches of the same kind meanwhile, so the newest commit is not
    necessarily this job's."""
    job = ("import sys, json; from generation.jobs import JobRequest; from generation.tasks import enqueue; "
           f"print(enqueue(JobRequest(kind={kind!r}, seed={seed}, region='village', params=json.loads(sys.argv[1]))).id)")
    queued = subprocess.run([sys.executable, "-c", job, json.dumps(params or {})], cwd=server.root, env=server.env,
                            check=True, timeout=60, capture_output=True, text=True)
    job_id = queued.stdout.split()[-1]
    journal = JobJournal(server.runtime / "jobs.sqlite")
    deadline = time.monotonic() + 120
    while (outcome := journal.outcome(job_id)) is None:
        assert time.monotonic() < deadline, f"job {job_id} never finished; worker log:\n{(server.runtime / 'worker.log').read_text()[-3000:]}"
        time.sleep(0.2)
    assert outcome.get("status") == "published", outcome
    return json.loads((server.runtime / "library" / "patches" / kind / f"{outcome['proposal_id']}.json").read_text())


def test_patches_from_a_real_worker_arrive_and_undo_takes_them_back(game_server, telnet, admin):
    game_server.start_worker()
    player = telnet()
    player.command("north", r"Exits:[^\n]*\n")
    player.command("west", r"Exits:[^\n]*\n")  # the Granary Row: the village's first room, its home room
    npc = publish_through_worker(game_server, "npc", 4242, {"role": "priest"})
    name = npc["content"]["name"]
    player.expect(re.escape(f"{name} arrives."), timeout=15)
    assert name in player.command("look", re.escape(name), timeout=10)

    item = publish_through_worker(game_server, "item", 777, {"placement": "room"})
    item_name = item["content"]["name"]
    deadline = time.monotonic() + 15
    while "You pick up" not in player.command(f"get {item_name}", r"(You pick up|Could not find)[^\n]*\n", timeout=10):
        assert time.monotonic() < deadline, f"{item_name} never appeared"
        time.sleep(0.1)

    admin.command(f"undo {npc['proposal_id']}", r"Undone[^\n]*\n", timeout=30)
    deadline = time.monotonic() + 15
    while name in player.command("look", r"Exits:[^\n]*\n(.*\n)?", timeout=10):
        assert time.monotonic() < deadline, f"{name} is still here after the undo"
        time.sleep(0.1)

    admin.command(f"undo {item['proposal_id']}", r"Undone[^\n]*\n", timeout=30)
    player.expect(r"waits for you in the Lost and Found", timeout=15)
    assert item_name not in player.command("inventory", r"\n", timeout=10)
    found = admin.command("content status", r"applied[^\n]*\n", timeout=15)
    assert f"patches/npc/{npc['proposal_id']}.json" not in found
    assert [s for s in git(game_server, "log", "--format=%s").splitlines() if s.startswith("Undo")][:2] == [
        f"Undo {item['proposal_id']}", f"Undo {npc['proposal_id']}"]
