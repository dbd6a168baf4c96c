"""Player commands: inventory, equip, unequip, map, and the helpful messages
for missing arguments and unknown names."""

from evennia.utils.create import create_object
from evennia.utils.test_resources import BaseEvenniaCommandTest

from game.commands.equipment import CmdEquip, CmdInventory, CmdUnequip
from game.commands.map import CmdMap, nearby_cells

ITEM = "game.typeclasses.items.Item"
CHARACTER = "game.typeclasses.characters.Character"
ROOM = "game.typeclasses.rooms.Room"


class EquipmentCommandTest(BaseEvenniaCommandTest):
    character_typeclass = CHARACTER

    def setUp(self):
        super().setUp()
        self.sword = create_object(ITEM, key="rusty sword", location=self.char1,
                                   attributes=[("slot", "weapon"), ("power", 3), ("kind", "weapon")])
        self.axe = create_object(ITEM, key="axe", location=self.char1, attributes=[("slot", "weapon"), ("power", 5)])
        self.jerkin = create_object(ITEM, key="leather jerkin", location=self.char1, attributes=[("slot", "armor"), ("power", 2)])
        self.herb = create_object(ITEM, key="silverleaf", location=self.char1, attributes=[("kind", "herb")])

    def test_equip_and_inventory(self):
        self.call(CmdEquip(), "rusty sword", "You equip rusty sword as your weapon.")
        self.call(CmdEquip(), "jerkin", "You equip leather jerkin as your armor.")
        self.assertEqual(self.char1.equipment.attack, 3)
        self.assertEqual(self.char1.equipment.defense, 2)
        out = self.call(CmdInventory(), "", "You are carrying:")
        self.assertIn("rusty sword (equipped)", out)
        self.assertIn("Equipped: weapon: rusty sword, armor: leather jerkin", out)

    def test_equip_swaps_the_slot(self):
        self.call(CmdEquip(), "rusty sword", "You equip")
        self.call(CmdEquip(), "axe", "You equip axe as your weapon (instead of rusty sword).")
        self.assertEqual(self.char1.equipment.get("weapon"), self.axe)

    def test_equip_refusals(self):
        self.call(CmdEquip(), "", "Equip what? Usage: equip <item>")
        self.call(CmdEquip(), "silverleaf", "silverleaf cannot be equipped.")
        self.call(CmdEquip(), "banana", "Could not find 'banana'.")
        self.call(CmdEquip(), "rusty sword", "You equip")
        self.call(CmdEquip(), "rusty sword", "You already have rusty sword equipped.")

    def test_unequip_by_name_or_slot(self):
        self.call(CmdEquip(), "rusty sword", "You equip")
        self.call(CmdUnequip(), "weapon", "You unequip rusty sword.")
        self.call(CmdUnequip(), "weapon", "Your weapon slot is empty.")
        self.call(CmdEquip(), "jerkin", "You equip")
        self.call(CmdUnequip(), "leather jerkin", "You unequip leather jerkin.")
        self.call(CmdUnequip(), "axe", "You have no 'axe' equipped.")
        self.call(CmdUnequip(), "", "Unequip what?")

    def test_item_leaving_inventory_is_unequipped(self):
        self.call(CmdEquip(), "rusty sword", "You equip")
        self.sword.move_to(self.room1, quiet=True)
        self.assertIsNone(self.char1.equipment.get("weapon"))
        self.assertFalse(self.char1.equipment.is_equipped(self.sword))

    def test_empty_inventory(self):
        for obj in list(self.char1.contents):
            obj.delete()
        self.call(CmdInventory(), "", "You are not carrying anything.")


class MapCommandTest(BaseEvenniaCommandTest):
    character_typeclass = CHARACTER

    def test_map_draws_rooms_around_you(self):
        from game.builder import build_world
        from generation.loader import load_world
        import tempfile
        from pathlib import Path
        from tests.support.mini_world import mini_world, write_world

        with tempfile.TemporaryDirectory() as tmp:
            write_world(Path(tmp), mini_world())
            build_world(load_world(tmp))
        from game.builder import find_by_content_id

        gate = find_by_content_id("town.gate")
        self.char1.move_to(gate, quiet=True)
        cells = nearby_cells(gate)
        self.assertEqual({xy: set(c.exits) for xy, c in cells.items()}, {(0, 0): {"north"}, (0, 1): {"south"}})
        out = self.call(CmdMap(), "", "Gate (0, 0)")
        self.assertIn("[@]", out)

    def test_no_map_without_coordinates(self):
        self.call(CmdMap(), "", "There is no map of this place.")


class HelpTest(BaseEvenniaCommandTest):
    """`help <command>` shows the command's own help for every command, even one named
    like a help category (Evennia would list the category instead)."""

    def test_every_command_has_its_own_help(self):
        from evennia.commands.default.help import CmdHelp  # these need Evennia initialised
        from game.commands.default_cmdsets import CharacterCmdSet

        cmdset = CharacterCmdSet()
        cmdset.at_cmdset_creation()
        categories = {cmd.help_category.lower() for cmd in cmdset.commands}
        for key in {"quests", "quest"} | {cmd.key for cmd in cmdset.commands if cmd.key.lower() in categories}:
            self.assertIn(f"Help for {key}", self.call(CmdHelp(), key, cmdset=cmdset))

    def test_help_texts_show_as_written(self):
        """A | in a help text is markup to Evennia: `pending|held` would lose its `|h`."""
        from evennia.utils.ansi import strip_ansi

        from game.commands.default_cmdsets import CharacterCmdSet

        cmdset = CharacterCmdSet()
        cmdset.at_cmdset_creation()
        for cmd in cmdset.commands:
            text = type(cmd).__dict__.get("__doc__")  # the game's own help texts, not Evennia's
            if text and type(cmd).__module__.startswith("game.") and not any(
                    text == base.__doc__ for base in type(cmd).__mro__[1:]):
                self.assertEqual(strip_ansi(text), text.replace("||", "|"), cmd.key)
