"""A room's placed items come back some time after a player takes them (game.restock)."""

import time

from evennia.prototypes.spawner import spawn
from evennia.utils.create import create_object
from evennia.utils.test_resources import BaseEvenniaCommandTest

from game import restock
from game.commands.handling import CmdGet
from game.prototypes import item_prototype
from game.typeclasses.objects import CONTENT_ID
from tests.support.tera_world import CHARACTER, ROOM, live_tera, tera


class RestockTest(BaseEvenniaCommandTest):
    character_typeclass = CHARACTER

    def setUp(self):
        super().setUp()
        live_tera(self)
        self.granary = create_object(ROOM, key="Granary Row", tags=[("village.granary_row", CONTENT_ID)])
        for loaf in spawn(*[item_prototype(tera().items["item.trail_bread"])] * 3):
            loaf.location = self.granary
        self.char1.move_to(self.granary, quiet=True)

    def loaves(self) -> int:
        return sum(1 for obj in self.granary.contents if obj.key == "loaf of trail bread")

    def test_taken_items_come_back_to_the_next_visitor_once_due(self):
        self.call(CmdGet(), "2 bread", "You pick up two loaves of trail bread.")
        taken_at = self.granary.db.taken_at
        self.assertAlmostEqual(taken_at, time.time(), delta=5)
        self.char1.move_to(self.room1, quiet=True)
        self.char1.move_to(self.granary, quiet=True)
        self.assertEqual(self.loaves(), 1, "not yet: the loaves were only just taken")
        self.granary.db.taken_at = taken_at - restock.RESTOCK_S
        self.char1.move_to(self.room1, quiet=True)
        self.char1.move_to(self.granary, quiet=True)
        self.assertEqual(self.loaves(), 3, "three placed, three there again")
        self.assertIsNone(self.granary.db.taken_at)
        self.assertEqual(restock.restock(self.granary, now=time.time() + 10 * restock.RESTOCK_S), [],
                         "nothing taken since: nothing more")
        self.assertEqual(self.loaves(), 3)
