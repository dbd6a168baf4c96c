"""Loads the world's content folder and builds it into the live game at server
start; a broken content folder is refused with a clear message and the last
good build stays live."""

from django.conf import settings
from evennia.objects.models import ObjectDB
from evennia.utils import logger

from generation.loader import ContentError, World, load_world

from .builder import build_world, find_by_content_id


LIMBO_ID = 2  # the room Evennia creates first; our world does not use it
_current: World | None = None


def current_world() -> World | None:
    """The content world last built into the game (None before the first good build)."""
    return _current


def use_start_room(room_id: str) -> None:
    """New characters start (and have their home) in the world's start room;
    characters left in Evennia's empty Limbo (the admin's, at first) move there."""
    room = find_by_content_id(room_id)
    if room is None:
        return
    settings.START_LOCATION = settings.DEFAULT_HOME = room.dbref
    limbo = ObjectDB.objects.filter(id=LIMBO_ID).first()
    for obj in limbo.contents if limbo else []:
        if obj.is_typeclass("game.typeclasses.characters.Character", exact=False):
            obj.home = room
            obj.move_to(room, quiet=True, move_type="teleport")


def build_base_world(path: str | None = None) -> World | None:
    """Build the content world; the loaded World, or None when the content was refused."""
    path = path or settings.WORLD_CONTENT_DIR
    try:
        world = load_world(path)
    except ContentError as exc:
        logger.log_err(f"World content at {path} refused, nothing changed:\n{exc}")
        return None
    global _current
    report = build_world(world)
    _current = world
    use_start_room(world.header.start_room)
    logger.log_info(f"World {world.header.name} built from {path}: {report}")
    return world
