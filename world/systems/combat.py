"""Combat system: bandit raids on merchant caravans, injuries and loot.

A bandit sharing a region with merchants may raid (odds rise with caravan
presence, Nightfall, invasions and low stability; aggressive +, cautious -).
Raiders are counted per region; each merchant there is then attacked with
odds attackers/merchants (cautious merchants avoid more).  A lost fight moves
a share of the purse into the region's loot pool (transfer "loot"); next tick
the pool is split evenly among that region's surviving raiders (transfer
"loot_paid", remainder stays pooled).  Guards in an alarmed Market (an
Infamous bandit present) cut bandits' odds of winning.
"""

import numpy as np
from numba import njit

from ..enums import MERCHANT
from ..params import AGGR_RAID, CAUTIOUS_AVOID, DAMAGE, Q, q16_array


@njit(nogil=True, cache=True, inline="always")
def raid_chance(region_q, aggressive, cautious, P):
    """Q16 odds a bandit starts a raid: regional odds scaled by +aggressive / -cautious."""
    scale = Q + (P[AGGR_RAID] * aggressive >> 8) - (P[CAUTIOUS_AVOID] * cautious >> 8)
    return region_q * max(scale, 0) >> 16


@njit(nogil=True, cache=True, inline="always")
def attacked_chance(region_q, cautious, P):
    """Q16 odds a merchant is caught by this tick's raiders; cautious ones slip away more."""
    return region_q * (Q - (P[CAUTIOUS_AVOID] * cautious >> 8)) >> 16


@njit(nogil=True, cache=True, inline="always")
def damage(bits, P):
    """Injury from a fight: between DAMAGE/2 and 3*DAMAGE/2 (bits: a 16-bit uniform)."""
    return (P[DAMAGE] >> 1) + ((bits * (P[DAMAGE] + 1)) >> 16)


def raid_odds(cfg, pop, stability, epoch_bandit, invasion_mult, alarm) -> np.ndarray:
    """[R] Q16 raid odds per bandit per tick."""
    alive = np.maximum(pop.sum(axis=1), 1)
    presence = np.minimum(1.0, 4.0 * pop[:, MERCHANT] / alive)
    p = cfg.combat["raid_chance"] * presence * epoch_bandit * invasion_mult * (1.5 - stability / 1000.0)
    p = np.where(alarm, p * 0.5, p)
    return q16_array(p)


def attacked_odds(cfg, attackers, merchants) -> np.ndarray:
    """[R] Q16 odds each merchant is attacked, from this tick's raider count."""
    p = np.minimum(cfg.combat["max_attacked_chance"], attackers / np.maximum(merchants, 1))
    return q16_array(p)


def bandit_win_odds(cfg, alarm) -> np.ndarray:
    c = cfg.combat
    return q16_array(c["bandit_win"] - np.where(alarm, c["guard_penalty"], 0.0))


def alarm(cfg, infamous) -> np.ndarray:
    """[R] bool: Market-biome regions where an Infamous bandit was seen last tick."""
    return np.array([r.biome == "market" for r in cfg.regions]) & (infamous > 0)


def loot_shares(loot_pool, raiders) -> np.ndarray:
    return np.where(raiders > 0, loot_pool // np.maximum(raiders, 1), 0).astype(np.int64)
