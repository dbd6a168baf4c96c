"""Items spawned from item templates: plain goods and equippable gear."""

from evennia.objects.objects import DefaultObject

from .creation import BulkCreationMixin
from .locks import LocksSetOnceMixin


class Item(BulkCreationMixin, LocksSetOnceMixin, DefaultObject):
    """A carriable thing built from an item template (kind, rarity, value, power).

    Attributes (set from the template by the spawner): kind, rarity, value,
    power, weight, slot (None, "weapon" or "armor")."""

    def at_object_creation(self):
        self.locks.add("get:all();drop:all();give:all()")

    def get_display_desc(self, looker, **kwargs):
        desc = super().get_display_desc(looker, **kwargs)
        facts = [str(self.db.rarity or "common")]
        if self.db.kind:
            facts.insert(0, str(self.db.kind))
        if self.db.slot:
            facts.append(f"{self.db.slot} slot, power {self.db.power or 0}")
        facts.append(f"worth {self.db.value or 0} coins")
        return f"{desc}\n|x({', '.join(facts)})|n"
