"""Macro system: world events with durations (drought, invasion, market_crash,
pilgrimage_boon, relic_rush).

`macro_left[kind, region]` holds ticks remaining.  At each Daybreak every kind
rolls its daily odds (times the season's factor) and, on success, strikes one
of its eligible regions; admins can force one with `start`.  While active:
drought cuts regrowth, invasion doubles raids and brings bandit arrivals,
market_crash halves prices (and burns part of the region's and the factions'
treasuries when it starts: sink "debasement"), pilgrimage_boon speeds healing and steadies the region,
relic_rush multiplies relic regrowth and discovery.
"""

import numpy as np

from ..enums import DROUGHT, INVASION, MACRO_KINDS, MARKET_CRASH, PILGRIMAGE_BOON, RELICS, RELIC_RUSH
from ..rng import MACRO, draw_py, q16, tick_key
from .calendar import basis_points, season_index


def validate(cfg, kind: str, region: str | None) -> None:
    if kind not in MACRO_KINDS:
        raise ValueError(f"unknown macro event kind {kind!r}; known kinds: {', '.join(MACRO_KINDS)}")
    if region is not None:
        cfg.region_index(region)


def start(cfg, s, kind: int, regions: list[int], sink) -> None:
    """Activate `kind` in `regions` for its configured duration (restarts the timer if active)."""
    spec = cfg.macro_events[MACRO_KINDS[kind]]
    for r in regions:
        s.macro_left[kind, r] = spec["duration_ticks"]
        if kind == MARKET_CRASH:
            bp = basis_points(spec["treasury_burn"])
            burn = s.treasury[r] * bp // 10000
            guild = s.faction_treasury * bp // 10000
            s.treasury[r] -= burn
            s.faction_treasury -= guild
            sink("debasement", int(burn) + int(guild.sum()))
        if kind == PILGRIMAGE_BOON:
            s.stability[r] = min(1000, s.stability[r] + int(spec["stability"]))


def roll(cfg, s, tick: int) -> list[tuple[int, int]]:
    """Daily rolls; returns the (kind, region) pairs that start now."""
    key = tick_key(s.seed, MACRO, tick)
    odds = cfg.seasons[season_index(cfg, tick)]["event_odds"]
    started = []
    for kind, name in enumerate(MACRO_KINDS):
        spec = cfg.macro_events[name]
        h = draw_py(key, kind)
        if q16(h, 0) < int(spec["daily_odds"] * odds[name] * 65536) and spec["regions"]:
            rid = spec["regions"][q16(h, 1) % len(spec["regions"])]
            started.append((kind, cfg.region_index(rid)))
    return started


def countdown(s) -> None:
    np.maximum(s.macro_left - 1, 0, out=s.macro_left)


def active(cfg, s) -> list[dict]:
    return [{"kind": MACRO_KINDS[k], "region": cfg.regions[r].id, "ticks_left": int(s.macro_left[k, r])}
            for k in range(len(MACRO_KINDS)) for r in range(s.macro_left.shape[1]) if s.macro_left[k, r] > 0]


def effects(cfg, s) -> dict:
    """Per-region multipliers of the active events."""
    on = s.macro_left > 0
    m = cfg.macro_events
    R = on.shape[1]
    regen = np.ones((R, len(cfg.resources)))
    regen[on[DROUGHT]] *= m["drought"]["yield"]
    regen[on[RELIC_RUSH], RELICS] *= m["relic_rush"]["relic_yield"]
    return {
        "regen": regen,
        "raid": np.where(on[INVASION], m["invasion"]["bandit_raid"], 1.0),
        "price": np.where(on[MARKET_CRASH], m["market_crash"]["price"], 1.0),
        "heal": np.where(on[PILGRIMAGE_BOON], m["pilgrimage_boon"]["heal"], 1.0),
        "discovery": np.where(on[RELIC_RUSH], m["relic_rush"]["discovery"], 1.0),
    }
