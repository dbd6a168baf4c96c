"""Canonical JSON: the one byte form used for ids, hashes, stored proposals and
patches (sorted keys, fixed separators, UTF-8, trailing newline)."""

import hashlib
import json
from typing import Any


def canonical_bytes(data: Any) -> bytes:
    """`data` (plain JSON values) as canonical bytes, newline-terminated."""
    return (json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False) + "\n").encode("utf-8")


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def digest(data: Any) -> str:
    """sha256 of the canonical form of `data`."""
    return sha256_hex(canonical_bytes(data))
