"""Quests (hand-made and from the live board) advance from real game events and pay within budget;
NPCs remember players and their mood colours what they say."""

import tempfile
from pathlib import Path
from unittest import mock

from evennia.prototypes.spawner import spawn
from evennia.utils.create import create_object
from evennia.utils.test_resources import BaseEvenniaCommandTest

from game import coins, dialogue, director_bridge, quest_board, quests, reputation, simulation_bridge
from game.commands.combat import CmdAttack
from game.commands.handling import CmdGet, CmdGive
from game.commands.quests import CmdQuest, CmdQuests
from game.commands.talk import CmdTalk
from game.prototypes import item_prototype
from game.typeclasses.objects import CONTENT_ID
from game.typeclasses.rooms import ZONE
from world.config import load_config
from world.simulation import Simulation
from tests.support.tera_world import CHARACTER, NPC, ROOM, live_tera, tera



GENERATED = {
    "id": "quest.gen_relic_hunt", "region": "desert", "giver": "npc.explorer", "title": "Sand and Bone",
    "intro": "Go see the last well.", "outro": "Well done.",
    "nodes": [{"id": "well", "kind": "go", "target": "desert.last_well", "count": 1, "to": None, "after": [],
               "text": "Reach the last well."}],
    "conditions": {"faction": None, "min_tier": "unknown", "requires": []},
    "rewards": {"gold": 5000, "items": ["item.sunstone", "item.rusty_sword"], "reputation": None},
}


