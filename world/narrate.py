"""Turn sampled candidates and region-level outcomes into `Event`s with readable text."""

from __future__ import annotations

from .enums import (MACRO_KINDS, RESOURCES, ROLES, SOCIAL_KINDS, S_DEATH, S_DISCOVERY, S_RAIDER,
                    S_TRADE, S_VICTIM)
from .events import Event, line, who
from .names import agent_name


class Narrator:
    """Agents are named afresh each time (a few microseconds, some 30-40 names a
    tick whatever the head count): a cache of names kept nothing but memory, as
    few names recur once agents are many."""

    def __init__(self, cfg, state):
        self.cfg, self.s = cfg, state

    def who(self, agent: int) -> str:
        s = self.s
        return who(ROLES[s.role[agent]], agent_name(self.cfg.names, s.seed, agent, int(s.gen[agent])))

    def region_name(self, r: int) -> str:
        return self.cfg.regions[r].name

    def agent_events(self, tick: int, ws) -> list[Event]:
        out: list[Event] = []
        cand = ws.candidates()
        for r, region in enumerate(self.cfg.regions):
            trades = cand[S_TRADE][r]
            for j in range(0, len(trades), 2):
                (a, aux), partner = trades[j], trades[j + 1:j + 2]
                res, qty = RESOURCES[aux >> 16], aux & 0xFFFF
                if partner:
                    b = partner[0][0]
                    text = f"{self.who(a)} traded {res} with {self.who(b)}."
                    actors = (a, b)
                else:
                    text = f"{self.who(a)} sold {qty} {res} in {region.name}."
                    actors = (a,)
                out.append(Event(tick, "trade", region.id, actors, {"resource": res, "qty": qty}, line(tick, text)))
            raiders = cand[S_RAIDER][r]
            for j, (victim, loss) in enumerate(cand[S_VICTIM][r]):
                outcome = f"took {loss} coins" if loss else "was driven off"
                if j < len(raiders):
                    raider = raiders[j][0]
                    text = f"{self.who(raider)} ambushed {self.who(victim)} in {region.name} and {outcome}."
                    actors = (raider, victim)
                else:
                    text = f"{self.who(victim)} was ambushed in {region.name}."
                    actors = (victim,)
                out.append(Event(tick, "combat", region.id, actors, {"loot": loss}, line(tick, text)))
            for agent, res in cand[S_DISCOVERY][r]:
                found = RESOURCES[res] if res < len(RESOURCES) else "a hidden trail"
                text = f"{self.who(agent)} discovered {found} in {region.name}."
                out.append(Event(tick, "discovery", region.id, (agent,), {"resource": found}, line(tick, text)))
            for agent, in_battle in cand[S_DEATH][r]:
                how = "fell in battle" if in_battle else "perished"
                text = f"{self.who(agent)} {how} in {region.name}."
                out.append(Event(tick, "death", region.id, (agent,), {"cause": "combat" if in_battle else "hazard"},
                                 line(tick, text)))
        return out

    def macro(self, tick: int, kind: int, regions: list[int], forced: bool = False) -> Event:
        name = MACRO_KINDS[kind]
        spec = self.cfg.macro_events[name]
        where = " and ".join(self.region_name(r) for r in regions)
        ids = [self.cfg.regions[r].id for r in regions]
        detail = {"macro": name, "regions": ids, "duration_ticks": spec["duration_ticks"], "forced": forced}
        return Event(tick, "macro", ids[0] if len(ids) == 1 else None, (), detail,
                     line(tick, f"{spec['label']} {where}."))

    def social(self, tick: int, kind: int, r: int, leader: int) -> Event:
        name = SOCIAL_KINDS[kind]
        spec = self.cfg.social[name]
        text = f"{self.who(leader)} {spec['text']} {self.region_name(r)}."
        return Event(tick, "social", self.cfg.regions[r].id, (leader,),
                     {"social": name, "faction": spec["faction"], "stability": int(self.s.stability[r])},
                     line(tick, text))
