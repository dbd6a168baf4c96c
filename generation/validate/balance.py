"""Rules `balance.*`: stateless budgets from the guardrails (item power and
value by rarity, NPC threat by region and stat points by threat, quest gold
faucet, block size, event strength). The legendary rate is stateful and
lives in `admission`. `budget_usage` lists, for an admin, each budget a
proposal draws on: what it uses and what the guardrails allow."""

from ..guardrails import Guardrails
from ..models.proposal import Kind, Proposal
from .verdict import Reason


def npc_stat_points(stats: dict) -> float:
    return stats["health"] / 5 + stats["attack"] + stats["defense"]


def npc_stat_budget(threat: int, g: Guardrails) -> float:
    return g.npc_stat_points_base + g.npc_stat_points_per_threat * threat


def quest_gold_budget(p: dict, g: Guardrails) -> int:
    return min(g.quest_gold_max, g.quest_gold_per_node * len(p["nodes"]))


def _item(p: dict, g: Guardrails) -> list[Reason]:
    out = []
    rarity = p["rarity"]
    if p["power"] > g.item_power_by_rarity[rarity]:
        out.append(Reason("balance.item_power", "$.payload.power", f"power {p['power']} is over the {rarity} budget {g.item_power_by_rarity[rarity]}"))
    if p["value"] > g.item_value_by_rarity[rarity]:
        out.append(Reason("balance.item_value", "$.payload.value", f"value {p['value']} is over the {rarity} budget {g.item_value_by_rarity[rarity]}"))
    return out


def _npc(p: dict, g: Guardrails, region: str) -> list[Reason]:
    out = []
    cap = g.npc_threat_by_region.get(region, 0)
    if p["threat"] > cap:
        out.append(Reason("balance.npc_threat", "$.payload.threat", f"threat {p['threat']} is over {region}'s budget {cap}"))
    points, budget = npc_stat_points(p["stats"]), npc_stat_budget(p["threat"], g)
    if points > budget:
        out.append(Reason("balance.npc_stats", "$.payload.stats", f"stat points {points:g} are over {budget:g} for threat {p['threat']}"))
    return out


def _quest(p: dict, g: Guardrails) -> list[Reason]:
    out = []
    cap = quest_gold_budget(p, g)
    if p["rewards"]["gold"] > cap:
        out.append(Reason("balance.quest_gold", "$.payload.rewards.gold", f"gold {p['rewards']['gold']} is over the faucet budget {cap}"))
    if len(p["rewards"]["items"]) > g.quest_reward_items_max:
        out.append(Reason("balance.quest_items", "$.payload.rewards.items", f"more than {g.quest_reward_items_max} reward item(s)"))
    return out


def _room_block(p: dict, g: Guardrails) -> list[Reason]:
    if len(p["rooms"]) > g.room_block_max_rooms:
        return [Reason("balance.block_size", "$.payload.rooms", f"{len(p['rooms'])} rooms, budget {g.room_block_max_rooms}")]
    return []


def _world_event(p: dict, g: Guardrails) -> list[Reason]:
    out = []
    if p["magnitude"] > g.event_magnitude_max:
        out.append(Reason("balance.event_magnitude", "$.payload.magnitude", f"magnitude {p['magnitude']} over {g.event_magnitude_max}"))
    if p["duration_ticks"] > g.event_duration_max:
        out.append(Reason("balance.event_duration", "$.payload.duration_ticks", f"{p['duration_ticks']} ticks over {g.event_duration_max}"))
    return out


def check_balance(proposal: Proposal, g: Guardrails) -> list[Reason]:
    p = proposal.payload
    if proposal.kind == Kind.npc:
        return _npc(p, g, proposal.tags.region)
    return {Kind.item: _item, Kind.quest: _quest, Kind.room_block: _room_block, Kind.world_event: _world_event}[proposal.kind](p, g)


def budget_usage(proposal: Proposal, g: Guardrails) -> list[tuple[str, float, float]]:
    """(budget, used, allowed) for every budget the proposal's kind draws on."""
    p = proposal.payload
    if proposal.kind == Kind.item:
        return [("item power", p["power"], g.item_power_by_rarity[p["rarity"]]),
                ("item value", p["value"], g.item_value_by_rarity[p["rarity"]])]
    if proposal.kind == Kind.npc:
        return [("npc threat", p["threat"], g.npc_threat_by_region.get(proposal.tags.region, 0)),
                ("npc stat points", npc_stat_points(p["stats"]), npc_stat_budget(p["threat"], g))]
    if proposal.kind == Kind.quest:
        return [("quest gold", p["rewards"]["gold"], quest_gold_budget(p, g)),
                ("quest reward items", len(p["rewards"]["items"]), g.quest_reward_items_max)]
    if proposal.kind == Kind.room_block:
        return [("rooms in block", len(p["rooms"]), g.room_block_max_rooms)]
    return [("event magnitude", p["magnitude"], g.event_magnitude_max),
            ("event duration (ticks)", p["duration_ticks"], g.event_duration_max)]
