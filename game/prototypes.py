"""Evennia prototypes made from content templates: item templates and NPC
archetypes become spawner prototypes keyed by their content id (the spawner
tags what it spawns with that key, category `from_prototype`)."""

from generation.models.world import Archetype, ItemTemplate

ITEM_TYPECLASS = "game.typeclasses.items.Item"
NPC_TYPECLASS = "game.typeclasses.npcs.NPC"


def item_prototype(template: ItemTemplate) -> dict:
    return {
        "prototype_key": template.id,
        "prototype_desc": f"item template {template.id}",
        "typeclass": ITEM_TYPECLASS,
        "key": template.name,
        "attrs": [
            ("desc", template.desc),
            ("kind", template.kind.value),
            ("rarity", template.rarity.value),
            ("slot", template.slot.value if template.slot else None),
            ("power", template.power),
            ("value", template.value),
            ("weight", template.weight),
        ],
    }


def npc_prototype(archetype: Archetype) -> dict:
    return {
        "prototype_key": archetype.id,
        "prototype_desc": f"NPC archetype {archetype.id}",
        "typeclass": NPC_TYPECLASS,
        "key": archetype.name,
        "attrs": [
            ("desc", archetype.desc),
            ("archetype", archetype.id),
            ("role", archetype.role.value),
            ("faction", archetype.faction),
            ("health", archetype.stats.health),
            ("attack", archetype.stats.attack),
            ("defense", archetype.stats.defense),
            ("threat", archetype.threat),
            ("barks", list(archetype.barks)),
        ],
    }
