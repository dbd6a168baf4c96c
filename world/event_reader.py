"""Reads the simulation's append-only event log (`events.jsonl`, written by
`world.events.EventLog`) by tick without loading it: ticks only grow along
the file, so the first event after tick N is found by a binary search over
byte offsets, and a page is read from there. A page ends with a cursor (the
byte offset of the next line) that the next read continues from, so pages
never skip nor repeat events however many share a tick. A line still being
written (no newline yet) is left for the next read."""

import json
from pathlib import Path


class BadCursor(ValueError):
    pass


def _tick(line: bytes) -> int:
    return int(json.loads(line)["tick"])


def _line_from(f, offset: int) -> tuple[int, bytes]:
    """(start, line) of the first complete line starting at or after `offset`."""
    f.seek(offset)
    if offset > 0:
        f.seek(offset - 1)
        if f.read(1) != b"\n":
            f.readline()
    start = f.tell()
    line = f.readline()
    return start, line if line.endswith(b"\n") else b""


def offset_after_tick(path: Path, tick: int) -> int:
    """Byte offset of the first event whose tick is greater than `tick`
    (the end of the complete lines when there is none)."""
    with open(path, "rb") as f:
        lo, hi = 0, f.seek(0, 2)
        while lo < hi:
            mid = (lo + hi) // 2
            start, line = _line_from(f, mid)
            if not line or _tick(line) > tick:
                hi = mid
            else:
                lo = start + len(line)
        return _line_from(f, lo)[0]


def read_page(path: Path, offset: int, limit: int) -> tuple[list[dict], int]:
    """Up to `limit` events from the line starting at `offset`; returns them
    and the cursor to continue from. BadCursor if `offset` is not a line start."""
    events = []
    with open(path, "rb") as f:
        size = f.seek(0, 2)
        if offset < 0 or offset > size:
            raise BadCursor(f"cursor {offset} is outside the log (0..{size})")
        if offset > 0:
            f.seek(offset - 1)
            if f.read(1) != b"\n":
                raise BadCursor(f"cursor {offset} is not the start of an event")
        f.seek(offset)
        while len(events) < limit:
            line = f.readline()
            if not line.endswith(b"\n"):
                break
            events.append(json.loads(line))
            offset += len(line)
    return events, offset
