"""The builder: content JSON becomes rooms, exits, items and NPCs; building
again creates nothing new and updates live objects in place."""

from evennia.objects.models import ObjectDB
from evennia.utils.test_resources import EvenniaTest

from game.builder import build_world, find_by_content_id
from generation.loader import load_world
from tests.support.mini_world import mini_world, write_world


class BuilderTest(EvenniaTest):
    def setUp(self):
        super().setUp()
        import tempfile
        from pathlib import Path

        self.tmp = tempfile.TemporaryDirectory()
        self.root = Path(self.tmp.name)
        self.files = mini_world()
        write_world(self.root, self.files)

    def tearDown(self):
        self.tmp.cleanup()
        super().tearDown()

    def rebuild(self):
        write_world(self.root, self.files)
        return build_world(load_world(self.root))

    def test_first_build_creates_everything(self):
        report = build_world(load_world(self.root))
        gate, square = find_by_content_id("town.gate"), find_by_content_id("town.square")
        self.assertEqual(gate.key, "Gate")
        self.assertEqual(gate.db.coords, (0, 0, 0))
        self.assertEqual(gate.zone, "town")
        north = gate.exits[0]
        self.assertEqual((north.key, north.destination), ("north", square))
        self.assertIn("n", north.aliases.all())
        self.assertEqual(square.exits[0].destination, gate)
        names = sorted(o.key for o in gate.contents if not o.destination)
        self.assertEqual(names, ["stick", "trader"])
        stick = next(o for o in gate.contents if o.key == "stick")
        self.assertEqual((stick.db.slot, stick.db.power), ("weapon", 1))
        self.assertEqual(len(report.spawned), 2)

    def test_second_build_changes_nothing(self):
        build_world(load_world(self.root))
        count = ObjectDB.objects.count()
        report = build_world(load_world(self.root))
        self.assertEqual(ObjectDB.objects.count(), count)
        self.assertEqual((report.created, report.updated, report.spawned, report.removed), ([], [], [], []))

    def test_changed_json_updates_live_objects_in_place(self):
        build_world(load_world(self.root))
        gate = find_by_content_id("town.gate")
        stick = next(o for o in gate.contents if o.key == "stick")
        stick.move_to(self.char1, quiet=True)
        room = self.files["zones/town.json"]["rooms"][0]
        room["name"], room["desc"] = "Old Gate", "A gate, older now."
        self.files["items.json"]["items"][0].update(name="oak stick", power=2)
        report = self.rebuild()
        gate_again = find_by_content_id("town.gate")
        self.assertEqual(gate_again.id, gate.id)
        self.assertEqual((gate_again.key, gate_again.db.desc), ("Old Gate", "A gate, older now."))
        stick.refresh_from_db()
        self.assertEqual((stick.key, stick.db.power, stick.location), ("oak stick", 2, self.char1))
        self.assertIn("town.gate", report.updated)
        self.assertEqual(report.spawned, [])

    def test_a_placement_cut_short_is_finished_not_begun_again(self):
        from game.builder import BuildReport, place_one, placements
        from game.prototypes import item_prototype

        def sticks():
            return [o for o in gate.contents if o.key == "stick"]

        self.files["zones/town.json"]["rooms"][0]["items"][0]["count"] = 3
        report = self.rebuild()
        gate = find_by_content_id("town.gate")
        world = load_world(self.root)
        pid = placements(world.zones[0].rooms[0])[0][0]
        self.assertEqual((len(sticks()), report.spawned.count(pid)), (3, 1))
        for stick in sticks():  # as if the server had stopped right after the first stick
            stick.delete()
        gate.db.placed = [p for p in gate.db.placed if p != pid]
        place_one(gate, pid, item_prototype(world.items["item.stick"]), 1, 3, BuildReport())
        self.assertIn(f"{pid}/1", gate.db.placed)
        self.rebuild()
        self.assertEqual(len(sticks()), 3)
        self.assertEqual([p for p in gate.db.placed if p.startswith(pid)], [pid])

    def test_exit_removed_from_json_is_removed(self):
        build_world(load_world(self.root))
        rooms = self.files["zones/town.json"]["rooms"]
        rooms[0]["exits"] = [{"direction": "up", "to": "town.tower"}]
        rooms[1]["exits"][0]["one_way"] = True
        rooms.append({"id": "town.tower", "name": "Tower", "desc": "Up high.", "coords": {"x": 0, "y": 0, "z": 1},
                      "exits": [{"direction": "down", "to": "town.gate"}]})
        report = self.rebuild()
        gate = find_by_content_id("town.gate")
        self.assertEqual([e.key for e in gate.exits], ["up"])
        self.assertEqual(report.removed, ["town.gate>north"])


class RefusedContentTest(EvenniaTest):
    def test_a_broken_world_is_refused_whole_and_nothing_is_built(self):
        import tempfile
        from pathlib import Path
        from unittest import mock

        from game import content_service

        files = mini_world()
        files["zones/town.json"]["rooms"][1]["exits"][0]["to"] = "town.nowhere"
        with tempfile.TemporaryDirectory() as tmp:
            write_world(Path(tmp) / "shipped", files)
            before = ObjectDB.objects.count()
            with mock.patch.object(content_service.logger, "log_err") as log_err:
                self.assertIsNone(content_service.start(Path(tmp) / "library", Path(tmp) / "shipped", watch=False))
            content_service.stop()
        self.assertEqual(ObjectDB.objects.count(), before)
        self.assertIsNone(find_by_content_id("town.gate"))
        self.assertIn("world/zones/town.json $.rooms[1].exits[0].to: no room town.nowhere", log_err.call_args.args[0])


class StartRoomTest(EvenniaTest):
    character_typeclass = "game.typeclasses.characters.Character"

    def test_characters_in_limbo_move_to_the_start_room(self):
        from django.conf import settings
        from django.test import override_settings

        from game import content_service
        from tests.support.mini_world import mini_world, write_world
        import tempfile
        from pathlib import Path

        limbo = ObjectDB.objects.get(id=content_service.LIMBO_ID)
        self.char1.move_to(limbo, quiet=True)
        with tempfile.TemporaryDirectory() as tmp, override_settings():  # restores START_LOCATION after
            write_world(Path(tmp) / "shipped", mini_world())
            content_service.start(Path(tmp) / "library", Path(tmp) / "shipped", watch=False)
            self.addCleanup(content_service.stop)
            gate = find_by_content_id("town.gate")
            self.assertEqual(settings.START_LOCATION, gate.dbref)
        self.assertEqual((self.char1.location, self.char1.home), (gate, gate))
