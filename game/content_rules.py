"""What content changes never break: nothing a player holds is destroyed (it
goes to the lost-and-found room and the player is told), and a player in a
room that goes away moves to the nearest remaining room, with a message."""

from evennia.utils.create import create_object

from .builder import ROOM_TYPECLASS, find_by_content_id
from .typeclasses.objects import CONTENT_ID

LOST_AND_FOUND = "system.lost_and_found"
PLAYER_TYPECLASS = "game.typeclasses.characters.Character"


def is_player(obj) -> bool:
    """A player character, online or not (NPCs are not)."""
    return obj.is_typeclass(PLAYER_TYPECLASS, exact=False)


def lost_and_found():
    """The room (off the map) where things taken out of the world wait for their owners."""
    room = find_by_content_id(LOST_AND_FOUND)
    if room is None:
        room = create_object(ROOM_TYPECLASS, key="Lost and Found", tags=[(LOST_AND_FOUND, CONTENT_ID)])
        room.db.desc = "Shelves of things the world took back, each labelled with its last owner."
    return room


def holder(obj):
    """The player character `obj` is carried by (at any depth), or None."""
    where = obj.location
    while where is not None:
        if is_player(where):
            return where
        where = where.location
    return None


def take_out(obj, why: str) -> None:
    """Remove `obj` from the world: deleted, unless a player holds it, then
    kept in the lost-and-found room and the player told."""
    owner = holder(obj)
    if owner is None:
        obj.delete()
        return
    name = obj.get_display_name(owner)
    obj.move_to(lost_and_found(), quiet=True, move_type="teleport", move_hooks=False)
    obj.db.lost_by = owner.key
    owner.msg(f"|y{name} {why}; it waits for you in the Lost and Found.|n")


def nearest_room(coords, rooms):
    """The room of `rooms` (objects with .coords) closest on the grid to `coords`."""
    x, y, z = coords or (0, 0, 0)
    return min(rooms, key=lambda r: (abs(r.coords[0] - x) + abs(r.coords[1] - y) + 4 * abs(r.coords[2] - z), r.id))


def evacuate(room, remaining) -> None:
    """Move every character out of `room` (going away) to the nearest of `remaining` rooms."""
    for obj in list(room.contents):
        if is_player(obj):
            target = nearest_room(room.coords, remaining)
            obj.msg(f"|y{room.key} fades away around you; you find yourself in {target.key}.|n")
            obj.move_to(target, quiet=True, move_type="teleport")
            if obj.db.prelogout_location == room:
                obj.db.prelogout_location = target
        elif obj.destination is None:
            take_out(obj, "was swept away with the room")
