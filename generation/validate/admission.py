"""Stateful rules, judged after the stateless ones pass: `throttle.jobs_per_minute`,
`throttle.expansions_in_flight` and `balance.legendary_rate` (at most
`legendary_max` legendaries per `legendary_window` generations)."""

from ..guardrails import Guardrails
from ..models.common import Rarity
from ..models.proposal import Kind, Proposal
from .state import GateState
from .verdict import Reason


def admit(proposal: Proposal, state: GateState, g: Guardrails, now: float, passed: bool) -> list[Reason]:
    """Count this generation; if `passed` (stateless rules) and the stateful
    rules allow it, record it as accepted. Returns the stateful reasons."""
    state.job_times = [t for t in state.job_times if now - t < 60]
    if len(state.job_times) >= g.jobs_per_minute:
        return [Reason("throttle.jobs_per_minute", "$", f"{len(state.job_times)} jobs in the last minute, limit {g.jobs_per_minute}")]
    state.job_times.append(now)
    state.generations += 1
    reasons = []
    in_flight = [p for p in state.expansions if p != proposal.id]
    if proposal.kind == Kind.room_block and len(in_flight) >= g.expansions_in_flight:
        reasons.append(Reason("throttle.expansions_in_flight", "$", f"expansion(s) {', '.join(in_flight)} still in flight, limit {g.expansions_in_flight}"))
    legendary = proposal.tags.rarity == Rarity.legendary
    recent = [n for n in state.legendary_at if n > state.generations - g.legendary_window]
    state.legendary_at = recent
    if legendary and len(recent) >= g.legendary_max:
        reasons.append(Reason("balance.legendary_rate", "$.tags.rarity", f"{len(recent)} legendary in the last {g.legendary_window} generations, limit {g.legendary_max}"))
    if passed and not reasons:
        if legendary:
            state.legendary_at.append(state.generations)
        if proposal.kind == Kind.room_block:
            state.expansions.append(proposal.id)
    return reasons
