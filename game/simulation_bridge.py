"""Bridge between the game and the background simulation (world/).

`SimulationService` owns the server's one live `Simulation`.  Its clock (a
Twisted LoopingCall every SIM_TICK_INTERVAL seconds, sub-second allowed)
hands steps to a thread: the numba kernels release the GIL and by default use
every core but one, so the reactor keeps serving players.  Everything that
touches the simulation's state (steps, snapshots, admin events) runs in that
thread, one job at a time under `lock`; the reactor thread never waits for
it: a tick due while a job runs is skipped, and an admin asking for a job then
is told the simulation is busy.  After each step, still in the thread, the
tick's events go to the (rotated) event log and the index of notable agents
per region is rebuilt (world.notable), so populating a room is O(players)
on the reactor; back on the reactor the events reach players
(game.region_news) and materialized NPCs follow their agents
(game.materialize; at most once a second, as creating and deleting objects
is database work, whatever the clock's pace).

Snapshots go to a `SnapshotStore` (SIM_SNAPSHOT_KEEP generations) every
SIM_SNAPSHOT_INTERVAL seconds and at shutdown; at start the newest good
generation is loaded and bad ones are set aside with a message to admins.  A
failed step leaves a half-updated state: the world pauses and that state is
never saved, so the next start resumes from the last good snapshot.
"""

import sys
import threading
import time
from pathlib import Path

from django.conf import settings
from evennia.utils import logger
from twisted.internet import defer, reactor, task, threads

from world.enums import RESOURCES
from world.events import EventLog
from world.notable import notable_agents
from world.snapshot import SnapshotError, SnapshotStore
from world.systems import macro
from world.threads import spare_one_core, use_threads

from .region_news import RegionNews
from .reactor_lateness import LatenessProbe

_service = None
_loading = None  # token of the load in progress
_step_listeners = []  # callables(sim, events), run on the reactor after each step
NOTABLE_PER_ROLE = 48  # notable agents kept per region and role (shared among the region's rooms)
NOTICES_KEPT = 10
NPC_REFRESH_S = 1.0  # materialized NPCs follow their agents at most this often, however fast the clock


class SimulationFailed(RuntimeError):
    """The last step failed; the live state is not trusted and is never saved."""


def on_step(callback) -> None:
    """Call `callback(sim, events)` on the reactor thread after every step."""
    if callback not in _step_listeners:
        _step_listeners.append(callback)


def service():
    """The running simulation service, or None (disabled, or still loading)."""
    return _service


def notify_admins(text: str) -> None:
    """Log `text` as an error and show it to every admin online (reactor thread)."""
    import evennia

    logger.log_err(text)
    for account in evennia.SESSION_HANDLER.all_connected_accounts():
        if account.check_permstring("Admin"):
            account.msg(f"|r[simulation]|n {text}")


