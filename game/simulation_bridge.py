"""Bridge between the game and the background simulation (world/).

`SimulationService` owns the server's one live `Simulation`: it steps it in a
thread (numba kernels release the GIL, and by default use every core but one,
so the reactor keeps serving players without waiting for a CPU), skips a tick rather than queueing one when the last is still
running, writes every tick's events to the event log, and back on the reactor
thread shows events to players (game.region_news), keeps materialized NPCs in
step (game.materialize), saves snapshots every few minutes and at shutdown,
and resumes from the last snapshot at start."""

import threading
import time
from pathlib import Path

from django.conf import settings
from evennia.utils import logger
from twisted.internet import reactor, threads

from world.events import EventLog
from world.threads import spare_one_core, use_threads

from .region_news import RegionNews

_service = None
_loading = None  # token of the load in progress
_step_listeners = []  # callables(sim, events), run on the reactor after each step


def on_step(callback) -> None:
    """Call `callback(sim, events)` on the reactor thread after every step."""
    if callback not in _step_listeners:
        _step_listeners.append(callback)


def service():
    """The running simulation service, or None (disabled, or still loading)."""
    return _service


class SimulationService:
    def __init__(self, sim, runtime_dir: Path):
        self.sim = sim
        self.snapshot_path = runtime_dir / "sim" / "snapshot.npz"
        self.snapshot_path.parent.mkdir(parents=True, exist_ok=True)
        self.event_log = EventLog(runtime_dir / "events")
        self.news = RegionNews(settings.SIM_NEWS_INTERVAL)
        self.lock = threading.Lock()  # one step, save or admin change at a time
        self.in_flight = False
        self.paused = False
        self.skipped = 0
        self.last_save = time.monotonic()
        self.numba_threads = settings.SIM_THREADS or spare_one_core()

    # ---- stepping --------------------------------------------------------------------------
    def _step_in_thread(self, ticks: int):
        use_threads(self.numba_threads)
        with self.lock:
            events = []
            for _ in range(ticks):
                events.extend(self.sim.step())
            self.event_log.write(events)
            if time.monotonic() - self.last_save >= settings.SIM_SNAPSHOT_INTERVAL:
                self.sim.save(self.snapshot_path)
                self.last_save = time.monotonic()
            return events

    def tick(self, ticks: int = 1, force: bool = False):
        """Start `ticks` steps in a thread; a Deferred firing with the events, or
        None when skipped (paused, or the previous step is still running)."""
        if self.paused and not force:
            return None
        if self.in_flight:
            self.skipped += 1
            return None
        self.in_flight = True
        d = threads.deferToThread(self._step_in_thread, ticks)
        d.addCallback(self._after_step)
        d.addErrback(self._step_failed)
        d.addBoth(self._done)
        return d

    def _done(self, result):
        self.in_flight = False
        return result

    def _step_failed(self, failure):
        self.paused = True
        logger.log_err(f"Simulation step failed, simulation paused: {failure.getErrorMessage()}")
        logger.log_trace(failure.getTraceback())
        return []

    def _after_step(self, events):
        from .materialize import refresh_all
        from .region_news import players_by_zone

        audience = players_by_zone()
        self.news.publish(events, audience=audience)
        refresh_all(self.sim, set().union(*audience.values()) if audience else set())
        for listener in list(_step_listeners):
            try:
                listener(self.sim, events)
            except Exception:  # a broken listener must not stop the world
                logger.log_trace("simulation listener failed")
        return events

    # ---- admin -----------------------------------------------------------------------------
    def save(self) -> Path:
        with self.lock:
            self.sim.save(self.snapshot_path)
            self.last_save = time.monotonic()
        return self.snapshot_path

    def trigger(self, kind: str, region: str | None):
        with self.lock:
            event = self.sim.trigger_macro(kind, region)
            self.event_log.write([event])
        self.news.publish([event], force=True)
        return event

    def status(self) -> dict:
        return dict(self.sim.kpis(), paused=self.paused, in_flight=self.in_flight, skipped=self.skipped,
                    threads=self.numba_threads, interval_s=settings.SIM_TICK_INTERVAL, snapshot=str(self.snapshot_path))


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


def _load_or_create(seed: int, runtime_dir: Path):
    from world.config import load_config
    from world.simulation import Simulation

    path = runtime_dir / "sim" / "snapshot.npz"
    if path.exists():
        sim = Simulation.load(path)
        logger.log_info(f"Simulation resumed from {path} at tick {sim.tick} ({sim.n_agents} agents)")
    else:
        config = game_time(load_config(settings.SIM_CONFIG))
        sim = Simulation.create(config, agents=agent_count(config, settings.SIM_AGENTS), seed=seed)
        logger.log_info(f"Simulation created: {sim.n_agents} agents, seed {seed}")
    sim.step()  # compiles (or loads cached) kernels off the reactor
    return sim


def start(seed: int) -> threading.Thread | None:
    """Load or create the simulation in a daemon thread; the service goes live
    on the reactor when it is ready. The thread is not the reactor's pool: a
    server stopping or reloading meanwhile never waits for it (its result is
    dropped), so a slow first compile cannot hold a restart up."""
    global _loading
    if not settings.SIM_ENABLED or _service is not None or _loading is not None:
        return None
    runtime_dir = Path(settings.RUNTIME_DIR)
    token = _loading = object()

    def _live(sim):
        global _service, _loading
        if _loading is not token:  # stopped while loading
            return
        _loading = None
        _service = SimulationService(sim, runtime_dir)
        logger.log_info(f"Simulation live at tick {sim.tick}")

    def _failed(message: str):
        global _loading
        if _loading is token:
            _loading = None
        logger.log_err(f"Simulation could not start: {message}")

    def _load():
        try:
            sim = _load_or_create(seed, runtime_dir)
        except Exception as exc:  # reported on the reactor, like a success
            reactor.callFromThread(_failed, f"{type(exc).__name__}: {exc}")
        else:
            reactor.callFromThread(_live, sim)

    thread = threading.Thread(target=_load, name="simulation-load", daemon=True)
    thread.start()
    return thread


def stop() -> None:
    """Save a snapshot (after any running step) and go offline; a load still
    running is abandoned."""
    global _service, _loading
    _loading = None
    if _service is not None:
        path = _service.save()
        logger.log_info(f"Simulation saved to {path} at tick {_service.sim.tick}")
        _service = None


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
