"""Temple healing: a priest tends a player's wounds for a fee (the coin sink "fee").

Health only comes back by falling (waking at a temple at half health) or
here: any priest (an NPC whose role is priest) heals a player in its room to
full health for FEE_PER_HP coins per missing point, rounded up, times the
money factor, at least one coin.  The fee leaves the player through
game.coins as the sink "fee", so the simulation's ledger records it.
"""

from math import ceil

from world.systems import exchange

FEE_PER_HP = 0.25


def priest_in(room):
    return next((o for o in room.contents if str(o.db.role or "").lower() == "priest" and not o.has_account),
                None) if room else None


def fee(sim, missing: int) -> int:
    if missing <= 0:
        return 0
    return max(1, ceil(missing * FEE_PER_HP * exchange.money_factor(sim.config, sim.state)))
