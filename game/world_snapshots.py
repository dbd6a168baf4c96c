"""Snapshots of the whole world, taken together and restored together: the
game database, the simulation state and the content library commit the live
world was built from. Files: game.snapshot_files (<runtime>/snapshots/).

Create: in the simulation's thread, under its lock (so no step runs and no
NPC follows an agent meanwhile), the simulation state is saved
(world.snapshot) and the database copied (game.db_copy: SQLite's backup API,
pg_dump on PostgreSQL); the library commit is the content applier's, the one
the database reflects. Without a running simulation the copy runs in a
plain thread. Automatic snapshots (before a room-block expansion goes live,
before a restore) are pruned to SNAPSHOT_KEEP; manual ones never are.

Restore: the snapshot is checked (database copy, simulation file, library
commit), an automatic snapshot is taken, the simulation pauses, the restore
is marked pending, everyone is told and the server reloads; the portal keeps
every connection. The next server process carries it out first thing at
start (`finish_pending_restore`, from at_server_init: no game object loaded
yet, no session handed back yet): the database is put back, the snapshot's
simulation state becomes the newest generation (newer than what the old
process saved at its stop) and is loaded exactly as it was, paused if it was,
and the library gets one new commit "Restore snapshot <id>" holding the
snapshot's files (history kept). Then the server starts as always and the
portal's sessions come back (game.sessions: a session whose account is not
in the restored database is told and disconnected).
"""

from __future__ import annotations

import time
from pathlib import Path

from django.conf import settings
from evennia.utils import logger
from twisted.internet import defer, reactor, threads

from world import snapshot as sim_snapshot
from world.snapshot import SnapshotStore

from . import db_copy
from .snapshot_files import Manifest, SnapshotFolder

SIM_FILE = "sim.npz"
LABEL_MAX = 60
RELOAD_DELAY_S = 0.5  # the admin's answer (telnet or HTTP) gets out before the server restarts

_restoring: str | None = None  # id of the restore this process is handing over to the next
_restored: Manifest | None = None  # the snapshot this process started from
_restore_failed: str | None = None


class SnapshotBusy(RuntimeError):
    """A restore is under way; nothing else is snapshotted or restored."""


def folder() -> SnapshotFolder:
    return SnapshotFolder(Path(settings.RUNTIME_DIR) / "snapshots")


def _database() -> dict:
    return settings.DATABASES["default"]


def clean_label(text: str) -> str:
    """One short line of plain text (Evennia markup shown as typed)."""
    return " ".join("".join(ch for ch in text if ch.isprintable()).split())[:LABEL_MAX]


def _library_commit() -> str | None:
    from . import content_service

    running = content_service.service()
    if running is None:
        return None
    return running.applier.head or running.library.head()


# ---- create ---------------------------------------------------------------------------------

def _write(store: SnapshotFolder, label: str, auto: bool, commit: str | None, db: dict, sim_service) -> Manifest:
    """In a thread (the simulation's, under its lock, when there is one): the
    snapshot's files; then, for an automatic one, the pruning of old ones."""
    snapshot_id, work = store.begin()
    try:
        sim_part = None
        if sim_service is not None:
            sim = sim_service.sim
            sim_snapshot.save(sim.state, sim.config.to_json(), work / SIM_FILE)
            sim_part = {"tick": sim.tick, "digest": sim.digest(), "paused": sim_service.paused, "file": SIM_FILE}
        db_file = db_copy.dump(db, work)
        manifest = Manifest(id=snapshot_id, label=label, auto=auto, created=time.time(), library_commit=commit,
                            db={"engine": db_copy.engine(db), "file": db_file}, sim=sim_part)
        store.finish(work, manifest)
    except BaseException:
        store.abandon(work)
        raise
    if auto:
        for gone in store.prune(settings.SNAPSHOT_KEEP):
            logger.log_info(f"Snapshot {gone} pruned (automatic snapshots kept: {settings.SNAPSHOT_KEEP})")
    return manifest


def create(label: str = "", auto: bool = False, wait: bool = False):
    """Take a snapshot; a Deferred firing with its Manifest, or None when the
    simulation is busy (with `wait`: once it is free). Raises SnapshotBusy
    during a restore and SimulationFailed after a failed step."""
    if _restoring is not None:
        raise SnapshotBusy(f"snapshot {_restoring} is being restored")
    return _create(label, auto, wait)


def _create(label: str, auto: bool, wait: bool):
    from . import simulation_bridge

    store, db, commit, label = folder(), _database(), _library_commit(), clean_label(label)
    sim = simulation_bridge.service()
    if sim is None:
        d = threads.deferToThread(_write, store, label, auto, commit, db, None)
    else:
        if sim.failed:
            raise simulation_bridge.SimulationFailed(f"the last step failed ({sim.failed}); its state is never saved")
        d = sim.run_job("snapshot", _write, store, label, auto, commit, db, sim, wait=wait)
    return d


