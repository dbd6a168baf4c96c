"""The director's JSONL why-trace, bounded. A `decision` line (trigger → rule
→ job → proposal id) is written when the director asks for a job; an
`outcome` line (job → proposal id → verdict, reasons, status, commit) when
the pipeline is done with it. Rule matches that ask for nothing (cooling
down, chance not met, director paused) are only counted, per rule and
reason, and written as one `skipped` summary line every `summary_every_s`
seconds. `trace(job_id)` joins a job's lines.

Bounds: the file rotates when a line would take it past `max_bytes`
(`<file>.1` is the newest old file, `keep` old files are kept:
MUD_DECISION_LOG_MAX_BYTES, MUD_DECISION_LOG_KEEP). Readers take only the
tail (`records(tail_bytes)`) or stream line by line (`trace`), and skip
torn or bad lines. A failed write (a full disk) is logged and kept in
`last_error` for `director status`; it never raises into the game or a job."""

import errno
import json
import logging
import os
import re
import time
from pathlib import Path
from threading import Lock

from ..clock import utc_now
from ..fsutil import file_lock

log = logging.getLogger(__name__)

TAIL_BYTES = 256 * 1024
SUMMARY_EVERY_S = 60.0
_REASON_CLASS = re.compile(r"^[a-z ]+[a-z]")  # "cooling down (3/60 ticks)" -> "cooling down"


class DecisionLog:
    def __init__(self, path: Path, max_bytes: int = 8 * 2**20, keep: int = 3, summary_every_s: float = SUMMARY_EVERY_S):
        self.path = Path(path)
        self.max_bytes = max_bytes
        self.keep = keep
        self.summary_every_s = summary_every_s
        self.last_error: str | None = None
        self._skips: dict[str, int] = {}
        self._skips_since = time.time()
        self._skips_lock = Lock()

    @classmethod
    def from_env(cls, path: Path) -> "DecisionLog":
        from ..runtime import Bounds

        bounds = Bounds.from_env()
        return cls(path, bounds.decision_log_max_bytes, bounds.decision_log_keep)

    def write(self, record: dict) -> bool:
        """Append one record; False (and `last_error`) when it could not be
        written. A failed write is cut off again, and a line torn by a crash
        is ended before the next one, so every later line stays readable."""
        line = (json.dumps({"at": utc_now(), **record}, sort_keys=True) + "\n").encode()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with file_lock(self.path.with_suffix(".lock")):
                self._rotate_for(len(line))
                self._append(line)
        except OSError as exc:
            self.last_error = f"decision log {self.path} not written: {exc}"
            log.error(self.last_error)
            return False
        self.last_error = None
        return True

    def _append(self, line: bytes) -> None:
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_APPEND, 0o600)
        try:
            size = os.fstat(fd).st_size
            if size and os.pread(fd, 1, size - 1) != b"\n":
                line = b"\n" + line
            try:
                written = os.write(fd, line)
                if written != len(line):
                    raise OSError(errno.ENOSPC, f"{os.strerror(errno.ENOSPC)} (wrote {written} of {len(line)} bytes)")
            except OSError:
                os.ftruncate(fd, size)
                raise
        finally:
            os.close(fd)

    def _rotate_for(self, size: int) -> None:
        try:
            current = self.path.stat().st_size
        except FileNotFoundError:
            return
        if current == 0 or current + size <= self.max_bytes:
            return
        for n in range(self.keep, 0, -1):
            older = self._rotated(n)
            if older.exists():
                if n == self.keep:
                    older.unlink()
                else:
                    os.replace(older, self._rotated(n + 1))
        os.replace(self.path, self._rotated(1))

    def _rotated(self, n: int) -> Path:
        return self.path.with_name(f"{self.path.name}.{n}")

    # ---- skips -----------------------------------------------------------------------------
    def skipped(self, rule: str, why_not: str) -> None:
        """Count a rule match that asked for nothing; write the summary when due."""
        reason = _REASON_CLASS.match(why_not)
        key = f"{rule}: {reason.group(0) if reason else why_not[:40]}"
        with self._skips_lock:
            self._skips[key] = self._skips.get(key, 0) + 1
            due = time.time() - self._skips_since >= self.summary_every_s
        if due:
            self.flush_skips()

    def skip_counts(self) -> dict[str, int]:
        """The skips counted since the last summary line."""
        with self._skips_lock:
            return dict(self._skips)

    def flush_skips(self) -> None:
        """Write the skip counts gathered since the last summary (if any)."""
        with self._skips_lock:
            counts, since = self._skips, self._skips_since
            self._skips, self._skips_since = {}, time.time()
        if counts:
            self.write({"type": "skipped", "counts": counts, "since": since})

    # ---- reading ---------------------------------------------------------------------------
    def records(self, tail_bytes: int = TAIL_BYTES) -> list[dict]:
        """The records in the last `tail_bytes` of the current file (bad lines skipped)."""
        try:
            with open(self.path, "rb") as f:
                size = f.seek(0, os.SEEK_END)
                start = max(0, size - tail_bytes)
                f.seek(start)
                data = f.read()
        except FileNotFoundError:
            return []
        lines = data.split(b"\n")
        if start > 0:
            lines = lines[1:]  # the first one is cut
        return [r for r in map(_parse, lines) if r is not None]

    def trace(self, job_id: str) -> list[dict]:
        """Every line about `job_id`, oldest first, across the kept files."""
        needle = json.dumps(job_id).encode()
        found = []
        for path in [self._rotated(n) for n in range(self.keep, 0, -1)] + [self.path]:
            try:
                with open(path, "rb") as f:
                    for line in f:
                        if needle in line and (record := _parse(line)) is not None:
                            if record.get("job_id") == job_id or (record.get("job") or {}).get("job_id") == job_id:
                                found.append(record)
            except FileNotFoundError:
                continue
        return found


def _parse(line: bytes) -> dict | None:
    if not line.strip():
        return None
    try:
        record = json.loads(line)
    except ValueError:  # torn by a crash, or not UTF-8
        return None
    return record if isinstance(record, dict) else None
