"""`broker_status()`: can jobs be queued right now, and if not, why (shown to
admins). Never hangs: every probe has a short timeout."""

import os
from urllib.parse import urlsplit

from .celery_app import CONNECT_TIMEOUT_S, app
from .runtime import RuntimePaths


def _redacted(url: str) -> str:
    parts = urlsplit(url)
    host = parts.hostname or ""
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{host}{port}{parts.path}"


def broker_status(timeout_s: float = CONNECT_TIMEOUT_S) -> dict:
    """{"ok": bool, "broker": kind and address, "reason": why not (or None)}."""
    redis_url = os.environ.get("REDIS_URL")
    if not redis_url:
        folder = RuntimePaths.from_env().broker_dir / "queue"
        ok = folder.is_dir() and os.access(folder, os.W_OK)
        return {"ok": ok, "broker": f"filesystem:{folder}", "reason": None if ok else f"broker folder {folder} is not writable"}
    import redis

    try:
        client = redis.Redis.from_url(redis_url, socket_connect_timeout=timeout_s, socket_timeout=timeout_s)
        client.ping()
        client.close()
    except redis.RedisError as exc:
        return {"ok": False, "broker": _redacted(redis_url), "reason": f"Redis unreachable: {exc}"}
    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=timeout_s)
    except Exception as exc:  # kombu raises many transport-specific errors
        return {"ok": False, "broker": _redacted(redis_url), "reason": f"broker connection failed: {exc}"}
    return {"ok": True, "broker": _redacted(redis_url), "reason": None}
