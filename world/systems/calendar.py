"""Calendar system: ticks -> days, epochs (Daybreak, Highsun, Nightfall) and seasons.

A day has `ticks_per_day` ticks split into three equal epochs; a season lasts
`days_per_season` days and three seasons cycle.  When a new day begins
(Daybreak) natural stocks regrow and treasuries pay upkeep (sink
"treasury_upkeep"); agents pay their own upkeep and fame fades in that tick's
agent pass; the exchange steers the money supply (exchange.steer).
"""

import numpy as np


def basis_points(fraction: float) -> int:
    return int(round(fraction * 10000))


def epoch_index(cfg, tick: int) -> int:
    return (tick % cfg.ticks_per_day) * 3 // cfg.ticks_per_day


def season_index(cfg, tick: int) -> int:
    return (tick // cfg.ticks_per_day // cfg.days_per_season) % 3


def day_starts(cfg, tick: int) -> bool:
    return tick % cfg.ticks_per_day == 0


def epoch_name(cfg, tick: int) -> str:
    return cfg.epochs[epoch_index(cfg, tick)]["name"]


def season_name(cfg, tick: int) -> str:
    return cfg.seasons[season_index(cfg, tick)]["name"]


def season_yield(cfg, tick: int) -> np.ndarray:
    """[R] season multiplier on natural regrowth by biome."""
    table = cfg.seasons[season_index(cfg, tick)]["yield"]
    return np.array([table[r.biome] for r in cfg.regions], np.float64)


def daybreak(cfg, s, regen: np.ndarray, sink) -> None:
    """Refresh stocks by `regen` [R, K] up to capacity; charge treasury upkeep.

    `sink(name, amount)` records destroyed money in the ledger.
    """
    np.minimum(s.stock + regen, np.maximum(s.stock_cap, s.stock), out=s.stock)
    bp = basis_points(cfg.population["treasury_upkeep"])
    for arr in (s.treasury, s.faction_treasury):
        cost = arr * bp // 10000
        arr -= cost
        sink("treasury_upkeep", int(cost.sum()))
