"""The gate's memory between proposals, supplied by the caller: generation
count and where legendaries were accepted (rate budget), recent job times
(jobs per minute), room blocks in flight, and recent verdicts by proposal id
(so a retried job is judged once). `GateStateFile` keeps it in a JSON file
under an exclusive lock for workers in separate processes."""

import json
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ..fsutil import atomic_write, file_lock

MEMO_SIZE = 512


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
    def __init__(self, path: Path):
        self.path = Path(path)

    @contextmanager
    def open(self):
        """Load, yield for changes, save, all under one exclusive lock."""
        with file_lock(self.path.with_suffix(".lock")):
            state = GateState(**json.loads(self.path.read_text())) if self.path.exists() else GateState()
            yield state
            atomic_write(self.path, json.dumps(asdict(state)).encode())