class QuestTest(BaseEvenniaCommandTest):
    character_typeclass = CHARACTER

    def setUp(self):
        super().setUp()
        live_tera(self)
        self.tmp = tempfile.TemporaryDirectory()
        self.addCleanup(self.tmp.cleanup)
        self.sim = Simulation.create(load_config(), agents=2000, seed=8)
        service = simulation_bridge.SimulationService(self.sim, Path(self.tmp.name))
        patcher = mock.patch.object(simulation_bridge, "_service", service)
        patcher.start()
        self.addCleanup(patcher.stop)
        self.hall = create_object(ROOM, key="Auction Hall", tags=[("market", ZONE)])
        self.chapel = create_object(ROOM, key="Sun Chapel", tags=[("village", ZONE), ("village.sun_chapel", CONTENT_ID)])
        self.char1.move_to(self.hall, quiet=True)
        self.merchant = create_object(NPC, key="Calix", location=self.hall,
                                      attributes=[("role", "merchant"), ("archetype", "npc.merchant"),
                                                  ("faction", "merchant_guild")])
        coins.open_purse(self.char1)

    def bandit(self, name="Vex"):
        return create_object(NPC, key=name, location=self.hall,
                             attributes=[("role", "bandit"), ("archetype", "npc.bandit"), ("health", 1),
                                         ("attack", 0), ("defense", 0), ("threat", 0)])

    def test_kill_quest_from_the_giver_to_the_reward(self):
        self.call(CmdQuests(), "", "Offered here:\n  quest.guild_bounty: The Guild's Bounty (from Calix)")
        self.call(CmdQuest(), "accept quest.guild_bounty", "You take on: The Guild's Bounty")
        self.call(CmdQuest(), "accept quest.guild_bounty", "You are already on it.")
        self.call(CmdQuest(), "show quest.guild_bounty", "The Guild's Bounty (active)")
        purse = coins.coins(self.char1)
        self.bandit("Vex")
        self.call(CmdAttack(), "Vex", "You hit Vex")
        self.assertEqual(quests.log(self.char1)["quest.guild_bounty"]["progress"]["bandits"], 1)
        self.bandit("Rena")
        self.call(CmdAttack(), "Rena", "You hit Rena")
        entry = quests.log(self.char1)["quest.guild_bounty"]
        self.assertEqual(entry["state"], "done")
        self.assertGreaterEqual(coins.coins(self.char1) - purse, 30)
        self.assertEqual(reputation.standing(self.char1)["Merchant Guild"]["fame"], 2 * 4 + 12)
        self.assertIn("quest.guild_bounty", quests.completed_ids())
        self.sim.step()
        self.assertEqual(self.sim.kpis()["flows_last_tick"]["quest_rewards"], 30)
        self.assertEqual(int(self.sim.state.player_coins[0]), coins.coins(self.char1))

    def test_generated_quest_from_the_board_with_rewards_capped_by_the_guardrails(self):
        quest_board.upsert(GENERATED, "patches/quest/p-1.json")
        well = create_object(ROOM, key="Last Well", tags=[("desert", ZONE), ("desert.last_well", CONTENT_ID)])
        create_object(NPC, key="Ira", location=self.hall, attributes=[("role", "explorer"),
                                                                       ("archetype", "npc.explorer")])
        self.call(CmdQuest(), "accept quest.gen_relic_hunt", "You take on: Sand and Bone")
        purse = coins.coins(self.char1)
        self.char1.move_to(well, quiet=True)
        self.assertEqual(quests.log(self.char1)["quest.gen_relic_hunt"]["state"], "done")
        rails = quests.guardrails()
        self.assertEqual(coins.coins(self.char1) - purse, min(rails.quest_gold_max, rails.quest_gold_per_node))
        carried = [o.key for o in self.char1.contents]
        self.assertEqual(rails.quest_reward_items_max, 1)
        self.assertIn("sunstone", carried)
        self.assertNotIn("rusty sword", carried, "one reward item at most")

    def test_go_talk_ordering_and_abandon(self):
        priest = create_object(NPC, key="Mira", location=self.hall, attributes=[("role", "priest"),
                                                                              ("archetype", "npc.priest")])
        explorer = create_object(NPC, key="Ira", location=self.hall, attributes=[("role", "explorer"),
                                                                                ("archetype", "npc.explorer")])
        self.call(CmdQuest(), "accept quest.shrine_road", "You take on: The Road to the Hidden Shrine")
        self.call(CmdTalk(), "Ira", "Ira")
        self.assertEqual(quests.log(self.char1)["quest.shrine_road"]["progress"]["ask"], 0, "talk comes after go")
        shrine = create_object(ROOM, key="Shrine", tags=[("forest", ZONE), ("forest.hidden_shrine", CONTENT_ID)])
        self.char1.move_to(shrine, quiet=True)
        explorer.move_to(shrine, quiet=True)
        self.call(CmdTalk(), "Ira", "Ira")
        self.assertEqual(quests.log(self.char1)["quest.shrine_road"]["state"], "done")
        self.char1.move_to(self.hall, quiet=True)
        self.call(CmdQuest(), "abandon quest.shrine_road", "You are not on a quest")
        self.assertIsNotNone(priest.pk)

    def test_fetch_then_deliver(self):
        farmer = create_object(NPC, key="Tam of the Suns", location=self.hall, attributes=[
            ("role", "farmer"), ("archetype", "npc.farmer")])
        # a fixed priest (role from its archetype) and a materialized one (role from the simulation)
        priest, other = (create_object(NPC, key=key, location=self.hall, attributes=[
            ("role", role), ("archetype", "npc.priest")])
            for key, role in (("priest of the Suns", "priest"), ("Fesawyn the Priest", "Priest")))
        self.call(CmdQuest(), "accept quest.bread_for_the_chapel", "You take on: Bread for the Chapel")
        loaves = spawn(*[item_prototype(tera().items["item.trail_bread"])] * 3)
        for loaf in loaves:
            loaf.location = self.hall
        # three identical loaves: `get bread` takes one of them
        self.call(CmdGet(), "bread", "Quest Bread for the Chapel: Find a loaf of trail bread. (1/1)")
        [bread] = [loaf for loaf in loaves if loaf.location == self.char1]
        self.assertEqual(quests.log(self.char1)["quest.bread_for_the_chapel"]["progress"]["bread"], 1)
        later = []  # what the reactor runs once the command is done (no reactor runs here)
        with mock.patch("game.typeclasses.npcs.delay", lambda _s, call, *args: later.append((call, args))):
            # two priests answer to `priest`: the first is meant
            given = self.call(CmdGive(), "bread to priest", "Quest Bread for the Chapel: Give the bread")
        self.assertIn("You give a loaf of trail bread to priest of the Suns.", given)
        self.assertEqual(quests.log(self.char1)["quest.bread_for_the_chapel"]["state"], "done")
        for call, args in later:
            call(*args)
        self.assertIsNone(bread.pk, "the delivered bread is used up")
        self.assertIn("helped me", dialogue.recollection(dialogue.memories_of(priest, self.char1), "Char"))
        self.assertIsNotNone(farmer.pk)
        self.assertIn("More than one match for 'of the Suns'", self.call(CmdTalk(), "of the Suns"),
                      "NPCs of other roles: still asked which")

    def test_a_quest_named_by_words_of_its_title(self):
        self.call(CmdQuest(), "show bounty", "The Guild's Bounty (not taken)")
        self.call(CmdQuest(), "accept guild's BOUNTY", "You take on: The Guild's Bounty")
        self.assertEqual(quests.log(self.char1)["quest.guild_bounty"]["state"], "active")
        self.call(CmdQuest(), "show bounty", "The Guild's Bounty (active)")
        self.call(CmdQuest(), "abandon bounty", "You give up on The Guild's Bounty.")
        self.assertEqual(quests.log(self.char1), {})
        quest_board.upsert(dict(GENERATED, id="quest.gen_bounty", region="market", giver="npc.merchant",
                                title="A Bounty on Bones"), "patches/quest/p-3.json")
        self.call(CmdQuest(), "accept bounty", "Nobody here offers a quest 'bounty'")  # two hold it: no guess
        self.call(CmdQuest(), "accept bones", "You take on: A Bounty on Bones")

    def test_bad_quest_commands(self):
        self.call(CmdQuest(), "accept quest.nothing", "Nobody here offers a quest 'quest.nothing'")
        self.call(CmdQuest(), "dance quest.guild_bounty", "Usage: quest accept|show|abandon <id>")
        self.call(CmdQuest(), "show quest.nothing", "There is no quest 'quest.nothing'.")
        self.assertEqual(quests.log(self.char1), {})

    def test_conditions_are_checked(self):
        gated = dict(GENERATED, id="quest.gen_gated", giver="npc.merchant",
                     conditions={"faction": "merchant_guild", "min_tier": "renowned", "requires": []})
        quest_board.upsert(gated, "patches/quest/p-2.json")
        self.call(CmdQuest(), "accept quest.gen_gated", "You must be Renowned with the Merchant Guild (you are Unknown).")
        reputation.add(self.char1, "Merchant Guild", fame=40)
        self.call(CmdQuest(), "accept quest.gen_gated", "You take on:")

    def test_completed_quests_leave_the_directors_open_count(self):
        for qid in ("quest.gen_a", "quest.gen_b"):
            quest_board.upsert(dict(GENERATED, id=qid, region="market"), f"patches/quest/{qid}.json")
        self.assertEqual(director_bridge.open_quests_by_region(), {"market": 2})
        well = create_object(ROOM, key="Last Well", tags=[("desert", ZONE), ("desert.last_well", CONTENT_ID)])
        create_object(NPC, key="Ira", location=self.hall, attributes=[("role", "explorer"),
                                                                       ("archetype", "npc.explorer")])
        self.call(CmdQuest(), "accept quest.gen_a", "You take on: Sand and Bone")
        self.char1.move_to(well, quiet=True)
        self.assertEqual(director_bridge.open_quests_by_region(), {"market": 1})


