"""Stateful rules, judged against the caller's `GateState`:
`throttle.jobs_per_minute`, `throttle.expansions_in_flight` and
`balance.legendary_rate` (at most `legendary_max` legendaries per
`legendary_window` generations). None of them needs flavor text, so
`throttle` runs before enrichment (a refused job spends no LLM call) and
`admit` re-checks and records once the stateless rules have passed."""

from ..guardrails import Guardrails
from ..models.common import Rarity
from ..models.proposal import Kind, Proposal
from .state import GateState
from .verdict import Reason

JOBS_PER_MINUTE = "throttle.jobs_per_minute"


def throttle(proposal: Proposal, state: GateState, g: Guardrails, now: float) -> list[Reason]:
    """Count this generation (if the per-minute budget allows it) and check
    the limits; records nothing else."""
    state.job_times = [t for t in state.job_times if now - t < 60]
    if len(state.job_times) >= g.jobs_per_minute:
        return [Reason(JOBS_PER_MINUTE, "$", f"{len(state.job_times)} jobs in the last minute, limit {g.jobs_per_minute}")]
    state.job_times.append(now)
    state.generations += 1
    return _limits(proposal, state, g)


def _limits(proposal: Proposal, state: GateState, g: Guardrails) -> list[Reason]:
    reasons = []
    in_flight = [p for p in state.expansions if p != proposal.id]
    if proposal.kind == Kind.room_block and len(in_flight) >= g.expansions_in_flight:
        reasons.append(Reason("throttle.expansions_in_flight", "$", f"expansion(s) {', '.join(in_flight)} still in flight, limit {g.expansions_in_flight}"))
    recent = [n for n in state.legendary_at if n > state.generations - g.legendary_window]
    state.legendary_at = recent
    if proposal.tags.rarity == Rarity.legendary and len(recent) >= g.legendary_max:
        reasons.append(Reason("balance.legendary_rate", "$.tags.rarity", f"{len(recent)} legendary in the last {g.legendary_window} generations, limit {g.legendary_max}"))
    return reasons


def admit(proposal: Proposal, state: GateState, g: Guardrails, now: float, passed: bool, counted: bool = False) -> list[Reason]:
    """If `passed` (stateless rules) and the stateful rules allow it, record
    the proposal as accepted. `counted`: `throttle` already counted it.
    Returns the stateful reasons."""
    reasons = _limits(proposal, state, g) if counted else throttle(proposal, state, g, now)
    if any(r.rule == JOBS_PER_MINUTE for r in reasons):
        return reasons
    if passed and not reasons:
        if proposal.tags.rarity == Rarity.legendary:
            state.legendary_at.append(state.generations)
        if proposal.kind == Kind.room_block:
            state.expansions.append(proposal.id)
    return reasons
