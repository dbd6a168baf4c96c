"""The real game on PostgreSQL (DATABASE_URL), on a server of its own with a
throwaway database: the private server's path (migrate, then the first start
makes the admin account) fills PostgreSQL and nothing else, a new player logs
in over telnet and looks, and a world snapshot round trip works there
(pg_dump / pg_restore with client programs that fit the server): snapshot,
change the square by a hand edit of the library, create an object, and a table
as a later migration would; restore; the player is still connected and the
world, table list included, is the snapshot's; new rows after it get fresh ids."""

import json

import pytest

from game.private_server import ADMIN, GameServer
from tests.e2e.helpers import change_square, restore_snapshot, sees, take_snapshot
from tests.support import postgres
from tests.support.postgres import sql


@pytest.fixture(scope="module")
def database():
    with postgres.throwaway_database("tera_e2e") as db:
        postgres.ensure_client(db)
        yield db


@pytest.fixture(scope="module")
def game_server(database):
    """This module's own server (the shared one's fixture name, so `telnet` and `admin` use it)."""
    server = GameServer(extra_env={"DATABASE_URL": postgres.url(database)}, prefix="tera-e2e-postgres-").start()
    yield server
    server.stop()


def objects_named(db: dict, key: str) -> int:
    return sql(db, f"select count(*) from objects_objectdb where db_key = '{key}'")


def test_the_game_runs_on_postgresql_and_a_snapshot_round_trips(game_server, database, telnet, admin):
    assert sql(database, "select count(*) from django_migrations where app = 'objects'") > 0
    assert sql(database, f"select is_superuser from accounts_accountdb where username = '{ADMIN[0]}'") is True
    assert not list(game_server.runtime.glob("*.db3")), "a SQLite game database was made"
    player = telnet("pgplayer")
    assert "Village Square" in player.command("look", r"Exits:[^\n]*\n")
    assert sql(database, "select count(*) from accounts_accountdb where username = 'pgplayer'") == 1

    admin.command("sim pause", r"Simulation paused[^\n]*\n")
    sid = take_snapshot(admin, "on postgres")
    manifest = json.loads((game_server.runtime / "snapshots" / sid / "manifest.json").read_text())
    assert manifest["db"] == {"engine": "postgresql", "file": "db.pgdump"}
    tables = sql(database, "select count(*) from pg_tables where schemaname = 'public'")

    new_desc = "Grey water floods the square; the well has sunk into the mud."
    old_desc = change_square(game_server, player, new_desc)
    admin.command("create/drop pg stone", r"You create a new Object: pg stone[^\n]*\n")
    assert sees(player, "pg stone") and objects_named(database, "pg stone") == 1
    sql(database, "create table made_later (id serial primary key, note text)")  # as a later migration would

    restore_snapshot(admin, player, sid)
    after = player.command("look", r"Exits:[^\n]*\n")
    assert new_desc not in after and old_desc[:40] in after
    assert not sees(player, "pg stone") and objects_named(database, "pg stone") == 0
    assert sql(database, "select count(*) from pg_tables where schemaname = 'public'") == tables
    assert sql(database, "select to_regclass('public.made_later')") is None

    admin.expect(r"The world was restored", timeout=60)
    admin.command("create/drop pg pebble", r"You create a new Object: pg pebble[^\n]*\n")  # sequences: no id clash
    assert sees(player, "pg pebble")
    assert sql(database, "select max(id) from objects_objectdb") == sql(database, "select last_value from "
                                                                                   "objects_objectdb_id_seq")
