"""Admin command `sim`: watch and steer the background simulation.

Steps, snapshots and events run in the simulation's thread (see
game.simulation_bridge); the command answers when they are done, or at once
that the simulation is busy: it never makes the reactor wait."""

import json

from evennia.commands.default.muxcommand import MuxCommand

from game.simulation_bridge import SimulationFailed, service

MAX_STEPS = 1000
BUSY = "The simulation is busy ({}); try again in a moment."
LATENESS_WINDOW_S = (1, 60)


class CmdSim(MuxCommand):
    """
    watch and steer the background simulation

    Usage:
      sim [status]             tick, agents, ms/tick, skipped ticks, KPIs
      sim pause | resume       stop or restart the world's clock (pause
                               also ends a running `sim step` at its next tick)
      sim step [n]             run n ticks now (default 1, at most 1000)
      sim event <macro> [region]
                               start a macro event: drought, invasion,
                               market_crash, pilgrimage_boon, relic_rush
      sim supply <region> <goods> <qty>
                               set a region's market stock of one good (0: an
                               embargo, a shortage; more: a convoy, a glut);
                               its price follows at once
      sim save                 write a snapshot now
      sim digest               the tick and a sha256 of the whole simulation
                               state (equal digests, equal worlds)
      sim reactor [seconds]    how late the server's reactor ran its timers
                               over the last seconds (default 10, 1..60)

    Example:
      sim step 10
      sim event drought plains
      sim supply market crops 0
    """

    key = "sim"
    locks = "cmd:perm(Admin)"
    help_category = "admin"

    def func(self):
        running = service()
        if running is None:
            self.msg("The simulation is not running (disabled, or still loading).")
            return
        verb, *rest = (self.args.split() or ["status"])
        handler = getattr(self, f"do_{verb.lower()}", None)
        if handler is None:
            self.msg(f"Unknown sim action '{verb}'. See |whelp sim|n.")
            return
        handler(running, rest)

    def _when_done(self, running, d, what: str, done) -> bool:
        """Answer the admin when the thread job `d` ends (`done(result)` says how), or
        at once that the simulation is busy (`d` is None); whether the job started."""
        if d is None:
            self.msg(BUSY.format(running.busy or "working"))
            return False
        d.addCallbacks(lambda result: self.msg(done(result)),
                       lambda failure: self.msg(f"{what} failed: {failure.getErrorMessage()}"))
        return True

    def do_status(self, running, rest):
        s = running.status()
        state = "|rFAILED|n" if s["failed"] else "|rPAUSED|n" if s["paused"] else "running"
        lines = [
            f"|wSimulation|n tick {s['tick']}, {s['agents_alive']:,}/{s['agents']:,} agents alive, "
            f"{s['last_step_ms']:.1f} ms/tick, {s['skipped']} ticks skipped, "
            f"{state} every {s['interval_s']} s on {s['threads']} thread(s)",
            f"{s['season']}, {s['epoch']}; money supply {s['money_supply']:,}",
            "price index: " + ", ".join(f"{r} {v}" for r, v in s["price_index"].items()),
            "states: " + ", ".join(f"{k} {v:,}" for k, v in s["states"].items()),
            f"snapshots: {s['snapshots_kept']} kept, newest {s['snapshot'] or 'none yet'}",
        ]
        lines += [f"|rnotice:|n {text}" for text in s["notices"]]
        lines.append("active events: "
                     + (", ".join(f"{e['kind']} in {e['region']}" for e in s["active_events"]) or "none"))
        self.msg("\n".join(lines))
        self.msg(text=("", {"type": "sim_status", "status": json.loads(json.dumps(s))}))

    def do_pause(self, running, rest):
        stepping = running.busy == "step"
        running.pause()
        self.msg(f"Simulation paused at tick {running.sim.tick}."
                 + (" The running step stops at its next tick." if stepping else ""))

    def do_resume(self, running, rest):
        if running.failed:
            self.msg(f"The simulation cannot resume: the last step failed ({running.failed}). "
                     "A server reload resumes from the last good snapshot.")
            return
        running.paused = False
        self.msg(f"Simulation resumed at tick {running.sim.tick}.")

    def do_step(self, running, rest):
        try:
            n = int(rest[0]) if rest else 1
        except ValueError:
            self.msg("Usage: sim step [n]  (n a whole number)")
            return
        if not 1 <= n <= MAX_STEPS:
            self.msg(f"sim step takes 1 to {MAX_STEPS} ticks.")
            return
        if running.failed:
            self.msg(f"The simulation cannot step: the last step failed ({running.failed}).")
            return
        start = running.sim.tick
        if self._when_done(running, running.tick(ticks=n, force=True), "The step", lambda events: (
                f"Stepped {running.sim.tick - start} tick(s): now tick {running.sim.tick}, {len(events)} events.")):
            self.msg(f"Stepping {n} tick(s) from tick {start}...")

    def do_event(self, running, rest):
        if not rest:
            self.msg("Usage: sim event <macro> [region]")
            return
        try:
            d = running.trigger(rest[0], rest[1] if len(rest) > 1 else None)
        except (ValueError, SimulationFailed) as err:
            self.msg(f"Cannot start that event: {err}")
            return
        self._when_done(running, d, "Starting the event", lambda event: f"Started: {event.text}")

    def do_supply(self, running, rest):
        if len(rest) != 3 or not rest[2].isdigit():
            self.msg("Usage: sim supply <region> <goods> <qty>  (qty a whole number)")
            return
        region, goods, qty = rest[0], rest[1].lower(), int(rest[2])
        try:
            d = running.set_supply(region, goods, qty)
        except (ValueError, SimulationFailed) as err:
            self.msg(f"Cannot set that supply: {err}")
            return
        config = running.sim.config
        name = config.regions[config.region_index(region)].name
        self._when_done(running, d, "Setting the supply",
                        lambda price: f"The market of {name} now holds {qty} {goods}; price {price} coins each.")

    def do_save(self, running, rest):
        try:
            d = running.save()
        except SimulationFailed as err:
            self.msg(f"Snapshot refused: {err}.")
            return
        self._when_done(running, d, "The snapshot", lambda path: f"Snapshot saved to {path} at tick {running.sim.tick}.")

    def do_digest(self, running, rest):
        sim = running.sim
        self._when_done(running, running.run_job("digest", lambda: (sim.tick, sim.digest())), "The digest",
                        lambda done: f"Simulation tick {done[0]}, digest {done[1]}")

    def do_reactor(self, running, rest):
        low, high = LATENESS_WINDOW_S
        try:
            seconds = int(rest[0]) if rest else 10
        except ValueError:
            seconds = 0
        if not low <= seconds <= high:
            self.msg(f"Usage: sim reactor [seconds]  ({low} to {high})")
            return
        s = running.lateness.stats(seconds)
        if not s["samples"]:
            self.msg("No reactor lateness measured yet.")
            return
        self.msg(f"Reactor lateness over {seconds} s: p50 {s['p50_ms']} ms, p99 {s['p99_ms']} ms, "
                 f"max {s['max_ms']} ms ({s['samples']} samples)")
