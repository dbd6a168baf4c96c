"""Population system: initial agents, births and arrivals into empty (dead) slots.

A dead slot comes back to life with the configured odds per tick, so the
living population settles near capacity.  The newcomer's role follows the
configured shares (invasions add bandits), its region the role's home weights
(invading bandits arrive in the invaded region), and it brings its role's
starting purse (faucet "births").  `gen` counts lives per slot, names use it.
"""

import numpy as np
from numba import njit

from ..enums import BANDIT, IDLE, INVASION
from ..params import cumulative_q16
from ..rng import lane, mix64
from .gathering import NONE


@njit(nogil=True, cache=True, inline="always")
def pick(cw, u):
    k = 0
    while cw[k] <= u:
        k += 1
    return k


@njit(nogil=True, cache=True, inline="always")
def spawn(i, h, role_cw, home_cw, purse, role_faction, role, faction, traits, state, timer, health, stamina,
          region, carry_kind, carry_qty, wealth, fame):
    """Fill slot i with a fresh agent from draw h; returns its purse."""
    ro = pick(role_cw, lane(h, 0))
    r = pick(home_cw[ro], lane(h, 1))
    t = mix64(h)
    role[i] = ro
    faction[i] = role_faction[ro]
    for j in range(4):
        traits[i, j] = (t >> np.uint64(8 * j)) & np.uint64(0xFF)
    state[i] = IDLE
    timer[i] = (t >> np.uint64(32)) & np.uint64(3)
    health[i] = 100
    stamina[i] = 100
    region[i] = r
    carry_kind[i] = NONE
    carry_qty[i] = 0
    wealth[i] = purse[ro]
    fame[i] = 0
    return purse[ro]


def birth_tables(cfg, rp: dict, macro_left: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(role_cw [roles], home_cw [roles, R]) in Q16, with invasion surges applied."""
    share = rp["share"].copy()
    home = rp["home"].copy()
    invaded = macro_left[INVASION] > 0
    if invaded.any():
        share[BANDIT] *= cfg.macro_events["invasion"]["bandit_births"]
        home[BANDIT] = invaded / invaded.sum()
    return cumulative_q16(share), cumulative_q16(home)

