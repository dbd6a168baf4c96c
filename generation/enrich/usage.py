"""LLM usage ledger: every call an enricher makes to an LLM, counted by the
worker that made it in a small SQLite file of the runtime folder (calls and
prompt/completion tokens per model and outcome), so the game server's
/metrics reports the whole fleet's use without sharing memory with workers.
Outcomes: `ok`, `timeout`, `http_error`, `oversized` (reply over the byte
cap, not parsed), `failed` (transport or client
error), `empty` (no content); a reply that arrives but breaks the schema is
`ok` here (the call worked) and is counted by the gate's fallbacks."""

from pathlib import Path
from threading import Lock

from .. import sqlite_files

SCHEMA = """
CREATE TABLE IF NOT EXISTS usage (
    model TEXT NOT NULL,
    outcome TEXT NOT NULL,
    calls INTEGER NOT NULL,
    prompt_tokens INTEGER NOT NULL,
    completion_tokens INTEGER NOT NULL,
    PRIMARY KEY (model, outcome)
)"""


class UsageLedger:
    def __init__(self, path: Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite_files.connect(self.path, synchronous="FULL")
        self._db.execute(SCHEMA)
        self._lock = Lock()

    def record(self, model: str, outcome: str, prompt_tokens: int = 0, completion_tokens: int = 0) -> None:
        with self._lock:
            self._db.execute(
                "INSERT INTO usage VALUES (?, ?, 1, ?, ?) ON CONFLICT (model, outcome) DO UPDATE SET"
                " calls = calls + 1, prompt_tokens = prompt_tokens + excluded.prompt_tokens,"
                " completion_tokens = completion_tokens + excluded.completion_tokens",
                (model, outcome, int(prompt_tokens or 0), int(completion_tokens or 0)))

    def totals(self) -> list[dict]:
        with self._lock:
            rows = self._db.execute("SELECT model, outcome, calls, prompt_tokens, completion_tokens FROM usage ORDER BY 1, 2").fetchall()
        return [dict(zip(("model", "outcome", "calls", "prompt_tokens", "completion_tokens"), r)) for r in rows]
