"""Social system: barter conclaves, peace councils, vendetta declarations and
pilgrimage processions, shifting the region x faction alignment and stability.

Each region rolls `daily_odds / ticks_per_day` per tick; the kind is weighted
by who is there and what happened (merchants -> conclaves, priests after fights
-> councils, bandit deaths -> vendettas, priests and boons -> processions).  The
most famous agent of the kind's role in the region leads it.
"""

import numpy as np

from ..enums import BANDIT, MERCHANT, PILGRIMAGE_BOON, PRIEST, SOCIAL_KINDS, FACTIONS
from ..rng import SOCIAL, draw_py, q16, tick_key

LEADER_ROLE = (MERCHANT, PRIEST, BANDIT, PRIEST)
ALIGN_MAX = STABILITY_MAX = 1000


def kind_weights(s, r: int) -> np.ndarray:
    pop = s.pop[r].astype(np.float64)
    alive = max(pop.sum(), 1.0)
    boon = 2.0 if s.macro_left[PILGRIMAGE_BOON, r] > 0 else 1.0
    return np.array([
        pop[MERCHANT] / alive,
        pop[PRIEST] / alive * min(1.0, s.combats[r] / 10.0),
        pop[BANDIT] / alive * min(1.0, s.deaths[r] / 5.0),
        pop[PRIEST] / alive * 0.5 * boon,
    ])


def roll(cfg, s, tick: int, champions: np.ndarray) -> list[tuple[int, int, int]]:
    """(kind, region, leader agent id) for each social event this tick; champions is [R, roles]."""
    key = tick_key(s.seed, SOCIAL, tick)
    odds = int(cfg.social["daily_odds"] / cfg.ticks_per_day * 65536)
    out = []
    for r in range(s.stability.shape[0]):
        h = draw_py(key, r)
        if q16(h, 0) >= odds:
            continue
        w = kind_weights(s, r)
        if w.sum() <= 0:
            continue
        kind = int(np.searchsorted(np.cumsum(w) / w.sum(), q16(h, 1) / 65536.0, side="right"))
        kind = min(kind, len(SOCIAL_KINDS) - 1)
        leader = int(champions[r, LEADER_ROLE[kind]])
        if leader >= 0:
            apply(cfg, s, kind, r)
            out.append((kind, r, leader))
    return out


def apply(cfg, s, kind: int, r: int) -> None:
    spec = cfg.social[SOCIAL_KINDS[kind]]
    f = FACTIONS.index(spec["faction"])
    a = spec["alignment"]
    s.alignment[r] = np.clip(s.alignment[r] - a // 4, 0, ALIGN_MAX)
    s.alignment[r, f] = min(ALIGN_MAX, s.alignment[r, f] + a + a // 4)
    s.stability[r] = int(np.clip(s.stability[r] + spec["stability"], 0, STABILITY_MAX))
