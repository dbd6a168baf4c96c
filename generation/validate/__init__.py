"""Validate stage (the gate): schema, integrity, balance budgets, content
filter (stateless, `check`), then throttles and the legendary rate
(stateful, against the caller's `GateState`; `pre_check` applies them to
the draft before enrichment). All limits come from the
guardrails. `gate` returns the proposal with its verdict in its status history."""

import time

from ..clock import utc_now
from ..guardrails import Guardrails
from ..models.proposal import Proposal, Status, StatusEntry
from ..world_index import WorldIndex
from .admission import admit, throttle
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


def _remembered(proposal: Proposal, state: GateState) -> Verdict | None:
    remembered = state.verdicts.get(proposal.id)
    if remembered is None:
        return None
    return Verdict(remembered["accepted"], [Reason(**r) for r in remembered["reasons"]])


def _remember(proposal: Proposal, state: GateState, reasons: list[Reason]) -> Verdict:
    verdict = Verdict.of(reasons)
    state.remember(proposal.id, {"accepted": verdict.accepted, "reasons": [r.__dict__ for r in reasons]})
    return verdict


def pre_check(proposal: Proposal, state: GateState, guardrails: Guardrails, now: float | None = None) -> Verdict | None:
    """Before enrichment (on the draft): count the job and apply the
    stateful limits. Returns the final verdict when the draft is refused (or
    was judged before), None when it may go on to enrichment and `validate(...,
    counted=True)`."""
    remembered = _remembered(proposal, state)
    if remembered is not None:
        return remembered
    reasons = throttle(proposal, state, guardrails, time.time() if now is None else now)
    return _remember(proposal, state, reasons) if reasons else None


def validate(proposal: Proposal, index: WorldIndex, state: GateState, guardrails: Guardrails, now: float | None = None,
             counted: bool = False) -> Verdict:
    """Judge once per proposal id: a retry gets the remembered verdict.
    `counted`: `pre_check` already counted this job."""
    remembered = _remembered(proposal, state)
    if remembered is not None:
        return remembered
    reasons = check(proposal, index, guardrails)
    reasons += admit(proposal, state, guardrails, time.time() if now is None else now, passed=not reasons, counted=counted)
    return _remember(proposal, state, reasons)


def with_verdict(proposal: Proposal, verdict: Verdict) -> Proposal:
    entry = StatusEntry(status=Status.accepted if verdict.accepted else Status.rejected, at=utc_now(), reasons=verdict.lines())
    return proposal.model_copy(update={"status": proposal.status + [entry]})


__all__ = ["GateState", "GateStateFile", "Reason", "Verdict", "check", "pre_check", "validate", "with_verdict"]
