"""The simulation facade the game uses: create, step, inspect, snapshot, admin events.

    sim = Simulation.create(load_config(), agents=300_000, seed=7)
    events = sim.step()          # one tick, all systems in order; safe to call from a thread
    sim.kpis(); sim.region_view("market"); sim.agents_in_region("forest", 5)
    sim.save(path); Simulation.load(path); sim.trigger_macro("drought", "plains")
    sim.set_supply("market", "crops", 0)   # an admin's embargo (or convoy): priced at once

A tick: queued player transactions (player_ledger) -> trade prices -> pass A
(ai, movement, gathering requests, raids, sale offers) -> grants, attack odds
and pay ratios -> pass B (gathering, trade, combat, population, reputation) ->
region totals -> market consumption -> calendar (at Daybreak: regrowth,
treasury upkeep, the exchange steering the money supply) -> macro -> social ->
bookkeeping.

Threading: step() releases the GIL inside the kernels.  Call step(), save(),
load(), trigger_macro() and set_supply() from one thread at a time; the views (kpis,
region_view, agent_view, agents_in_region) are meant for between steps and
may show a half-updated tick if called while a step runs.
"""

from __future__ import annotations

import hashlib
import json
import time

import numpy as np

from . import kernels, snapshot
from .config import SimConfig
from .enums import (DEAD, FACTIONS, MACRO_KINDS, MERCHANT, RESOURCES, ROLES, STATES, TRAITS)
from .events import Event
from .names import agent_name
from .narrate import Narrator
from .params import DAYBREAK, N_TICK, TRADE_BOOST, neighbour_table, q16, role_params, scalar_params
from .rng import AGENT_A, AGENT_B, CREATE, tick_key
from .state import WorldState, bytes_per_agent
from .player_ledger import PlayerLedger
from .systems import (bookkeeping, calendar, combat, exchange, gathering, macro, movement, population, reputation,
                      social, trade)
from .workspace import (K_DEMAND_MKT, K_DEMAND_NAT, K_SOLD, K_TAKEN_MKT, K_TAKEN_NAT, R_ATTACKERS, R_COMBATS,
                        R_DEATH_PURSE, R_DEATHS, R_INFAMOUS, R_LOOT, R_OFFERS, R_PAID, R_PURCHASES, R_RAIDERS,
                        R_SALES, R_UPKEEP, S_BIRTH_PURSE, S_WEALTH, S_WEALTH_MIN, Workspace)

LedgerError = bookkeeping.LedgerError


