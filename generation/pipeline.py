"""The whole pipeline as plain functions over one runtime folder:
draft → enrich → validate → [approve] → publish. Celery tasks only wrap
`Pipeline.run_job`, `Pipeline.publish_approved` and
`Pipeline.carry_out_decisions`; the CLI uses `make` and `judge` for dry runs.

Nothing wedges: whatever fails between acceptance and publish frees the
expansion slot the proposal held (and re-raises, so the job's attempt is
counted); a proposal a stopped director would not publish is `held` in the
approval queue, and `carry_out_decisions` (run by workers at start, every
maintenance round and after `director resume`) publishes every approved or
held proposal that is still valid, so a lost message or a restart loses no
admin decision."""

import sqlite3
import time
from functools import cached_property

from .approval import AlreadyDecided, ApprovalQueue
from .director.decision_log import DecisionLog
from .director.switch import Switch
from .drafting import draft, resolve_inputs
from .enrich import FlavorProvider, enrich, provider_from_env
from .enrich.usage import UsageLedger
from .guardrails import GuardrailsFile
from .jobs import JobRequest
from .models.proposal import Kind, Proposal
from .publish import Library, LibraryError, PublishBlocked
from .runtime import RuntimePaths
from .validate import GateState, GateStateFile, Verdict, check, pre_check, validate, with_verdict
from .world_index import WorldIndex


def make(kind: Kind | str, seed: int, region: str | None, index: WorldIndex, provider: FlavorProvider, params: dict | None = None) -> Proposal:
    """Draft and enrich."""
    return enrich(draft(kind, seed, resolve_inputs(kind, seed, region, index, params)), provider)


