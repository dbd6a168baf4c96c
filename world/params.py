"""Turn a `SimConfig` into the flat integer arrays the kernels read.

Probabilities become Q16 integers (0..65536) compared with 16-bit uniforms;
index constants below are module globals, so numba folds them at compile time.
"""

import numpy as np

from .enums import FACTIONS, RESOURCES, ROLES

Q = 65536

# Scalar parameter indices into P.
(IDLE_TICKS, IDLE_EXPLORE, CURIOUS_DISC, GATHER_MAX, TRADE_MAX, POOR, TRADE_HUNT, AGGR_HUNT, HURT,
 RECOVERED, REST_HEAL, EXPLORE_MOVE, CURIOUS_MOVE, STAMINA_COST, CAUTIOUS_AVOID, AGGR_RAID, LOOT_FRAC,
 DAMAGE, DEFEND, HAZARD_DMG, BIRTH, UPKEEP, WEALTH_CAP, TRADE_FAME, DISC_FAME, RAID_FAME, DEFEND_FAME,
 FAME_DECAY, INFAMOUS, N_PARAMS) = range(30)

# Per-tick context indices into T (set by the calendar each tick).
DAYBREAK, TRADE_BOOST, N_TICK = range(3)


def q16(p: float) -> int:
    return int(round(min(max(p, 0.0), 1.0) * Q))


def q16_array(p) -> np.ndarray:
    """Vector form of `q16`."""
    return np.rint(np.clip(np.asarray(p, np.float64), 0.0, 1.0) * Q).astype(np.int64)


def scalar_params(cfg) -> np.ndarray:
    f, c, pop, rep = cfg.fsm, cfg.combat, cfg.population, cfg.reputation
    P = np.zeros(N_PARAMS, np.int64)
    P[IDLE_TICKS] = f["idle_ticks"]
    P[IDLE_EXPLORE] = q16(f["idle_to_explore"])
    P[CURIOUS_DISC] = q16(f["discovery_curious_bonus"])
    P[GATHER_MAX] = f["gather_max_ticks"]
    P[TRADE_MAX] = f["trade_max_ticks"]
    P[POOR] = f["poor_wealth"]
    P[TRADE_HUNT] = q16(f["trade_to_hunt"])
    P[AGGR_HUNT] = q16(f["aggressive_hunt_bonus"])
    P[HURT] = f["hurt_health"]
    P[RECOVERED] = f["recovered_health"]
    P[REST_HEAL] = f["rest_heal"]
    P[EXPLORE_MOVE] = q16(f["explore_move"])
    P[CURIOUS_MOVE] = q16(f["curious_move_bonus"])
    P[STAMINA_COST] = f["stamina_cost"]
    P[CAUTIOUS_AVOID] = q16(c["cautious_avoid_bonus"])
    P[AGGR_RAID] = q16(c["aggressive_raid_bonus"])
    P[LOOT_FRAC] = q16(c["loot_fraction"])
    P[DAMAGE] = c["damage"]
    P[DEFEND] = q16(c["defend_chance"])
    P[HAZARD_DMG] = c["hazard_damage"]
    P[BIRTH] = q16(pop["birth_chance"])
    P[UPKEEP] = pop["upkeep"]
    P[WEALTH_CAP] = pop["wealth_cap"]
    P[TRADE_FAME] = rep["trade_fame"]
    P[DISC_FAME] = rep["discovery_fame"]
    P[RAID_FAME] = rep["raid_fame"]
    P[DEFEND_FAME] = rep["defend_fame"]
    P[FAME_DECAY] = q16(rep["daily_decay"])
    P[INFAMOUS] = rep["infamous"]
    return P


def role_params(cfg) -> dict:
    """Per-role arrays: carry cap, gather rate, purse, faction, preferences, shares, home weights."""
    rp = cfg.role_params
    prefers = np.array([[rp[r]["prefers"].get(k, 0) for k in RESOURCES] for r in ROLES], np.float64)
    home = np.array([[reg.weights.get(r, 0) for reg in cfg.regions] for r in ROLES], np.float64)
    return {
        "carry_cap": np.array([rp[r]["carry_cap"] for r in ROLES], np.int64),
        "gather_rate": np.array([rp[r]["gather_rate"] for r in ROLES], np.int64),
        "purse": np.array([rp[r]["starting_purse"] for r in ROLES], np.int64),
        "faction": np.array([FACTIONS.index(rp[r]["faction"]) for r in ROLES], np.int64),
        "share": np.array([rp[r]["share"] for r in ROLES], np.float64),
        "prefers": prefers,
        "home": home / home.sum(axis=1, keepdims=True),
    }


def cumulative_q16(weights: np.ndarray) -> np.ndarray:
    """Cumulative Q16 thresholds along the last axis; rows of zeros stay all -1 (nothing to pick)."""
    w = np.asarray(weights, np.float64)
    total = w.sum(axis=-1, keepdims=True)
    safe = np.where(total > 0, total, 1.0)
    cw = np.rint(np.cumsum(w, axis=-1) / safe * Q).astype(np.int64)
    cw[..., -1] = Q
    return np.where(total > 0, cw, -1)


def neighbour_table(cfg) -> tuple[np.ndarray, np.ndarray]:
    ids = cfg.region_ids
    deg = np.array([len(r.neighbours) for r in cfg.regions], np.int64)
    nb = np.zeros((len(ids), max(1, int(deg.max()))), np.int64)
    for i, r in enumerate(cfg.regions):
        nb[i, :] = i
        for j, n in enumerate(r.neighbours):
            nb[i, j] = ids.index(n)
    return nb, deg