class SimulationService:
    def __init__(self, sim, runtime_dir: Path, notices=()):
        self.sim = sim
        self.snapshots = SnapshotStore(runtime_dir / "sim", settings.SIM_SNAPSHOT_KEEP)
        self.event_log = EventLog(runtime_dir / "events", settings.SIM_EVENT_LOG_BYTES, settings.SIM_EVENT_LOG_KEEP)
        self.news = RegionNews(settings.SIM_NEWS_INTERVAL)
        self.lock = threading.Lock()  # held by the thread running a step, save or admin change
        self.busy = None  # reactor-side: the job handed to the thread ("step", "save", "event"), or None
        self.paused = False
        self.failed = None  # why the last step failed (the state is then never saved)
        self.stopping = False  # set at shutdown: a running multi-tick step ends at the next tick
        self.halt = False  # set by pause: the running multi-tick step ends at the next tick
        self.skipped = 0
        self.last_save = time.monotonic()
        self.numba_threads = settings.SIM_THREADS or spare_one_core()
        self.notable = notable_agents(sim.state, len(sim.config.regions), NOTABLE_PER_ROLE)
        self.notices = list(notices)[-NOTICES_KEPT:]  # admin notices: rejected snapshots, failures
        self.clock = None
        self.lateness = LatenessProbe()
        self.last_npc_refresh = 0.0

    # ---- one job at a time, in a thread ----------------------------------------------------
    def is_busy(self) -> bool:
        return self.busy is not None or self.lock.locked()

    def _locked(self, job, *args):
        with self.lock:
            return job(*args)

    def _run(self, name: str, job, *args):
        """Run `job(*args)` under the lock in a thread; a Deferred, or None when busy."""
        if self.is_busy():
            return None
        self.busy, self.halt = name, False
        d = threads.deferToThread(self._locked, job, *args)
        d.addBoth(self._idle)
        return d

    def run_job(self, name: str, job, *args, wait: bool = False):
        """`job(*args)` in the simulation's thread, alone (no step runs meanwhile):
        a Deferred, or None when busy (with `wait`: started once it is free)."""
        return (self._when_free if wait else self._run)(name, job, *args)

    def _when_free(self, name: str, job, *args) -> defer.Deferred:
        """Like _run, but waits (polling on the reactor, never blocking it) until the simulation is free."""
        done = defer.Deferred()

        def attempt():
            d = self._run(name, job, *args)
            if d is None:
                reactor.callLater(0.05, attempt)
            else:
                d.chainDeferred(done)

        attempt()
        return done

    def _idle(self, result):
        self.busy = None
        return result

    # ---- stepping --------------------------------------------------------------------------
    def start_clock(self) -> None:
        """Tick every SIM_TICK_INTERVAL seconds on the reactor (the step itself runs in a thread)."""
        self.clock = task.LoopingCall(self.tick)
        self.clock.start(settings.SIM_TICK_INTERVAL, now=False).addErrback(
            lambda f: logger.log_err(f"Simulation clock stopped: {f.getErrorMessage()}"))
        self.lateness.start()

    def _steps(self, ticks: int):
        """In the thread: up to `ticks` steps (fewer when stopping), their events logged,
        the notable-agent index rebuilt, and a snapshot when one is due."""
        use_threads(self.numba_threads)
        events = []
        for _ in range(ticks):
            if self.stopping or self.halt:
                break
            events.extend(self.sim.step())
        self.event_log.write(events)
        self.notable = notable_agents(self.sim.state, len(self.sim.config.regions), NOTABLE_PER_ROLE)
        if time.monotonic() - self.last_save >= settings.SIM_SNAPSHOT_INTERVAL:
            self._save()
        return events

    def tick(self, ticks: int = 1, force: bool = False):
        """Start `ticks` steps in a thread (fewer if paused or stopped meanwhile);
        a Deferred firing with the events, or None when not started (paused,
        failed, stopping, or the simulation is busy)."""
        if (self.paused and not force) or self.failed or self.stopping:
            return None
        d = self._run("step", self._steps, ticks)
        if d is None:
            self.skipped += 1
            return None
        d.addCallbacks(self._after_step, self._step_failed)
        d.addErrback(lambda f: logger.log_err(f"after-step work failed: {f.getTraceback()}"))
        return d

    def _step_failed(self, failure):
        self.paused = True
        self.failed = f"{failure.type.__name__}: {failure.getErrorMessage()}"
        logger.log_err(failure.getTraceback())
        self.notice(f"A simulation step failed after tick {self.sim.tick} ({self.failed}); the world is paused and "
                    "this state will not be saved. A server reload resumes from the last good snapshot.")
        return []

    def _after_step(self, events):
        from .materialize import refresh_all
        from .region_news import players_by_zone

        audience = players_by_zone()
        self.news.publish(events, audience=audience)
        if time.monotonic() - self.last_npc_refresh >= NPC_REFRESH_S:  # object churn is database work
            self.last_npc_refresh = time.monotonic()
            refresh_all(self, set().union(*audience.values()) if audience else set())
        for listener in list(_step_listeners):
            try:
                listener(self.sim, events)
            except Exception:  # a broken listener must not stop the world
                logger.log_trace("simulation listener failed")
        return events

    # ---- admin -----------------------------------------------------------------------------
    def pause(self) -> None:
        """Stop the clock's ticks; a running multi-tick step ends at its next tick."""
        self.paused = True
        if self.busy == "step":
            self.halt = True

    def notice(self, text: str) -> None:
        self.notices = (self.notices + [text])[-NOTICES_KEPT:]
        notify_admins(text)

    def _save(self) -> Path:
        if self.failed:  # a step failed while this save waited its turn
            raise SimulationFailed(f"the last step failed ({self.failed}); its state is never saved")
        path = self.snapshots.save(self.sim.state, self.sim.config.to_json())
        self.last_save = time.monotonic()
        return path

    def save(self):
        """A Deferred firing with the new snapshot's path, or None when busy;
        raises SimulationFailed after a failed step."""
        if self.failed:
            raise SimulationFailed(f"the last step failed ({self.failed}); its state is never saved")
        return self._run("save", self._save)

    def _trigger(self, kind: str, region: str | None):
        event = self.sim.trigger_macro(kind, region)
        self.event_log.write([event])
        return event

    def trigger(self, kind: str, region: str | None, wait: bool = False):
        """A Deferred firing with the macro event; when busy, None (or with
        `wait`, a Deferred that starts it once the simulation is free).  Raises
        ValueError at once for an unknown macro or region."""
        if self.failed:
            raise SimulationFailed(f"the last step failed ({self.failed})")
        macro.validate(self.sim.config, kind, region)
        d = self.run_job("event", self._trigger, kind, region, wait=wait)
        if d is not None:
            d.addCallback(self._publish_forced)
        return d

    def set_supply(self, region: str, resource: str, qty: int):
        """A Deferred firing with the resource's new price once the region's market holds `qty` of
        it, or None when busy.  Raises ValueError at once for an unknown region or resource."""
        if self.failed:
            raise SimulationFailed(f"the last step failed ({self.failed})")
        self.sim.config.region_index(region)
        if resource not in RESOURCES:
            raise ValueError(f"unknown resource {resource!r}; known: {', '.join(RESOURCES)}")
        return self.run_job("supply", self.sim.set_supply, region, resource, qty)

    def _publish_forced(self, event):
        self.news.publish([event], force=True)
        return event

    def shutdown(self) -> defer.Deferred:
        """Stop ticking; once the running job (a multi-tick step stops at its next
        tick) is done, save a snapshot unless the last step failed.  Fires when done."""
        self.stopping = True
        if self.clock is not None and self.clock.running:
            self.clock.stop()
        self.lateness.stop()
        if self.failed:
            logger.log_err(f"Simulation not saved at stop: the last step failed ({self.failed})")
            return defer.succeed(None)
        d = self._when_free("save", self._save)
        d.addCallback(lambda path: logger.log_info(f"Simulation saved to {path} at tick {self.sim.tick}"))
        d.addErrback(lambda f: logger.log_err(f"Simulation not saved at stop: {f.getErrorMessage()}"))
        return d

    def status(self) -> dict:
        generations = self.snapshots.generations()
        return dict(self.sim.kpis(), paused=self.paused, busy=self.busy, failed=self.failed, skipped=self.skipped,
                    threads=self.numba_threads, interval_s=settings.SIM_TICK_INTERVAL,
                    snapshot=str(generations[0]) if generations else None, snapshots_kept=len(generations),
                    notices=list(self.notices))


