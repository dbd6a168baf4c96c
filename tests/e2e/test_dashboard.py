"""The staff dashboard in real headless Chromium, offline: anyone not logged
in is sent to the login page; an admin logs in, watches a chart gain points
as ticks pass, presses STOP and sees the director stopped in the game, and
approves a generated proposal by clicking (a real worker made it)."""

import re

from generation.approval import ApprovalQueue
from tests.e2e.helpers import TIMEOUT_MS, log_in_to_dashboard, wait_for_proposal


def points(page, chart: str) -> int:
    return int(page.get_attribute(f"#chart-{chart}", "data-points"))


def test_admin_watches_the_world_stops_the_director_and_approves_by_clicking(browser, game_server, admin):
    page = browser.page
    web = f"http://127.0.0.1:{game_server.web_port}"
    log_in_to_dashboard(page, web)

    # a chart gains points as ticks pass
    page.wait_for_function("Number(document.querySelector('#chart-ms-per-tick').dataset.points) > 0", timeout=TIMEOUT_MS)
    seen = points(page, "ms-per-tick")
    page.wait_for_function(f"Number(document.querySelector('#chart-ms-per-tick').dataset.points) > {seen}", timeout=TIMEOUT_MS)
    assert points(page, "population-region") > 0 and points(page, "players-online") > 0
    assert page.locator("#chart-population-region .u-legend").inner_text().count("forest") == 1

    # STOP, seen in the game; then GO
    page.wait_for_function("document.querySelector('#director-switch').textContent === 'STOP'", timeout=TIMEOUT_MS)
    page.click("#director-switch")
    page.wait_for_function("document.querySelector('#director-mode').textContent === 'STOPPED'", timeout=TIMEOUT_MS)
    assert re.search(r"Director STOPPED \(by admin \(web\)", admin.command("director status", r"Director [A-Z]+[^\n]*\n", timeout=30))
    page.click("#director-switch")
    page.wait_for_function("document.querySelector('#director-mode').textContent === 'RUNNING'", timeout=TIMEOUT_MS)
    assert "Director RUNNING" in admin.command("director status", r"Director [A-Z]+[^\n]*\n", timeout=30)

    # approve a proposal by clicking
    game_server.start_worker()
    admin.command("guardrails set require_approval=true", "live now")
    try:
        admin.command("generate npc village", r"Queued npc job")
        proposal = wait_for_proposal(game_server, "npc")
        box = page.locator(f".proposal[data-id='{proposal}']")
        box.wait_for(timeout=TIMEOUT_MS)
        box.locator(".show-diff").click()
        box.locator("table.diff").wait_for(timeout=TIMEOUT_MS)
        assert "Validated result" in box.inner_text() and "npc stat points" in box.inner_text()
        box.locator(".approve").click()
        box.wait_for(state="detached", timeout=TIMEOUT_MS)  # gone from the queue once approved
        assert ApprovalQueue(game_server.runtime / "approval.sqlite").state(proposal) in ("approved", "published"), \
            page.inner_text("#problem")
    finally:
        admin.command("guardrails set require_approval=false", "live now")

    assert browser.off_host == [], f"the page tried to reach the internet: {browser.off_host}"
    assert browser.page_errors == [], browser.page_errors
    assert browser.console_errors == [], browser.console_errors
    assert browser.failed == [], browser.failed
