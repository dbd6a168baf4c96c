"""Trade system: market supply, prices, faction tariffs, sales and caravan purchases.

price = base * 2*ref / (supply + ref) (scarcity doubles it, glut drives it
towards 1), times the money factor (world/systems/exchange.py: more coin in
circulation, dearer goods) and the macro price factor (market_crash debases).
Markets are paid for with coin that circulates: the region's treasury buys
what sellers bring (transfer "sales"), minus the tariff of the region's
controlling faction (transfer to that faction's treasury; members of the
controller pay none).  A treasury never pays out more than it holds: pass A
sums what sellers will ask, and each sale is scaled by the region's pay ratio
(`pay_ratio`).  Merchants buy market supply into their caravan, paying the
region treasury (transfer "purchases"); agents' daily upkeep goes there too.
"""

import numpy as np
from numba import njit

from ..enums import MERCHANT, TRADE
from ..params import TRADE_MAX


@njit(nogil=True, cache=True, inline="always")
def sells_here(st, role, carry, kind, region, timer, P, best_nb):
    """True when a trading agent sells its load in its current region this tick."""
    if st != TRADE or carry == 0:
        return False
    return role != MERCHANT or best_nb[region, kind] == region or timer >= P[TRADE_MAX]


@njit(nogil=True, cache=True, inline="always")
def sale(qty, unit_price, pay_q, tariff_bp, wealth, wealth_cap):
    """(revenue paid by the treasury, tariff withheld) for selling `qty` units at the region's Q16 pay
    ratio; revenue never lifts wealth past the cap."""
    revenue = min((qty * unit_price * pay_q) >> 16, wealth_cap - wealth)
    if revenue < 0:
        revenue = 0
    return revenue, revenue * tariff_bp // 10000


def prices(base: np.ndarray, supply: np.ndarray, ref: np.ndarray, price_mult: np.ndarray) -> np.ndarray:
    """[R, K] integer prices from regional scarcity and the [R] price factor (money and macro events)."""
    raw = base[None, :] * 2 * ref / (supply + ref)
    return np.maximum(1, np.floor(raw * price_mult[:, None])).astype(np.int64)


def pay_ratio(treasury: np.ndarray, offers: np.ndarray) -> np.ndarray:
    """[R] Q16 share of what sellers ask that the region's treasury can pay (1 when it can pay it all)."""
    out = np.full(treasury.shape, 65536, np.int64)
    short = offers > treasury
    out[short] = treasury[short] * 65536 // offers[short]
    return out


def controllers(alignment: np.ndarray) -> np.ndarray:
    """Faction holding sway in each region (highest alignment, lowest index on ties)."""
    return np.argmax(alignment, axis=1).astype(np.int64)


def tariff_table(alignment: np.ndarray, faction_tariff_bp: np.ndarray) -> np.ndarray:
    """[R, F] basis points charged to a seller of faction f in region r."""
    ctrl = controllers(alignment)
    bp = np.repeat(faction_tariff_bp[ctrl][:, None], alignment.shape[1], axis=1)
    bp[np.arange(len(ctrl)), ctrl] = 0
    return bp


def merchant_pick(price: np.ndarray, supply: np.ndarray, best_nb: np.ndarray) -> np.ndarray:
    """Resource a merchant loads in each region: best positive margin to a neighbour, else -1."""
    R, K = price.shape
    margin = price[best_nb, np.arange(K)[None, :]] - price
    margin = np.where(supply > 0, margin, 0)
    pick = np.argmax(margin, axis=1).astype(np.int64)
    return np.where(margin[np.arange(R), pick] > 0, pick, -1)


def price_index(price: np.ndarray, base: np.ndarray) -> np.ndarray:
    """Per region mean of price / base price, x100."""
    return (price * 100 / base[None, :]).mean(axis=1)


def consumption_ppm(cfg) -> int:
    """Parts per million of market supply used up each tick."""
    return int(round(1e6 * cfg.population["market_consumption_per_tick"]))


def consume(supply: np.ndarray, ppm: int) -> None:
    """The region's people use up part of its market goods (in place)."""
    supply -= np.where(supply > 0, supply * ppm // 1_000_000, 0)