def agent_count(config, spec: str) -> int:
    if spec.isdigit():
        return int(spec)
    if spec not in config.presets:
        raise ValueError(f"MUD_SIM_AGENTS={spec!r}: not a number nor a preset ({', '.join(config.presets)})")
    return config.presets[spec]


def game_time(config):
    """The config with MUD_SIM_TICKS_PER_DAY / MUD_SIM_DAYS_PER_SEASON applied (0 keeps the config's)."""
    changes = {key: value for key, value in (("ticks_per_day", settings.SIM_TICKS_PER_DAY),
                                             ("days_per_season", settings.SIM_DAYS_PER_SEASON)) if value}
    return config.with_overrides(**changes) if changes else config


def _resume(path):
    """Load the snapshot at `path` and run one tick (compiling or loading the
    cached kernels); a snapshot whose first tick fails is a bad snapshot too."""
    from world.simulation import Simulation

    sim = Simulation.load(path)
    try:
        sim.step()
    except Exception as err:
        raise SnapshotError(f"{path}: its first tick failed ({type(err).__name__}: {err})") from err
    return sim


def _resume_exact(path):
    """Like _resume, but the simulation is the snapshot's state exactly: the
    trial tick runs on a copy loaded for it (a restored world snapshot)."""
    from world.simulation import Simulation

    _resume(path)
    return Simulation.load(path)


