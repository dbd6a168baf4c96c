"""Hostile player text over real telnet: what one player types reaches another
exactly as typed (inline functions, format braces and colour codes are text),
hostile account names are refused, and a failing command shows a player an
apology with an error id that is in the server log, never a traceback."""

import re

from game.telnet_client import TelnetClient
from game.private_server import ADMIN
from tests.e2e.helpers import admin_player

HOSTILE = "$space(2000000000) $random(1,9) {x} {0} {{ } |r|[bred $you() \\$you()"


def literal(text: str) -> str:
    return re.escape(text)


def test_say_emote_pose_whisper_page_and_channel_arrive_literally(telnet):
    alice, bob = telnet(), telnet()

    alice.command(f"say {HOSTILE}", literal(f'You say, "{HOSTILE}"'))
    bob.expect(literal(f'{alice.name} says, "{HOSTILE}"'))

    alice.command(f"emote {HOSTILE}", literal(f"{alice.name} {HOSTILE}"))
    bob.expect(literal(f"{alice.name} {HOSTILE}"))

    alice.command(f"pose {HOSTILE}", literal(f"{alice.name} {HOSTILE}"))
    bob.expect(literal(f"{alice.name} {HOSTILE}"))

    alice.command(f"whisper {bob.name} = {HOSTILE}", literal(f'You whisper to {bob.name}, "{HOSTILE}"'))
    bob.expect(literal(f'{alice.name} whispers: "{HOSTILE}"'))

    alice.command(f"page {bob.name} = {HOSTILE}", literal(f"You paged {bob.name} with: '{HOSTILE}'."))
    bob.expect(literal(f"Account {alice.name} pages: {HOSTILE}"))

    alice.command(f"pub {HOSTILE}", literal(f"[Public] {alice.name}: {HOSTILE}"))
    bob.expect(literal(f"[Public] {alice.name}: {HOSTILE}"))

    alice.command(f"setdesc {HOSTILE}", "You set your description.")
    assert HOSTILE in bob.command(f"look {alice.name}", literal(HOSTILE))

    transcript = alice.transcript + bob.transcript
    assert "Traceback" not in transcript and "(error " not in transcript
    # both still play
    bob.command("look", r"Exits:[^\n]*\n")
    alice.command("look", r"Exits:[^\n]*\n")


def test_hostile_account_names_are_refused(game_server):
    client = TelnetClient("127.0.0.1", game_server.telnet_port)
    try:
        client.expect("create <username>")
        for name in ("$space(2000000000)", "{x}", "|rRed", "$you()", "{0}"):
            client.command(f"create {name} e2e-secret-pw", r"\[Y\]/N")
            reply = client.command("y", r"valid username[^\n]*\n")
            assert "Traceback" not in reply and "created" not in reply
        # the connection still works: a plain name is accepted
        client.command("create plainname e2e-secret-pw", r"\[Y\]/N")
        client.command("y", "A new account 'plainname' was created")
    finally:
        client.close()


def give_crashing_command(admin: TelnetClient, name: str) -> None:
    """The admin gives `name` a test-only command `boom` that raises (not persistent)."""
    admin.command(
        "py from evennia import CmdSet, Command; "
        "boom = type('CmdBoom', (Command,), {'key': 'boom', "
        "'func': lambda cmd: {}['internal detail the player must not read']}); "
        "boomset = type('BoomSet', (CmdSet,), {'key': 'boom_e2e', 'at_cmdset_creation': lambda s, b=boom: s.add(b())}); "
        f"target = me.search('{name}', global_search=True); target.cmdset.add(boomset(), persistent=False); "
        "print('boom ready for ' + target.key)",
        rf"boom ready for {name}",
    )


def test_a_failing_command_shows_a_player_an_error_id_and_staff_the_traceback(telnet, game_server):
    player = telnet()
    admin = admin_player(game_server.telnet_port)
    try:
        give_crashing_command(admin, player.name)
        reply = player.command("boom", r"\(error (\w+)\)[^\n]*\n")
        assert "Traceback" not in reply and "internal detail" not in reply and "KeyError" not in reply
        error_id = re.search(r"\(error (\w+)\)", reply).group(1)
        game_server.wait_for_log(f"Command error {error_id}", timeout=10)
        assert "internal detail the player must not read" in game_server.log()
        admin.expect(rf"\[MudInfo\] Command error {error_id} for {player.name}: KeyError: 'internal detail")
        player.command("look", r"Exits:[^\n]*\n")  # and the player plays on

        give_crashing_command(admin, ADMIN[0])
        staff_reply = admin.command("boom", r"\(error \w+, logged\)")
        assert "Traceback" in staff_reply and "internal detail the player must not read" in staff_reply
    finally:
        admin.close()
