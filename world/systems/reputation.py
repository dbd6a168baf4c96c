"""Reputation system: fame from deeds, daily decay, tiers and infamy.

Tiers: Unknown < Noted < Renowned < Legendary by fame thresholds; a bandit at
or above the `infamous` threshold is Infamous instead (an Infamous bandit in
the Market raises the alarm, see combat).  Fame is int16 clamped to 0..30000.
"""

from numba import njit

from ..enums import BANDIT, TIERS
from ..params import INFAMOUS

FAME_MAX = 30000


@njit(nogil=True, cache=True, inline="always")
def gain(fame, amount):
    return min(fame + amount, FAME_MAX)


@njit(nogil=True, cache=True, inline="always")
def decay(fame, decay_q):
    """Daily fading of fame (Q16 fraction, rounded up so small fame still fades)."""
    return fame - ((fame * decay_q + 65535) >> 16)


@njit(nogil=True, cache=True, inline="always")
def is_infamous(role, fame, P):
    return role == BANDIT and fame >= P[INFAMOUS]


def tier(cfg, role: int, fame: int) -> str:
    rep = cfg.reputation
    if role == BANDIT and fame >= rep["infamous"]:
        return TIERS[4]
    if fame >= rep["legendary"]:
        return TIERS[3]
    if fame >= rep["renowned"]:
        return TIERS[2]
    if fame >= rep["noted"]:
        return TIERS[1]
    return TIERS[0]
