"""Drafts an item template: kind (weapon, armor, consumable, relic), rarity,
power, value, weight, and where it goes: its region's first room, the
region's stock table (its merchants sell it) or a role's loot table (see
content/tables/item.json)."""

from ..models.proposal import Tags
from ..rng import Rng
from ..tables import table
from .common import Draft

TABLES = ["item"]
SLOTTED = {"weapon", "armor"}


def draft(rng: Rng, inputs: dict, key: str) -> Draft:
    t = table("item")
    kind = inputs.get("item_kind") or rng.weighted(t["kinds"])
    rarity = rng.weighted(t["rarity_weights"])
    power = rng.randint(*t["power"][rarity]) if kind in SLOTTED else 0
    value = rng.randint(*t["flat_value"][rarity]) + power * rng.randint(*t["value_per_power"][rarity])
    payload = {
        "id": f"gen.item.{key}",
        "kind": kind,
        "rarity": rarity,
        "slot": kind if kind in SLOTTED else None,
        "power": power,
        "value": value,
        "weight": round(rng.uniform(*t["weight"][kind]), 1),
    }
    placement = inputs.get("placement") or rng.weighted(t["placement"])  # room, stock or loot
    if placement == "stock":
        payload["table"] = f"stock.{inputs['region']}"
    elif placement == "loot":
        payload["table"] = f"loot.{rng.choice(t['loot_roles'])}"
    return Draft(payload, Tags(region=inputs["region"], rarity=rarity, purpose=inputs.get("purpose")))
