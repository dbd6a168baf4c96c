"""Equipment slots of a character: one weapon and one armor, stored by object id; their power
counts as far as their condition allows (game/wear.py)."""

from .wear import effective_power

SLOTS = ("weapon", "armor")


class EquipmentError(ValueError):
    """A player-facing reason why something cannot be equipped or removed."""


class EquipmentHandler:
    """Keeps `db.equipment` = {slot: obj} on its owner; items stay in the inventory."""

    def __init__(self, owner):
        self.owner = owner

    def _slots(self) -> dict:
        return dict(self.owner.attributes.get("equipment", default=None) or {})

    def get(self, slot: str):
        obj = self._slots().get(slot)
        if obj is not None and obj.location != self.owner:
            self.forget(obj)
            return None
        return obj

    def all(self) -> dict:
        return {slot: self.get(slot) for slot in SLOTS}

    def equip(self, obj):
        """Wear or wield `obj`; returns the item it replaced, if any."""
        if obj.location != self.owner:
            raise EquipmentError(f"You must carry {obj.key} to equip it.")
        slot = obj.db.slot
        if slot not in SLOTS:
            raise EquipmentError(f"{obj.key} cannot be equipped.")
        if self.get(slot) == obj:
            raise EquipmentError(f"You already have {obj.key} equipped.")
        previous = self.get(slot)
        slots = self._slots()
        slots[slot] = obj
        self.owner.db.equipment = slots
        return previous

    def unequip(self, obj):
        if obj not in self.all().values():
            raise EquipmentError(f"You do not have {obj.key} equipped.")
        self.forget(obj)

    def forget(self, obj) -> None:
        """Drop `obj` from every slot (it left the inventory, or was removed)."""
        slots = self._slots()
        changed = {k: v for k, v in slots.items() if v != obj}
        if changed != slots:
            self.owner.db.equipment = changed

    def is_equipped(self, obj) -> bool:
        return obj is not None and obj in self.all().values()

    @property
    def attack(self) -> int:
        weapon = self.get("weapon")
        return effective_power(weapon) if weapon else 0

    @property
    def defense(self) -> int:
        armor = self.get("armor")
        return effective_power(armor) if armor else 0
