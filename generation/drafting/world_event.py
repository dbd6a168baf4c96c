"""Drafts a world event: macro kind allowed in the region, duration and
magnitude (see content/tables/world_event.json)."""

from ..models.proposal import Tags
from ..rng import Rng
from ..tables import table
from .common import Draft, leaning, lerp_int

TABLES = ["world_event"]


def draft(rng: Rng, inputs: dict, key: str) -> Draft:
    kinds = table("world_event")["kinds"]
    region = inputs["region"]
    kind = inputs.get("event_kind") or rng.choice(sorted(k for k, v in kinds.items() if region in v["regions"]))
    lean = leaning(rng, inputs["strength"])
    magnitude = lerp_int(kinds[kind]["magnitude"], lean)
    payload = {
        "id": f"gen.world_event.{key}",
        "kind": kind,
        "region": region,
        "duration_ticks": lerp_int(kinds[kind]["duration"], leaning(rng, inputs["strength"])),
        "magnitude": magnitude,
        "cause": inputs.get("cause"),
    }
    tags = Tags(region=region, faction=inputs["faction"], threat=magnitude, purpose=inputs.get("purpose"))
    return Draft(payload, tags)
