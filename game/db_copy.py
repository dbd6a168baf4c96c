"""Consistent copies of the game database taken while the server runs, and
putting one back. Takes Django's `DATABASES["default"]` dict; imports no Django.

SQLite: the backup API (`sqlite3.Connection.backup`): the copy is one
consistent state of the database even while the server writes to it.
Restoring copies the snapshot into the live file through the same API (one
locked pass, never a file rename under open connections), so a connection
already open sees the restored database at its next read.

PostgreSQL: `pg_dump -Fc` (one transaction snapshot of the whole database;
its sequences are read after that snapshot, so they are never behind the rows
it holds). Restoring is one transaction run by psql: every table, view and
sequence of the database is dropped, then the dump is replayed (as
`pg_restore --clean --if-exists` writes it, which also replaces its other
objects). So the database holds exactly what the snapshot held, sequences
included, and nothing made after it survives: `pg_restore --clean` alone
would keep a table made since (by a later migration, whose record in
django_migrations the restore removes, so the next `migrate` would fail on
it). A failure anywhere rolls the whole restore back.

The client programs (pg_dump, pg_restore, psql) must be of the server's major
version or newer (pg_dump refuses a server newer than itself): MUD_PG_BIN names
their folder, else PATH and Debian's /usr/lib/postgresql/<version>/bin are
searched, the server's own version preferred. Without one, DatabaseCopyError
says what was found and what to install.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import sqlite3
import subprocess
import tempfile
from pathlib import Path

SQLITE_FILE = "db.sqlite3"
PG_FILE = "db.pgdump"
PG_TIMEOUT_S = 600
PG_LOCK_WAIT_S = 60  # a dump or restore waiting longer for a table lock fails instead of hanging
PG_BIN_ENV = "MUD_PG_BIN"
DEBIAN_PG_ROOT = Path("/usr/lib/postgresql")
PG_TOOLS = ("pg_dump", "pg_restore", "psql")

# Every table, view and sequence of the database (none of an extension's, none of the system's); a
# sequence of a serial or identity column (and a partition) goes with its table.
DROP_EVERY_RELATION = r"""
DO $$
DECLARE r record;
BEGIN
  FOR r IN
    SELECT format('%I.%I', n.nspname, c.relname) AS name,
           CASE c.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW'
                          WHEN 'S' THEN 'SEQUENCE' ELSE 'TABLE' END AS kind
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S')
      AND n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\_%'
      AND NOT EXISTS (SELECT 1 FROM pg_depend d
                      WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid
                        AND (d.deptype = 'e' OR d.deptype IN ('a', 'i') AND d.refclassid = 'pg_class'::regclass))
  LOOP
    EXECUTE format('DROP %s IF EXISTS %s CASCADE', r.kind, r.name);
  END LOOP;
