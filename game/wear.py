"""Equipment wear and its repair: the coin sink "repair".

Gear holds a condition, `db.condition` from 0 to 100 (unset: 100).  Every
blow a player strikes wears their weapon by WEAR_PER_BLOW and every blow they
take wears their armor the same, never below 0; worn gear gives only its
condition's share of its power (game/equipment.py).  A merchant mends gear
for REPAIR_RATE of the item's value per point of condition restored, times
the money factor (coin worth less, dearer repairs), at least one coin per
worn item; the coin leaves the player through game.coins as the sink
"repair", so the simulation's ledger records it.
"""

from math import ceil

from world.systems import exchange

FULL = 100
WEAR_PER_BLOW = 1
REPAIR_RATE = 0.5 / FULL  # of the item's value per point of condition


def condition(item) -> int:
    value = item.db.condition
    return FULL if value is None else int(value)


def effective_power(item) -> int:
    return int(item.db.power or 0) * condition(item) // FULL


def after_fight(char, struck: int, taken: int) -> None:
    """Wear the weapon by the blows `char` struck and the armor by the blows they took."""
    for slot, blows in (("weapon", struck), ("armor", taken)):
        item = char.equipment.get(slot)
        if item is not None and blows:
            item.db.condition = max(0, condition(item) - WEAR_PER_BLOW * blows)


def worn(char) -> list:
    """Everything `char` carries that has lost condition."""
    return [obj for obj in char.contents if obj.db.slot and condition(obj) < FULL]


def repair_cost(sim, item) -> int:
    missing = FULL - condition(item)
    if missing <= 0:
        return 0
    price = int(item.db.value or 0) * missing * REPAIR_RATE * exchange.money_factor(sim.config, sim.state)
    return max(1, ceil(price))


def mend(item) -> None:
    item.db.condition = FULL
