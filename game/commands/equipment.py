"""Inventory and equipment commands: inventory, equip, unequip."""

from evennia.commands.default.muxcommand import MuxCommand
from evennia.utils import utils

from game.equipment import SLOTS, EquipmentError


class CmdInventory(MuxCommand):
    """
    list what you carry and what you have equipped

    Usage:
      inventory
      inv
      i
    """

    key = "inventory"
    aliases = ["inv", "i"]
    locks = "cmd:all()"
    arg_regex = r"$"
    help_category = "items"

    def func(self):
        caller = self.caller
        items = [obj for obj in caller.contents if not obj.destination]
        if not items:
            caller.msg("You are not carrying anything.")
            return
        table = self.styled_table(border="header")
        for obj in items:
            mark = " |g(equipped)|n" if caller.equipment.is_equipped(obj) else ""
            table.add_row(f"|C{obj.key}|n{mark}", utils.crop(obj.db.desc or "", width=50))
        worn = caller.equipment.all()
        summary = ", ".join(f"{slot}: {obj.key if obj else '-'}" for slot, obj in worn.items())
        caller.msg(text=(f"|wYou are carrying:|n\n{table}\n|wEquipped:|n {summary}", {"type": "inventory"}))


class CmdEquip(MuxCommand):
    """
    wield a weapon or wear armor you carry

    Usage:
      equip <item>
      wield <weapon>
      wear <armor>

    Each slot (weapon, armor) holds one item; equipping another swaps it.
    """

    key = "equip"
    aliases = ["wield", "wear"]
    locks = "cmd:all()"
    help_category = "items"

    def func(self):
        caller = self.caller
        if not self.args:
            caller.msg("Equip what? Usage: equip <item>  (see |winventory|n)")
            return
        obj = self.caller.search(self.args, candidates=caller.contents)
        if not obj:
            return
        try:
            previous = caller.equipment.equip(obj)
        except EquipmentError as err:
            caller.msg(str(err))
            return
        swapped = f" (instead of {previous.key})" if previous else ""
        caller.msg(f"You equip {obj.key} as your {obj.db.slot}{swapped}.")
        caller.location.msg_contents(f"$You() $conj(equip) {obj.key}.", from_obj=caller, exclude=[caller])


class CmdUnequip(MuxCommand):
    """
    stop wielding or wearing an item

    Usage:
      unequip <item or slot>
      remove <item or slot>

    Slots: weapon, armor.
    """

    key = "unequip"
    aliases = ["remove"]
    locks = "cmd:all()"
    help_category = "items"

    def func(self):
        caller = self.caller
        if not self.args:
            caller.msg("Unequip what? Usage: unequip <item or slot>")
            return
        arg = self.args.strip().lower()
        if arg in SLOTS:
            obj = caller.equipment.get(arg)
            if obj is None:
                caller.msg(f"Your {arg} slot is empty.")
                return
        else:
            equipped = [o for o in caller.equipment.all().values() if o]
            obj = self.caller.search(self.args, candidates=equipped, nofound_string=f"You have no '{self.args}' equipped.")
            if not obj:
                return
        caller.equipment.unequip(obj)
        caller.msg(f"You unequip {obj.key}.")
