"""The local PostgreSQL for tests (127.0.0.1:5432, user postgres, trust auth, as
on CI): a throwaway database of a unique name, dropped afterwards, and client
programs (pg_dump, pg_restore, psql) that fit the server, located as the game
locates them (game.db_copy) and installed from Debian's packages when missing.
Without a server the tests fail: it is part of the machine they run on."""

import contextlib
import os
import subprocess
import uuid

import psycopg
import pytest

from game import db_copy

SERVER = {"HOST": "127.0.0.1", "PORT": "5432", "USER": "postgres", "PASSWORD": ""}


def connect(name: str) -> psycopg.Connection:
    return psycopg.connect(host=SERVER["HOST"], port=SERVER["PORT"], user=SERVER["USER"], dbname=name,
                           autocommit=True, connect_timeout=10)


def sql(db: dict, statements: str):
    """Run `statements` (several may be joined by ';') in `db`; the first value of the last one's first row."""
    with connect(db["NAME"]) as conn:
        cursor = conn.execute(statements)
        return cursor.fetchone()[0] if cursor.description else None


@contextlib.contextmanager
def throwaway_database(prefix: str = "tera_test"):
    """A new empty database: yields its Django `DATABASES` entry; dropped (connections and all) afterwards."""
    try:
        admin = connect("postgres")
    except psycopg.OperationalError as err:
        pytest.fail(f"no PostgreSQL on {SERVER['HOST']}:{SERVER['PORT']} ({err}); the tests need it")
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')
        try:
            yield dict(SERVER, ENGINE="django.db.backends.postgresql", NAME=name)
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def url(db: dict) -> str:
    """`DATABASE_URL` for `db`, as an admin writes it."""
    return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def ensure_client(db: dict) -> str:
    """pg_dump's folder for `db`'s server (the game's own search); as root, Debian's
    postgresql-client-<server major> is installed first when none fits."""
    try:
        return str(db_copy.pg_client(db))
    except db_copy.DatabaseCopyError:
        if os.geteuid() != 0:
            raise
    major = db_copy.server_major(db)
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run(["apt-get", "install", "-y", "-qq", f"postgresql-client-{major}"], check=True, env=env)
    return str(db_copy.pg_client(db))
