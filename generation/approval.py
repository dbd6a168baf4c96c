"""Approve stage: with `require_approval` on, accepted proposals wait in a
persistent queue (SQLite, survives restarts) for an admin to approve,
reject or edit them. Edit replaces flavor fields, re-sanitizes them and
re-runs the stateless gate rules; a failing edit is refused and the
proposal stays as it was.

Queue states: pending → approved → published, or pending → rejected."""

import sqlite3
import time
from contextlib import closing
from pathlib import Path
from typing import Callable

from .clock import utc_now
from .enrich.check import FlavorRejected, sanitized_fields, verify_flavor
from .models.proposal import Proposal, Status, StatusEntry
from .validate.verdict import Reason, Verdict

SCHEMA = """
CREATE TABLE IF NOT EXISTS queue (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    state TEXT NOT NULL,
    proposal TEXT NOT NULL,
    updated REAL NOT NULL
)"""


class NotInQueue(KeyError):
    pass


class ApprovalQueue:
    def __init__(self, path: Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with closing(self._connect()) as db, db:
            db.execute(SCHEMA)

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=10, isolation_level=None)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=FULL")
        return db

    def _put(self, proposal: Proposal, state: str, insert_only: bool = False) -> None:
        verb = "INSERT OR IGNORE" if insert_only else "INSERT OR REPLACE"
        with closing(self._connect()) as db:
            db.execute(f"{verb} INTO queue VALUES (?, ?, ?, ?, ?)",
                       (proposal.id, proposal.kind.value, state, proposal.model_dump_json(), time.time()))

    def _row(self, proposal_id: str) -> tuple[str, Proposal]:
        with closing(self._connect()) as db:
            row = db.execute("SELECT state, proposal FROM queue WHERE id = ?", (proposal_id,)).fetchone()
        if row is None:
            raise NotInQueue(proposal_id)
        return row[0], Proposal.model_validate_json(row[1])

    def in_state(self, state: str) -> list[Proposal]:
        """Proposals in one queue state, oldest change first."""
        return self._list(state)

    def counts(self) -> dict[str, int]:
        """How many proposals are in each queue state."""
        with closing(self._connect()) as db:
            return dict(db.execute("SELECT state, count(*) FROM queue GROUP BY state").fetchall())

    def _list(self, state: str) -> list[Proposal]:
        with closing(self._connect()) as db:
            rows = db.execute("SELECT proposal FROM queue WHERE state = ? ORDER BY updated", (state,)).fetchall()
        return [Proposal.model_validate_json(r[0]) for r in rows]

    def submit(self, proposal: Proposal, reason: str = "waiting for an admin") -> Proposal:
        """Queue an accepted proposal (a second submit of the same id is a no-op)."""
        queued = _stamp(proposal, Status.pending, [reason])
        self._put(queued, "pending", insert_only=True)
        return self.get(proposal.id)

    def get(self, proposal_id: str) -> Proposal:
        return self._row(proposal_id)[1]

    def state(self, proposal_id: str) -> str:
        return self._row(proposal_id)[0]

    def pending(self) -> list[Proposal]:
        return self._list("pending")

    def approved(self) -> list[Proposal]:
        """Approved but not yet published (publish them, then `mark_published`)."""
        return self._list("approved")

    def _decide(self, proposal_id: str, state: str, status: Status, reasons: list[str]) -> Proposal:
        current, proposal = self._row(proposal_id)
        if current != "pending":
            raise ValueError(f"{proposal_id} is {current}, not pending")
        decided = _stamp(proposal, status, reasons)
        self._put(decided, state)
        return decided

    def approve(self, proposal_id: str, by: str) -> Proposal:
        return self._decide(proposal_id, "approved", Status.approved, [f"approved by {by}"])

    def reject(self, proposal_id: str, by: str, reason: str = "") -> Proposal:
        return self._decide(proposal_id, "rejected", Status.rejected, [f"rejected by {by}" + (f": {reason}" if reason else "")])

    def edit(self, proposal_id: str, flavor: dict, by: str, recheck: Callable[[Proposal], list[Reason]]) -> tuple[Proposal, Verdict]:
        """Replace flavor fields (others keep their text); re-sanitize and
        re-check with `recheck` (e.g. `lambda p: validate.check(p, index, guardrails)`)."""
        current, proposal = self._row(proposal_id)
        if current != "pending":
            raise ValueError(f"{proposal_id} is {current}, not pending")
        try:
            new_flavor = {**proposal.flavor, **sanitized_fields(proposal.kind, proposal.payload, flavor)}
            verify_flavor(proposal.kind, proposal.payload, new_flavor)
        except FlavorRejected as exc:
            return proposal, Verdict.of([Reason("schema", "$.flavor", e) for e in exc.errors])
        edited = proposal.model_copy(update={"flavor": new_flavor})
        verdict = Verdict.of(recheck(edited))
        if not verdict.accepted:
            return proposal, verdict
        edited = _stamp(edited, Status.edited, [f"flavor edited by {by}"])
        self._put(edited, "pending")
        return edited, verdict

    def mark_published(self, proposal_id: str, commit: str) -> None:
        current, proposal = self._row(proposal_id)
        if current != "published":
            self._put(_stamp(proposal, Status.published, [f"commit {commit}"]), "published")


def _stamp(proposal: Proposal, status: Status, reasons: list[str]) -> Proposal:
    return proposal.model_copy(update={"status": proposal.status + [StatusEntry(status=status, at=utc_now(), reasons=reasons)]})