def before_expansion(proposal_ids: list[str]) -> defer.Deferred:
    """An automatic snapshot before room blocks go live; fires when it is
    written (or failed: logged, the expansion goes ahead either way)."""
    from .simulation_bridge import SimulationFailed

    try:
        d = create(f"before expansion {', '.join(proposal_ids)}", auto=True, wait=True)
    except (SnapshotBusy, SimulationFailed) as err:  # no snapshot possible now: expand anyway
        logger.log_warn(f"No snapshot before expansion {proposal_ids}: {err}")
        return defer.succeed(None)
    d.addCallback(lambda m: logger.log_info(f"Snapshot {m.id} taken before expansion {', '.join(proposal_ids)}"))
    d.addErrback(lambda f: logger.log_err(f"No snapshot before expansion {proposal_ids}: {f.getErrorMessage()}"))
    return d


# ---- restore --------------------------------------------------------------------------------

def _check(store: SnapshotFolder, manifest: Manifest, db: dict) -> None:
    """In a thread: every part of the snapshot can be put back (raises otherwise)."""
    from . import content_service

    if manifest.db["engine"] != db_copy.engine(db):
        raise db_copy.DatabaseCopyError(f"snapshot {manifest.id} holds a {manifest.db['engine']} database; "
                                        f"the game runs on {db_copy.engine(db)}")
    db_copy.check(db, store.file(manifest, manifest.db["file"]))
    if manifest.sim is not None:
        sim_snapshot.load(store.file(manifest, manifest.sim["file"]))
    if manifest.library_commit:
        content_service.library().git("cat-file", "-e", f"{manifest.library_commit}^{{commit}}")


def restore(snapshot_id: str) -> defer.Deferred:
    """Check the snapshot, take an automatic one, then hand the restore over
    to the next server process and reload; fires with the Manifest once the
    reload is asked for. SnapshotMissing / SnapshotBusy at once."""
    global _restoring
    if _restoring is not None:
        raise SnapshotBusy(f"snapshot {_restoring} is already being restored")
    store = folder()
    manifest = store.get(snapshot_id)
    _restoring = manifest.id

    def failed(failure):
        global _restoring
        _restoring = None
        return failure

    d = threads.deferToThread(_check, store, manifest, _database())
    d.addCallback(lambda _: _create(f"before restore {manifest.id}", auto=True, wait=True))
    d.addCallback(lambda _: threads.deferToThread(store.mark_restore, manifest.id))
    d.addCallback(lambda _: _hand_over(manifest))
    d.addErrback(failed)
    return d


def _hand_over(manifest: Manifest) -> Manifest:
    """The restore is marked pending: pause, tell everyone, reload."""
    import evennia

    from . import simulation_bridge

    sim = simulation_bridge.service()
    if sim is not None:
        sim.pause()
    logger.log_info(f"Restoring snapshot {manifest.id}: reloading the server")
    evennia.SESSION_HANDLER.announce_all(
        f"|yThe world is being restored to snapshot {manifest.id} ({describe_time(manifest)}); "
        "stay connected, it takes a moment.|n")
    reactor.callLater(RELOAD_DELAY_S, evennia.SESSION_HANDLER.portal_restart_server)
    return manifest


def finish_pending_restore() -> Manifest | None:
    """At server start, before anything is loaded: carry out a restore the
    previous process handed over. The snapshot restored, or None."""
    global _restored, _restore_failed
    store = folder()
    store.sweep()
    snapshot_id = store.pending()
    if snapshot_id is None:
        return None
    store.clear_restore()  # a restore that fails is reported, never retried at every start
    try:
        manifest = store.get(snapshot_id)
        _put_back(store, manifest)
    except Exception as err:
        logger.log_trace(f"Snapshot {snapshot_id} could not be restored")
        _restore_failed = f"Restoring snapshot {snapshot_id} failed ({type(err).__name__}: {err})."
        return None
    logger.log_info(f"Snapshot {manifest.id} restored: database, simulation tick "
                    f"{manifest.sim['tick'] if manifest.sim else '-'}, library {manifest.library_commit}")
    _restored = manifest
    return manifest


def _put_back(store: SnapshotFolder, manifest: Manifest) -> None:
    from django.db import connections
    from evennia.utils.idmapper.models import flush_cache

    from . import content_service

    connections.close_all()
    db_copy.restore(_database(), store.file(manifest, manifest.db["file"]))
    connections.close_all()
    flush_cache()
    if manifest.sim is not None:
        sims = SnapshotStore(Path(settings.RUNTIME_DIR) / "sim", settings.SIM_SNAPSHOT_KEEP)
        sims.adopt(store.file(manifest, manifest.sim["file"]))
    if manifest.library_commit:
        content_service.library().restore_tree(manifest.library_commit,
                                               f"Restore snapshot {manifest.id}\n\nSnapshot: {manifest.id}\n")


def restoring() -> str | None:
    """The id of the snapshot this process is handing over to the next (None: no restore under way)."""
    return _restoring


def restored() -> Manifest | None:
    """The snapshot this server process started from (None: an ordinary start)."""
    return _restored


def restore_note() -> str | None:
    """What a session coming back from the reload is told, if anything."""
    if _restore_failed:
        return f"|r{_restore_failed}|n The world is as it was before."
    if _restored is not None:
        tick = f", simulation tick {_restored.sim['tick']}" if _restored.sim else ""
        return f"|yThe world was restored to snapshot {_restored.id} ({describe_time(_restored)}{tick}).|n"
    return None


def describe_time(manifest: Manifest) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime(manifest.created))
