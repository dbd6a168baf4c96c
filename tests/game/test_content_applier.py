"""The content applier over a real library (git) and Evennia's test database:
changes found by a sync become live objects; removals keep the rules (players
move out of vanished rooms, held things go to the Lost and Found), templates
update their objects, and an exit cut that strands a room is refused; a batch
of steps the reactor comes to late leaves its turn to the work that made it late."""

import json
import tempfile
from pathlib import Path
from types import SimpleNamespace
from unittest import mock

from evennia.objects.models import ObjectDB
from evennia.prototypes import spawner
from evennia.utils.test_resources import EvenniaTest
from twisted.internet import task

from game import content_applier, content_service
from game.builder import find_by_content_id
from game.content_rules import LOST_AND_FOUND
from game.prototypes import item_prototype
from generation.library_sync import sync
from tests.support.mini_world import mini_world, write_world


class ContentApplierTest(EvenniaTest):
    character_typeclass = "game.typeclasses.characters.Character"

    def setUp(self):
        super().setUp()
        self.tmp = tempfile.TemporaryDirectory()
        self.addCleanup(self.tmp.cleanup)
        root = Path(self.tmp.name)
        write_world(root / "shipped", mini_world())
        self.assertIsNotNone(content_service.start(root / "library", root / "shipped", watch=False))
        self.addCleanup(content_service.stop)
        self.service = content_service.service()
        self.lib = self.service.library.root / "world"

    def edit(self, name: str, change) -> None:
        path = self.lib / name
        data = json.loads(path.read_text())
        change(data)
        path.write_text(json.dumps(data))

    def resync(self):
        result = sync(self.service.library, self.service.applier.live.world)
        self.service.take(result, now=True)
        return result

    def add_tower(self, data):
        rooms = data["rooms"]
        rooms[1]["exits"].append({"direction": "east", "to": "town.tower"})
        rooms.append({"id": "town.tower", "name": "Tower", "desc": "A tower.", "coords": {"x": 1, "y": 1},
                      "exits": [{"direction": "west", "to": "town.square"}]})

    def test_a_hand_edit_adds_a_room_and_its_paired_exits(self):
        self.edit("zones/town.json", self.add_tower)
        result = self.resync()
        self.assertEqual(result.committed, ["world/zones/town.json"])
        tower, square = find_by_content_id("town.tower"), find_by_content_id("town.square")
        self.assertEqual([e.destination for e in tower.exits], [square])
        self.assertIn(tower, [e.destination for e in square.exits])

    def test_a_vanished_room_moves_its_player_to_the_nearest_room_holding_what_they_held(self):
        self.edit("zones/town.json", self.add_tower)
        self.resync()
        tower = find_by_content_id("town.tower")
        [stick] = spawner.spawn(item_prototype(self.service.applier.live.world.items["item.stick"]))
        stick.move_to(self.char1, quiet=True)
        self.char1.move_to(tower, quiet=True)

        def drop_tower(data):
            data["rooms"] = [r for r in data["rooms"] if r["id"] != "town.tower"]
            data["rooms"][1]["exits"] = [e for e in data["rooms"][1]["exits"] if e["to"] != "town.tower"]

        self.edit("zones/town.json", drop_tower)
        with mock.patch.object(type(self.char1), "msg") as told:
            self.resync()
        self.assertIsNone(find_by_content_id("town.tower"))
        self.assertEqual(self.char1.location, find_by_content_id("town.square"))
        self.assertEqual(stick.location, self.char1)
        self.assertIn("fades away around you", " ".join(str(c.args) for c in told.call_args_list))

    def test_a_removed_template_keeps_what_a_player_holds_in_the_lost_and_found(self):
        gate = find_by_content_id("town.gate")
        stick = next(o for o in gate.contents if o.key == "stick")
        stick.move_to(self.char1, quiet=True)
        self.edit("items.json", lambda d: d.update(items=[i for i in d["items"] if i["id"] != "item.stick"]))
        self.edit("zones/town.json", lambda d: d["rooms"][0].update(items=[]))
        self.resync()  # two files: each its own hand edit
        self.assertEqual(stick.location, find_by_content_id(LOST_AND_FOUND))
        self.assertEqual(stick.db.lost_by, self.char1.key)
        self.assertFalse([o for o in self.char1.contents if o.key == "stick"])

    def test_a_changed_template_updates_its_live_objects(self):
        self.edit("archetypes.json", lambda d: d["archetypes"][0].update(name="old trader", desc="Grey now."))
        self.resync()
        trader = next(o for o in find_by_content_id("town.gate").contents if o.db.archetype == "npc.trader")
        self.assertEqual((trader.key, trader.db.desc), ("old trader", "Grey now."))

    def test_a_changed_template_updates_each_of_its_objects_in_a_step_of_its_own(self):
        from game.prototypes import npc_prototype

        [second] = spawner.spawn(npc_prototype(self.service.applier.live.world.archetypes["npc.trader"]))
        self.edit("archetypes.json", lambda d: d["archetypes"][0].update(name="old trader"))
        result = sync(self.service.library, self.service.applier.live.world)
        labels = [label for label, _ in self.service.applier.steps(result.live) if label.startswith("template")]
        self.assertEqual(len(labels), 2, labels)
        self.service.take(result, now=True)
        first = next(o for o in find_by_content_id("town.gate").contents if o.db.archetype == "npc.trader")
        second.refresh_from_db()
        self.assertEqual((first.key, second.key), ("old trader", "old trader"))

    def test_an_exit_cut_that_strands_a_room_is_refused(self):
        def strand(data):
            gate, square = data["rooms"]
            gate["exits"] = [{"direction": "east", "to": "town.yard"}]
            square["exits"] = [{"direction": "south", "to": "town.gate", "one_way": True}]
            data["rooms"].append({"id": "town.yard", "name": "Yard", "desc": "A yard.", "coords": {"x": 1, "y": 0},
                                  "exits": [{"direction": "west", "to": "town.gate"}]})

        self.edit("zones/town.json", strand)
        result = self.resync()
        [problem] = result.refused["world/zones/town.json"]
        self.assertEqual(problem.path, "$.rooms[0].exits")
        self.assertIn("cuts off town.square", problem.reason)
        self.assertIsNone(find_by_content_id("town.yard"))
        gate = find_by_content_id("town.gate")
        self.assertEqual([e.destination for e in gate.exits], [find_by_content_id("town.square")])
        self.assertIn("world/zones/town.json", self.service.refused)