END $$;
"""


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
        _one_file(target)
        return SQLITE_FILE
    _pg(db, "pg_dump", "-Fc", "--no-owner", f"--lock-wait-timeout={PG_LOCK_WAIT_S}s",
        "-f", str(Path(folder) / PG_FILE), "-d", db["NAME"])
    return PG_FILE


def restore(db: dict, path: Path) -> None:
    """Make the live database what the copy at `path` holds."""
    if engine(db) == "sqlite":
        _sqlite_copy(Path(path), Path(db["NAME"]))
    else:
        _pg_restore(db, Path(path))


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
        _run([str(pg_client(db) / "pg_restore"), "--list", str(path)], "pg_restore")


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


def _one_file(path: Path) -> None:
    """The copy of a database in write-ahead-log mode (the game's) in rollback-journal
    mode: one file, which a read-only check opens without making -wal and -shm files."""
    conn = _connect(path)
    try:
        conn.execute("PRAGMA journal_mode=DELETE")
    finally:
        conn.close()


# ---- PostgreSQL ---------------------------------------------------------------------------------

def server_major(db: dict) -> int:
    """The major version of the PostgreSQL server `db` names (15 for 15.20)."""
    import psycopg

    try:
        with psycopg.connect(host=db.get("HOST") or "127.0.0.1", port=db.get("PORT") or 5432,
                             user=db.get("USER") or None, password=db.get("PASSWORD") or None,
                             dbname=db["NAME"], connect_timeout=10) as conn:
            return conn.info.server_version // 10000
    except psycopg.Error as err:
        raise DatabaseCopyError(f"cannot reach PostgreSQL: {err}") from err


def client_major(folder: Path) -> int | None:
    """The major version of the pg_dump in `folder` (None: none that runs)."""
    try:
        done = subprocess.run([str(folder / "pg_dump"), "--version"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return None
    found = re.search(r"\) (\d+)", done.stdout)
    return int(found.group(1)) if done.returncode == 0 and found else None


def client_folders() -> list[Path]:
    """Where client programs may be: MUD_PG_BIN alone if set, else PATH's, then Debian's (newest first)."""
    if os.environ.get(PG_BIN_ENV):
        return [Path(os.environ[PG_BIN_ENV])]
    on_path = shutil.which("pg_dump")
    debian = sorted(DEBIAN_PG_ROOT.glob("*/bin"), key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0,
                    reverse=True)
    return ([Path(on_path).parent] if on_path else []) + debian


def pg_client(db: dict) -> Path:
    """The folder of pg_dump, pg_restore and psql fit for `db`'s server: its own
    major version if there is one, else the newest newer one."""
    major = server_major(db)
    found = {}
    for folder in client_folders():
        if all((folder / tool).exists() for tool in PG_TOOLS):
            found.setdefault(folder, client_major(folder))
    fitting = [(version, folder) for folder, version in found.items() if version is not None and version >= major]
    if fitting:
        return min(fitting, key=lambda vf: (vf[0] != major, -vf[0]))[1]
    seen = ", ".join(f"{v or '?'} in {f}" for f, v in found.items()) or "none"
    raise DatabaseCopyError(
        f"snapshots on PostgreSQL {major} need its client programs ({', '.join(PG_TOOLS)}) of version {major} "
        f"or newer; found: {seen}. Install them (Debian: apt-get install postgresql-client-{major}) or set "
        f"{PG_BIN_ENV} to their folder.")


def _conn_args(db: dict) -> tuple[list[str], dict]:
    env = dict(os.environ, PGOPTIONS=f"-c lock_timeout={PG_LOCK_WAIT_S * 1000}")
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    args = [f"--host={db.get('HOST') or '127.0.0.1'}", f"--port={db.get('PORT') or 5432}", "--no-password"]
    if db.get("USER"):
        args.append(f"--username={db['USER']}")
    return args, env


def _pg(db: dict, tool: str, *args: str) -> None:
    conn, env = _conn_args(db)
    _run([str(pg_client(db) / tool), *conn, *args], tool, env=env)


def _pg_restore(db: dict, path: Path) -> None:
    """pg_restore writes the dump as SQL, piped through here into psql, which
    drops every relation and runs the script in one transaction. psql sees the
    end of its input (and commits) only after pg_restore wrote all of it; when
    pg_restore fails, psql is killed first and the server rolls everything back."""
    folder = pg_client(db)
    conn, env = _conn_args(db)
    with tempfile.TemporaryFile() as restore_err, tempfile.TemporaryFile() as replay_out:
        replay = subprocess.Popen(
            [str(folder / "psql"), *conn, "--no-psqlrc", "--quiet", "--set=ON_ERROR_STOP=1", "--single-transaction",
             "-c", DROP_EVERY_RELATION, "-f", "-", "-d", db["NAME"]],
            env=env, stdin=subprocess.PIPE, stdout=replay_out, stderr=subprocess.STDOUT)
        script = subprocess.Popen([str(folder / "pg_restore"), "--clean", "--if-exists", "--no-owner", "-f", "-",
                                   str(path)], stdout=subprocess.PIPE, stderr=restore_err, stdin=subprocess.DEVNULL)
        try:
            shutil.copyfileobj(script.stdout, replay.stdin)
        except BrokenPipeError:  # psql stopped at an error: its output says which
            pass
        finally:
            script.stdout.close()
            script.wait()
            if script.returncode != 0:
                replay.kill()  # before psql sees the end of its input: it never commits half a script
            try:
                replay.stdin.close()
            except BrokenPipeError:
                pass
            replay.wait()
        restore_err.seek(0)
        replay_out.seek(0)
        if replay.returncode not in (0, -signal.SIGKILL):  # psql's own failure (not our kill)
            raise DatabaseCopyError(f"restoring {path.name} failed, nothing changed: "
                                    f"{replay_out.read().decode(errors='replace').strip()}")
        if script.returncode != 0:
            raise DatabaseCopyError(f"pg_restore failed, nothing changed: "
                                    f"{restore_err.read().decode(errors='replace').strip()}")


def _run(argv: list[str], tool: str, env: dict | None = None) -> None:
    try:
        done = subprocess.run(argv, capture_output=True, text=True, env=env, timeout=PG_TIMEOUT_S,
                              stdin=subprocess.DEVNULL)
    except (OSError, subprocess.TimeoutExpired) as err:
        raise DatabaseCopyError(f"{tool}: {err}") from err
    if done.returncode != 0:
        raise DatabaseCopyError(f"{tool} failed: {done.stderr.strip() or done.stdout.strip()}")
