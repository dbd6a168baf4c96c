"""Bounds on the runtime folder's plain log files (MUD_LOG_BYTES, MUD_LOG_KEEP).

Evennia rotates server.log and portal.log by size into `server.log.<date>`
(`__2`, `__3` ... on the same day) and channel logs into `<name>.log.1`,
`.2` ..., but keeps every rotated copy for good: `prune_rotated` keeps the
newest `keep` copies of each log of a folder (the game server calls it every
few seconds).  A worker's output goes to a file its launcher opened
(`worker.log`), which the worker cannot reopen: `rotate_copy_truncate` copies
it to `.1` (older copies shifted, the oldest dropped) and empties it in place,
so the writer's append-mode descriptor carries on at the start of the file;
`RotateBeforeWrite`, a filter on the worker's log handlers, does so before a
record is written to a full file, so the file never passes its size by more
than one record."""

import logging
import os
import re
import shutil
from pathlib import Path

ROTATED = re.compile(r"^(?P<base>.+\.log)\.(?:\d+|\d{4}_\d{2}_\d{2}(?:__\d+)?)$")


def rotated_copies(folder: Path) -> dict[str, list[Path]]:
    """Rotated copies in `folder` by the name of the log they came from, newest first."""
    copies: dict[str, list[Path]] = {}
    for entry in os.scandir(folder):
        match = ROTATED.match(entry.name)
        if match and entry.is_file():
            copies.setdefault(match["base"], []).append(Path(entry.path))
    for paths in copies.values():
        paths.sort(key=lambda p: (p.stat().st_mtime_ns, p.name), reverse=True)
    return copies


def prune_rotated(folder: Path, keep: int) -> int:
    """Delete all but the newest `keep` rotated copies of each log in `folder`; how many went."""
    folder = Path(folder)
    if not folder.is_dir():
        return 0
    gone = 0
    for paths in rotated_copies(folder).values():
        for path in paths[keep:]:
            path.unlink(missing_ok=True)
            gone += 1
    return gone


def rotate_copy_truncate(path: Path, max_bytes: int, keep: int) -> bool:
    """When `path` holds `max_bytes` or more: path.<keep-1> -> path.<keep> ... path -> path.1
    (a copy), then `path` emptied in place; whether it rotated."""
    path = Path(path)
    try:
        if path.stat().st_size < max_bytes:
            return False
    except FileNotFoundError:
        return False
    for n in range(keep, 1, -1):
        older = path.with_name(f"{path.name}.{n - 1}")
        if older.exists():
            os.replace(older, path.with_name(f"{path.name}.{n}"))
    if keep:
        shutil.copyfile(path, path.with_name(f"{path.name}.1"))
    os.truncate(path, 0)
    return True


class RotateBeforeWrite(logging.Filter):
    """Rotates `path` (as `rotate_copy_truncate`) before each record once it is full;
    lets every record through."""

    def __init__(self, path: Path, max_bytes: int, keep: int):
        super().__init__()
        self.path, self.max_bytes, self.keep = Path(path), max_bytes, keep

    def filter(self, record) -> bool:
        try:
            rotate_copy_truncate(self.path, self.max_bytes, self.keep)
        except OSError:  # a full disk must not stop the worker
            pass
        return True
