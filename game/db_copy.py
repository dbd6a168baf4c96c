"""Consistent copies of the game database taken while the server runs, and
putting one back. Takes Django's `DATABASES["default"]` dict; imports no Django.

SQLite: the backup API (`sqlite3.Connection.backup`): the copy is one
consistent state of the database even while the server writes to it.
Restoring copies the snapshot into the live file through the same API (one
locked pass, never a file rename under open connections), so a connection
already open sees the restored database at its next read.

PostgreSQL: `pg_dump -Fc` (one transaction snapshot of the database) and
`pg_restore --clean --if-exists --single-transaction` (all or nothing).
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
from pathlib import Path

SQLITE_FILE = "db.sqlite3"
PG_FILE = "db.pgdump"
PG_TIMEOUT_S = 600


class DatabaseCopyError(RuntimeError):
    pass


def engine(db: dict) -> str:
    name = db["ENGINE"].rsplit(".", 1)[-1]
    if name == "sqlite3":
        return "sqlite"
    if name in ("postgresql", "postgresql_psycopg2"):
        return "postgresql"
    raise DatabaseCopyError(f"snapshots support SQLite and PostgreSQL, not {db['ENGINE']}")


def dump(db: dict, folder: Path) -> str:
    """Copy the database into `folder`; the file name written."""
    if engine(db) == "sqlite":
        target = Path(folder) / SQLITE_FILE
        _sqlite_copy(Path(db["NAME"]), target)
        return SQLITE_FILE
    _pg("pg_dump", db, "-Fc", "--no-owner", "-f", str(Path(folder) / PG_FILE), "-d", db["NAME"])
    return PG_FILE


def restore(db: dict, path: Path) -> None:
    """Make the live database what the copy at `path` holds."""
    if engine(db) == "sqlite":
        _sqlite_copy(Path(path), Path(db["NAME"]))
    else:
        _pg("pg_restore", db, "--clean", "--if-exists", "--no-owner", "--single-transaction", "-d", db["NAME"], str(path))


def check(db: dict, path: Path) -> None:
    """Raise DatabaseCopyError unless `path` is a readable copy for this database's engine."""
    if engine(db) == "sqlite":
        try:
            with _connect(Path(path), readonly=True) as conn:
                verdict = conn.execute("PRAGMA quick_check").fetchone()[0]
        except sqlite3.DatabaseError as err:
            raise DatabaseCopyError(f"{path}: {err}") from err
        if verdict != "ok":
            raise DatabaseCopyError(f"{path}: {verdict}")
    else:
        _pg("pg_restore", db, "--list", str(path))


def _connect(path: Path, readonly: bool = False) -> sqlite3.Connection:
    if readonly:
        return sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)
    return sqlite3.connect(path, timeout=30)


def _sqlite_copy(source: Path, target: Path) -> None:
    if not source.is_file():
        raise DatabaseCopyError(f"no database file {source}")
    src = _connect(source, readonly=True)
    dst = _connect(target)
    try:
        src.backup(dst)
    except sqlite3.Error as err:
        raise DatabaseCopyError(f"copying {source} to {target}: {err}") from err
    finally:
        dst.close()
        src.close()


def _pg(tool: str, db: dict, *args: str) -> str:
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    conn = [f"--host={db.get('HOST') or '127.0.0.1'}", f"--port={db.get('PORT') or 5432}"]
    if db.get("USER"):
        conn.append(f"--username={db['USER']}")
    try:
        done = subprocess.run([tool, *conn, "--no-password", *args], capture_output=True, text=True, env=env,
                              timeout=PG_TIMEOUT_S, stdin=subprocess.DEVNULL)
    except (OSError, subprocess.TimeoutExpired) as err:
        raise DatabaseCopyError(f"{tool}: {err}") from err
    if done.returncode != 0:
        raise DatabaseCopyError(f"{tool} failed: {done.stderr.strip() or done.stdout.strip()}")
    return done.stdout
