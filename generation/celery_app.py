"""The Celery app. Default broker and result store need no server: kombu's
filesystem transport under <MUD_RUNTIME_DIR>/broker (each message written
whole, generation.fs_broker) and an SQLite result
backend (SQLAlchemy). REDIS_URL switches both to Redis. Tasks ack late and
are re-queued if their worker dies; the job journal (generation.jobs)
covers the filesystem broker, which cannot redeliver by itself. A worker's
log, which its launcher sends to <MUD_RUNTIME_DIR>/worker.log, rotates at
MUD_LOG_BYTES (MUD_LOG_KEEP copies, generation.log_files)."""

import os

from celery import Celery, signals
from sqlalchemy import event
from sqlalchemy.engine import Engine

from . import fs_broker, sqlite_files
from .log_files import RotateBeforeWrite
from .runtime import Bounds, RuntimePaths

CONNECT_TIMEOUT_S = 2.0


def broker_settings(paths: RuntimePaths, redis_url: str | None) -> dict:
    if redis_url:
        return {
            "broker_url": redis_url,
            "result_backend": redis_url,
            "broker_connection_timeout": CONNECT_TIMEOUT_S,
            "broker_transport_options": {"socket_connect_timeout": CONNECT_TIMEOUT_S, "socket_timeout": 10, "visibility_timeout": 300},
            "redis_socket_connect_timeout": CONNECT_TIMEOUT_S,
            "redis_socket_timeout": 10,
            "result_backend_transport_options": {"socket_connect_timeout": CONNECT_TIMEOUT_S},
        }
    folder = paths.broker_dir
    for sub in ("queue", "processed", "control"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    return {
        "broker_url": f"{fs_broker.SCHEME}://",
        "broker_transport_options": {
            "data_folder_in": str(folder / "queue"),
            "data_folder_out": str(folder / "queue"),
            "processed_folder": str(folder / "processed"),
            "control_folder": str(folder / "control"),
            "store_processed": False,
            "polling_interval": 0.02,
        },
        "result_backend": f"db+sqlite:///{paths.results_db}",
        "database_engine_options": {"connect_args": {"timeout": 30}},
    }


@event.listens_for(Engine, "connect")
def _sqlite_wal(dbapi_connection, _record):
    """The SQLite result store in WAL mode: readers and the worker do not
    block each other, and commits skip the fsync a killed process never needs."""
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        sqlite_files.configure(dbapi_connection)


@signals.after_setup_logger.connect
@signals.after_setup_task_logger.connect
def _bounded_output(logger=None, **_):
    """Every handler of the worker's loggers rotates the output file before it would overflow."""
    bounds = Bounds.from_env()
    rotation = RotateBeforeWrite(RuntimePaths.from_env().worker_log, bounds.log_max_bytes, bounds.log_keep)
    for handler in logger.handlers if logger is not None else ():
        handler.addFilter(rotation)


def make_app() -> Celery:
    paths = RuntimePaths.from_env()
    paths.root.mkdir(parents=True, exist_ok=True)
    app = Celery("generation", include=["generation.tasks"])
    app.conf.update(
        broker_settings(paths, os.environ.get("REDIS_URL")),
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        task_serializer="json",
        result_serializer="json",
        accept_content=["json"],
        result_expires=Bounds.from_env().results_keep_s,  # pruned by generation.maintenance
        broker_connection_retry_on_startup=True,
        worker_hijack_root_logger=False,
        task_default_queue="generation",
    )
    return app


app = make_app()
