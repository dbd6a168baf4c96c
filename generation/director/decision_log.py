"""The director's JSONL why-trace. A `decision` line (trigger → rule → job →
proposal id) is written when the director asks for a job; an `outcome` line
(job → proposal id → verdict, reasons, status, commit) when the pipeline is
done with it. `trace(job_id)` joins them."""

import json
from pathlib import Path

from ..clock import utc_now
from ..fsutil import file_lock


class DecisionLog:
    def __init__(self, path: Path):
        self.path = Path(path)

    def write(self, record: dict) -> None:
        line = json.dumps({"at": utc_now(), **record}, sort_keys=True) + "\n"
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with file_lock(self.path.with_suffix(".lock")), open(self.path, "a", encoding="utf-8") as f:
            f.write(line)

    def records(self) -> list[dict]:
        if not self.path.exists():
            return []
        return [json.loads(line) for line in self.path.read_text(encoding="utf-8").splitlines() if line.strip()]

    def trace(self, job_id: str) -> list[dict]:
        return [r for r in self.records() if (r.get("job") or {}).get("job_id") == job_id or r.get("job_id") == job_id]
