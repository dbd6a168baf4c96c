"""Job requests (what the director or an admin asks the pipeline to make) and
the job journal: an SQLite outbox recording every enqueued job until its
outcome is stored. A worker killed mid-job leaves its job `queued` or
`running`; `unfinished()` finds it and the caller resends it (the pipeline
is idempotent, so a job run twice publishes once). Each start counts an
attempt; a job whose attempts all failed ends `failed` with the last error
as its outcome and is never resent. `prune()` drops finished (`done`,
`failed`) jobs older than `keep_s` and all but the newest `keep_count`."""

import json
import time
import uuid
from pathlib import Path
from threading import Lock
from typing import Any

from pydantic import Field

from . import sqlite_files
from .models.common import Strict
from .models.proposal import Kind

SCHEMA = """
CREATE TABLE IF NOT EXISTS jobs (
    job_id TEXT PRIMARY KEY,
    job TEXT NOT NULL,
    state TEXT NOT NULL,
    outcome TEXT,
    updated REAL NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0
)"""
FINISHED = ("done", "failed")


class JobRequest(Strict):
    job_id: str = Field(default_factory=lambda: uuid.uuid4().hex)
    kind: Kind
    seed: int = Field(ge=0, le=2**63 - 1)
    region: str | None = None
    params: dict[str, Any] = Field(default_factory=dict, description="drafter inputs: role, purpose, anchor, event_kind, cause, strength")
    publish: bool = True
    rule: str | None = Field(None, description="director rule that asked for it")


class JobJournal:
    def __init__(self, path: Path, keep_s: float = 7 * 86400, keep_count: int = 10_000):
        self.path = Path(path)
        self.keep_s = keep_s
        self.keep_count = keep_count
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite_files.connect(self.path)  # NORMAL: durable across process kills
        self._db.execute(SCHEMA)
        columns = {row[1] for row in self._db.execute("PRAGMA table_info(jobs)")}
        if "attempts" not in columns:  # a journal from before attempts were counted
            self._db.execute("ALTER TABLE jobs ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0")
        self._db.execute("CREATE INDEX IF NOT EXISTS jobs_by_state ON jobs (state, updated)")
        self._lock = Lock()

    def _run(self, sql: str, args: tuple = ()) -> list[tuple]:
        with self._lock:
            return self._db.execute(sql, args).fetchall()

    def record(self, *jobs: JobRequest) -> None:
        """Journal jobs as queued, all in one transaction."""
        now = time.time()
        with self._lock:
            self._db.execute("BEGIN")
            try:
                self._db.executemany("INSERT OR IGNORE INTO jobs VALUES (?, ?, 'queued', NULL, ?, 0)",
                                     [(job.job_id, job.model_dump_json(), now) for job in jobs])
                self._db.execute("COMMIT")
            except BaseException:
                if self._db.in_transaction:
                    self._db.execute("ROLLBACK")
                raise

    def started(self, job: JobRequest) -> int:
        """Mark the job running and count the attempt; returns the attempt number."""
        self.record(job)
        rows = self._run("UPDATE jobs SET state = 'running', updated = ?, attempts = attempts + 1 "
                         "WHERE job_id = ? AND state NOT IN ('done', 'failed') RETURNING attempts", (time.time(), job.job_id))
        return rows[0][0] if rows else 0

    def finished(self, job_id: str, outcome: dict) -> None:
        self._run("UPDATE jobs SET state = 'done', outcome = ?, updated = ? WHERE job_id = ?", (json.dumps(outcome), time.time(), job_id))

    def attempt_failed(self, job_id: str, error: str, max_attempts: int) -> str:
        """Record a failed attempt: the job is queued again, or `failed` for
        good once `max_attempts` are spent. Returns the new state."""
        outcome = json.dumps({"job_id": job_id, "status": "failed", "error": error})
        rows = self._run("UPDATE jobs SET state = CASE WHEN attempts >= ? THEN 'failed' ELSE 'queued' END, outcome = ?, updated = ? "
                         "WHERE job_id = ? AND state NOT IN ('done', 'failed') RETURNING state", (max_attempts, outcome, time.time(), job_id))
        return rows[0][0] if rows else self.state(job_id)

    def state(self, job_id: str) -> str | None:
        rows = self._run("SELECT state FROM jobs WHERE job_id = ?", (job_id,))
        return rows[0][0] if rows else None

    def outcome(self, job_id: str) -> dict | None:
        """The stored outcome of a finished (`done` or `failed`) job."""
        rows = self._run("SELECT outcome FROM jobs WHERE job_id = ? AND state IN ('done', 'failed')", (job_id,))
        return json.loads(rows[0][0]) if rows else None

    def prune(self, now: float | None = None) -> int:
        """Drop finished jobs older than `keep_s` and beyond the newest
        `keep_count`; returns how many were dropped."""
        cutoff = (time.time() if now is None else now) - self.keep_s
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                old = self._db.execute("DELETE FROM jobs WHERE state IN ('done', 'failed') AND updated < ?", (cutoff,)).rowcount
                extra = self._db.execute(
                    "DELETE FROM jobs WHERE job_id IN (SELECT job_id FROM jobs WHERE state IN ('done', 'failed') "
                    "ORDER BY updated DESC LIMIT -1 OFFSET ?)", (self.keep_count,)).rowcount
                self._db.execute("COMMIT")
            except BaseException:
                if self._db.in_transaction:  # SQLite already rolled back a failed COMMIT (e.g. disk full)
                    self._db.execute("ROLLBACK")
                raise
        return old + extra

    def unfinished(self, older_than_s: float = 0.0, states: tuple[str, ...] = ("queued", "running")) -> list[JobRequest]:
        """Jobs in `states` untouched for `older_than_s` seconds."""
        marks = ",".join("?" * len(states))
        rows = self._run(f"SELECT job FROM jobs WHERE state IN ({marks}) AND updated <= ? ORDER BY updated",
                         (*states, time.time() - older_than_s))
        return [JobRequest.model_validate_json(r[0]) for r in rows]

    def last_failure(self) -> dict | None:
        """The outcome of the job that failed for good most recently."""
        rows = self._run("SELECT outcome FROM jobs WHERE state = 'failed' ORDER BY updated DESC LIMIT 1")
        return json.loads(rows[0][0]) if rows else None

    def counts(self) -> dict[str, int]:
        return dict(self._run("SELECT state, count(*) FROM jobs GROUP BY state"))

    def outcome_counts(self) -> list[tuple[str, bool, str, bool, int]]:
        """Finished jobs grouped by (status, verdict accepted, enrich
        provider, LLM fell back): what /metrics counts."""
        rows = self._run(
            "SELECT json_extract(outcome, '$.status'), json_extract(outcome, '$.verdict.accepted'),"
            " json_extract(outcome, '$.provider'), json_extract(outcome, '$.fallback_reason') IS NOT NULL, count(*)"
            " FROM jobs WHERE state = 'done' GROUP BY 1, 2, 3, 4")
        return [(status or "unknown", bool(accepted), provider or "unknown", bool(fell_back), n)
                for status, accepted, provider, fell_back, n in rows]
