"""Job requests (what the director or an admin asks the pipeline to make) and
the job journal: an SQLite outbox recording every enqueued job until its
outcome is stored. A worker killed mid-job leaves its job `queued` or
`running`; `unfinished()` finds it and the caller resends it (the pipeline
is idempotent, so a job run twice publishes once)."""

import json
import sqlite3
import time
import uuid
from pathlib import Path
from threading import Lock
from typing import Any

from pydantic import Field

from .models.common import Strict
from .models.proposal import Kind

SCHEMA = """
CREATE TABLE IF NOT EXISTS jobs (
    job_id TEXT PRIMARY KEY,
    job TEXT NOT NULL,
    state TEXT NOT NULL,
    outcome TEXT,
    updated REAL NOT NULL
)"""


class JobRequest(Strict):
    job_id: str = Field(default_factory=lambda: uuid.uuid4().hex)
    kind: Kind
    seed: int = Field(ge=0, le=2**63 - 1)
    region: str | None = None
    params: dict[str, Any] = Field(default_factory=dict, description="drafter inputs: role, purpose, anchor, event_kind, cause, strength")
    publish: bool = True
    rule: str | None = Field(None, description="director rule that asked for it")


class JobJournal:
    def __init__(self, path: Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(self.path, timeout=30, isolation_level=None, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")  # durable across process kills
        self._db.execute(SCHEMA)
        self._lock = Lock()

    def _run(self, sql: str, args: tuple = ()) -> list[tuple]:
        with self._lock:
            return self._db.execute(sql, args).fetchall()

    def record(self, *jobs: JobRequest) -> None:
        """Journal jobs as queued, all in one transaction."""
        now = time.time()
        with self._lock:
            self._db.execute("BEGIN")
            self._db.executemany("INSERT OR IGNORE INTO jobs VALUES (?, ?, 'queued', NULL, ?)",
                                 [(job.job_id, job.model_dump_json(), now) for job in jobs])
            self._db.execute("COMMIT")

    def started(self, job_id: str) -> None:
        self._run("UPDATE jobs SET state = 'running', updated = ? WHERE job_id = ? AND state != 'done'", (time.time(), job_id))

    def finished(self, job_id: str, outcome: dict) -> None:
        self._run("UPDATE jobs SET state = 'done', outcome = ?, updated = ? WHERE job_id = ?", (json.dumps(outcome), time.time(), job_id))

    def outcome(self, job_id: str) -> dict | None:
        rows = self._run("SELECT outcome FROM jobs WHERE job_id = ? AND state = 'done'", (job_id,))
        return json.loads(rows[0][0]) if rows else None

    def unfinished(self, older_than_s: float = 0.0, states: tuple[str, ...] = ("queued", "running")) -> list[JobRequest]:
        """Jobs in `states` untouched for `older_than_s` seconds."""
        marks = ",".join("?" * len(states))
        rows = self._run(f"SELECT job FROM jobs WHERE state IN ({marks}) AND updated <= ? ORDER BY updated",
                         (*states, time.time() - older_than_s))
        return [JobRequest.model_validate_json(r[0]) for r in rows]

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
