"""Whole-world snapshots on a real server of their own (a restore reloads it
and rolls back every account made since, which would disturb the shared
server's other tests), over real telnet with real git: snapshot, then change
a room by a hand edit of the library, create an object, change an attribute,
step the simulation and create an account; restore; the room, the object,
the attribute, the library's files and the simulation digest are the
snapshot's, the connected player was told and still plays, and the account
made after the snapshot is told and disconnected. Then the same from the
staff dashboard in headless Chromium, its Restore button behind a confirmation."""

import json
import re
import time

import pytest

from game.private_server import GameServer
from tests.e2e.helpers import (RESTORE_S, TIMEOUT_MS, change_square, git, log_in_to_dashboard, restore_snapshot,
                               sees, sim_command, take_snapshot)


@pytest.fixture(scope="module")
def game_server():
    """This module's own server (the shared one's fixture name, so `telnet` and `admin` use it)."""
    server = GameServer(prefix="tera-e2e-snapshots-").start()
    yield server
    server.stop()


def digest(admin) -> tuple[int, str]:
    reply = sim_command(admin, "sim digest", r"Simulation tick \d+, digest \w+\n")
    tick, value = re.search(r"tick (\d+), digest (\w+)", reply).groups()
    return int(tick), value


def attribute(admin, name: str) -> str:
    return re.search(rf"/{name} \[category:None\] = ([^\n]*)\n",
                     admin.command(f"set here/{name}", rf"/{name}[^\n]*\n")).group(1)


def until_closed(client, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while client.pump():
        assert time.monotonic() < deadline, "the connection stayed open"


def test_restore_brings_database_simulation_and_library_back_while_players_stay(game_server, telnet, admin):
    player = telnet("keeper")
    admin.command("sim pause", r"Simulation paused[^\n]*\n")
    admin.command("set here/snapmark = before", r"snapmark[^\n]*\n")
    tick, sim_digest = digest(admin)
    sid = take_snapshot(admin, "calm square")
    manifest = json.loads((game_server.runtime / "snapshots" / sid / "manifest.json").read_text())
    assert manifest["sim"]["tick"] == tick and manifest["sim"]["digest"] == sim_digest and manifest["sim"]["paused"]
    assert manifest["library_commit"] == git(game_server, "rev-parse", "HEAD").strip()
    assert manifest["db"]["engine"] == "sqlite" and not manifest["auto"]
    tree = git(game_server, "rev-parse", "HEAD^{tree}").strip()

    new_desc = "Snow of ash lies on the square; the fountain has cracked in two."
    old_desc = change_square(game_server, player, new_desc)
    admin.command("create/drop snapshot stone", r"snapshot stone[^\n]*\n")
    admin.command("set here/snapmark = after", r"snapmark[^\n]*\n")
    sim_command(admin, "sim step 5", r"Stepped 5 tick\(s\)[^\n]*\n")
    assert digest(admin)[0] == tick + 5
    latecomer = telnet("latecomer")
    assert sees(player, "snapshot stone")
    assert git(game_server, "rev-parse", "HEAD^{tree}").strip() != tree

    restore_snapshot(admin, player, sid)
    latecomer.expect(r"Your account 'latecomer' is not in the restored world", timeout=RESTORE_S)
    until_closed(latecomer, 30)

    after = player.command("look", r"Exits:[^\n]*\n")
    assert new_desc not in after and not sees(player, "snapshot stone")
    assert old_desc[:40] in after
    admin.expect(r"The world was restored", timeout=RESTORE_S)
    assert attribute(admin, "snapmark") == "before"
    assert git(game_server, "rev-parse", "HEAD^{tree}").strip() == tree
    assert git(game_server, "log", "-1", "--format=%s").strip() == f"Restore snapshot {sid}"
    deadline = time.monotonic() + RESTORE_S
    while "is not running" in admin.command("sim", r"Simulation[^\n]*\n|not running[^\n]*\n"):
        assert time.monotonic() < deadline, "the simulation never came back"
        time.sleep(1)
    assert digest(admin) == (tick, sim_digest)  # exactly the snapshot's state, paused as it was

    listed = admin.command("snapshot list", r"before restore[^\n]*\n")
    assert re.search(rf"{sid}\s+manual[^\n]*calm square", listed)
    auto = re.search(r"(s\d+)\s+auto[^\n]*before restore " + sid, listed).group(1)
    admin.command(f"snapshot delete {auto}", rf"Snapshot {auto} deleted")
    assert not (game_server.runtime / "snapshots" / auto).exists()
    admin.command(f"snapshot delete {auto}", rf"no snapshot '{auto}'")
    admin.command("snapshot restore s999", r"no snapshot 's999'")
    admin.command(f"snapshot restore {sid}", r"\[yes/N\]")
    admin.command("no", r"Restore cancelled")


def test_dashboard_restores_a_snapshot_behind_a_confirmation(browser, game_server, admin):
    """The browser logs in before the snapshot (its login session is in the database the restore brings back)."""
    page = browser.page
    web = f"http://127.0.0.1:{game_server.web_port}"
    log_in_to_dashboard(page, web)
    admin.command("set here/snapmark = web-before", r"snapmark[^\n]*\n")
    sid = take_snapshot(admin, "for the dashboard")
    admin.command("set here/snapmark = web-after", r"snapmark[^\n]*\n")

    row = page.locator(f"tr.snapshot[data-id='{sid}']")
    row.wait_for(timeout=TIMEOUT_MS)
    assert "manual" in row.inner_text() and "for the dashboard" in row.inner_text()
    row.locator(".restore").click()
    assert row.locator(".confirm-restore").is_visible() and not row.locator(".restore").is_visible()
    row.locator(".cancel").click()  # changed her mind: nothing happens
    assert not row.locator(".confirm-restore").is_visible()
    restores_before = game_server.log().count("Restoring snapshot")
    time.sleep(1)
    assert game_server.log().count("Restoring snapshot") == restores_before
    assert attribute(admin, "snapmark") == "web-after"

    row.locator(".restore").click()
    row.locator(".confirm").click()
    page.wait_for_function(f"document.querySelector('#snapshots-status').textContent.includes('Restoring {sid}')",
                           timeout=TIMEOUT_MS)
    admin.expect(rf"The world was restored to snapshot {sid}", timeout=RESTORE_S)
    assert game_server.log().count("Restoring snapshot") == restores_before + 1
    assert attribute(admin, "snapmark") == "web-before"
    page.wait_for_function(
        f"document.querySelector('#snapshots-status').textContent.includes('restored to snapshot {sid}')",
        timeout=RESTORE_S * 1000)
    page.locator(f"tr.snapshot >> text=before restore {sid}").wait_for(timeout=TIMEOUT_MS)
    # the page's polls fail while the server restarts (console errors then); it never left this machine
    assert browser.off_host == [] and browser.page_errors == [], (browser.off_host, browser.page_errors)