def _load_or_create(seed: int, runtime_dir: Path, restored: dict | None = None) -> SimulationService:
    """In a thread: the service over the newest good snapshot, or over a new world;
    `restored`: the simulation part of the world snapshot just restored."""
    from world.config import load_config
    from world.simulation import Simulation

    store = SnapshotStore(runtime_dir / "sim", settings.SIM_SNAPSHOT_KEEP)
    sim, path, rejected = store.load_newest(_resume_exact if restored else _resume)
    notices = [f"Snapshot set aside as *.rejected: {reason}" for _, reason in rejected]
    if sim is not None:
        logger.log_info(f"Simulation resumed from {path} at tick {sim.tick} ({sim.n_agents} agents)")
    else:
        config = game_time(load_config(settings.SIM_CONFIG))
        sim = Simulation.create(config, agents=agent_count(config, settings.SIM_AGENTS), seed=seed)
        sim.step()  # compiles (or loads cached) kernels off the reactor
        if rejected:
            notices.append("No good snapshot was left: the simulation starts a new world.")
        logger.log_info(f"Simulation created: {sim.n_agents} agents, seed {seed}")
    running = SimulationService(sim, runtime_dir, notices=notices)
    running.paused = bool(restored and restored["paused"])
    return running


def _retire_script_clock() -> None:
    """Databases of earlier versions hold the global Script that used to tick the
    simulation (its interval could not go below one second); the service's own
    clock replaces it."""
    from evennia.scripts.models import ScriptDB

    for script in ScriptDB.objects.filter(db_key="world_tick"):
        script.delete()


def start(seed: int, restored: dict | None = None) -> threading.Thread | None:
    """Load or create the simulation in a daemon thread; the service goes live
    on the reactor when it is ready. The thread is not the reactor's pool: a
    server stopping or reloading meanwhile never waits for it (its result is
    dropped), so a slow first compile cannot hold a restart up. `restored`
    (the simulation part of a world snapshot just restored, its file the
    newest generation): start at exactly that state, paused if it was."""
    global _loading
    if not settings.SIM_ENABLED or _service is not None or _loading is not None:
        return None
    # The step thread runs Python between its kernels (events, the notable
    # index); the reactor waiting for the GIL then waits up to the switch
    # interval (5 ms by default) each time.
    sys.setswitchinterval(settings.GIL_SWITCH_INTERVAL)
    _retire_script_clock()
    runtime_dir = Path(settings.RUNTIME_DIR)
    token = _loading = object()

    def _live(running):
        global _service, _loading
        if _loading is not token:  # stopped while loading
            return
        _loading = None
        _service = running
        running.start_clock()
        for text in running.notices:
            notify_admins(text)
        logger.log_info(f"Simulation live at tick {running.sim.tick}")

    def _failed(message: str):
        global _loading
        if _loading is token:
            _loading = None
        logger.log_err(f"Simulation could not start: {message}")

    def _load():
        try:
            running = _load_or_create(seed, runtime_dir, restored)
        except Exception as exc:  # reported on the reactor, like a success
            reactor.callFromThread(_failed, f"{type(exc).__name__}: {exc}")
        else:
            reactor.callFromThread(_live, running)

    thread = threading.Thread(target=_load, name="simulation-load", daemon=True)
    thread.start()
    return thread


def stop() -> None:
    """Go offline (a load still running is abandoned); the reactor's shutdown
    waits, in its 'before' phase, for the running job and the final snapshot,
    without blocking the reactor."""
    global _service, _loading
    _loading = None
    if _service is not None:
        done = _service.shutdown()
        _service = None
        reactor.addSystemEventTrigger("before", "shutdown", lambda: done)


def region_summary(zone: str | None) -> str:
    """Live lines on a region for room descriptions ('' without a simulation)."""
    if _service is None or not zone:
        return ""
    try:
        view = _service.sim.region_view(zone)
    except ValueError:
        return ""
    crowd = view["population"]
    busiest = sorted(((n, r) for r, n in view["roles"].items() if n), reverse=True)[:2]
    who = " and ".join(f"{r}s" for _, r in busiest) or "nobody"
    prices = ", ".join(f"{k} {v}c" for k, v in sorted(view["prices"].items()))
    lines = [
        f"|x{view['season']}, {view['epoch']}. About {crowd:,} souls roam {view['name']}, mostly {who}.|n",
        f"|xPrices here: {prices}.|n",
    ]
    if view["active_events"]:
        lines.append(f"|y{view['name']} is gripped by: {', '.join(e.replace('_', ' ') for e in view['active_events'])}.|n")
    return "\n".join(lines)
