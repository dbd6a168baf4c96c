"""Level of detail: simulation agents near players become NPC objects.

When a player enters a room, a few living agents of the room's region are
materialized as NPCs bound to their agent id, with their archetype's look and
their live FSM state; when no player is left in the room they go back to the
arrays (the agents live on in the simulation). The number of such objects is
bounded by SIM_NPCS_PER_ROOM and SIM_MAX_NPCS, whatever the number of agents.

Objects are pooled, not made and deleted: an NPC that goes back to the arrays
leaves its object nowhere (location None), and the next room to fill dresses
it as its own agent (a few attribute writes in one transaction), the object
last bound to that very agent first. Making an object costs the reactor
several ms (Evennia's creation hooks and queries), so it never happens while a
player waits: the pool gets a spare object after a tick now and then
(`stock_pool`), and a room the pool cannot fill gets the rest on the next
reactor turns (they arrive).

An agent has one place: of its region's rooms (by id), the one at position
agent_id mod their number.  A player walking through a region meets each
room's own people, and finds the same ones on coming back.  Candidates come
from the service's index of notable agents per region and role (rebuilt in
the step thread), so populating a room never scans the agent arrays."""

import time

from django.conf import settings
from django.db import transaction
from evennia.objects.models import ObjectDB
from evennia.utils.create import create_object
from twisted.internet import reactor

from .builder import set_changed
from .content_service import current_world
from .typeclasses.rooms import ZONE

LOD = "sim_agent"  # tag category of every materialized or pooled NPC (its agent: the agent_id attribute)
NPC_TYPECLASS = "game.typeclasses.npcs.NPC"
POOL_ROOMS = 2  # the pool keeps spare objects for this many rooms' NPCs
TURN_BUDGET_S = 0.01  # making objects yields the reactor after this long


def materialized(room=None) -> list:
    """Materialized NPCs (in `room`, or in any room; the pool's are nowhere)."""
    if room is not None:  # the room's contents are cached: no query
        return [obj for obj in room.contents if obj.db.agent_id is not None]
    return _objects()[0]


def materialized_count() -> int:
    return ObjectDB.objects.filter(db_tags__db_category=LOD, db_location__isnull=False).count()


def npc_of(agent_id: int):
    """The NPC an agent is materialized as, or None."""
    return next((npc for npc in materialized() if npc.db.agent_id == agent_id), None)


def _objects() -> tuple[list, list]:
    """Every NPC object of the level of detail, in one query: (the materialized
    ones, the pool's: nowhere, ready to be dressed as any agent)."""
    found = list(ObjectDB.objects.filter(db_tags__db_category=LOD))
    return [npc for npc in found if npc.location is not None], [npc for npc in found if npc.location is None]


def has_players(room) -> bool:
    return any(obj.has_account for obj in room.contents)


def _archetype(role: str):
    """The content archetype for a simulation role (None if the world has none)."""
    world = current_world()
    if world is None:
        return None
    return next((a for a in world.archetypes.values() if a.role.value == role.lower()), None)


def place(room) -> tuple[int, int]:
    """(position of `room` among its zone's rooms by id, how many rooms the zone has)."""
    ids = list(ObjectDB.objects.filter(db_tags__db_key=room.zone, db_tags__db_category=ZONE)
               .order_by("id").values_list("id", flat=True))
    return ids.index(room.id), len(ids)


def _pick_agents(running, room, wanted: int, taken: set[int]) -> list[int]:
    """Up to `wanted` free agents whose place is `room`, the most famous of each
    role in turn (roles by their head count in the region), so a room shows a mix."""
    sim = running.sim
    r = sim.config.region_index(room.zone)
    slot, slots = place(room)
    heads = sim.state.pop[r]
    queues = [[int(a) for a in running.notable[r, role] if a >= 0 and a % slots == slot and a not in taken]
              for role in sorted(range(len(heads)), key=lambda ro: (-int(heads[ro]), ro)) if heads[role]]
    picked: list[int] = []
    while len(picked) < wanted and any(queues):
        for queue in queues:
            if queue and len(picked) < wanted:
                picked.append(queue.pop(0))
    return picked


def _bind(npc, view: dict) -> None:
    npc.db.state = view["state"]
    npc.db.reputation = view["reputation"]


def _dress(npc, view: dict, zone: str, room) -> None:
    """Make `npc` (a pooled object) the agent `view`, in `room`; writes only what differs."""
    archetype = _archetype(view["role"])
    key = f"{view['name']} the {view['role']}"
    if npc.key != key:
        npc.key = key
    set_changed(npc, {"agent_id": view["id"], "role": view["role"], "faction": view["faction"],
                      "archetype": archetype.id if archetype else None,
                      "desc": archetype.desc if archetype else f"A {view['role'].lower()} of {zone}.",
                      "state": view["state"], "reputation": view["reputation"], "hp": None})
    npc.location = room  # quietly: no hooks, no messages (it was nowhere)


