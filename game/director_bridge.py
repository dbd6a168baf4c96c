"""Bridge between the game and the generative director (generation.director).

Turns what happens in the game into the director's events: a player reaching
a dead end or the world's edge, the simulation's regional figures (inflation,
crowding), leaders dying in the simulation, and zones with no open
quests. Jobs the director asks for are queued to the Celery workers from a
thread, so a slow or dead broker never stalls the reactor; the journal keeps
them until a worker takes them, and admins see why they wait."""

from evennia.utils import logger
from twisted.internet import threads

from generation.director import Director
from generation.director.figures import kpi_events

KPI_EVERY_TICKS = 60
EXPANSION_TAGS = {"dead_end", "edge"}
LEADER_TIERS = {"Legendary", "Infamous"}

_service = None


def service():
    """The running director service, or None before the server started it."""
    return _service


class DirectorService:
    def __init__(self, director: Director | None = None):
        self.director = director or Director.from_env(submit=self.submit)
        self.queued = 0
        self.last_error: str | None = None

    # ---- jobs ------------------------------------------------------------------------------
    def submit(self, job) -> None:
        d = threads.deferToThread(_enqueue, job)
        d.addCallbacks(self._queued, self._not_queued, errbackArgs=(job,))

    def _queued(self, _result) -> None:
        self.queued += 1
        self.last_error = None

    def _not_queued(self, failure, job) -> None:
        self.last_error = f"job {job.job_id} waits in the journal: {failure.getErrorMessage()}"
        logger.log_warn(self.last_error)

    def notify(self, event: dict) -> list:
        try:
            return self.director.handle(event)
        except Exception:  # the director must never break a player's move or a tick
            logger.log_trace(f"director failed on {event}")
            return []

    # ---- game events -----------------------------------------------------------------------
    def player_moved(self, room, tick: int) -> None:
        tags = set(room.db.room_tags or [])
        if tags & EXPANSION_TAGS and room.zone:
            self.notify({"type": "player_moved", "region": room.zone, "room": room.content_id,
                         "tags": sorted(tags), "tick": tick})

    def simulation_stepped(self, sim, events) -> None:
        for event in events:
            if event.kind == "death" and event.actors:
                view = sim.agent_view(event.actors[0])
                if view["reputation"] in LEADER_TIERS:
                    self.notify({"type": "npc_killed", "region": event.region, "archetype": f"npc.{view['role'].lower()}",
                                 "leader": True, "tick": event.tick})
        if sim.tick % KPI_EVERY_TICKS == 0:
            self.regional_figures(sim)

    def regional_figures(self, sim) -> None:
        kpis = sim.kpis()
        quests = open_quests_by_region()
        populations = {region: sim.region_view(region)["population"] for region in kpis["inflation"]}
        for event in kpi_events(kpis, populations, gold_sink_regions()):
            self.notify(event)
            self.notify({"type": "quests", "region": event["region"], "open": quests.get(event["region"], 0),
                         "tick": sim.tick})


def open_quests_by_region() -> dict[str, int]:
    """Quests live in the game (the quest records the content applier made)
    per region that no player has completed yet (game.quests)."""
    from . import quest_board
    from .quests import completed_ids

    done = completed_ids()
    counts: dict[str, int] = {}
    for quest in quest_board.all():
        if quest["id"] not in done:
            counts[quest["region"]] = counts.get(quest["region"], 0) + 1
    return counts


def gold_sink_regions() -> set[str]:
    """Regions where a gold-sink merchant's patch is live in the game."""
    from .content_service import service as content

    live = content().applier.live if content() is not None else None
    if live is None:
        return set()
    return {region for region, purposes in live.purposes("npc").items() if "gold_sink" in purposes}


def _enqueue(job):
    """Journal and queue `job` (in a thread: the first call imports Celery,
    openai and pydantic models, seconds on a busy machine)."""
    from generation.tasks import enqueue

    return enqueue(job)


def start() -> DirectorService:
    """Start the director and subscribe it to every simulation step."""
    global _service
    from . import simulation_bridge

    _service = DirectorService()
    simulation_bridge.on_step(_service.simulation_stepped)
    return _service
