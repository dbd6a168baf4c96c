"""Structure-of-arrays world state: agent arrays, region arrays, ledger, clock.

Every array listed in AGENT_FIELDS / REGION_FIELDS is part of the digest and of
snapshots; nothing else persists between ticks.  Agent state is 20 bytes.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .enums import FACTIONS, FAUCETS, MACRO_KINDS, RESOURCES, ROLES, SINKS, STATES, TRANSFERS

# name -> (dtype, trailing shape)
AGENT_FIELDS = {
    "role": (np.uint8, ()),
    "faction": (np.uint8, ()),
    "traits": (np.uint8, (4,)),
    "state": (np.uint8, ()),
    "timer": (np.uint8, ()),
    "health": (np.uint8, ()),
    "stamina": (np.uint8, ()),
    "region": (np.uint8, ()),
    "carry_kind": (np.uint8, ()),
    "carry_qty": (np.uint8, ()),
    "gen": (np.uint8, ()),
    "wealth": (np.int32, ()),
    "fame": (np.int16, ()),
}


def region_fields(n_regions: int) -> dict:
    R, K, F = n_regions, len(RESOURCES), len(FACTIONS)
    return {
        "stock": (R, K),          # natural resources, gathered; refreshed at Daybreak
        "stock_cap": (R, K),
        "supply": (R, K),         # market goods, sold into / bought from
        "price": (R, K),
        "treasury": (R,),
        "faction_treasury": (F,),
        "loot_pool": (R,),        # raided coin awaiting division among raiders
        "raiders": (R,),          # bandits in Combat at the end of the last tick
        "pop": (R, len(ROLES)),   # living agents per region and role (last tick)
        "state_counts": (len(STATES),),
        "infamous": (R,),
        "player_infamous": (R,),  # Infamous players present (set by the game, world/player_ledger.py)
        "combats": (R,),
        "deaths": (R,),
        "alignment": (R, F),      # faction sway per region, 0..1000
        "stability": (R,),        # 0..1000
        "macro_left": (len(MACRO_KINDS), R),  # ticks left per macro kind and region
        "flows_total": (len(FAUCETS) + len(SINKS) + len(TRANSFERS),),
        "flows_tick": (len(FAUCETS) + len(SINKS) + len(TRANSFERS),),
        "money": (1,),            # ledger total after the last bookkeeping
        "money_ref": (1,),        # the money supply the Guild exchange steers towards (set at creation)
        "player_coins": (1,),     # coin held by all players together (world/player_ledger.py)
    }


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
        arrays = {name: np.zeros((n_agents,) + shape, dtype) for name, (dtype, shape) in AGENT_FIELDS.items()}
        arrays.update({name: np.zeros(shape, np.int64) for name, shape in region_fields(n_regions).items()})
        return cls(tick=0, seed=seed, arrays=arrays)

    def field_order(self) -> list[str]:
        return list(AGENT_FIELDS) + sorted(k for k in self.arrays if k not in AGENT_FIELDS)


def bytes_per_agent() -> int:
    return sum(np.dtype(dt).itemsize * int(np.prod(shape, dtype=np.int64)) for dt, shape in AGENT_FIELDS.values())
