"""Level of detail: simulation agents near players become NPC objects.

When a player enters a room, a few living agents of the room's region are
materialized as NPCs bound to their agent id, with their archetype's look and
their live FSM state; when no player is left in the room they go back to the
arrays (the objects are deleted; the agents live on in the simulation). The
number of such objects is bounded by SIM_NPCS_PER_ROOM and SIM_MAX_NPCS,
whatever the number of agents.

An agent has one place: of its region's rooms (by id), the one at position
agent_id mod their number.  A player walking through a region meets each
room's own people, and finds the same ones on coming back.  Candidates come
from the service's index of notable agents per region and role (rebuilt in
the step thread), so populating a room never scans the agent arrays."""

from django.conf import settings
from evennia.objects.models import ObjectDB
from evennia.utils.create import create_object

from .content_service import current_world
from .typeclasses.rooms import ZONE

LOD = "sim_agent"  # tag category: the tag key is the agent id
NPC_TYPECLASS = "game.typeclasses.npcs.NPC"


def materialized(room=None) -> list:
    """Materialized NPCs (in `room`, or everywhere)."""
    found = ObjectDB.objects.filter(db_tags__db_category=LOD)
    if room is not None:
        found = found.filter(db_location=room)
    return list(found)


def materialized_count() -> int:
    return ObjectDB.objects.filter(db_tags__db_category=LOD).count()


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


def populate(room, running) -> list:
    """Materialize up to SIM_NPCS_PER_ROOM agents whose place is `room` into it
    (`running`: the simulation service)."""
    zone = getattr(room, "zone", None)
    if running is None or not zone:
        return []
    sim = running.sim
    everywhere = materialized()
    in_room = sum(1 for npc in everywhere if npc.location == room)
    wanted = min(settings.SIM_NPCS_PER_ROOM - in_room, settings.SIM_MAX_NPCS - len(everywhere))
    if wanted <= 0:
        return []
    taken = {int(npc.db.agent_id) for npc in everywhere}
    try:
        candidates = _pick_agents(running, room, wanted, taken)
    except ValueError:  # a zone the simulation has no region for
        return []
    created = []
    for agent_id in candidates:
        view = sim.agent_view(agent_id)
        if not view["alive"] or view["region"] != zone:  # changed since the index was built
            continue
        archetype = _archetype(view["role"])
        npc = create_object(
            NPC_TYPECLASS,
            key=f"{view['name']} the {view['role']}",
            location=room,
            home=room,
            tags=[(str(agent_id), LOD)],
            attributes=[
                ("agent_id", agent_id),
                ("role", view["role"]),
                ("faction", view["faction"]),
                ("archetype", archetype.id if archetype else None),
                ("desc", archetype.desc if archetype else f"A {view['role'].lower()} of {zone}."),
            ],
        )
        _bind(npc, view)
        created.append(npc)
    return created


def release(room) -> int:
    """Send the room's materialized NPCs back to the arrays when no player is there."""
    if has_players(room):
        return 0
    gone = materialized(room)
    for npc in gone:
        npc.delete()
    return len(gone)


def refresh_all(running, rooms_with_players) -> None:
    """After a tick: update each NPC from its agent; the dead or departed leave,
    and rooms where players stand are topped up again."""
    sim = running.sim
    for npc in materialized():
        view = sim.agent_view(int(npc.db.agent_id))
        room = npc.location
        if not view["alive"] or view["region"] != getattr(room, "zone", None):
            if room is not None:
                reason = "falls, and is carried away" if not view["alive"] else "heads off on the road"
                room.msg_contents(f"{npc.key} {reason}.", exclude=[npc])
            npc.delete()
        elif view["state"] != npc.db.state:
            _bind(npc, view)
    for room in rooms_with_players:
        populate(room, running)
