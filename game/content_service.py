"""Loads the world's content folder and builds it into the live game at server
start; a broken content folder is refused with a clear message and the last
good build stays live."""

from django.conf import settings
from evennia.utils import logger

from generation.loader import ContentError, load_world

from .builder import BuildReport, build_world, find_by_content_id


def use_start_room(room_id: str) -> None:
    """New characters start (and have their home) in the world's start room."""
    room = find_by_content_id(room_id)
    if room is not None:
        settings.START_LOCATION = settings.DEFAULT_HOME = room.dbref


def build_base_world(path: str | None = None) -> BuildReport | None:
    path = path or settings.WORLD_CONTENT_DIR
    try:
        world = load_world(path)
    except ContentError as exc:
        logger.log_err(f"World content at {path} refused, nothing changed:\n{exc}")
        return None
    report = build_world(world)
    use_start_room(world.header.start_room)
    logger.log_info(f"World {world.header.name} built from {path}: {report}")
    return report
