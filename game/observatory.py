"""What the dashboard, the REST API and /metrics see of the live world.

After every simulation step (a `simulation_bridge.on_step` listener, on the
reactor thread) the observatory takes a snapshot of the world's state (tick,
calendar, regions with population, prices, faction sway, active events,
KPIs) and appends one point to a bounded history (population by region and
role, price index by region, money supply, wealth Gini, events per minute,
ms per tick, players online): HISTORY_POINTS by default, MUD_HISTORY_POINTS
in the server (a point holds about 3 KB). It reads only per-region aggregates and a
strided wealth sample, so the cost is the same at 50k or 10M agents.

Readers in the web thread pool get the latest snapshot (an immutable
reference swap) and copies of the history under a lock held only for the
copy."""

import threading
import time
from collections import deque

from world.inequality import wealth_gini

HISTORY_POINTS = 3600  # one hour at one tick a second
EVENT_WINDOW_S = 60.0


def players_online() -> int:
    from evennia.server.sessionhandler import SESSION_HANDLER

    return SESSION_HANDLER.account_count()


class Observatory:
    def __init__(self, history_points: int = HISTORY_POINTS, players=players_online):
        self.players = players
        self.snapshot: dict | None = None
        self._history: deque[dict] = deque(maxlen=history_points)
        self._event_counts: deque[tuple[float, int]] = deque()
        self._lock = threading.Lock()
        self._seq = 0

    def stepped(self, sim, events) -> None:
        """Listener for `simulation_bridge.on_step`."""
        now = time.time()
        self._event_counts.append((now, len(events)))
        while self._event_counts and self._event_counts[0][0] < now - EVENT_WINDOW_S:
            self._event_counts.popleft()
        kpis = sim.kpis()
        regions = [sim.region_view(r) for r in kpis["price_index"]]
        gini = round(wealth_gini(sim.state), 4)
        online = self.players()
        snapshot = {
            "tick": kpis["tick"], "at": now,
            "calendar": {"season": kpis["season"], "epoch": kpis["epoch"]},
            "regions": [{"id": v["id"], "name": v["name"], "biome": v["biome"], "population": v["population"],
                         "roles": v["roles"], "prices": v["prices"], "price_index": kpis["price_index"][v["id"]],
                         "controller": v["controller"], "sway": v["alignment"], "stability": v["stability"],
                         "alarm": v["alarm"], "active_events": v["active_events"]} for v in regions],
            "active_events": kpis["active_events"],
            "kpis": {"agents": kpis["agents"], "agents_alive": kpis["agents_alive"], "roles": kpis["roles"],
                     "states": kpis["states"], "money_supply": kpis["money_supply"], "wealth_gini": gini,
                     "price_index": kpis["price_index"], "ms_per_tick": kpis["last_step_ms"],
                     "events_last_tick": len(events), "players_online": online},
        }
        with self._lock:
            self._seq += 1
            self._history.append({
                "seq": self._seq, "tick": kpis["tick"], "at": round(now, 3),
                "population": {v["id"]: v["population"] for v in regions}, "roles": kpis["roles"],
                "price_index": kpis["price_index"], "money_supply": kpis["money_supply"], "wealth_gini": gini,
                "events_per_minute": sum(n for _, n in self._event_counts), "ms_per_tick": kpis["last_step_ms"],
                "players_online": online,
            })
        self.snapshot = snapshot

    @property
    def history_points(self) -> int:
        return self._history.maxlen

    def keep(self, history_points: int) -> None:
        """Keep this many history points from now on (the newest ones stay)."""
        with self._lock:
            self._history = deque(self._history, maxlen=history_points)

    def history(self, after: int = 0, limit: int = HISTORY_POINTS) -> list[dict]:
        """History points with `seq` > `after`, oldest first, at most `limit` (the newest)."""
        with self._lock:
            points = [p for p in self._history if p["seq"] > after]
        return points[-limit:] if limit else []


OBSERVATORY = Observatory()
