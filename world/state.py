"""Structure-of-arrays world state: agent arrays, region arrays, ledger, clock.

`schema(n_agents, n_regions)` is the one definition of the state: every
array's name, dtype, shape and the range of values the kernels may meet
(they index other arrays by role, faction, state, region and resource
without bounds checks).  `WorldState.allocate` builds arrays from it and
`validate` checks any arrays (a loaded snapshot) against it.  Every array in
the schema is part of the digest and of snapshots; nothing else persists
between ticks.  Agent state is 20 bytes.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from .enums import FACTIONS, FAUCETS, MACRO_KINDS, RESOURCES, ROLES, SINKS, STATES, TRANSFERS
from .systems.gathering import NONE as NOTHING_CARRIED
from .systems.social import ALIGN_MAX, STABILITY_MAX


class StateError(ValueError):
    """Arrays that do not match the state definition."""


@dataclass(frozen=True)
class Field:
    """One state array: dtype, trailing shape (after the agent axis for agent
    fields), inclusive value bounds (None: any value of the dtype) and an
    out-of-range value that still means something (a "none" marker)."""
    dtype: type
    shape: tuple = ()
    low: int | None = None
    high: int | None = None
    marker: int | None = None

    def out_of_range(self, a: np.ndarray) -> np.ndarray:
        """The values of `a` this field does not allow."""
        bad = np.zeros(a.shape, np.bool_)
        if self.low is not None:
            bad |= a < self.low
        if self.high is not None:
            bad |= a > self.high
        if self.marker is not None:
            bad &= a != self.marker
        return a[bad]


# name -> Field; the agent axis comes first.  "region" is bounded per world (see schema()).
AGENT_FIELDS = {
    "role": Field(np.uint8, (), 0, len(ROLES) - 1),
    "faction": Field(np.uint8, (), 0, len(FACTIONS) - 1),
    "traits": Field(np.uint8, (4,)),
    "state": Field(np.uint8, (), 0, len(STATES) - 1),
    "timer": Field(np.uint8),
    "health": Field(np.uint8),
    "stamina": Field(np.uint8),
    "region": Field(np.uint8),  # bounded by the world's region count in schema()
    "carry_kind": Field(np.uint8, (), 0, len(RESOURCES) - 1, marker=NOTHING_CARRIED),
    "carry_qty": Field(np.uint8),
    "gen": Field(np.uint8),
    "wealth": Field(np.int32, (), 0),      # the ledger keeps coin non-negative
    "fame": Field(np.int16),
}


def region_fields(n_regions: int) -> dict:
    """name -> Field of the world-level arrays (all int64)."""
    R, K, F = n_regions, len(RESOURCES), len(FACTIONS)
    n_flows = len(FAUCETS) + len(SINKS) + len(TRANSFERS)
    count = dict(low=0)
    fields = {
        "stock": ((R, K), count),          # natural resources, gathered; refreshed at Daybreak
        "stock_cap": ((R, K), count),
        "supply": ((R, K), count),         # market goods, sold into / bought from
        "price": ((R, K), {}),
        "treasury": ((R,), count),
        "faction_treasury": ((F,), count),
        "loot_pool": ((R,), count),        # raided coin awaiting division among raiders
        "raiders": ((R,), count),          # bandits in Combat at the end of the last tick
        "pop": ((R, len(ROLES)), count),   # living agents per region and role (last tick)
        "state_counts": ((len(STATES),), count),
        "infamous": ((R,), count),
        "player_infamous": ((R,), count),  # Infamous players present (set by the game, world/player_ledger.py)
        "combats": ((R,), count),
        "deaths": ((R,), count),
        "alignment": ((R, F), dict(low=0, high=ALIGN_MAX)),  # faction sway per region
        "stability": ((R,), dict(low=0, high=STABILITY_MAX)),
        "macro_left": ((len(MACRO_KINDS), R), count),  # ticks left per macro kind and region
        "flows_total": ((n_flows,), {}),
        "flows_tick": ((n_flows,), {}),
        "money": ((1,), count),            # ledger total after the last bookkeeping
        "money_ref": ((1,), count),        # the money supply the Guild exchange steers towards (set at creation)
        "player_coins": ((1,), count),     # coin held by all players together (world/player_ledger.py)
    }
    return {name: Field(np.int64, shape, **bounds) for name, (shape, bounds) in fields.items()}


def schema(n_agents: int, n_regions: int) -> dict:
    """name -> Field with the full shape, for a world of n_agents and n_regions."""
    agents = {name: replace(f, shape=(n_agents,) + f.shape) for name, f in AGENT_FIELDS.items()}
    agents["region"] = replace(agents["region"], low=0, high=n_regions - 1)
    return {**agents, **region_fields(n_regions)}


def validate(arrays: dict, n_regions: int) -> None:
    """Raise StateError naming every array that is missing, unexpected, or of
    the wrong dtype, shape or value range for a world of n_regions."""
    role = arrays.get("role")
    n_agents = role.shape[0] if isinstance(role, np.ndarray) and role.ndim >= 1 else 0
    if n_agents < 1:
        raise StateError("no agents: the 'role' array is missing or empty")
    expected = schema(n_agents, n_regions)
    problems = [f"missing array {name!r}" for name in expected if name not in arrays]
    problems += [f"unexpected array {name!r}" for name in arrays if name not in expected]
    for name, field in expected.items():
        a = arrays.get(name)
        if a is None:
            continue
        if a.dtype != np.dtype(field.dtype):
            problems.append(f"{name}: dtype {a.dtype}, expected {np.dtype(field.dtype)}")
        elif a.shape != field.shape:
            problems.append(f"{name}: shape {a.shape}, expected {field.shape}")
        elif (bad := field.out_of_range(a)).size:
            problems.append(f"{name}: {bad.size} value(s) in {int(bad.min())}..{int(bad.max())} "
                            f"outside {field.low}..{field.high}")
    if problems:
        raise StateError("; ".join(problems))


@dataclass
class WorldState:
    tick: int
    seed: int
    arrays: dict

    def __getattr__(self, name):
        try:
            return self.__dict__["arrays"][name]
        except KeyError:
            raise AttributeError(name) from None

    @property
    def n_agents(self) -> int:
        return int(self.arrays["role"].shape[0])

    @classmethod
    def allocate(cls, n_agents: int, n_regions: int, seed: int) -> "WorldState":
        arrays = {name: np.zeros(f.shape, f.dtype) for name, f in schema(n_agents, n_regions).items()}
        return cls(tick=0, seed=seed, arrays=arrays)

    def field_order(self) -> list[str]:
        return list(AGENT_FIELDS) + sorted(k for k in self.arrays if k not in AGENT_FIELDS)


def bytes_per_agent() -> int:
    return sum(np.dtype(f.dtype).itemsize * int(np.prod(f.shape, dtype=np.int64)) for f in AGENT_FIELDS.values())
