"""World snapshots' plain parts: ids, manifests, private files, pruning of
automatic snapshots only, the pending-restore marker; and the database copy
for real: SQLite's backup API while another connection writes, and
pg_dump / pg_restore against the local PostgreSQL (a throwaway database): the
restore is exactly the dump or nothing, and client programs that do not fit
the server are refused with a clear error."""

import sqlite3
import stat
import threading
import time

import pytest

from game import db_copy
from game.snapshot_files import Manifest, SnapshotFolder, SnapshotMissing
from tests.support import postgres
from tests.support.postgres import sql


def take(store: SnapshotFolder, label: str, auto: bool) -> Manifest:
    snapshot_id, work = store.begin()
    (work / "db.sqlite3").write_bytes(b"x" * 100)
    return store.finish(work, Manifest(id=snapshot_id, label=label, auto=auto, created=time.time(),
                                       library_commit="c" * 40, db={"engine": "sqlite", "file": "db.sqlite3"}))


def test_ids_are_short_ordered_and_never_reused(tmp_path):
    store = SnapshotFolder(tmp_path / "snapshots")
    first, second = take(store, "a", False), take(store, "b", True)
    assert (first.id, second.id) == ("s1", "s2")
    store.delete("s2")
    assert take(store, "c", False).id == "s3"
    assert [m.id for m in store.list()] == ["s1", "s3"]
    assert store.get("s1").label == "a" and store.get("s1").bytes == 100
    for bad in ("s2", "../s1", "x"):
        with pytest.raises(SnapshotMissing):
            store.get(bad)


def test_files_are_private_and_a_crashed_one_never_lists(tmp_path):
    store = SnapshotFolder(tmp_path / "snapshots")
    done = take(store, "a", False)
    folder = store.path(done.id)
    assert stat.S_IMODE(store.root.stat().st_mode) == 0o700 and stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert {stat.S_IMODE(p.stat().st_mode) for p in folder.iterdir()} == {0o600}
    _, work = store.begin()  # a crash mid-snapshot leaves its work folder
    (work / "db.sqlite3").write_bytes(b"half")
    assert [m.id for m in store.list()] == ["s1"]
    assert store.sweep() == ["s2.partial"] and not work.exists()


def test_prune_drops_the_oldest_automatic_ones_only(tmp_path):
    store = SnapshotFolder(tmp_path / "snapshots")
    kinds = [True, False, True, True, False, True]
    for i, auto in enumerate(kinds):
        take(store, f"n{i}", auto)
    store.mark_restore("s3")  # about to be restored: kept whatever its age
    assert store.prune(1) == ["s1"] + ["s4"]
    assert [m.id for m in store.list()] == ["s2", "s3", "s5", "s6"]
    with pytest.raises(ValueError, match="about to be restored"):
        store.delete("s3")
    assert store.pending() == "s3"
    store.clear_restore()
    assert store.pending() is None
    with pytest.raises(SnapshotMissing):
        store.mark_restore("s1")


def test_sqlite_copy_is_consistent_while_the_game_writes(tmp_path):
    live = tmp_path / "evennia.db3"
    with sqlite3.connect(live) as conn:
        conn.execute("create table t (n integer)")
        conn.executemany("insert into t values (?)", [(i,) for i in range(2000)])
    db = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(live)}
    stop, wrote = threading.Event(), threading.Event()

    def writer():  # the server keeps writing: each transaction adds one row and removes one
        conn = sqlite3.connect(live, timeout=30)
        n = 2000
        while not stop.is_set():
            with conn:
                conn.execute("insert into t values (?)", (n,))
                conn.execute("delete from t where n = ?", (n - 2000,))
            n += 1
            wrote.set()
        conn.close()

    thread = threading.Thread(target=writer)
    thread.start()
    wrote.wait(10)
    try:
        folder = tmp_path / "snap"
        folder.mkdir()
        name = db_copy.dump(db, folder)
    finally:
        stop.set()
        thread.join()
    db_copy.check(db, folder / name)
    with sqlite3.connect(folder / name) as copy:
        assert copy.execute("select count(*) from t").fetchone()[0] == 2000  # never half a transaction

    reader = sqlite3.connect(live)  # a connection the server holds open across the restore
    assert reader.execute("select count(*) from t where n < 2000").fetchone()[0] < 2000
    db_copy.restore(db, folder / name)
    assert reader.execute("select count(*) from t").fetchone()[0] == 2000
    assert reader.execute("select min(n) from t").fetchone() == copy_min(folder / name)
    (tmp_path / "junk").write_bytes(b"not a database" * 100)
    with pytest.raises(db_copy.DatabaseCopyError):
        db_copy.check(db, tmp_path / "junk")


