"""A player's session over a real telnet socket against the real server."""

import time

from game.telnet_client import TelnetClient


def test_walk_three_biomes_take_equip_and_talk(telnet, rusty_sword_in_square):
    alice, bob = telnet(), telnet()
    assert "Village Square" in alice.command("look", r"Exits:[^\n]*\n")

    alice.command("say Well met, traveller!", "You say")
    bob.expect(rf'{alice.name} says, "Well met, traveller!"')

    alice.command("get rusty sword", "You pick up a rusty sword")
    alice.command("equip rusty sword", "You equip rusty sword as your weapon")
    inventory = alice.command("inventory", r"Equipped:[^\n]*\n")
    assert "rusty sword (equipped)" in inventory
    assert "weapon: rusty sword" in inventory

    seen = []
    for step in ("e", "e", "e", "s", "s"):
        seen.append(alice.command(step, r"Exits:[^\n]*\n"))
    zones = " ".join(seen)
    assert "[Golden Conflux]" in zones and "[Ashen Mirage]" in zones
    assert "Last Well" in seen[-1] or "[Ashen Mirage]" in seen[-1]
    for step in ("w", "s", "w"):  # dune verge, nomad camp, the plains' east road
        alice.command(step, r"Exits:[^\n]*\n")
    assert "[Silverwind Expanse]" in alice.command("look", r"Exits:[^\n]*\n")
    assert "@" in alice.command("map", r"\[@\][^\n]*\n")


def test_unknown_and_incomplete_commands_get_help(telnet):
    carol = telnet()
    assert "not available" in carol.command("xyzzy", r"not available[^\n]*\n")
    carol.command("get", "Get what")
    carol.command("equip", "Equip what")
    carol.command("give", r"Usage|give")
    carol.command("look dragon", "Could not find 'dragon'")
    nowhere = carol.command("up", r"You cannot go up from here\.[^\n]*\n")  # the square has no way up
    assert all(way in nowhere for way in ("north", "south", "east", "west"))
    assert "Chapel of the Twin Suns" in carol.command("n", r"Exits:[^\n]*\n"), "where the way exists, it is taken"


def test_hostile_input_never_kills_the_session(telnet, game_server):
    dave = telnet()
    dave.send("say " + "A" * 200_000)
    dave.send_raw(b"say \x00\x01\x07\x1b[31mred\x7f\r\n")
    dave.send_raw(b"say broken \xff\xfe\xc3\x28 utf8\r\n")
    dave.send_raw(b"\xff\xf4\xff\xfd\x06")  # telnet IAC IP and DO TIMING-MARK
    time.sleep(1)
    dave.command("look", r"Exits:[^\n]*\n", timeout=30)
    # and the server still serves everybody else
    other = TelnetClient("127.0.0.1", game_server.telnet_port)
    other.expect("create <username>")
    other.close()


def test_lock_warnings_log_only_real_problems(telnet, game_server):
    telnet()  # an account and character created, the world built at start
    log = game_server.runtime / "logs" / "lockwarnings.log"
    text = log.read_text() if log.exists() else ""
    assert "changed from" not in text, text[:2000]