class DialogueTest(BaseEvenniaCommandTest):
    character_typeclass = CHARACTER

    def setUp(self):
        super().setUp()
        live_tera(self)
        self.npc = create_object(NPC, key="Mira", location=self.room1,
                                 attributes=[("role", "priest"), ("archetype", "npc.priest"),
                                             ("faction", "temple_of_suns")])

    def test_talking_twice_is_remembered(self):
        first = self.call(CmdTalk(), "Mira about bandits", "Mira looks you over without recognition.")
        self.assertNotIn("I remember you", first)
        second = self.call(CmdTalk(), "Mira", "Mira")
        self.assertIn("I remember you, Char. You talked with me about bandits.", second)

    def test_mood_shifts_with_events_and_colours_lines(self):
        self.assertEqual(dialogue.mood(self.npc), "calm")
        dialogue.feel(self.npc, self.char1, "fought_near")
        self.assertEqual(dialogue.mood(self.npc), "fear")
        self.assertIn("whispers", self.call(CmdTalk(), "Mira", "Mira"))
        dialogue.feel(self.npc, self.char1, "attacked")
        self.assertEqual(dialogue.mood(self.npc), "anger")
        self.assertEqual(dialogue.mood(self.npc, now=10**12), "calm", "moods settle")

    def test_memory_is_bounded_and_keeps_what_matters(self):
        dialogue.feel(self.npc, self.char1, "attacked")
        for i in range(60):
            dialogue.feel(self.npc, self.char2 if i % 2 else self.char1, "talked", f"topic {i}")
        mine = dialogue.memories_of(self.npc, self.char1)
        total = len(mine) + len(dialogue.memories_of(self.npc, self.char2))
        self.assertLessEqual(total, dialogue.MAX_MEMORIES)
        self.assertTrue(any(m["text"] == "attacked me" for m in mine), "important memories outlast chatter")
        self.assertLessEqual(len([m for m in mine if m["kind"] == "short"]), dialogue.SHORT_TERM_KEEP)

    def test_player_text_cannot_inject_markup(self):
        out = self.call(CmdTalk(), "Mira about |rred $crash() {x}", "Mira")
        self.assertIn("|rred $crash() {x}? I know little enough about that.", out, "shown exactly as typed")
        again = self.call(CmdTalk(), "Mira", "Mira")
        self.assertIn("You talked with me about |rred $crash() {x}.", again)

    def test_standing_changes_the_greeting(self):
        reputation.add(self.char1, "Temple of Suns", fame=100)
        self.call(CmdTalk(), "Mira", "Mira bows: \"Char! The songs do not do you justice.\"")

    def test_only_npcs_talk(self):
        self.call(CmdTalk(), "", "Talk to whom?")
        self.call(CmdTalk(), "Char2", "Char2 has nothing to say to you.")


class DialogueLLMRulesTest(BaseEvenniaCommandTest):
    def test_model_replies_are_sanitized_and_filtered(self):
        from game import dialogue_llm

        rails = quests.guardrails()
        self.assertEqual(dialogue_llm.clean_reply('  "Go |rnow\x07 friend"  ', rails), "Go ||rnow friend")
        self.assertIsNone(dialogue_llm.clean_reply("Check the internet, friend.", rails))
        self.assertIsNone(dialogue_llm.clean_reply("   ", rails))
        self.assertLessEqual(len(dialogue_llm.clean_reply("word " * 200, rails)), dialogue_llm.REPLY_CAP)

    def test_dialogue_is_procedural_without_an_endpoint(self):
        from django.test import override_settings

        from game import dialogue_llm

        with override_settings(LLM_BASE_URL=""):
            self.assertFalse(dialogue_llm.enabled())
        with override_settings(LLM_BASE_URL="http://127.0.0.1:9/v1", DIALOGUE_LLM=False):
            self.assertFalse(dialogue_llm.enabled())
        with override_settings(LLM_BASE_URL="http://127.0.0.1:9/v1", DIALOGUE_LLM=True):
            self.assertTrue(dialogue_llm.enabled())