def copy_min(path):
    with sqlite3.connect(path) as conn:
        return conn.execute("select min(n) from t").fetchone()


@pytest.fixture
def pg_database():
    with postgres.throwaway_database("tera_snapshot") as db:
        postgres.ensure_client(db)
        yield db


def test_postgres_restore_is_exactly_the_dump_sequences_included(pg_database, tmp_path):
    db = pg_database
    sql(db, "create table objects (id integer generated by default as identity primary key, db_key text); "
            "insert into objects (db_key) values ('Sun Chapel'), ('Market')")  # an id column as Django makes it
    name_written = db_copy.dump(db, tmp_path)
    db_copy.check(db, tmp_path / name_written)
    sql(db, "update objects set db_key = 'Ruins' where id = 1; insert into objects (db_key) values ('later'); "
            "create table made_later (id serial primary key, objects_id int references objects (id)); "
            "insert into made_later (objects_id) values (3)")
    db_copy.restore(db, tmp_path / name_written)
    assert sql(db, "select string_agg(db_key, ',' order by id) from objects") == "Sun Chapel,Market"
    assert sql(db, "select nextval(pg_get_serial_sequence('objects', 'id'))") == 3
    assert sql(db, "select count(*) from pg_tables where schemaname = 'public'") == 1, "a table made later survived"
    assert sql(db, "select count(*) from pg_class where relname = 'made_later_id_seq'") == 0
    with pytest.raises(db_copy.DatabaseCopyError, match="pg_restore"):
        db_copy.check(db, tmp_path / "missing.pgdump")


def test_postgres_restore_of_a_broken_dump_changes_nothing(pg_database, tmp_path):
    """pg_restore dies halfway through the data: psql never commits the half it was sent."""
    db = pg_database
    sql(db, "create table objects (id serial primary key, db_key text); "
            "insert into objects (db_key) select 'row ' || n from generate_series(1, 50000) n")
    good = tmp_path / db_copy.dump(db, tmp_path)
    sql(db, "insert into objects (db_key) values ('after')")
    broken = tmp_path / "broken.pgdump"
    broken.write_bytes(good.read_bytes()[: good.stat().st_size * 2 // 3])
    with pytest.raises(db_copy.DatabaseCopyError, match="nothing changed"):
        db_copy.restore(db, broken)
    assert sql(db, "select count(*) from objects") == 50001


def test_postgres_client_must_fit_the_server(pg_database, tmp_path, monkeypatch):
    """Only client programs older than the server: a clear error naming what to install."""
    major = db_copy.server_major(pg_database)
    old = tmp_path / "old-bin"
    old.mkdir()
    for tool in db_copy.PG_TOOLS:
        script = old / tool
        script.write_text(f"#!/bin/sh\necho '{tool} (PostgreSQL) {major - 1}.4'\n")
        script.chmod(0o755)
    monkeypatch.setenv(db_copy.PG_BIN_ENV, str(old))
    with pytest.raises(db_copy.DatabaseCopyError,
                       match=rf"PostgreSQL {major} need.*version {major} or newer; found: {major - 1} in {old}.*"
                             rf"postgresql-client-{major}"):
        db_copy.dump(pg_database, tmp_path)
    monkeypatch.setenv(db_copy.PG_BIN_ENV, str(tmp_path / "nowhere"))
    with pytest.raises(db_copy.DatabaseCopyError, match="found: none"):
        db_copy.check(pg_database, tmp_path / "x.pgdump")
