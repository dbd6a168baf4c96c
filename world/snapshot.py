"""Atomic save/load of the whole simulation state as an uncompressed .npz.

The file holds every state array plus a JSON header (format, tick, seed,
config document).  Writes go to a temp file in the target directory, are
fsynced, then os.replace()d over the target, so a crash or error never leaves
a partial snapshot behind.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import numpy as np

from .state import WorldState

FORMAT = "tera-sim/1"


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
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)
    return path


def load(path) -> tuple[WorldState, dict]:
    """Returns (state, config document)."""
    with np.load(Path(path), allow_pickle=False) as data:
        header = json.loads(bytes(data["__header__"]).decode())
        if header.get("format") != FORMAT:
            raise ValueError(f"{path}: not a {FORMAT} snapshot")
        arrays = {k: data[k].copy() for k in data.files if k != "__header__"}
    return WorldState(tick=int(header["tick"]), seed=int(header["seed"]), arrays=arrays), header["config"]
