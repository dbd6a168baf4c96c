"""The whole pipeline as plain functions over one runtime folder:
draft → enrich → validate → [approve] → publish. Celery tasks only wrap
`Pipeline.run_job` and `Pipeline.publish_approved`; the CLI uses `make` and
`judge` for dry runs."""

import os
import time
from functools import cached_property

from .approval import ApprovalQueue
from .director.decision_log import DecisionLog
from .director.switch import Switch
from .drafting import draft, resolve_inputs
from .enrich import FlavorProvider, enrich, provider_from_env
from .enrich.usage import UsageLedger
from .guardrails import GuardrailsFile
from .jobs import JobRequest
from .models.proposal import Kind, Proposal
from .publish import Library, PublishBlocked
from .runtime import RuntimePaths
from .validate import GateState, GateStateFile, Verdict, validate, with_verdict
from .world_index import WorldIndex


def make(kind: Kind | str, seed: int, region: str | None, index: WorldIndex, provider: FlavorProvider, params: dict | None = None) -> Proposal:
    """Draft and enrich."""
    return enrich(draft(kind, seed, resolve_inputs(kind, seed, region, index, params)), provider)


class Pipeline:
    def __init__(self, paths: RuntimePaths | None = None, provider: FlavorProvider | None = None):
        self.paths = paths or RuntimePaths.from_env()
        self.guardrails = GuardrailsFile.of(self.paths)
        self.provider = provider or provider_from_env(lambda: self.guardrails.current().llm, UsageLedger(self.paths.llm_usage_db))
        self.library = Library(self.paths.library)
        self.switch = Switch(self.paths.director_state)
        self.gate_state = GateStateFile(self.paths.gate_state)
        self.log = DecisionLog(self.paths.decision_log)
        self._index: tuple[object, WorldIndex] | None = None

    @cached_property
    def approvals(self) -> ApprovalQueue:
        return ApprovalQueue(self.paths.approval_db)

    def index(self) -> WorldIndex:
        """Base world plus published patches, rebuilt when the library commits."""
        head_log = self.paths.library / ".git" / "logs" / "HEAD"
        try:
            st = os.stat(head_log)
            stamp = (st.st_mtime_ns, st.st_size)
        except FileNotFoundError:
            stamp = None
        if self._index is None or self._index[0] != stamp:
            library = self.paths.library if stamp else None
            self._index = (stamp, WorldIndex.load(self.paths.world, library))
        return self._index[1]

    def judge(self, proposal: Proposal, state: GateState, now: float | None = None) -> tuple[Proposal, Verdict]:
        verdict = validate(proposal, self.index(), state, self.guardrails.current(), now)
        return with_verdict(proposal, verdict), verdict

    def run_job(self, job: JobRequest) -> dict:
        """Run one job to its end; idempotent per job (and per proposal)."""
        started = time.perf_counter()
        proposal = make(job.kind, job.seed, job.region, self.index(), self.provider, job.params)
        with self.gate_state.open() as state:
            proposal, verdict = self.judge(proposal, state)
            if not verdict.accepted:
                state.release(proposal.id)
        outcome = {"job_id": job.job_id, "proposal_id": proposal.id, "verdict": verdict.to_dict(), "commit": None,
                   "provider": proposal.provenance.provider, "fallback_reason": proposal.provenance.fallback_reason}
        if not verdict.accepted:
            outcome["status"] = "rejected"
        elif not job.publish:
            outcome["status"] = "accepted"
        elif self.guardrails.current().require_approval:
            self.approvals.submit(proposal)
            outcome["status"] = "pending"
        else:
            outcome |= self._publish(proposal)
        outcome["elapsed_ms"] = round((time.perf_counter() - started) * 1000, 3)
        if job.publish:
            self.log.write({"type": "outcome", **outcome})
        return outcome

    def _publish(self, proposal: Proposal) -> dict:
        try:
            published = self.library.publish(proposal, self.switch)
        except PublishBlocked as exc:
            self.approvals.submit(proposal, reason=str(exc))
            return {"status": "held", "held_because": str(exc)}
        with self.gate_state.open() as state:
            state.release(proposal.id)
        return {"status": "published", "commit": published.commit, "path": published.path, "hash": published.hash}

    def publish_approved(self, proposal_id: str) -> dict:
        """Publish a proposal an admin approved in the queue."""
        state = self.approvals.state(proposal_id)
        if state == "published":
            return {"proposal_id": proposal_id, "status": "published", "commit": self.library.commit_of(proposal_id)}
        if state != "approved":
            raise ValueError(f"{proposal_id} is {state}, not approved")
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
        with self.gate_state.open() as state:
            state.release(proposal_id)
        self.log.write({"type": "outcome", "proposal_id": proposal_id, "job_id": None, "status": "rejected", "by": by, "reason": reason})
        return proposal
