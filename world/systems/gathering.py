"""Gathering system: agents in Gather/Hunt draw resources from regional stocks.

Requests are summed per region and resource in agent pass A; each request is
then granted `q * grant >> 16` in pass B, where grant = min(1, stock/demand) in
Q16, so the total taken never exceeds the stock.  Merchants "gather" by buying
market supply (see trade).  Stocks regrow at Daybreak (calendar) from biome
yields scaled by season and macro events.
"""

import numpy as np
from numba import njit

from ..enums import HIDES, HUNT, MERCHANT, RESOURCES
from ..params import Q, cumulative_q16, q16_array

NONE = 255  # carry_kind when nothing is being gathered


@njit(nogil=True, cache=True, inline="always")
def choose_kind(st, role, region, carry, carry_kind, u2, gather_cw, merchant_pick):
    """Resource an agent in Gather/Hunt works on (NONE if its region offers nothing)."""
    if carry > 0:
        return carry_kind
    if st == HUNT:
        return HIDES
    if role == MERCHANT:
        k = merchant_pick[region]
        return NONE if k < 0 else k
    if gather_cw[role, region, 0] < 0:
        return NONE
    k = 0
    while gather_cw[role, region, k] <= u2:
        k += 1
    return k


@njit(nogil=True, cache=True, inline="always")
def request(role, carry, cap, rate, wealth, unit_price):
    """Units asked for this tick; merchants are limited by what they can pay."""
    q = min(rate, cap - carry)
    if role == MERCHANT:
        q = min(q, wealth // max(unit_price, 1))
    return max(q, 0)


def grant(stock: np.ndarray, demand: np.ndarray) -> np.ndarray:
    """Q16 share of each request that can be served: min(1, stock / demand)."""
    out = np.full(stock.shape, Q, np.int64)
    short = (demand > stock) & (demand > 0)
    out[short] = (stock[short] * Q) // demand[short]
    return out


def base_regen(cfg, n_agents: int) -> np.ndarray:
    """[R, K] units regrown per day with multipliers 1 (biome yields per agent x yield_scale)."""
    scale = n_agents * cfg.population["yield_scale"]
    return np.array([[int(cfg.biomes[r.biome]["yield"].get(k, 0) * scale) for k in RESOURCES]
                     for r in cfg.regions], np.int64)


def gather_choice(prefers: np.ndarray, stock: np.ndarray) -> np.ndarray:
    """[roles, R, K] cumulative Q16 odds of picking each resource: preference x stock on hand."""
    return cumulative_q16(prefers[:, None, :] * stock[None, :, :].astype(np.float64))


def discovery_odds(cfg, gather_cw: np.ndarray, merchant_pick: np.ndarray, relic_boost: np.ndarray) -> np.ndarray:
    """[roles, R] Q16 odds that exploring turns into gathering (zero where nothing is gatherable)."""
    base = np.array([cfg.biomes[r.biome]["discovery"] for r in cfg.regions]) * relic_boost
    odds = np.where(gather_cw[:, :, 0] >= 0, base[None, :], 0.0)
    odds[MERCHANT] = np.where(merchant_pick >= 0, cfg.fsm["merchant_deal"], 0.0)
    return q16_array(odds)
