"""Loot: what a slain NPC leaves, from drop tables kept within the guardrails' budgets.

Coins: a roll between LOOT_COINS(threat) bounds, never above the guardrails'
budget for a common item (`item_value_by_rarity.common`); paid through
game.coins as the faucet "loot".  Items: each entry of the role's drop table
drops with its odds, and only if the item template's value is within the
guardrails' budget for its rarity (`item_value_by_rarity`), so a drop table
cannot mint treasure.  Goods entries ("goods:hides") drop a stack of a
simulation resource.  An item patch naming the loot table `loot.<role>` adds
its item to that role's table, with the odds of its rarity (`TABLE_ODDS`)
and the same budget; an undone patch takes it out again.
"""

import random

from evennia.prototypes.spawner import spawn

from generation.guardrails import GuardrailsFile
from generation.runtime import RuntimePaths

from .content_service import current_world
from .prototypes import item_prototype
from .shops import add_goods

DROP_TABLES = {
    "bandit": (("item.bandit_dagger", 0.3), ("item.leather_jerkin", 0.15), ("goods:relics", 0.1)),
    "merchant": (("item.trail_bread", 0.5), ("item.waterskin", 0.3)),
    "hunter": (("goods:hides", 0.6), ("item.hunting_spear", 0.1)),
    "farmer": (("goods:crops", 0.6),),
    "explorer": (("goods:minerals", 0.4), ("item.copper_ore", 0.2)),
    "priest": (("goods:herbs", 0.5),),
}


TABLE_ODDS = {"common": 0.2, "uncommon": 0.1, "rare": 0.05, "epic": 0.02, "legendary": 0.01}


def guardrails():
    return GuardrailsFile.of(RuntimePaths.from_env()).current()


def coin_roll(threat: int, rng: random.Random, budget: int) -> int:
    low, high = 2 + 2 * threat, 6 + 5 * threat
    return min(budget, rng.randint(low, high))


def allowed(template, budgets: dict) -> bool:
    return template.value <= budgets.get(template.rarity.value, 0)


def drop_table(role: str, world) -> tuple:
    """(entry, odds) of the role's drop table, with the items patched into `loot.<role>`."""
    patched = world.table(f"loot.{role.lower()}") if world is not None else []
    return DROP_TABLES.get(role.lower(), ()) + tuple((t.id, TABLE_ODDS[t.rarity.value]) for t in patched)


def roll_drops(role: str, rng: random.Random, world=None) -> list[str]:
    return [entry for entry, odds in drop_table(role, world) if rng.random() < odds]


def drop(role: str, threat: int, room, killer, rng: random.Random) -> tuple[int, list[str]]:
    """Roll the loot of a slain NPC: returns (coins for the killer, names of items left in the room)."""
    rails = guardrails()
    budgets = dict(rails.item_value_by_rarity)
    coins = coin_roll(threat, rng, budgets.get("common", 0))
    names = []
    world = current_world()
    for entry in roll_drops(role, rng, world):
        if entry.startswith("goods:"):
            stack = add_goods(killer, entry.split(":", 1)[1], 1)
            names.append(f"{stack.key} (taken)")
            continue
        template = world.items.get(entry) if world is not None else None
        if template is None or not allowed(template, budgets):
            continue
        obj = spawn(item_prototype(template))[0]
        obj.move_to(room, quiet=True, move_type="drop")
        names.append(obj.key)
    return coins, names
