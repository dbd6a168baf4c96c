"""Snapshots of the whole simulation state: atomic files, checked loads, generations.

A snapshot is an uncompressed .npz holding every state array plus a JSON
header (format, tick, seed, config document).  Writes go to a temp file in
the target directory, are fsynced, then os.replace()d over the target, so a
crash or error never leaves a partial snapshot behind.

`load` trusts nothing in the file: an unreadable or truncated file, a wrong
header, a config that does not validate, or any array whose name, dtype,
shape or value range differs from the state definition (world.state.schema)
raises `SnapshotError` before the arrays reach a kernel.

`SnapshotStore(directory, keep)` keeps the newest `keep` generations as
`snapshot-<generation>-t<tick>.npz`; `load_newest` tries them newest first and
sets a bad one aside (renamed `*.rejected`, the newest `keep` of those kept
for inspection), falling back to the generation before. `adopt` makes a copy
of another snapshot file (a world snapshot's) the newest generation.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
import zipfile
from pathlib import Path

import numpy as np

from .config import ConfigError, SimConfig, config_from_dict
from .state import StateError, WorldState, validate

FORMAT = "tera-sim/1"
GENERATION = re.compile(r"^snapshot-(\d+)-t(\d+)\.npz$")
LEGACY_NAME = "snapshot.npz"  # the single snapshot of earlier versions: generation 0
REJECTED = ".rejected"


class SnapshotError(ValueError):
    """A snapshot file that cannot be used; the message says which file and why."""


def save(state: WorldState, config_json: str, path) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    header = json.dumps({"format": FORMAT, "tick": state.tick, "seed": state.seed, "config": json.loads(config_json)})
    fd, tmp = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            np.savez(fh, __header__=np.frombuffer(header.encode(), np.uint8), **state.arrays)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise
    _fsync_dir(path.parent)
    return path


def _fsync_dir(directory: Path) -> None:
    dir_fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def _read(path: Path) -> tuple[dict, dict]:
    """(header, arrays) as stored; SnapshotError when the file cannot be read as a snapshot."""
    try:
        with np.load(path, allow_pickle=False) as data:
            if "__header__" not in data.files:
                raise SnapshotError(f"{path}: not a {FORMAT} snapshot (no header)")
            header = json.loads(bytes(data["__header__"]).decode())
            if not isinstance(header, dict) or header.get("format") != FORMAT:
                raise SnapshotError(f"{path}: not a {FORMAT} snapshot")
            arrays = {k: data[k].copy() for k in data.files if k != "__header__"}
    except SnapshotError:
        raise
    except (OSError, EOFError, zipfile.BadZipFile, ValueError, KeyError) as err:
        raise SnapshotError(f"{path}: unreadable ({type(err).__name__}: {err})") from err
    return header, arrays


def load(path) -> tuple[WorldState, SimConfig]:
    """Returns (state, config), both checked; raises SnapshotError otherwise."""
    path = Path(path)
    header, arrays = _read(path)
    tick, seed = header.get("tick"), header.get("seed")
    if not (isinstance(tick, int) and tick >= 0 and isinstance(seed, int) and 0 <= seed < 2**63):
        raise SnapshotError(f"{path}: header tick {tick!r} / seed {seed!r} out of range")
    try:
        config = config_from_dict(header.get("config"))
        validate(arrays, len(config.regions))
    except (ConfigError, StateError) as err:
        raise SnapshotError(f"{path}: {err}") from err
    return WorldState(tick=tick, seed=seed, arrays=arrays), config


class SnapshotStore:
    """The newest `keep` snapshot generations in `directory`."""

    def __init__(self, directory, keep: int):
        if keep < 1:
            raise ValueError("keep at least one snapshot generation")
        self.directory = Path(directory)
        self.keep = keep
        self.directory.mkdir(parents=True, exist_ok=True)

    def generations(self) -> list[Path]:
        """Snapshot files, newest generation first."""
        found = []
        for path in self.directory.iterdir():
            match = GENERATION.match(path.name)
            if match:
                found.append((int(match.group(1)), path))
            elif path.name == LEGACY_NAME:
                found.append((0, path))
        return [path for _, path in sorted(found, reverse=True)]

    def _next_generation(self) -> int:
        numbers = [int(m.group(1)) for p in self.directory.iterdir()
                   if (m := GENERATION.match(p.name.removesuffix(REJECTED)))]
        return max(numbers, default=0) + 1

    def save(self, state: WorldState, config_json: str) -> Path:
        """Write a new generation, then drop those beyond `keep`."""
        path = save(state, config_json, self.directory / f"snapshot-{self._next_generation():06d}-t{state.tick}.npz")
        for old in self.generations()[self.keep:]:
            old.unlink()
        return path

    def adopt(self, source) -> Path:
        """Make the snapshot at `source` (checked like any load) the newest generation."""
        state, config = load(source)
        return self.save(state, config.to_json())

    def _reject(self, path: Path) -> None:
        path.rename(path.with_name(path.name + REJECTED))
        rejected = sorted(self.directory.glob("*" + REJECTED), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in rejected[self.keep:]:
            old.unlink()

    def load_newest(self, loader):
        """`loader(path)` on each generation, newest first, until one succeeds.

        A generation whose loader raises SnapshotError is set aside.  Returns
        (result or None, the path it came from or None, [(path, reason) of each
        rejected generation])."""
        rejected = []
        for path in self.generations():
            try:
                return loader(path), path, rejected
            except SnapshotError as err:
                rejected.append((path, str(err)))
                self._reject(path)
        return None, None, rejected
