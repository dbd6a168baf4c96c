"""Seeded tables and grammars in `content/tables/*.json` (data, not code),
and their versions (sha256 of each file's bytes) for provenance."""

import json
from functools import lru_cache
from pathlib import Path

from .canonical import sha256_hex
from .runtime import CONTENT_DIR

TABLE_DIR = CONTENT_DIR / "tables"


@lru_cache(maxsize=64)
def _read(path: Path, mtime_ns: int) -> tuple[dict, str]:
    raw = path.read_bytes()
    return json.loads(raw), sha256_hex(raw)


def _entry(name: str) -> tuple[dict, str]:
    path = TABLE_DIR / f"{name}.json"
    return _read(path, path.stat().st_mtime_ns)


def table(name: str) -> dict:
    """The parsed table `content/tables/<name>.json` (re-read when it changes)."""
    return _entry(name)[0]


def versions(names: list[str]) -> dict[str, str]:
    """{"<name>.json": sha256} for provenance."""
    return {f"{name}.json": _entry(name)[1] for name in sorted(names)}
