"""Admin command `sim`: watch and steer the background simulation."""

import json

from evennia.commands.default.muxcommand import MuxCommand

from game.simulation_bridge import service

MAX_STEPS = 1000


class CmdSim(MuxCommand):
    """
    watch and steer the background simulation

    Usage:
      sim [status]             tick, agents, ms/tick, skipped ticks, KPIs
      sim pause | resume       stop or restart the world's clock
      sim step [n]             run n ticks now (default 1, at most 1000)
      sim event <macro> [region]
                               start a macro event: drought, invasion,
                               market_crash, pilgrimage_boon, relic_rush
      sim save                 write a snapshot now

    Example:
      sim step 10
      sim event drought plains
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

    def do_status(self, running, rest):
        s = running.status()
        lines = [
            f"|wSimulation|n tick {s['tick']}, {s['agents_alive']:,}/{s['agents']:,} agents alive, "
            f"{s['last_step_ms']:.1f} ms/tick, {s['skipped']} ticks skipped, "
            f"{'|rPAUSED|n' if s['paused'] else 'running'} every {s['interval_s']} s on {s['threads']} thread(s)",
            f"{s['season']}, {s['epoch']}; money supply {s['money_supply']:,}",
            "price index: " + ", ".join(f"{r} {v}" for r, v in s["price_index"].items()),
            "states: " + ", ".join(f"{k} {v:,}" for k, v in s["states"].items()),
            "active events: " + (", ".join(f"{e['kind']} in {e['region']}" for e in s["active_events"]) or "none"),
        ]
        self.msg("\n".join(lines))
        self.msg(text=("", {"type": "sim_status", "status": json.loads(json.dumps(s))}))

    def do_pause(self, running, rest):
        running.paused = True
        self.msg(f"Simulation paused at tick {running.sim.tick}.")

    def do_resume(self, running, rest):
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
        d = running.tick(ticks=n, force=True)
        if d is None:
            self.msg("A tick is running; try again in a moment.")
            return
        d.addCallback(lambda events: self.msg(f"Stepped {n} tick(s): now tick {running.sim.tick}, {len(events)} events."))

    def do_event(self, running, rest):
        if not rest:
            self.msg("Usage: sim event <macro> [region]")
            return
        try:
            event = running.trigger(rest[0], rest[1] if len(rest) > 1 else None)
        except ValueError as err:
            self.msg(f"Cannot start that event: {err}")
            return
        self.msg(f"Started: {event.text}")

    def do_save(self, running, rest):
        self.msg(f"Snapshot saved to {running.save()} at tick {running.sim.tick}.")
