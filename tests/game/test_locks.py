"""Locks are set once per access type: a typeclass's default overriding its
parent's replaces it in storage (no duplicate to warn about), and the result
is the most specific default."""

from evennia.locks.lockhandler import LockException
from evennia.utils import create
from evennia.utils.test_resources import EvenniaTest

from game.typeclasses.locks import ReplacingLockHandler


def access_types(obj) -> list[str]:
    return [lockdef.split(":", 1)[0] for lockdef in obj.lock_storage.split(";")]


class LocksTest(EvenniaTest):
    def test_each_typeclass_stores_one_lock_per_access_type(self):
        made = [
            create.create_object("game.typeclasses.rooms.Room", key="hall"),
            create.create_object("game.typeclasses.exits.Exit", key="north", location=self.room1,
                                 destination=self.room2),
            create.create_object("game.typeclasses.items.Item", key="cup", location=self.room1),
            create.create_object("game.typeclasses.npcs.NPC", key="guard", location=self.room1),
            create.create_object("game.typeclasses.characters.Character", key="hero", location=self.room1),
        ]
        for obj in made:
            self.assertIsInstance(obj.locks, ReplacingLockHandler)
            types = access_types(obj)
            self.assertEqual(len(types), len(set(types)), f"{obj.key}: {obj.lock_storage}")
        room, exit_, item, npc, _ = made
        self.assertEqual(exit_.locks.get("get"), "get:false()")
        self.assertEqual(item.locks.get("get"), "get:all()")
        self.assertEqual(npc.locks.get("get"), "get:false()")
        self.assertFalse(exit_.access(self.char1, "get"))
        self.assertTrue(item.access(self.char1, "get"))

    def test_a_new_lock_replaces_the_old_and_bad_ones_are_refused(self):
        item = create.create_object("game.typeclasses.items.Item", key="cup", location=self.room1)
        self.assertTrue(item.locks.add("get:false()"))
        self.assertEqual(item.locks.get("get"), "get:false()")
        self.assertEqual(access_types(item).count("get"), 1)
        with self.assertRaises(LockException):
            item.locks.add("get:nosuchfunc(")
        self.assertEqual(item.locks.get("get"), "get:false()")