class Simulation:
    """Background world of N agents; see the module docstring for the tick order."""

    def __init__(self, config: SimConfig, state: WorldState):
        self.config, self.state = config, state
        cfg, n = config, state.n_agents
        self.P = scalar_params(cfg)
        self.T = np.zeros(N_TICK, np.int64)
        self.rp = role_params(cfg)
        self.nb, self.deg = neighbour_table(cfg)
        self.base_price = np.array([cfg.resource_params[k]["base_price"] for k in RESOURCES], np.int64)
        self.market_ref = np.full((len(cfg.regions), len(RESOURCES)),
                                  max(1, int(n * cfg.population["market_ref_per_agent"])), np.int64)
        self.regen = gathering.base_regen(cfg, n)
        self.faction_bp = np.array([calendar.basis_points(cfg.faction_params[f]["tariff"]) for f in FACTIONS],
                                   np.int64)
        self.hazard_q = np.array([q16(cfg.biomes[r.biome]["hazard"]) for r in cfg.regions], np.int64)
        self.ws = Workspace(n, len(cfg.regions), cfg.events["per_kind_per_region"])
        self.narrator = Narrator(cfg, state)
        self.consume_ppm = trade.consumption_ppm(cfg)
        self.players = PlayerLedger(self)
        self.last_step_ms = 0.0
        self._stepping = False

    # ---- construction -------------------------------------------------------------------------
    @classmethod
    def create(cls, config: SimConfig, agents: int, seed: int) -> "Simulation":
        if agents < 1:
            raise ValueError("agents must be >= 1")
        if not 0 <= seed < 2**63:
            raise ValueError("seed must be within 0 .. 2**63-1")
        state = WorldState.allocate(agents, len(config.regions), seed)
        sim = cls(config, state)
        s, rp = state, sim.rp
        s.stock_cap[:] = sim.regen * config.population["stock_days"]
        s.stock[:] = s.stock_cap
        s.supply[:] = sim.market_ref
        s.alignment[:] = 100
        for r, region in enumerate(config.regions):
            s.alignment[r, FACTIONS.index(region.controller)] = 600
        s.stability[:] = 500
        role_cw, home_cw = population.birth_tables(config, rp, s.macro_left)
        purses = kernels.create_agents(sim.ws.bounds, np.uint64(tick_key(seed, CREATE, 0)), role_cw, home_cw,
                                       rp["purse"], rp["faction"], s.role, s.faction, s.traits, s.state, s.timer,
                                       s.health, s.stamina, s.region, s.carry_kind, s.carry_qty, s.gen, s.wealth,
                                       s.fame)
        seeded = exchange.seed_treasuries(config, s, agents)
        s.money[0] = s.money_ref[0] = purses + seeded
        s.flows_total[bookkeeping.FLOWS.index("births")] = purses
        s.flows_total[bookkeeping.FLOWS.index("mint")] = seeded
        s.pop[:] = np.bincount(s.region.astype(np.int64) * len(ROLES) + s.role, minlength=s.pop.size
                               ).reshape(s.pop.shape)
        s.state_counts[0] = agents
        return sim

    @classmethod
    def load(cls, path) -> "Simulation":
        """The simulation saved at `path`; raises snapshot.SnapshotError for a
        file that is unreadable or does not match the state definition."""
        state, config = snapshot.load(path)
        return cls(config, state)

    def save(self, path):
        return snapshot.save(self.state, self.config.to_json(), path)

    # ---- properties ---------------------------------------------------------------------------
    @property
    def tick(self) -> int:
        return self.state.tick

    @property
    def seed(self) -> int:
        return self.state.seed

    @property
    def n_agents(self) -> int:
        return self.state.n_agents

    @property
    def season(self) -> str:
        return calendar.season_name(self.config, self.tick)

    @property
    def epoch(self) -> str:
        return calendar.epoch_name(self.config, self.tick)

    # ---- ticking ------------------------------------------------------------------------------
    def run(self, ticks: int) -> list[Event]:
        events: list[Event] = []
        for _ in range(ticks):
            events.extend(self.step())
        return events

    def _sink(self, name: str, amount: int) -> None:
        bookkeeping.record(self.state, name, amount)

    def step(self) -> list[Event]:
        """Advance one tick through every system in order; returns the tick's sampled events."""
        start = time.perf_counter()
        cfg, s, ws, rp, P, T = self.config, self.state, self.ws, self.rp, self.P, self.T
        t = s.tick
        s.flows_tick[:] = 0
        player_events = self.players.apply_pending()
        epoch = cfg.epochs[calendar.epoch_index(cfg, t)]
        eff = macro.effects(cfg, s)
        T[DAYBREAK] = int(calendar.day_starts(cfg, t))
        T[TRADE_BOOST] = q16(cfg.fsm["sell_early"] * epoch["trade"])
        # trade: prices and caravan targets from current supply
        s.price[:] = trade.prices(self.base_price, s.supply, self.market_ref,
                                  eff["price"] * exchange.money_factor(cfg, s))
        best_nb = movement.best_neighbours(s.price, self.nb, self.deg)
        pick = trade.merchant_pick(s.price, s.supply, best_nb)
        gather_cw = gathering.gather_choice(rp["prefers"], s.stock)
        discover_q = gathering.discovery_odds(cfg, gather_cw, pick, eff["discovery"])
        alarm = combat.alarm(cfg, s.infamous + s.player_infamous)
        raid_q = combat.raid_odds(cfg, s.pop, s.stability, epoch["bandit"], eff["raid"], alarm)
        shares = combat.loot_shares(s.loot_pool, s.raiders)
        ws.reset()
        kernels.pass_a(ws.bounds, np.uint64(tick_key(s.seed, AGENT_A, t)), P, T, s.role, s.traits, s.state,
                       s.timer, s.health, s.stamina, s.region, s.carry_kind, s.carry_qty, s.wealth, s.fame,
                       discover_q, raid_q, shares, gather_cw, pick, s.price, self.nb, self.deg, best_nb,
                       rp["carry_cap"], rp["gather_rate"], ws.acc_r, ws.acc_k, ws.cand_pri, ws.cand_id,
                       ws.cand_aux)
        acc_r, acc_k = ws.total("acc_r"), ws.total("acc_k")
        pay_q = trade.pay_ratio(s.treasury, acc_r[:, R_OFFERS])
        s.loot_pool -= acc_r[:, R_PAID]
        bookkeeping.record(s, "loot_paid", int(acc_r[:, R_PAID].sum()))
        grant_nat = gathering.grant(s.stock, acc_k[..., K_DEMAND_NAT])
        grant_mkt = gathering.grant(s.supply, acc_k[..., K_DEMAND_MKT])
        attacked_q = combat.attacked_odds(cfg, acc_r[:, R_ATTACKERS], s.pop[:, MERCHANT])
        bandit_win_q = combat.bandit_win_odds(cfg, alarm)
        tariff_bp = trade.tariff_table(s.alignment, self.faction_bp)
        controller = trade.controllers(s.alignment)
        heal = np.rint(cfg.fsm["rest_heal"] * eff["heal"]).astype(np.int64)
        role_cw, home_cw = population.birth_tables(cfg, rp, s.macro_left)
        kernels.pass_b(ws.bounds, np.uint64(tick_key(s.seed, AGENT_B, t)), P, T, s.role, s.faction, s.traits,
                       s.state, s.timer, s.health, s.stamina, s.region, s.carry_kind, s.carry_qty, s.gen, s.wealth,
                       s.fame, grant_nat, grant_mkt, s.price, pay_q, tariff_bp, controller, attacked_q, bandit_win_q,
                       self.hazard_q, heal, best_nb, rp["carry_cap"], rp["gather_rate"], role_cw, home_cw,
                       rp["purse"], rp["faction"], ws.acc_r, ws.acc_k, ws.acc_s, ws.tariffs, ws.pop, ws.states,
                       ws.champ, ws.cand_pri, ws.cand_id, ws.cand_aux)
        self._apply_region_totals(ws)
        events = player_events + self.narrator.agent_events(t, ws)
        # calendar, macro, social
        s.tick = t + 1
        macro.countdown(s)
        trade.consume(s.supply, self.consume_ppm)
        if calendar.day_starts(cfg, s.tick):
            regen = np.floor(self.regen * calendar.season_yield(cfg, s.tick)[:, None] * eff["regen"]).astype(np.int64)
            calendar.daybreak(cfg, s, regen, self._sink)
            exchange.steer(cfg, s, self._sink, self._sink)
            for kind, r in macro.roll(cfg, s, s.tick):
                macro.start(cfg, s, kind, [r], self._sink)
                events.append(self.narrator.macro(t, kind, [r]))
        for kind, r, leader in social.roll(cfg, s, t, ws.champions()):
            events.append(self.narrator.social(t, kind, r, leader))
        acc_s = ws.total("acc_s")
        bookkeeping.check(s, int(acc_s[S_WEALTH]), int(acc_s[S_WEALTH_MIN]))
        self.last_step_ms = (time.perf_counter() - start) * 1000.0
        return events

    def _apply_region_totals(self, ws) -> None:
        s = self.state
        acc_r, acc_k, acc_s = ws.total("acc_r"), ws.total("acc_k"), ws.total("acc_s")
        tariffs = ws.total("tariffs")
        s.stock -= acc_k[..., K_TAKEN_NAT]
        s.supply += acc_k[..., K_SOLD] - acc_k[..., K_TAKEN_MKT]
        s.treasury += acc_r[:, R_PURCHASES] + acc_r[:, R_DEATH_PURSE] + acc_r[:, R_UPKEEP] - acc_r[:, R_SALES]
        s.faction_treasury += tariffs
        s.loot_pool += acc_r[:, R_LOOT]
        for name, amount in (("sales", acc_r[:, R_SALES].sum()), ("births", acc_s[S_BIRTH_PURSE]),
                             ("upkeep", acc_r[:, R_UPKEEP].sum()), ("tariffs", tariffs.sum()),
                             ("purchases", acc_r[:, R_PURCHASES].sum()), ("loot", acc_r[:, R_LOOT].sum()),
                             ("death_purses", acc_r[:, R_DEATH_PURSE].sum())):
            bookkeeping.record(s, name, int(amount))
        s.raiders[:] = acc_r[:, R_RAIDERS]
        s.infamous[:] = acc_r[:, R_INFAMOUS]
        s.combats[:] = acc_r[:, R_COMBATS]
        s.deaths[:] = acc_r[:, R_DEATHS]
        s.pop[:] = ws.total("pop")
        s.state_counts[:] = ws.total("states")

    # ---- admin --------------------------------------------------------------------------------
    def trigger_macro(self, kind: str, region: str | None = None) -> Event:
        """Force a macro event now; region None strikes every region configured for the kind."""
        cfg, s = self.config, self.state
        macro.validate(cfg, kind, region)
        k = MACRO_KINDS.index(kind)
        regions = ([cfg.region_index(region)] if region is not None
                   else [cfg.region_index(r) for r in cfg.macro_events[kind]["regions"]])
        if not regions:
            raise ValueError(f"macro event {kind!r} has no configured regions; name one")
        s.flows_tick[:] = 0
        macro.start(cfg, s, k, regions, self._sink)
        bookkeeping.check(s, int(kernels.wealth_total(s.wealth)), int(s.wealth.min()))
        return self.narrator.macro(s.tick, k, regions, forced=True)

    def set_supply(self, region: str, resource: str, qty: int) -> int:
        """Set a region's market supply of one resource (an embargo empties it, a convoy fills it)
        and its prices at once, from the new scarcity; returns the resource's new price there."""
        if resource not in RESOURCES:
            raise ValueError(f"unknown resource {resource!r}; known: {', '.join(RESOURCES)}")
        if not isinstance(qty, int) or qty < 0:
            raise ValueError(f"supply must be a whole number >= 0, got {qty!r}")
        cfg, s = self.config, self.state
        r, k = self._region(region), RESOURCES.index(resource)
        s.supply[r, k] = qty
        mult = macro.effects(cfg, s)["price"] * exchange.money_factor(cfg, s)
        s.price[r] = trade.prices(self.base_price, s.supply[r:r + 1], self.market_ref[r:r + 1], mult[r:r + 1])[0]
        return int(s.price[r, k])

    # ---- inspection ---------------------------------------------------------------------------
    def digest(self) -> str:
        """sha256 over tick, seed and every state array (little-endian, fixed order)."""
        s = self.state
        h = hashlib.sha256()
        h.update(json.dumps({"tick": s.tick, "seed": s.seed}).encode())
        for name in s.field_order():
            a = s.arrays[name]
            le = a.astype(a.dtype.newbyteorder("<"), copy=False)
            h.update(f"{name}:{le.dtype.str}:{a.shape}".encode())
            h.update(np.ascontiguousarray(le).data)
        return h.hexdigest()

    def kpis(self) -> dict:
        s, cfg = self.state, self.config
        pi = trade.price_index(s.price, self.base_price)
        # prices against what each region's own scarcity sets: the money factor and macro price effects
        inflation = macro.effects(cfg, s)["price"] * exchange.money_factor(cfg, s)
        return {
            "tick": s.tick,
            "agents": self.n_agents,
            "agents_alive": int(self.n_agents - s.state_counts[DEAD]),
            "roles": {ROLES[i]: int(v) for i, v in enumerate(s.pop.sum(axis=0))},
            "states": {STATES[i]: int(v) for i, v in enumerate(s.state_counts)},
            "money_supply": int(s.money[0]),
            "money_reference": int(s.money_ref[0]),
            "player_coins": int(s.player_coins[0]),
            "flows_last_tick": bookkeeping.flows_dict(s.flows_tick),
            "price_index": {r.id: round(float(pi[i]), 2) for i, r in enumerate(cfg.regions)},
            "inflation": {r.id: round(float(inflation[i]), 3) for i, r in enumerate(cfg.regions)},
            "active_events": macro.active(cfg, s),
            "season": self.season,
            "epoch": self.epoch,
            "last_step_ms": round(self.last_step_ms, 3),
            "bytes_per_agent": bytes_per_agent(),
        }

    def _region(self, region_id: str) -> int:
        return self.config.region_index(region_id)

    def region_view(self, region_id: str) -> dict:
        cfg, s = self.config, self.state
        r = self._region(region_id)
        region = cfg.regions[r]
        ctrl = int(trade.controllers(s.alignment)[r])
        return {
            "id": region.id,
            "name": region.name,
            "biome": region.biome,
            "population": int(s.pop[r].sum()),
            "roles": {ROLES[i]: int(v) for i, v in enumerate(s.pop[r])},
            "prices": {k: int(s.price[r, i]) for i, k in enumerate(RESOURCES)},
            "stocks": {k: int(s.stock[r, i]) for i, k in enumerate(RESOURCES)},
            "supply": {k: int(s.supply[r, i]) for i, k in enumerate(RESOURCES)},
            "supply_index": {k: round(float(s.supply[r, i] / self.market_ref[r, i]), 3)
                             for i, k in enumerate(RESOURCES)},
            "season": self.season,
            "epoch": self.epoch,
            "active_events": [e["kind"] for e in macro.active(cfg, s) if e["region"] == region.id],
            "stability": int(s.stability[r]),
            "controller": FACTIONS[ctrl],
            "alignment": {f: int(s.alignment[r, i]) for i, f in enumerate(FACTIONS)},
            "treasury": int(s.treasury[r]),
            "raiders": int(s.raiders[r]),
            "loot_pool": int(s.loot_pool[r]),
            "alarm": bool(combat.alarm(cfg, s.infamous + s.player_infamous)[r]),
        }

    def agents_in_region(self, region_id: str, limit: int, roles=None) -> list[int]:
        """Up to `limit` living agents in the region, most famous first (ties: lower id)."""
        r = self._region(region_id)
        if limit < 0:
            raise ValueError("limit must be >= 0")
        if roles is None:
            mask = np.ones(len(ROLES), np.bool_)
        else:
            unknown = [x for x in roles if x not in ROLES]
            if unknown:
                raise ValueError(f"unknown roles {unknown}; known roles: {', '.join(ROLES)}")
            mask = np.array([x in roles for x in ROLES], np.bool_)
        if limit == 0:
            return []
        s = self.state
        return [int(i) for i in kernels.top_agents(s.region, s.state, s.role, s.fame, r, limit, mask)]

    def agent_view(self, agent_id: int) -> dict:
        s, cfg = self.state, self.config
        if not 0 <= agent_id < self.n_agents:
            raise ValueError(f"agent id {agent_id} out of range 0..{self.n_agents - 1}")
        i = int(agent_id)
        role = int(s.role[i])
        return {
            "id": i,
            "name": agent_name(cfg.names, s.seed, i, int(s.gen[i])),
            "alive": bool(s.state[i] != DEAD),
            "role": ROLES[role],
            "faction": FACTIONS[s.faction[i]],
            "state": STATES[s.state[i]],
            "health": int(s.health[i]),
            "stamina": int(s.stamina[i]),
            "wealth": int(s.wealth[i]),
            "fame": int(s.fame[i]),
            "reputation": reputation.tier(cfg, role, int(s.fame[i])),
            "region": cfg.regions[s.region[i]].id,
            "carrying": ({"resource": RESOURCES[s.carry_kind[i]], "qty": int(s.carry_qty[i])}
                         if s.carry_qty[i] else None),
            "personality": {t: int(s.traits[i, j]) for j, t in enumerate(TRAITS)},
        }
