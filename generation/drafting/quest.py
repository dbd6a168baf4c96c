"""Drafts a quest blueprint: a chain of go/kill/fetch/talk/deliver nodes over
the targets frozen into the inputs, conditions and gold rewards
(see content/tables/quest.json)."""

from ..models.proposal import Tags
from ..rng import Rng
from ..tables import table
from .common import Draft, generated_refs, leaning, lerp_int

TABLES = ["quest"]
POOL_OF = {"go": "rooms", "kill": "npcs", "talk": "npcs", "fetch": "items", "deliver": "items"}


def _node(rng: Rng, kind: str, inputs: dict, t: dict, fetched: str | None) -> dict:
    if not inputs[POOL_OF[kind]] or (kind == "deliver" and not inputs["npcs"]):
        kind = "go"
    node = {"kind": kind, "count": 1}
    if kind == "deliver" and fetched:
        node["target"] = fetched
    else:
        node["target"] = rng.choice(sorted(inputs[POOL_OF[kind]]))
    if kind == "kill":
        node["count"] = rng.randint(*t["kill_count"])
    if kind == "fetch":
        node["count"] = rng.randint(*t["fetch_count"])
    if kind == "deliver":
        node["to"] = rng.choice(sorted(inputs["npcs"]))
    return node


def draft(rng: Rng, inputs: dict, key: str) -> Draft:
    t = table("quest")
    nodes, fetched = [], None
    for i, kind in enumerate(rng.choice(t["chains"])):
        node = _node(rng.child(f"node{i}"), kind, inputs, t, fetched)
        fetched = node["target"] if node["kind"] == "fetch" else fetched
        nodes.append({"id": f"step{i + 1}", **node, "after": [nodes[-1]["id"]] if nodes else []})
    lean = leaning(rng, inputs["strength"])
    gold = sum(lerp_int(t["gold_per_node"], lean) for _ in nodes)
    reward_items = [rng.choice(sorted(inputs["items"]))] if inputs["items"] and rng.random() < t["reward_item_chance"] else []
    giver = rng.choice(sorted(inputs["npcs"])) if inputs["npcs"] else None
    payload = {
        "id": f"gen.quest.{key}",
        "region": inputs["region"],
        "giver": giver,
        "nodes": nodes,
        "conditions": {"faction": inputs["faction"], "min_tier": "unknown", "requires": []},
        "rewards": {
            "gold": gold,
            "items": reward_items,
            "reputation": {"faction": inputs["faction"], "amount": rng.randint(*t["reputation"])},
        },
    }
    refs = [n["target"] for n in nodes] + [n.get("to") for n in nodes] + reward_items + [giver]
    tags = Tags(region=inputs["region"], faction=inputs["faction"], purpose=inputs.get("purpose"))
    return Draft(payload, tags, generated_refs(*refs))
