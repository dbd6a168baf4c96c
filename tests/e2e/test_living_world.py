"""Over real telnet: the background simulation shows in the rooms players stand in."""

import re
import time

from tests.e2e.helpers import admin_player, sim_command

AGENT_LINE = re.compile(r'(Merchant|Bandit|Farmer|Priest|Explorer|Hunter) "[A-Z][a-z]+"')


def test_player_sees_live_region_materialized_npcs_and_events(telnet):
    player = telnet()
    room = player.command("look", r"Prices here:[^\n]*\n")
    assert re.search(r"(Bloomrise|Highflame|Emberfall), (Daybreak|Highsun|Nightfall)\.", room)
    assert re.search(r"About [\d,]+ souls roam Hearthbound Circuit", room)
    for _ in range(10):  # materialized NPCs follow their agents: one may head off between two looks
        characters = re.search(r"Characters: ([^\n]*)", room).group(1)
        npcs = re.findall(r"([A-Z][a-z]+) the (Merchant|Bandit|Farmer|Priest|Explorer|Hunter)", characters)
        assert npcs, characters
        name, role = npcs[0]
        looked = player.command(f"look {name}", rf"\({role}, [A-Za-z]+\)|Could not find[^\n]*\n")
        if f"{name} the {role}" in looked:
            break
        room = player.command("look", r"Prices here:[^\n]*\n")
    assert f"{name} the {role}" in looked, looked
    # the world goes on: events of this region reach the player within a few ticks
    player.buffer = ""
    player.expect(AGENT_LINE.pattern, timeout=60)


def people(room: str) -> set[str]:
    line = re.search(r"Characters: ([^\n]*)", room)
    return set(re.findall(r"[A-Z][a-z]+ the (?:Merchant|Bandit|Farmer|Priest|Explorer|Hunter)", line.group(1) if line else ""))


def test_a_walking_player_gets_each_room_and_meets_its_own_people(telnet):
    """Each move shows the room at once; its people are there (dressed from the
    pool of NPC objects) or arrive right after (objects the pool lacked)."""
    player = telnet()
    met: dict[str, set[str]] = {"South Gate": set(), "Village Square": set()}
    for direction, name in (("south", "South Gate"), ("north", "Village Square")) * 3:
        room = player.command(direction, r"Prices here:[^\n]*\n")
        assert name in room
        deadline = time.monotonic() + 10
        while not people(room):
            assert time.monotonic() < deadline, f"nobody materialized in {name}:\n{room}"
            time.sleep(0.2)
            room = player.command("look", r"Prices here:[^\n]*\n")
        met[name] |= people(room)
    assert not met["South Gate"] & met["Village Square"], f"an agent has one place: {met}"


def test_admin_steers_the_simulation(game_server):
    admin = admin_player(game_server.telnet_port)
    status = admin.command("sim status", r"active events:[^\n]*\n")
    assert re.search(r"Simulation tick \d+, [\d,]+/20,000 agents alive", status)
    admin.command("sim pause", "Simulation paused at tick")
    sim_command(admin, "sim step 3", r"Stepped 3 tick\(s\)")
    sim_command(admin, "sim event relic_rush desert", r"Started: \[Tick \d+\]")
    assert "relic_rush in desert" in admin.command("sim status", r"active events:[^\n]*\n")
    admin.command("sim resume", "Simulation resumed")
    sim_command(admin, "sim save", "Snapshot saved to")
    admin.close()


def test_players_cannot_use_admin_commands(telnet):
    player = telnet()
    assert "not available" in player.command("sim pause", r"not available[^\n]*\n")
    assert "not available" in player.command("director stop", r"not available[^\n]*\n")