def _new_npc():
    """A fresh object for the pool (nowhere, bound to nobody yet)."""
    return create_object(NPC_TYPECLASS, key="someone", location=None, tags=[("npc", LOD)])


def _wanted(room, running, everywhere: list) -> list[dict]:
    """Views of the agents to materialize into `room` now (at most SIM_NPCS_PER_ROOM
    there, SIM_MAX_NPCS in all rooms, `everywhere` the materialized NPCs): whose
    place it is, alive, still in the region."""
    zone = getattr(room, "zone", None)
    if running is None or not zone or not room.pk:
        return []
    in_room = sum(1 for npc in everywhere if npc.location == room)
    wanted = min(settings.SIM_NPCS_PER_ROOM - in_room, settings.SIM_MAX_NPCS - len(everywhere))
    if wanted <= 0:
        return []
    try:
        candidates = _pick_agents(running, room, wanted, {int(npc.db.agent_id) for npc in everywhere})
    except ValueError:  # a zone the simulation has no region for
        return []
    views = (running.sim.agent_view(agent_id) for agent_id in candidates)
    return [view for view in views if view["alive"] and view["region"] == zone]  # the index may be a tick old


def populate(room, running) -> list:
    """Materialize the agents whose place is `room` into it (`running`: the
    simulation service). Pooled objects are dressed as them at once (the one last
    bound to an agent first); any still missing are made on the next reactor
    turns, within a time budget per turn, and arrive."""
    located, pool = _objects()
    placed, missing = _fill(room, _wanted(room, running, located), pool)
    if missing:
        reactor.callLater(0, _arrive, room, running)
    return placed


def _arrive(room, running) -> None:
    if not room.pk or not has_players(room):
        return
    located, pool = _objects()
    placed, missing = _fill(room, _wanted(room, running, located), pool, time.perf_counter() + TURN_BUDGET_S)
    for npc in placed:
        room.msg_contents(f"{npc.key} arrives.", exclude=[npc])
    if missing:
        reactor.callLater(0, _arrive, room, running)


def _fill(room, views: list[dict], pool: list, make_until: float | None = None) -> tuple[list, bool]:
    """Dress objects of the `pool` as the agents `views` in `room`; when it runs
    out, make new objects until `make_until` (never, without it). Returns the
    NPCs placed and whether some agents are still missing."""
    own = {int(npc.db.agent_id): npc for npc in pool if npc.db.agent_id is not None}
    wanted = {view["id"] for view in views}
    spare = sorted((npc for npc in pool if npc.db.agent_id is None or int(npc.db.agent_id) not in wanted),
                   key=lambda npc: npc.db.agent_id is None)  # popped from the end: never bound first
    placed = []
    with transaction.atomic():  # one commit for the whole room
        for view in sorted(views, key=lambda v: v["id"] not in own):
            npc = own.get(view["id"]) or (spare.pop() if spare else None)
            if npc is None:
                if make_until is None or (placed and time.perf_counter() > make_until):
                    return placed, True
                npc = _new_npc()
            _dress(npc, view, room.zone, room)
            placed.append(npc)
    return placed, False


def stock_pool(running) -> None:
    """Keep spare objects for POOL_ROOMS rooms ready (one made per call), so a
    player's next rooms need no object made while they wait; never more than
    SIM_MAX_NPCS objects in all."""
    located, pool = _objects()
    if len(pool) < settings.SIM_NPCS_PER_ROOM * POOL_ROOMS and len(pool) + len(located) < settings.SIM_MAX_NPCS:
        with transaction.atomic():
            _new_npc()


def release(room) -> int:
    """Send the room's materialized NPCs back to the arrays when no player is
    there; their objects go to the pool."""
    if has_players(room):
        return 0
    gone = materialized(room)
    with transaction.atomic():
        for npc in gone:
            npc.location = None
    return len(gone)


def refresh_all(running, rooms_with_players) -> None:
    """After a tick: update each NPC from its agent; the dead or departed leave
    (to the pool), rooms where players stand are topped up again, and the pool
    gets a spare object if it lacks one."""
    sim = running.sim
    with transaction.atomic():
        for npc in materialized():
            view = sim.agent_view(int(npc.db.agent_id))
            room = npc.location
            if not view["alive"] or view["region"] != getattr(room, "zone", None):
                reason = "falls, and is carried away" if not view["alive"] else "heads off on the road"
                room.msg_contents(f"{npc.key} {reason}.", exclude=[npc])
                npc.location = None
            elif view["state"] != npc.db.state:
                _bind(npc, view)
    for room in rooms_with_players:
        populate(room, running)
    stock_pool(running)
