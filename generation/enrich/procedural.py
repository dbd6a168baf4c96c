"""The offline, deterministic enricher: names, descriptions, barks and quest
text expanded from the grammars in content/tables, seeded by the proposal."""

from ..grammar import expand
from ..models.proposal import Kind, Proposal
from ..rng import Rng
from ..tables import table
from .base import FlavorReply
from .check import checked_flavor


def _region_rules(region: str) -> tuple[dict, dict]:
    r = table("regions")["regions"][region]
    return {"land": r["land"], "feature": r["feature"], "smell": r["smell"]}, {"region_name": r["name"]}


def _npc(p: Proposal, rng: Rng, rules: dict, ctx: dict) -> dict:
    g, role = table("npc")["grammar"], p.payload["role"]
    rules |= g | {"title": g[f"{role}_title"], "gear": g[f"{role}_gear"], "topic": g[f"{role}_topic"]}
    name = expand(rules, "name", rng, ctx)
    ctx = ctx | {"role_word": name.split(" of ")[0].split()[-1]}
    barks = sorted({expand(rules, "bark", rng, ctx) for _ in range(3)})
    return {"name": name, "desc": expand(rules, "desc", rng, ctx), "barks": barks}


def _item(p: Proposal, rng: Rng, rules: dict, ctx: dict) -> dict:
    g, kind, rarity = table("item")["grammar"], p.payload["kind"], p.payload["rarity"]
    rules |= g | {"rarity_adj": g[f"{rarity}_adj"]}
    name = expand(rules, f"{kind}_name", rng, ctx)
    ctx = ctx | {"thing": name, "article": "an" if name[:1] in "aeiou" else "a"}
    return {"name": name, "desc": expand(rules, "desc", rng, ctx)}


def _quest(p: Proposal, rng: Rng, rules: dict, ctx: dict) -> dict:
    rules |= table("quest")["grammar"]
    names = {**p.inputs.get("rooms", {}), **p.inputs.get("npcs", {}), **p.inputs.get("items", {})}
    steps = []
    for node in p.payload["nodes"]:
        node_ctx = ctx | {"target": names.get(node["target"], node["target"]), "count": str(node["count"])}
        if node.get("to"):
            node_ctx["to"] = names.get(node["to"], node["to"])
        steps.append(expand(rules, node["kind"], rng, node_ctx))
    return {
        "title": expand(rules, "title", rng, ctx),
        "intro": expand(rules, "intro", rng, ctx),
        "outro": expand(rules, "outro", rng, ctx),
        "steps": steps,
    }


def _room_block(p: Proposal, rng: Rng, rules: dict, ctx: dict) -> dict:
    rules |= table("room_block")["grammar"]
    purpose = p.payload["purpose"]
    rooms = [
        {"name": expand(rules, f"{purpose}_room", rng, ctx), "desc": expand(rules, f"{purpose}_desc", rng, ctx)}
        for _ in p.payload["rooms"]
    ]
    return {"name": expand(rules, f"{purpose}_name", rng, ctx), "rooms": rooms}


def _world_event(p: Proposal, rng: Rng, rules: dict, ctx: dict) -> dict:
    rules |= table("world_event")["grammar"]
    kind = p.payload["kind"]
    return {"title": expand(rules, f"{kind}_title", rng, ctx), "text": expand(rules, f"{kind}_text", rng, ctx)}


WRITERS = {Kind.npc: _npc, Kind.item: _item, Kind.quest: _quest, Kind.room_block: _room_block, Kind.world_event: _world_event}


class ProceduralProvider:
    name = "procedural"

    def write(self, proposal: Proposal) -> FlavorReply:
        rules, ctx = _region_rules(proposal.tags.region)
        rng = Rng(proposal.seed, f"enrich/{proposal.id}")
        raw = WRITERS[proposal.kind](proposal, rng, rules, ctx)
        return FlavorReply(flavor=checked_flavor(proposal.kind, proposal.payload, raw))
