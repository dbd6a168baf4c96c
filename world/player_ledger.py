"""Players in the simulation's ledger: their coin, their trades and their kills.

Every coin that enters or leaves players is a recorded flow: faucets a new
character's starting purse ("player_purses"), loot ("player_loot"), quest rewards ("quest_rewards") and sales ("player_sales");
sinks purchases ("player_purchases"), fees ("player_fees"), repairs
("player_repairs") and death penalties ("death_penalties").  `player_coins`
holds the coin of all players together and is part of the money supply, so
the per-tick conservation check (systems/bookkeeping.py) covers players.

The game calls `queue_*` from its own thread (the reactor) while a step may be
running in another: a queued change is applied at the start of the next step,
in the step's thread, and `pending_supply` lets the game see the stock that
already-queued trades leave.  Only a short internal lock guards the queue;
nothing here waits for a step.  Players' sales and purchases move the region's
market supply, so prices follow them; a kill marks the agent dead in the
arrays, moves its purse to the region's treasury (transfer "death_purses")
and returns a death event for the event log.  A player who joins a bandit
raid (and beat the caravan's guards, game/raids.py) robs the region's richest
merchant like a raiding bandit does (a `loot_fraction` of its purse into the
region's loot pool, transfer "loot"), takes a raider's share of the pool
(the pool split among last tick's raiders and the player, transfer
"loot_paid" into `player_coins`), unsettles the region (stability falls by
PLAYER_RAID_STABILITY) and returns a combat event naming the player; the game
puts the share in the player's purse when it sees that event.
`set_infamous_players` tells
the simulation where Infamous players stand (they alarm the Market's guards
like an Infamous bandit does, see systems/combat.py).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import numpy as np

from .enums import DEAD, MERCHANT, RESOURCES, ROLES
from .events import Event, line
from .params import LOOT_FRAC
from .systems.gathering import NONE

FAUCET_FLOWS = {"purse": "player_purses", "loot": "player_loot", "quest_reward": "quest_rewards", "sale": "player_sales"}
SINK_FLOWS = {"purchase": "player_purchases", "fee": "player_fees", "repair": "player_repairs",
              "death_penalty": "death_penalties"}
PLAYER_RAID_STABILITY = 5  # of 1000: what one player's raid costs its region's stability


@dataclass(frozen=True)
class _Flow:
    kind: str
    amount: int
    region: int = -1
    resource: int = -1
    qty: int = 0


@dataclass(frozen=True)
class _Infamy:
    per_region: tuple


@dataclass(frozen=True)
class _Kill:
    agent: int
    gen: int
    killer: str


@dataclass(frozen=True)
class _Raid:
    region: int
    raider: str
    player: int


class PlayerLedger:
    """The queue of player transactions of one `Simulation`."""

    def __init__(self, sim):
        self.sim = sim
        self._lock = threading.Lock()
        self._queue: list = []
        self._supply_delta: dict[tuple[int, int], int] = {}

    # ---- called from the game thread ----------------------------------------------------------
    def _resolve(self, region: str | None, resource: str | None) -> tuple[int, int]:
        r = self.sim.config.region_index(region) if region is not None else -1
        if resource is not None and resource not in RESOURCES:
            raise ValueError(f"unknown resource {resource!r}; known: {', '.join(RESOURCES)}")
        return r, (RESOURCES.index(resource) if resource is not None else -1)

    def queue_flow(self, kind: str, amount: int, region: str | None = None, resource: str | None = None,
                   qty: int = 0) -> None:
        """Record coin entering (loot, quest_reward, sale) or leaving (purchase, fee, repair,
        death_penalty) players; a sale or purchase of `qty` units of `resource` moves `region`'s supply."""
        if kind not in FAUCET_FLOWS and kind not in SINK_FLOWS:
            raise ValueError(f"unknown player flow {kind!r}")
        if not isinstance(amount, int) or isinstance(amount, bool) or amount < 0:
            raise ValueError(f"player flow amount must be a non-negative integer, got {amount!r}")
        if qty < 0:
            raise ValueError("qty must be >= 0")
        r, k = self._resolve(region, resource)
        if qty and (r < 0 or k < 0):
            raise ValueError("a trade of goods needs a region and a resource")
        with self._lock:
            if qty and kind == "purchase":
                if self._pending_supply(r, k) < qty:
                    raise ValueError(f"only {self._pending_supply(r, k)} {resource} left in {region}")
                self._supply_delta[(r, k)] = self._supply_delta.get((r, k), 0) - qty
            elif qty and kind == "sale":
                self._supply_delta[(r, k)] = self._supply_delta.get((r, k), 0) + qty
            self._queue.append(_Flow(kind, amount, r, k, qty))

    def queue_kill(self, agent_id: int, killer: str) -> None:
        """A player killed this (living) agent; it dies in the arrays at the next step."""
        s = self.sim.state
        if not 0 <= agent_id < s.n_agents:
            raise ValueError(f"agent id {agent_id} out of range")
        with self._lock:
            self._queue.append(_Kill(int(agent_id), int(s.gen[agent_id]), killer))

    def queue_raid(self, region: str, raider: str, player: int) -> None:
        """A player (`raider`, game id `player`) won a fight in a bandit raid on `region`'s caravans;
        the robbery and the player's share happen at the next step (see the module docstring)."""
        r, _ = self._resolve(region, None)
        with self._lock:
            self._queue.append(_Raid(r, raider, int(player)))

    def set_infamous_players(self, counts: dict[str, int]) -> None:
        """Infamous players per region id (regions left out have none), from the next step on."""
        row = [0] * len(self.sim.config.regions)
        for region, n in counts.items():
            row[self.sim.config.region_index(region)] = int(n)
        with self._lock:
            self._queue.append(_Infamy(tuple(row)))

    def _pending_supply(self, r: int, k: int) -> int:
        return int(self.sim.state.supply[r, k]) + self._supply_delta.get((r, k), 0)

    def pending_supply(self, region: str, resource: str) -> int:
        """The region's market supply of `resource` once the queued trades are applied."""
        r, k = self._resolve(region, resource)
        with self._lock:
            return self._pending_supply(r, k)

    def pending(self) -> int:
        with self._lock:
            return len(self._queue)

    # ---- called from the step thread ----------------------------------------------------------
    def apply_pending(self) -> list[Event]:
        """Apply every queued change (start of a step, after the tick's flows were reset)."""
        with self._lock:
            queue, self._queue = self._queue, []
            self._supply_delta = {}
        events = []
        s = self.sim.state
        for item in queue:
            if isinstance(item, _Infamy):
                s.player_infamous[:] = item.per_region
                continue
            if isinstance(item, _Kill):
                event = self._kill(item)
                if event is not None:
                    events.append(event)
                continue
            if isinstance(item, _Raid):
                events.append(self._raid(item))
                continue
            if item.kind in FAUCET_FLOWS:
                s.player_coins[0] += item.amount
                self.sim._sink(FAUCET_FLOWS[item.kind], item.amount)
            else:
                s.player_coins[0] -= item.amount
                self.sim._sink(SINK_FLOWS[item.kind], item.amount)
            if item.qty and item.kind == "sale":
                s.supply[item.region, item.resource] += item.qty
            elif item.qty:
                s.supply[item.region, item.resource] -= min(item.qty, int(s.supply[item.region, item.resource]))
        return events

    def _kill(self, kill: _Kill) -> Event | None:
        s, sim = self.sim.state, self.sim
        i = kill.agent
        if s.state[i] == DEAD or int(s.gen[i]) != kill.gen:
            return None  # died on its own meanwhile
        r = int(s.region[i])
        purse = int(s.wealth[i])
        s.treasury[r] += purse
        sim._sink("death_purses", purse)
        s.wealth[i] = 0
        s.health[i] = 0
        s.carry_qty[i] = 0
        s.carry_kind[i] = NONE
        s.state[i] = DEAD
        region = sim.config.regions[r]
        victim = sim.narrator.who(i)
        text = f"{victim} was slain by {kill.killer} in {region.name}."
        return Event(s.tick, "death", region.id, (i,), {"cause": "player", "killer": kill.killer,
                                                        "role": ROLES[int(s.role[i])]}, line(s.tick, text))


    def _raid(self, raid: _Raid) -> Event:
        s, sim, r = self.sim.state, self.sim, raid.region
        merchants = np.flatnonzero((s.region == r) & (s.role == MERCHANT) & (s.state != DEAD))
        victim, loss = None, 0
        if merchants.size:
            victim = int(merchants[np.argmax(s.wealth[merchants])])
            loss = int(s.wealth[victim]) * int(sim.P[LOOT_FRAC]) >> 16
            s.wealth[victim] -= loss
            s.loot_pool[r] += loss
            sim._sink("loot", loss)
        share = int(s.loot_pool[r]) // (int(s.raiders[r]) + 1)
        s.loot_pool[r] -= share
        s.player_coins[0] += share
        sim._sink("loot_paid", share)
        s.stability[r] = max(0, int(s.stability[r]) - PLAYER_RAID_STABILITY)
        region = sim.config.regions[r]
        target = f"robbed {sim.narrator.who(victim)} of {loss} coins" if victim is not None else "found no caravan"
        text = f"{raid.raider} rode with the bandits in {region.name}, {target} and took a share of {share} coins."
        detail = {"raider": raid.raider, "player": raid.player, "loot": loss, "share": share}
        return Event(s.tick, "combat", region.id, (victim,) if victim is not None else (), detail, line(s.tick, text))
