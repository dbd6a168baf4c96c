"""Hostile player text through the browser web client (real Chromium, real
websocket): what a web player types reaches a telnet player literally, and
what a telnet player types shows in the browser as text: no HTML, no script,
no clickable command link, no colour codes."""

import itertools
import re

from tests.e2e.test_webclient import PASSWORD, Client

_names = (f"webhostile{i}" for i in itertools.count(1))


def test_web_and_telnet_players_read_each_others_hostile_text_literally(browser, game_server, telnet):
    page = browser.page
    page.goto(f"http://127.0.0.1:{game_server.web_port}/webclient/", wait_until="load")
    web = Client(page)
    web.expect("create <username>")
    name = next(_names)
    web.command(f"create {name} {PASSWORD}", r"\[Y\]/N")
    web.command("y", f"A new account '{name}' was created")
    web.command(f"connect {name} {PASSWORD}", r"Exits:")
    bob = telnet()
    links = page.locator("#messagewindow a").count()  # the game's own (exits, help)

    typed = "$space(2000000000) {x} {0} |r<b>bold</b> $you()"
    web.command(f"emote {typed}", re.escape(f"{name} {typed}"))
    bob.expect(re.escape(f"{name} {typed}"))

    bob.command("say <script>window.pwned = 1</script><img src=x onerror='window.pwned = 2'> |[r{x}", "You say")
    shown = web.expect(re.escape('<script>window.pwned = 1</script><img src=x onerror=\'window.pwned = 2\'> |[r{x}"'))
    assert f'{bob.name} says, "<script>' in shown
    bob.command("say |lcquit|ltfree gold|le", "You say")
    web.expect(re.escape(f'{bob.name} says, "free gold"'))  # Evennia strips MXP markup from input

    assert page.evaluate("window.pwned") is None
    assert page.locator("#messagewindow a").count() == links  # no clickable command link
    assert page.locator("#messagewindow b, #messagewindow img, #messagewindow script").count() == 0
    assert browser.page_errors == [], browser.page_errors