class PublishedPatchesTest(EvenniaTest):
    """The TERA world with patches published by the real publisher."""

    character_typeclass = "game.typeclasses.characters.Character"

    def setUp(self):
        super().setUp()
        from generation.runtime import CONTENT_DIR
        from generation.world_index import WorldIndex

        self.tmp = tempfile.TemporaryDirectory()
        self.addCleanup(self.tmp.cleanup)
        tera = CONTENT_DIR / "worlds" / "tera"
        self.assertIsNotNone(content_service.start(Path(self.tmp.name) / "library", tera, watch=False))
        self.addCleanup(content_service.stop)
        self.service = content_service.service()
        self.index = WorldIndex.load(tera)

    def resync(self):
        self.service.take(sync(self.service.library, self.service.applier.live.world), now=True)

    def test_item_patches_naming_a_table_stock_a_shop_or_fill_a_loot_table_until_undone(self):
        from game import loot, shops
        from generation.enrich import PROCEDURAL
        from generation.models.proposal import Kind
        from generation.pipeline import make

        ware = make(Kind.item, 31, "market", self.index, PROCEDURAL, {"placement": "stock"})
        drop = make(Kind.item, 32, "forest", self.index, PROCEDURAL, {"placement": "loot"})
        role = drop.payload["table"].split(".", 1)[1]
        self.service.library.publish(ware)
        self.service.library.publish(drop)
        self.resync()
        self.assertEqual([t.id for t in shops.wares("market")], [ware.payload["id"]])
        self.assertIn(drop.payload["id"], [entry for entry, _ in loot.drop_table(role, content_service.current_world())])
        for proposal in (ware, drop):
            self.assertFalse(ObjectDB.objects.get_by_tag(proposal.payload["id"], category=spawner.PROTOTYPE_TAG_CATEGORY),
                             "an item in a table is in no room")
        self.service.library.undo(ware.id)
        self.service.library.undo(drop.id)
        self.resync()
        self.assertEqual(shops.wares("market"), [])
        self.assertNotIn(drop.payload["id"], [e for e, _ in loot.drop_table(role, content_service.current_world())])

    def test_an_apply_cut_short_between_making_and_placing_a_patch_npc_leaves_one_npc(self):
        from generation.enrich import PROCEDURAL
        from generation.models.proposal import Kind
        from generation.pipeline import make

        npc = make(Kind.npc, 13, "village", self.index, PROCEDURAL)
        self.service.library.publish(npc)
        result = sync(self.service.library, self.service.applier.live.world)
        for label, step in self.service.applier.steps(result.live):  # the server stops right after the first half
            step()
            if label.startswith("spawn of"):
                break
        [made] = ObjectDB.objects.get_by_tag(npc.id, category="content_patch")
        self.assertIsNone(made.location)
        self.service.take(result, now=True)
        [placed] = ObjectDB.objects.get_by_tag(npc.id, category="content_patch")
        [spawn] = [s for s in result.live.spawns if s.proposal_id == npc.id]
        self.assertEqual((placed, placed.location), (made, find_by_content_id(spawn.room)))

    def test_quest_and_gold_sink_patches_are_what_the_director_sees(self):
        from game import director_bridge, quest_board
        from generation.enrich import PROCEDURAL
        from generation.models.proposal import Kind
        from generation.pipeline import make

        quest = make(Kind.quest, 11, "plains", self.index, PROCEDURAL)
        merchant = make(Kind.npc, 12, "market", self.index, PROCEDURAL, {"role": "merchant", "purpose": "gold_sink"})
        self.service.library.publish(quest)
        self.service.library.publish(merchant)
        self.resync()
        [record] = quest_board.all()
        self.assertEqual(record["id"], quest.payload["id"])
        self.assertEqual(quest_board.origin(record["id"]), f"patches/quest/{quest.id}.json")
        self.assertEqual(director_bridge.open_quests_by_region(), {"plains": 1})
        self.assertEqual(director_bridge.gold_sink_regions(), {"market"})
        market_home = next(z for z in self.service.applier.live.world.zones if z.id == "market").rooms[0].id
        self.assertTrue(any(o.db.archetype == merchant.payload["id"] for o in find_by_content_id(market_home).contents))

        self.service.library.undo(quest.id)
        self.resync()
        self.assertEqual(quest_board.all(), [])
        self.assertEqual(director_bridge.open_quests_by_region(), {})


