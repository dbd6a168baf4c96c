"""Drafts an NPC archetype: role, faction, stats and threat, all from one
roll so stats grow with threat (see content/tables/npc.json)."""

from ..models.proposal import Tags
from ..rng import Rng
from ..tables import table
from .common import Draft, leaning, lerp_int

TABLES = ["npc", "regions"]


def draft(rng: Rng, inputs: dict, key: str) -> Draft:
    roles = table("npc")["roles"]
    region = inputs["region"]
    role = inputs.get("role") or rng.weighted(table("regions")["regions"][region]["roles"])
    spec = roles[role]
    t = leaning(rng, inputs["strength"])
    payload = {
        "id": f"gen.npc.{key}",
        "role": role,
        "faction": spec["faction"],
        "stats": {
            "health": lerp_int(spec["health"], t),
            "attack": lerp_int(spec["attack"], t),
            "defense": lerp_int(spec["defense"], t),
        },
        "threat": lerp_int(spec["threat"], t),
    }
    tags = Tags(region=region, faction=spec["faction"], threat=payload["threat"], purpose=inputs.get("purpose"))
    return Draft(payload, tags)
