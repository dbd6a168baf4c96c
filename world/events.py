"""Structured simulation events and the append-only event log.

An `Event` has tick, kind (trade, combat, discovery, death, social, macro),
region id (None for world-wide), actor agent ids, a JSON-safe detail dict and
a readable line such as `[Tick 2313] Merchant "Calix" traded herbs with Hunter "Rena".`
`EventLog(directory, max_bytes, keep).write(events)` appends JSON lines to
events.jsonl and readable lines to events.txt (flushed; pass fsync=True to
also fsync, which can block for milliseconds: avoid on the reactor thread).
Each file is bounded: a write that would take it past `max_bytes` first
rotates it (events.txt -> events.txt.1 -> ... -> events.txt.<keep>, the
oldest dropped), so the log never holds more than (keep + 1) * max_bytes per
file; a single batch larger than max_bytes gets a file of its own.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Event:
    tick: int
    kind: str
    region: str | None
    actors: tuple[int, ...] = ()
    detail: dict = field(default_factory=dict)
    text: str = ""

    def to_json(self) -> str:
        doc = asdict(self)
        doc["actors"] = list(self.actors)
        return json.dumps(doc, sort_keys=True, ensure_ascii=False)


def line(tick: int, sentence: str) -> str:
    return f"[Tick {tick}] {sentence}"


def who(role: str, name: str) -> str:
    return f'{role} "{name}"'


DEFAULT_MAX_BYTES = 32 * 1024 * 1024
DEFAULT_KEEP = 4


class EventLog:
    """Append-only, rotated JSONL + text log of events in `directory`."""

    def __init__(self, directory, max_bytes: int = DEFAULT_MAX_BYTES, keep: int = DEFAULT_KEEP,
                 fsync: bool = False):
        if max_bytes < 1 or keep < 0:
            raise ValueError("event log: max_bytes must be >= 1 and keep >= 0")
        self.directory = Path(directory)
        self.max_bytes, self.keep = max_bytes, keep
        self.fsync = fsync
        self.directory.mkdir(parents=True, exist_ok=True)
        self.jsonl_path = self.directory / "events.jsonl"
        self.text_path = self.directory / "events.txt"

    def write(self, events) -> None:
        events = list(events)
        if not events:
            return
        for path, render in ((self.jsonl_path, Event.to_json), (self.text_path, lambda e: e.text)):
            data = "".join(render(e) + "\n" for e in events).encode("utf-8")
            size = path.stat().st_size if path.exists() else 0
            if size and size + len(data) > self.max_bytes:
                self._rotate(path)
            with open(path, "ab") as fh:
                fh.write(data)
                fh.flush()
                if self.fsync:
                    os.fsync(fh.fileno())

    def _rotate(self, path: Path) -> None:
        """path -> path.1 -> ... -> path.<keep>; the oldest is dropped."""
        if self.keep == 0:
            path.unlink()
            return
        for n in range(self.keep, 0, -1):
            older = path.with_name(f"{path.name}.{n - 1}") if n > 1 else path
            if older.exists():
                os.replace(older, path.with_name(f"{path.name}.{n}"))
