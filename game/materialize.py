"""Level of detail: simulation agents near players become NPC objects.

When a player enters a room, a few living agents of the room's region are
materialized as NPCs bound to their agent id, with their archetype's look and
their live FSM state; when no player is left in the room they go back to the
arrays (the objects are deleted; the agents live on in the simulation). The
number of such objects is bounded by SIM_NPCS_PER_ROOM and SIM_MAX_NPCS,
whatever the number of agents."""

from django.conf import settings
from evennia.objects.models import ObjectDB
from evennia.utils.create import create_object

from .content_service import current_world

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


def _pick_agents(sim, zone: str, wanted: int, taken: set[int]) -> list[int]:
    """Up to `wanted` free agents of the zone, the most famous of each role in
    turn (roles by their head count in the region), so a room shows a mix."""
    view = sim.region_view(zone)
    roles = [r for r, n in sorted(view["roles"].items(), key=lambda rn: (-rn[1], rn[0])) if n]
    picked: list[int] = []
    depth = 1
    while len(picked) < wanted and depth <= wanted + len(taken):
        for role in roles:
            for agent_id in sim.agents_in_region(zone, limit=depth + len(taken), roles=[role]):
                if agent_id not in taken and agent_id not in picked:
                    picked.append(agent_id)
                    break
            if len(picked) >= wanted:
                break
        depth += 1
    return picked


def _bind(npc, view: dict) -> None:
    npc.db.state = view["state"]
    npc.db.reputation = view["reputation"]


def populate(room, sim) -> list:
    """Materialize up to SIM_NPCS_PER_ROOM agents of the room's region into it."""
    zone = getattr(room, "zone", None)
    if sim is None or not zone:
        return []
    everywhere = materialized()
    in_room = sum(1 for npc in everywhere if npc.location == room)
    wanted = min(settings.SIM_NPCS_PER_ROOM - in_room, settings.SIM_MAX_NPCS - len(everywhere))
    if wanted <= 0:
        return []
    taken = {int(npc.db.agent_id) for npc in everywhere}
    try:
        candidates = _pick_agents(sim, zone, wanted, taken)
    except ValueError:  # a zone the simulation has no region for
        return []
    created = []
    for agent_id in candidates:
        view = sim.agent_view(agent_id)
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


def refresh_all(sim, rooms_with_players) -> None:
    """After a tick: update each NPC from its agent; the dead or departed leave,
    and rooms where players stand are topped up again."""
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
        populate(room, sim)
