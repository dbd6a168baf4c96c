"""Wall-clock time for status history and logs (never part of replay bytes)."""

from datetime import datetime, timezone


def utc_now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds")
