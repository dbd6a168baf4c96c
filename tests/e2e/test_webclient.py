"""A player's first session in the browser web client, with no internet.

Real headless Chromium against the real server; every request off loopback is
aborted and recorded, so the test proves the client needs nothing but the game.
"""

import itertools

import pytest

from tests.support.browser import is_local

_names = (f"webplayer{i}" for i in itertools.count(1))
PASSWORD = "e2e-web-secret"
TIMEOUT_MS = 20_000


class Client:
    """Drives the web client's input line and reads what arrives in its output pane."""

    def __init__(self, page):
        self.page = page
        self.output = page.locator("#messagewindow")
        self.input = page.locator("textarea.inputfield").first

    def text(self) -> str:
        return self.output.inner_text()

    def expect(self, pattern: str, since: int = 0) -> str:
        """Wait until the output after offset `since` matches `pattern`; return that output."""
        try:
            self.page.wait_for_function(
                "([since, pattern]) => new RegExp(pattern)"
                ".test(document.querySelector('#messagewindow').innerText.slice(since))",
                arg=[since, pattern],
                timeout=TIMEOUT_MS,
            )
        except Exception as error:
            raise AssertionError(f"{pattern!r} never appeared; output was:\n{self.text()[since:]}") from error
        return self.text()[since:]

    def command(self, line: str, pattern: str) -> str:
        since = len(self.text())
        self.input.click()
        self.input.fill(line)
        self.input.press("Enter")
        return self.expect(pattern, since)


def test_new_player_plays_in_the_web_client_offline(browser, game_server, rusty_sword_in_square, tmp_path):
    page = browser.page
    page.goto(f"http://127.0.0.1:{game_server.web_port}/webclient/", wait_until="load")
    client = Client(page)
    client.expect("create <username>")

    name = next(_names)
    client.command(f"create {name} {PASSWORD}", r"\[Y\]/N")
    client.command("y", f"A new account '{name}' was created")
    assert "Village Square" in client.command(f"connect {name} {PASSWORD}", r"Exits:")

    client.command("get rusty sword", "You pick up a rusty sword")
    client.command("equip rusty sword", "You equip rusty sword as your weapon")
    assert "rusty sword (equipped)" in client.command("inventory", r"Equipped:")
    assert "East Gate" in client.command("e", r"Exits:")

    page.wait_for_load_state("networkidle")
    screenshot = tmp_path / "webclient.png"
    page.screenshot(path=str(screenshot), full_page=True)
    assert screenshot.stat().st_size > 10_000

    # styled: Bootstrap and golden-layout's dark theme are applied
    assert page.evaluate("getComputedStyle(document.querySelector('.lm_goldenlayout')).backgroundColor") == "rgb(0, 0, 0)"
    assert page.evaluate("typeof jQuery.fn.modal") == "function"
    assert page.evaluate("typeof Favico") == "function"

    assert browser.off_host == [], f"the page tried to reach the internet: {browser.off_host}"
    assert browser.websockets and all(is_local(url) for url in browser.websockets), browser.websockets
    assert browser.page_errors == [], browser.page_errors
    assert browser.console_errors == [], browser.console_errors
    assert browser.failed == [], browser.failed


def test_every_offered_font_is_served_locally(browser, game_server):
    """Each font in the options pane loads from the game (Evennia's plugin linked Google Fonts)."""
    page = browser.page
    page.goto(f"http://127.0.0.1:{game_server.web_port}/webclient/", wait_until="load")
    Client(page).expect("create <username>")
    families = page.evaluate(
        """async () => {
            await document.fonts.ready;
            const faces = [...document.fonts].map(face => face.family.replace(/['"]/g, ''));
            await Promise.all([...document.fonts].map(face => face.load()));
            return faces;
        }"""
    )
    assert {"DejaVu Sans Mono", "Fira Mono", "Inconsolata", "Source Code Pro"} <= set(families)
    unloaded = page.evaluate("[...document.fonts].filter(face => face.status !== 'loaded').map(face => face.family)")
    assert unloaded == []
    assert browser.off_host == [] and browser.failed == [] and browser.console_errors == []


@pytest.mark.parametrize("path", ["/", "/auth/login/", "/auth/register", "/help/", "/channels/"])
def test_website_page_runs_clean_offline(browser, game_server, path):
    """The website pages (not just the client) render with their scripts and styles, offline."""
    page = browser.page
    page.goto(f"http://127.0.0.1:{game_server.web_port}{path}", wait_until="networkidle")
    assert page.evaluate("typeof jQuery.fn.collapse") == "function"
    bootstrap_rules = page.evaluate(
        "[...document.styleSheets].filter(sheet => (sheet.href || '').includes('/vendor/bootstrap/'))"
        ".reduce((n, sheet) => n + sheet.cssRules.length, 0)"
    )
    assert bootstrap_rules > 1000, "Bootstrap's stylesheet did not load"
    assert browser.off_host == [], browser.off_host
    assert browser.page_errors == [] and browser.console_errors == [] and browser.failed == []
