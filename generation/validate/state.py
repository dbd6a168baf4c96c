"""The gate's memory between proposals, supplied by the caller: generation
count and where legendaries were accepted (rate budget), recent job times
(jobs per minute), room blocks in flight, and recent verdicts by proposal id
(so a retried job is judged once). `GateStateFile` keeps it for workers
in separate processes."""

import json
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from threading import Lock

from .. import sqlite_files

MEMO_SIZE = 256


@dataclass
class GateState:
    generations: int = 0
    legendary_at: list[int] = field(default_factory=list)
    job_times: list[float] = field(default_factory=list)
    expansions: list[str] = field(default_factory=list)
    verdicts: dict[str, dict] = field(default_factory=dict)

    def remember(self, proposal_id: str, verdict: dict) -> None:
        self.verdicts[proposal_id] = verdict
        while len(self.verdicts) > MEMO_SIZE:
            self.verdicts.pop(next(iter(self.verdicts)))

    def release(self, proposal_id: str) -> None:
        """A room block left flight (published, rejected or undone)."""
        if proposal_id in self.expansions:
            self.expansions.remove(proposal_id)


class GateStateFile:
    """The state as one JSON row in SQLite (WAL): `open()` holds a write
    transaction, so workers in separate processes take turns, and a killed
    worker's half-done change is rolled back."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite_files.connect(self.path)
        self._db.execute("CREATE TABLE IF NOT EXISTS gate (id INTEGER PRIMARY KEY CHECK (id = 1), state TEXT NOT NULL)")
        self._lock = Lock()

    @contextmanager
    def open(self):
        """Load, yield for changes, save, all in one write transaction."""
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                row = self._db.execute("SELECT state FROM gate WHERE id = 1").fetchone()
                state = GateState(**json.loads(row[0])) if row else GateState()
                yield state
                self._db.execute("INSERT OR REPLACE INTO gate VALUES (1, ?)", (json.dumps(vars(state)),))
                self._db.execute("COMMIT")
            except BaseException:
                if self._db.in_transaction:  # SQLite already rolled back a failed COMMIT (e.g. disk full)
                    self._db.execute("ROLLBACK")
                raise
