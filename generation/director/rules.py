"""The director's rules: each looks at one game event (a plain dict) and may
ask for one job. Events:
  {"type": "player_moved", "region", "room", "tags": [...]}            dead end / world edge → room block
  {"type": "npc_killed", "region", "archetype", "boss"|"leader": true}  → power-vacuum world event
  {"type": "kpi", "region", "inflation"?, "population"?, "capacity"?}   (built by figures.kpi_events)
        inflation over the price bound (and no gold-sink merchant live there: "gold_sink_present") → gold-sink merchant; crowding over the bound → residential block
  {"type": "quests", "region", "open", "stale_ticks"}                   none open or stale → new quest
Every event may carry "tick" (simulation time, for cooldowns)."""

from dataclasses import dataclass, field

from ..guardrails import DirectorLimits
from ..models.proposal import Kind
from .switch import Sliders


@dataclass(frozen=True)
class Plan:
    rule: str
    kind: Kind
    region: str
    why: str
    chance: float  # before chaos
    strength: float  # before chaos
    params: dict = field(default_factory=dict)


def dead_end(e: dict, s: Sliders, lim: DirectorLimits) -> Plan | None:
    tags = set(e.get("tags", []))
    if e.get("type") != "player_moved" or not tags & {"dead_end", "edge"}:
        return None
    return Plan("dead_end", Kind.room_block, e["region"], f"player at {'/'.join(sorted(tags & {'dead_end', 'edge'}))} room {e['room']}",
                0.2 + 0.8 * s.expansion, s.expansion, {"anchor": e["room"], "purpose": "expansion"})


def power_vacuum(e: dict, s: Sliders, lim: DirectorLimits) -> Plan | None:
    if e.get("type") != "npc_killed" or not (e.get("boss") or e.get("leader")):
        return None
    return Plan("power_vacuum", Kind.world_event, e["region"], f"{'boss' if e.get('boss') else 'faction leader'} {e['archetype']} killed",
                0.6 + 0.4 * s.aggression, s.aggression, {"event_kind": "power_vacuum", "cause": e["archetype"], "purpose": "power_vacuum"})


def gold_sink(e: dict, s: Sliders, lim: DirectorLimits) -> Plan | None:
    inflation = e.get("inflation")
    if e.get("type") != "kpi" or inflation is None or inflation <= lim.price_index_bound or e.get("gold_sink_present"):
        return None
    return Plan("gold_sink", Kind.npc, e["region"], f"inflation {inflation:g} over bound {lim.price_index_bound:g}",
                0.7, 0.5, {"role": "merchant", "purpose": "gold_sink"})


def overcrowded(e: dict, s: Sliders, lim: DirectorLimits) -> Plan | None:
    pop, cap = e.get("population"), e.get("capacity")
    if e.get("type") != "kpi" or not pop or not cap or pop / cap <= lim.crowding_bound:
        return None
    return Plan("overcrowded", Kind.room_block, e["region"], f"crowding {pop}/{cap} over bound {lim.crowding_bound:g}",
                0.3 + 0.7 * s.expansion, s.expansion, {"purpose": "residential"})


def stale_quests(e: dict, s: Sliders, lim: DirectorLimits) -> Plan | None:
    if e.get("type") != "quests":
        return None
    if e.get("open", 1) == 0:
        why = "every quest in the zone is done"
    elif e.get("stale_ticks", 0) >= lim.stale_quest_ticks:
        why = f"quests stale for {e['stale_ticks']} ticks (bound {lim.stale_quest_ticks})"
    else:
        return None
    return Plan("stale_quests", Kind.quest, e["region"], why, 0.8, s.aggression, {"purpose": "fresh_quest"})


RULES = [dead_end, power_vacuum, gold_sink, overcrowded, stale_quests]