class Pipeline:
    def __init__(self, paths: RuntimePaths | None = None, provider: FlavorProvider | None = None):
        self.paths = paths or RuntimePaths.from_env()
        self.guardrails = GuardrailsFile.of(self.paths)
        self.provider = provider or provider_from_env(lambda: self.guardrails.current().llm, UsageLedger(self.paths.llm_usage_db))
        self.library = Library(self.paths.library, base_world=self.paths.world)
        self.switch = Switch(self.paths.director_state)
        self.gate_state = GateStateFile(self.paths.gate_state)
        self.log = DecisionLog.from_env(self.paths.decision_log)
        self._index: tuple[object, WorldIndex] | None = None

    @cached_property
    def approvals(self) -> ApprovalQueue:
        return ApprovalQueue(self.paths.approval_db)

    def index(self) -> WorldIndex:
        """Base world plus the patches committed at the library's HEAD (never
        the working tree), rebuilt when HEAD moves."""
        head = self.library.head()
        if self._index is None or self._index[0] != head:
            with self.library.head_snapshot() as committed:
                self._index = (head, WorldIndex.load(self.paths.world, committed))
        return self._index[1]

    def judge(self, proposal: Proposal, state: GateState, now: float | None = None, counted: bool = False) -> tuple[Proposal, Verdict]:
        verdict = validate(proposal, self.index(), state, self.guardrails.current(), now, counted)
        return with_verdict(proposal, verdict), verdict

    def _gated(self, job: JobRequest) -> tuple[Proposal, Verdict]:
        """Draft; throttle the draft (a refused one is never enriched, so it
        spends no LLM call); enrich; judge."""
        index = self.index()
        drafted = draft(job.kind, job.seed, resolve_inputs(job.kind, job.seed, job.region, index, job.params))
        with self.gate_state.open() as state:
            early = pre_check(drafted, state, self.guardrails.current())
        if early is not None and not early.accepted:
            return with_verdict(drafted, early), early
        proposal = enrich(drafted, self.provider)
        with self.gate_state.open() as state:
            proposal, verdict = self.judge(proposal, state, counted=True)
            if not verdict.accepted:
                state.release(proposal.id)
        return proposal, verdict

    def _release(self, proposal_id: str) -> None:
        with self.gate_state.open() as state:
            state.release(proposal_id)

    def run_job(self, job: JobRequest) -> dict:
        """Run one job to its end; idempotent per job (and per proposal)."""
        started = time.perf_counter()
        proposal, verdict = self._gated(job)
        outcome = {"job_id": job.job_id, "proposal_id": proposal.id, "verdict": verdict.to_dict(), "commit": None,
                   "provider": proposal.provenance.provider, "fallback_reason": proposal.provenance.fallback_reason}
        if not verdict.accepted:
            outcome["status"] = "rejected"
        elif not job.publish:
            outcome["status"] = "accepted"
            self._release(proposal.id)  # a dry run holds no slot
        elif self.guardrails.current().require_approval:
            try:
                self.approvals.submit(proposal)
            except BaseException:
                self._release(proposal.id)
                raise
            outcome["status"] = "pending"
        else:
            outcome |= self._publish(proposal)
        outcome["elapsed_ms"] = round((time.perf_counter() - started) * 1000, 3)
        if job.publish:
            self.log.write({"type": "outcome", **outcome})
        return outcome

    def _publish(self, proposal: Proposal) -> dict:
        """Publish now, or hold it while the director is stopped; any failure
        frees the proposal's expansion slot and is raised."""
        try:
            published = self.library.publish(proposal, self.switch)
        except PublishBlocked as exc:
            try:
                state = self.approvals.hold(proposal, reason=str(exc))
            except BaseException:
                self._release(proposal.id)
                raise
            return {"status": "held", "held_because": str(exc), "queue_state": state}
        except BaseException:
            self._release(proposal.id)
            raise
        self._release(proposal.id)
        return {"status": "published", "commit": published.commit, "path": published.path, "hash": published.hash}

    def carry_out_decisions(self) -> list[dict]:
        """Publish every approved proposal, and every held one still valid
        (to the admin queue instead when approval is now required); reject
        those no longer valid with the reason; free the slots of decided
        ones. One that fails (git, disk) stays queued for the next round.
        Nothing while the director is stopped. Returns what was done."""
        if not self.switch.read().allows_publish:
            return []
        done = []
        g = self.guardrails.current()
        for queue_state, proposals in (("approved", self.approvals.approved()), ("held", self.approvals.held())):
            for proposal in proposals:
                try:
                    result = self._carry_out(proposal, queue_state, g)
                except (LibraryError, AlreadyDecided, OSError, sqlite3.Error) as exc:  # stays queued for the next round
                    result = {"status": "failed", "error": f"{type(exc).__name__}: {exc}"}
                done.append({"proposal_id": proposal.id, "was": queue_state, **result})
        self._free_decided_slots()
        for record in done:
            self.log.write({"type": "outcome", "job_id": None, **record})
        return done

    def _carry_out(self, proposal: Proposal, queue_state: str, g) -> dict:
        commit = self.library.commit_of(proposal.id)
        if commit:  # published before a crash could mark it
            self.approvals.mark_published(proposal.id, commit)
            return {"status": "published", "commit": commit}
        if queue_state == "held" and g.require_approval:
            self.approvals.to_admin(proposal.id, "held by a stop; approval is now required")
            return {"status": "pending"}
        reasons = check(proposal, self.index(), g)
        if reasons:
            why = "no longer valid: " + "; ".join(f"{r.rule} {r.path}: {r.message}" for r in reasons)
            self.approvals.reject(proposal.id, "pipeline", why, allowed=(queue_state,))
            self._release(proposal.id)
            return {"status": "rejected", "reason": why}
        result = self._publish(proposal)
        if result["status"] == "published":
            self.approvals.mark_published(proposal.id, result["commit"])
        return result

    def _free_decided_slots(self) -> None:
        """Expansion slots of proposals already published or rejected (a
        crash between the decision and the release left them taken)."""
        with self.gate_state.open() as state:
            for proposal_id in list(state.expansions):
                try:
                    queue_state = self.approvals.state(proposal_id)
                except KeyError:
                    queue_state = None
                if queue_state in ("published", "rejected") or (queue_state is None and self.library.commit_of(proposal_id)):
                    state.release(proposal_id)

    def publish_approved(self, proposal_id: str) -> dict:
        """Publish a proposal an admin approved in the queue."""
        state = self.approvals.state(proposal_id)
        if state == "published":
            return {"proposal_id": proposal_id, "status": "published", "commit": self.library.commit_of(proposal_id)}
        if state != "approved":
            raise ValueError(f"{proposal_id} is {state}, not approved")
        # an approval made while stopped stays approved; carry_out_decisions publishes it after resume
        result = self._publish(self.approvals.get(proposal_id))
        if result["status"] == "published":
            self.approvals.mark_published(proposal_id, result["commit"])
        self.log.write({"type": "outcome", "proposal_id": proposal_id, "job_id": None, **result})
        return {"proposal_id": proposal_id, **result}

    def undo(self, proposal_id: str) -> str:
        commit = self.library.undo(proposal_id)
        self.log.write({"type": "undo", "proposal_id": proposal_id, "commit": commit})
        return commit

    def reject(self, proposal_id: str, by: str, reason: str = "") -> Proposal:
        """An admin's reject from the approval queue (frees an expansion slot)."""
        proposal = self.approvals.reject(proposal_id, by, reason)
        self._release(proposal_id)
        self.log.write({"type": "outcome", "proposal_id": proposal_id, "job_id": None, "status": "rejected", "by": by, "reason": reason})
        return proposal
