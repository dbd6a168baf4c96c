"""Stored proposal bytes and replay: re-draft from (kind, seed, inputs) and
re-enrich from the stored provenance (the stored LLM reply, never a new
call); status history (the only timestamps) is taken from the stored file.
The result must be byte-identical to the stored file."""

from .canonical import canonical_bytes
from .drafting import draft
from .enrich import replay_flavor
from .models.proposal import Proposal


class ReplayMismatch(Exception):
    pass


def proposal_bytes(proposal: Proposal) -> bytes:
    return canonical_bytes(proposal.model_dump(mode="json"))


def replay(stored_bytes: bytes) -> bytes:
    stored = Proposal.model_validate_json(stored_bytes)
    fresh = draft(stored.kind, stored.seed, stored.inputs)
    if fresh.provenance.tables != stored.provenance.tables or fresh.provenance.drafter != stored.provenance.drafter:
        raise ReplayMismatch(f"tables or drafter changed since {stored.id} was made: "
                             f"stored {stored.provenance.tables}, now {fresh.provenance.tables}")
    result = replay_flavor(fresh, stored).model_copy(update={"status": stored.status})
    return proposal_bytes(result)
