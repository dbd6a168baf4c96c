"""Over real telnet: an NPC remembers a player who talked to it, and a hand-made quest is offered by its
giver, advances as the player travels and talks, and pays its reward."""

import time
from pathlib import Path

from generation.loader import load_world
from tests.e2e.test_gameplay import coins_of, route, walk

TERA = Path(__file__).resolve().parents[2] / "content" / "worlds" / "tera"


def test_remembered_talk_and_a_quest_from_giver_to_reward(telnet):
    world = load_world(TERA)
    player = telnet()
    walk(player, route(world, world.header.start_room, lambda r: r.id == "village.sun_chapel"))
    first = player.command("talk priest of the Suns about the road", r'says, "[^\n]*\n')
    assert "I remember you" not in first
    again = player.command("talk priest of the Suns", r'says, "[^\n]*\n[^\n]*says, "[^\n]*\n')
    assert f"I remember you, {player.name}. You talked with me about the road." in again
    offered = player.command("quests", r"\n")
    offered += player.expect(r"quest\.shrine_road[^\n]*\n", timeout=5)
    assert "The Road to the Hidden Shrine" in offered
    for _ in range(30):  # the purse opens once the simulation's ledger is live
        purse = coins_of(player)
        if purse:
            break
        time.sleep(1)
    player.command("quest accept quest.shrine_road", r"You take on: The Road to the Hidden Shrine")
    walk(player, route(world, "village.sun_chapel", lambda r: r.id == "forest.hidden_shrine"))
    shown = player.command("quest show quest.shrine_road", r"Reward:[^\n]*\n")
    assert "[x] Find the hidden shrine in the Verdant Veil. (1/1)" in shown
    assert "[ ] Ask an explorer about the path. (0/1)" in shown
    walk(player, route(world, "forest.hidden_shrine", lambda r: r.id == "forest.lookout_oak"))
    done = player.command("talk League explorer", r"You receive \d+ coins\.")
    assert "Quest complete: The Road to the Hidden Shrine" in done
    assert coins_of(player) == purse + 40
    assert "Done: The Road to the Hidden Shrine" in player.command("quests", r"Done:[^\n]*\n")
