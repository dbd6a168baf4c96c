"""How every SQLite file of the runtime folder is opened (job journal, approval
queue, gate state, LLM usage ledger, Celery results; not the game database,
which stays in rollback-journal mode, see server/conf/settings.py): write-ahead log, so
readers and writers in separate processes do not block each other, the sync
level the caller asks for, and a bounded `-wal` file.  SQLite checkpoints the
log every WAL_AUTOCHECKPOINT_PAGES pages; without a size limit the file keeps
its largest size for good, with one it is cut back to WAL_LIMIT_BYTES after
each checkpoint, so it stays under that bound as long as checkpoints run
(WAL_AUTOCHECKPOINT_PAGES pages of 4 KiB fit well inside it)."""

import sqlite3
from pathlib import Path

WAL_AUTOCHECKPOINT_PAGES = 128
WAL_LIMIT_BYTES = 1 << 20


def pragmas(synchronous: str = "NORMAL") -> list[str]:
    """The statements that put a connection in WAL mode with a bounded log."""
    return ["PRAGMA journal_mode=WAL", f"PRAGMA synchronous={synchronous}",
            f"PRAGMA wal_autocheckpoint={WAL_AUTOCHECKPOINT_PAGES}", f"PRAGMA journal_size_limit={WAL_LIMIT_BYTES}"]


def configure(db, synchronous: str = "NORMAL") -> None:
    """Put an open DB-API connection to SQLite in WAL mode with a bounded log."""
    for statement in pragmas(synchronous):
        db.execute(statement)


def connect(path: Path, timeout: float = 30, synchronous: str = "NORMAL", shared: bool = True) -> sqlite3.Connection:
    """A connection in autocommit mode (transactions are explicit); `shared`
    lets the caller's threads use it under their own lock."""
    db = sqlite3.connect(path, timeout=timeout, isolation_level=None, check_same_thread=not shared)
    configure(db, synchronous)
    return db
