"""Approve stage: accepted proposals that wait, in a persistent queue
(SQLite, survives restarts). With `require_approval` on they wait for an
admin to approve, reject or edit them; when an emergency stop blocks a
publish the proposal is `held` until `resume`. The queue is also the journal
of admin decisions: an approved row stays `approved` until its commit
exists, so `Pipeline.carry_out_decisions` finishes it after a restart, a
resume or a lost message. Edit replaces flavor fields, re-sanitizes them and
re-runs the stateless gate rules; a failing edit is refused and the proposal
stays as it was.

Queue states: pending → approved → published; pending → rejected;
held → published (after resume), or approved/rejected by an admin.
Decided rows leave the queue with `prune` (the worker's maintenance round).
Decisions are atomic (one write transaction: `UPDATE … WHERE state = <what
was read>`), so of two admins deciding at once one wins and the other gets
`AlreadyDecided`."""

import sqlite3
import time
from contextlib import closing
from pathlib import Path
from typing import Callable

from . import sqlite_files
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
UNDECIDED = ("pending", "held")


class NotInQueue(KeyError):
    pass


class AlreadyDecided(ValueError):
    """Someone else decided on this proposal first; nothing was changed."""


class ApprovalQueue:
    def __init__(self, path: Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with closing(self._connect()) as db:
            db.execute(SCHEMA)

    def _connect(self) -> sqlite3.Connection:
        return sqlite_files.connect(self.path, timeout=10, synchronous="FULL", shared=False)

    def _insert(self, proposal: Proposal, state: str) -> None:
        with closing(self._connect()) as db:
            db.execute("INSERT OR IGNORE INTO queue VALUES (?, ?, ?, ?, ?)",
                       (proposal.id, proposal.kind.value, state, proposal.model_dump_json(), time.time()))

    def _row(self, proposal_id: str, db: sqlite3.Connection | None = None) -> tuple[str, Proposal, float]:
        if db is None:
            with closing(self._connect()) as db:
                return self._row(proposal_id, db)
        row = db.execute("SELECT state, proposal, updated FROM queue WHERE id = ?", (proposal_id,)).fetchone()
        if row is None:
            raise NotInQueue(proposal_id)
        return row[0], Proposal.model_validate_json(row[1]), row[2]

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

    def _transition(self, proposal_id: str, to: str, change: Callable[[Proposal], Proposal], allowed: tuple[str, ...]) -> Proposal:
        """Move one row from a state in `allowed` to `to`, atomically."""
        with closing(self._connect()) as db:
            db.execute("BEGIN IMMEDIATE")
            try:
                current, proposal, _ = self._row(proposal_id, db)
                if current not in allowed:
                    raise AlreadyDecided(f"{proposal_id} is already {current}")
                changed = change(proposal)
                db.execute("UPDATE queue SET state = ?, proposal = ?, updated = ? WHERE id = ? AND state = ?",
                           (to, changed.model_dump_json(), time.time(), proposal_id, current))
                db.execute("COMMIT")
            except BaseException:
                if db.in_transaction:  # SQLite already rolled back a failed COMMIT (e.g. disk full)
                    db.execute("ROLLBACK")
                raise
        return changed

    def submit(self, proposal: Proposal, reason: str = "waiting for an admin") -> Proposal:
        """Queue an accepted proposal (a second submit of the same id is a no-op)."""
        self._insert(_stamp(proposal, Status.pending, [reason]), "pending")
        return self.get(proposal.id)

    def hold(self, proposal: Proposal, reason: str) -> str:
        """Keep a proposal a stopped director would not publish; returns its
        queue state (an approved one stays approved: its decision stands)."""
        self._insert(_stamp(proposal, Status.pending, [reason]), "held")
        return self.state(proposal.id)

    def get(self, proposal_id: str) -> Proposal:
        return self._row(proposal_id)[1]

    def state(self, proposal_id: str) -> str:
        return self._row(proposal_id)[0]

    def pending(self) -> list[Proposal]:
        return self._list("pending")

    def held(self) -> list[Proposal]:
        """Held by an emergency stop, published after resume if still valid."""
        return self._list("held")

    def approved(self) -> list[Proposal]:
        """Approved but not yet published (publish them, then `mark_published`)."""
        return self._list("approved")

    def approve(self, proposal_id: str, by: str) -> Proposal:
        return self._transition(proposal_id, "approved", lambda p: _stamp(p, Status.approved, [f"approved by {by}"]), UNDECIDED)

    def reject(self, proposal_id: str, by: str, reason: str = "", allowed: tuple[str, ...] = UNDECIDED) -> Proposal:
        line = f"rejected by {by}" + (f": {reason}" if reason else "")
        return self._transition(proposal_id, "rejected", lambda p: _stamp(p, Status.rejected, [line]), allowed)

    def to_admin(self, proposal_id: str, reason: str) -> Proposal:
        """A held proposal now needs an admin (approval was switched on)."""
        return self._transition(proposal_id, "pending", lambda p: _stamp(p, Status.pending, [reason]), ("held",))

    def edit(self, proposal_id: str, flavor: dict, by: str, recheck: Callable[[Proposal], list[Reason]]) -> tuple[Proposal, Verdict]:
        """Replace flavor fields (others keep their text); re-sanitize and
        re-check with `recheck` (e.g. `lambda p: validate.check(p, index, guardrails)`)."""
        current, proposal, version = self._row(proposal_id)
        if current not in UNDECIDED:
            raise AlreadyDecided(f"{proposal_id} is already {current}")
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
        with closing(self._connect()) as db:
            done = db.execute("UPDATE queue SET proposal = ?, updated = ? WHERE id = ? AND state = ? AND updated = ?",
                              (edited.model_dump_json(), time.time(), proposal_id, current, version))
        if done.rowcount != 1:
            raise AlreadyDecided(f"{proposal_id} changed while it was being edited; look again")
        return edited, verdict

    def prune(self, keep_s: float, keep_count: int, now: float | None = None) -> int:
        """Drop decided (published, rejected) proposals older than `keep_s`
        and beyond the newest `keep_count`; returns how many were dropped.
        Their commits and the decision log keep their story."""
        cutoff = (time.time() if now is None else now) - keep_s
        with closing(self._connect()) as db:
            old = db.execute("DELETE FROM queue WHERE state IN ('published', 'rejected') AND updated < ?", (cutoff,)).rowcount
            extra = db.execute("DELETE FROM queue WHERE id IN (SELECT id FROM queue WHERE state IN ('published', 'rejected') "
                               "ORDER BY updated DESC LIMIT -1 OFFSET ?)", (keep_count,)).rowcount
        return old + extra

    def mark_published(self, proposal_id: str, commit: str) -> None:
        try:
            self._transition(proposal_id, "published", lambda p: _stamp(p, Status.published, [f"commit {commit}"]),
                             ("pending", "held", "approved"))
        except AlreadyDecided:
            pass  # already published


def _stamp(proposal: Proposal, status: Status, reasons: list[str]) -> Proposal:
    return proposal.model_copy(update={"status": proposal.status + [StatusEntry(status=status, at=utc_now(), reasons=reasons)]})