class BatchTimingTest(EvenniaTest):
    def test_a_batch_the_reactor_comes_to_late_takes_no_step_and_the_next_one_on_time_does(self):
        applier, clock, now, ran = content_applier.ContentApplier(), task.Clock(), [100.0], []
        steps = [(f"step {i}", lambda i=i: ran.append(i)) for i in range(3)]  # each takes no time
        applier.longest_step_ms = 5.0  # the apply before had steps of 5 ms
        fake_time = SimpleNamespace(perf_counter=lambda: now[0], thread_time=lambda: 0.0)

        def reactor_turn(late_s: float) -> None:
            now[0] += content_applier.GAP_S + late_s
            clock.advance(content_applier.GAP_S)

        with (mock.patch.object(content_applier, "reactor", clock), mock.patch.object(content_applier, "time", fake_time),
              mock.patch.object(applier, "steps", return_value=iter(steps)), mock.patch.object(applier, "_finish")):
            done = applier.apply(None, "head")
            reactor_turn(0.018)  # other work of that turn held the reactor 18 ms: no room for a 5 ms step
            self.assertEqual(ran, [])
            self.assertEqual(applier.batches, 1)
            reactor_turn(0.0)
            self.assertEqual(ran, [0, 1, 2])  # on time, the whole budget: every step
        self.assertTrue(done.called)

    def test_on_a_reactor_always_late_steps_wait_no_longer_than_put_off_s(self):
        applier, clock, now, ran = content_applier.ContentApplier(), task.Clock(), [100.0], []
        steps = [(f"step {i}", lambda i=i: ran.append(i)) for i in range(2)]
        applier.longest_step_ms = 5.0
        fake_time = SimpleNamespace(perf_counter=lambda: now[0], thread_time=lambda: 0.0)
        with (mock.patch.object(content_applier, "reactor", clock), mock.patch.object(content_applier, "time", fake_time),
              mock.patch.object(applier, "steps", return_value=iter(steps)), mock.patch.object(applier, "_finish")):
            done = applier.apply(None, "head")
            turns = 0
            while not done.called:  # every turn 18 ms late
                now[0] += content_applier.GAP_S + 0.018
                clock.advance(content_applier.GAP_S)
                turns += 1
                self.assertLess(turns, 100)
        waited = turns * (content_applier.GAP_S + 0.018)
        self.assertEqual(ran, [0, 1])
        self.assertGreaterEqual(waited, content_applier.PUT_OFF_S)
        self.assertLess(waited, 3 * content_applier.PUT_OFF_S)
