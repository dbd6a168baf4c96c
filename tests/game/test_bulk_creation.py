"""A new game object is made whole in a few queries (game.bulk_write,
game.typeclasses.creation): what create_object and the spawner give it (tags,
aliases, attributes, locks) reads back through Evennia's handlers and from
the database exactly as when Evennia wrote it one query at a time."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from evennia.objects.models import ObjectDB
from evennia.prototypes import spawner
from evennia.typeclasses.tags import Tag
from evennia.utils import create
from evennia.utils.test_resources import EvenniaTest

from game.builder import find_by_content_id, tagged
from game.bulk_write import add_attributes
from tests.support.tera_world import NPC, ROOM

EXIT = "game.typeclasses.exits.Exit"


def fresh(obj):
    """The object as the database has it (not the cached instance)."""
    obj.flush_from_cache(force=True)
    return ObjectDB.objects.get(id=obj.id)


class BulkCreationTest(EvenniaTest):
    def make_room(self, content_id: str):
        return create.create_object(ROOM, key="Hall", attributes=[("desc", "A hall."), ("coords", (1, 2, 0)),
                                                                   ("note", "kept", "lore", "attrread:all()")],
                                    tags=[(content_id, "content_id"), ("town", "zone"), ("1,2,0", "coords")])

    def test_tags_and_attributes_read_back_through_the_handlers_and_the_database(self):
        room = fresh(self.make_room("town.hall"))
        self.assertEqual((room.db.desc, room.db.coords), ("A hall.", (1, 2, 0)))
        self.assertEqual(room.attributes.get("note", category="lore"), "kept")
        self.assertEqual(room.attributes.get("note", category="lore", return_obj=True).lock_storage, "attrread:all()")
        self.assertEqual((room.zone, room.tags.get(category="coords")), ("town", "1,2,0"))
        self.assertEqual(find_by_content_id("town.hall"), room)
        self.assertEqual(list(ObjectDB.objects.get_by_tag("town", category="zone")), [room])

    def test_a_tag_two_objects_have_is_one_tag(self):
        first, second = self.make_room("town.hall"), self.make_room("town.yard")
        self.assertEqual(Tag.objects.filter(db_key="town", db_category="zone").count(), 1)
        self.assertEqual(list(tagged("town", "zone")), [first, second])

    def test_an_exit_gets_its_aliases_and_locks_in_storage(self):
        north = create.create_object(EXIT, key="north", location=self.room1, destination=self.room2,
                                     aliases=["n"], tags=[("hall>north", "content_id")])
        stored = fresh(north)
        self.assertEqual(stored.aliases.all(), ["n"])
        self.assertIn("traverse:all()", stored.lock_storage)
        self.assertIn("get:false()", stored.lock_storage)
        self.assertIn(north, self.room1.exits)

    def test_an_attribute_set_before_is_updated_not_doubled(self):
        room = self.make_room("town.hall")
        self.assertIsNone(room.db.mood)  # read first: the handler caches that it has none
        add_attributes(room, [("desc", "A changed hall."), ("mood", "calm")])
        self.assertEqual((room.db.desc, room.db.mood), ("A changed hall.", "calm"))
        self.assertEqual(fresh(room).db_attributes.filter(db_key="desc").count(), 1)

    def test_a_spawned_npc_has_its_prototype_and_no_command_set(self):
        proto = {"prototype_key": "npc.guard", "typeclass": NPC, "key": "guard", "attrs": [("role", "guard")],
                 "tags": [("patch-1", "content_patch", None)]}
        [guard] = spawner.spawn(proto)
        guard = fresh(guard)
        self.assertEqual(guard.db.role, "guard")
        self.assertEqual(guard.tags.get(category=spawner.PROTOTYPE_TAG_CATEGORY), "npc.guard")
        self.assertEqual(guard.tags.get(category="content_patch"), "patch-1")
        self.assertEqual(guard.cmdset_storage, [])
        self.assertEqual((guard.locks.get("call"), guard.locks.get("puppet")),
                         ("call:false()", "puppet:perm(Developer)"))

    def test_a_room_takes_a_few_queries(self):
        with CaptureQueriesContext(connection) as made:
            self.make_room("town.hall")
        writes = [q["sql"] for q in made.captured_queries if "SAVEPOINT" not in q["sql"]]
        self.assertLessEqual(len(writes), 12, "\n".join(writes))  # one at a time, Evennia took some 35
