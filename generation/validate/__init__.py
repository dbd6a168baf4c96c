"""Validate stage (the gate): schema, integrity, balance budgets, content
filter (stateless, `check`), then throttles and the legendary rate
(stateful, against the caller's `GateState`). All limits come from the
guardrails. `gate` returns the proposal with its verdict in its status history."""

import time

from ..clock import utc_now
from ..guardrails import Guardrails
from ..models.proposal import Proposal, Status, StatusEntry
from ..world_index import WorldIndex
from .admission import admit
from .balance import check_balance
from .content_filter import check_content
from .integrity import check_integrity
from .schema import check_schema
from .state import GateState, GateStateFile
from .verdict import Reason, Verdict


def check(proposal: Proposal, index: WorldIndex, guardrails: Guardrails) -> list[Reason]:
    """The stateless rules (also used to re-check an admin's edit)."""
    reasons = check_schema(proposal, guardrails)
    if reasons:
        return reasons
    return check_integrity(proposal, index) + check_balance(proposal, guardrails) + check_content(proposal, guardrails)


def validate(proposal: Proposal, index: WorldIndex, state: GateState, guardrails: Guardrails, now: float | None = None) -> Verdict:
    """Judge once per proposal id: a retry gets the remembered verdict."""
    remembered = state.verdicts.get(proposal.id)
    if remembered is not None:
        return Verdict(remembered["accepted"], [Reason(**r) for r in remembered["reasons"]])
    reasons = check(proposal, index, guardrails)
    reasons += admit(proposal, state, guardrails, time.time() if now is None else now, passed=not reasons)
    verdict = Verdict.of(reasons)
    state.remember(proposal.id, {"accepted": verdict.accepted, "reasons": [r.__dict__ for r in reasons]})
    return verdict


def with_verdict(proposal: Proposal, verdict: Verdict) -> Proposal:
    entry = StatusEntry(status=Status.accepted if verdict.accepted else Status.rejected, at=utc_now(), reasons=verdict.lines())
    return proposal.model_copy(update={"status": proposal.status + [entry]})


__all__ = ["GateState", "GateStateFile", "Reason", "Verdict", "check", "validate", "with_verdict"]
