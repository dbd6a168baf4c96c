"""Draft stage: seeded tables and grammars → a `Proposal` with its mechanical
payload (no flavor yet). `draft(kind, seed, inputs)` depends only on its
arguments and the table files, so the same seed and inputs give the same
draft. `resolve_inputs` freezes what the drafter needs from the live world
(anchor, targets, occupied cells) into the inputs first."""

from ..canonical import digest
from ..clock import utc_now
from ..models.proposal import Kind, Proposal, Provenance, Status, StatusEntry
from ..rng import Rng
from ..tables import versions
from . import item, npc, quest, room_block, world_event
from .inputs import resolve_inputs

DRAFTER = "generation.drafting/1"

DRAFTERS = {
    Kind.npc: npc,
    Kind.item: item,
    Kind.quest: quest,
    Kind.room_block: room_block,
    Kind.world_event: world_event,
}


def proposal_id(kind: Kind, seed: int, inputs: dict) -> str:
    """`<kind>.<16 hex>`: a hash of kind, seed and inputs."""
    return f"{kind.value}.{digest({'kind': kind.value, 'seed': seed, 'inputs': inputs})[:16]}"


def draft(kind: Kind | str, seed: int, inputs: dict) -> Proposal:
    kind = Kind(kind)
    module = DRAFTERS[kind]
    pid = proposal_id(kind, seed, inputs)
    made = module.draft(Rng(seed, f"draft/{kind.value}"), inputs, pid.split(".", 1)[1])
    return Proposal(
        id=pid,
        kind=kind,
        seed=seed,
        inputs=inputs,
        payload=made.payload,
        tags=made.tags,
        dependencies=made.dependencies,
        status=[StatusEntry(status=Status.drafted, at=utc_now())],
        provenance=Provenance(drafter=DRAFTER, tables=versions(module.TABLES), provider="none"),
    )


__all__ = ["DRAFTERS", "draft", "proposal_id", "resolve_inputs"]
