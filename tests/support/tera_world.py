"""The shipped TERA world, loaded once for the game tests, the typeclass
paths they create objects with, and `live_tera` to make it the game's live
content world for one test."""

from functools import lru_cache
from pathlib import Path
from unittest import mock

from generation.loader import load_world

TERA = Path(__file__).resolve().parents[2] / "content" / "worlds" / "tera"
CHARACTER = "game.typeclasses.characters.Character"
ROOM = "game.typeclasses.rooms.Room"
NPC = "game.typeclasses.npcs.NPC"


@lru_cache(maxsize=1)
def tera():
    return load_world(TERA)


def live_tera(test) -> None:
    """Make TERA the live content world (game.content_service) until `test` cleans up."""
    from game import content_service

    patcher = mock.patch.object(content_service, "_current", tera())
    patcher.start()
    test.addCleanup(patcher.stop)
