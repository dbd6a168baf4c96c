"""Rule `schema`: payload + flavor assemble into the kind's content model, the
flavor is exactly the flavor model, and the kind is one the guardrails allow."""

from ..enrich.check import FlavorRejected, verify_flavor
from ..guardrails import Guardrails
from ..kinds import KINDS
from ..loader import Problem, validate_data
from ..models.proposal import Kind, Proposal
from .verdict import Reason

RULE = "schema"


def check_schema(proposal: Proposal, guardrails: Guardrails) -> list[Reason]:
    spec = KINDS[proposal.kind]
    try:
        verify_flavor(proposal.kind, proposal.payload, proposal.flavor)
    except FlavorRejected as exc:
        return [Reason(RULE, "$.flavor", e) for e in exc.errors]
    reasons = []
    problems: list[Problem] = []
    validate_data(spec.combine(proposal.payload, proposal.flavor), spec.content, "content", problems)
    reasons += [Reason(RULE, p.path, p.reason) for p in problems]
    if proposal.kind == Kind.item and proposal.payload.get("kind") not in guardrails.item_kinds:
        reasons.append(Reason(RULE, "$.payload.kind", f"item kind {proposal.payload.get('kind')!r} is not one of {guardrails.item_kinds}"))
    if proposal.payload.get("id") != f"gen.{proposal.id}":
        reasons.append(Reason(RULE, "$.payload.id", f"content id must be gen.{proposal.id}"))
    return reasons
