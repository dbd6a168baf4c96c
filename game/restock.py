"""Things a zone file places in a room come back. The builder places a room's
items once (three loaves of trail bread in Granary Row, the newcomer's sword
and jerkin on the village well); players take them. A player taking something
from a room starts its clock (`taken`); the first player to walk in RESTOCK_S
seconds later or more finds the missing placed items there again, so the next
newcomer finds the sword the square's description promises and the
hand-made quests that need an item stay playable. Plain moves write nothing."""

import time

from evennia.prototypes.spawner import spawn

from .content_service import current_world
from .prototypes import item_prototype
from .quests import template_of
from .typeclasses.objects import CONTENT_ID

RESTOCK_S = 300.0


def taken(room, now: float | None = None) -> None:
    """Something was taken from `room`: start its clock unless it runs already."""
    if room.db.taken_at is None and room.tags.get(category=CONTENT_ID):
        room.db.taken_at = time.time() if now is None else now


def restock(room, now: float | None = None) -> list:
    """Put back `room`'s missing placed items if it is due; the objects spawned."""
    since = room.db.taken_at
    if since is None or (time.time() if now is None else now) - since < RESTOCK_S:
        return []
    room.db.taken_at = None
    world = current_world()
    content = world.rooms.get(room.tags.get(category=CONTENT_ID)) if world is not None else None
    if content is None:
        return []
    here = [template_of(obj) for obj in room.contents]
    wanted: dict[str, int] = {}
    for placement in content.items:
        wanted[placement.template] = wanted.get(placement.template, 0) + placement.count
    missing = [item_prototype(world.items[template]) for template, count in wanted.items()
               if template in world.items for _ in range(count - here.count(template))]
    made = spawn(*missing) if missing else []
    for obj in made:
        obj.location = obj.home = room
    return made
