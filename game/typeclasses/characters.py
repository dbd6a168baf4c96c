"""Player characters: they carry an equipment handler (weapon and armor slots)."""

from evennia.objects.objects import DefaultCharacter
from evennia.utils.utils import lazy_property

from game.equipment import EquipmentHandler


class Character(DefaultCharacter):
    """The body a player's account puppets."""

    @lazy_property
    def equipment(self) -> EquipmentHandler:
        return EquipmentHandler(self)

    def at_object_leave(self, obj, target_location, **kwargs):
        # anything leaving the inventory by any route is no longer worn
        self.equipment.forget(obj)
        super().at_object_leave(obj, target_location, **kwargs)
