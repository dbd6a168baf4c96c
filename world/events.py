"""Structured simulation events and the append-only event log.

An `Event` has tick, kind (trade, combat, discovery, death, social, macro),
region id (None for world-wide), actor agent ids, a JSON-safe detail dict and
a readable line such as `[Tick 2313] Merchant "Calix" traded herbs with Hunter "Rena".`
`EventLog(directory).write(events)` appends JSON lines to events.jsonl and
readable lines to events.txt (flushed; pass fsync=True to also fsync, which
can block for milliseconds: avoid on the reactor thread).
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


class EventLog:
    """Append-only JSONL + text log of events in `directory`."""

    def __init__(self, directory, fsync: bool = False):
        self.directory = Path(directory)
        self.fsync = fsync
        self.directory.mkdir(parents=True, exist_ok=True)
        self.jsonl_path = self.directory / "events.jsonl"
        self.text_path = self.directory / "events.txt"

    def write(self, events) -> None:
        events = list(events)
        if not events:
            return
        for path, render in ((self.jsonl_path, Event.to_json), (self.text_path, lambda e: e.text)):
            with open(path, "a", encoding="utf-8") as fh:
                fh.write("".join(render(e) + "\n" for e in events))
                fh.flush()
                if self.fsync:
                    os.fsync(fh.fileno())
