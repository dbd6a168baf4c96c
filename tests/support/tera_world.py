"""The shipped TERA world, loaded once for the game tests, and the typeclass
paths they create objects with."""

from functools import lru_cache
from pathlib import Path

from generation.loader import load_world

TERA = Path(__file__).resolve().parents[2] / "content" / "worlds" / "tera"
CHARACTER = "game.typeclasses.characters.Character"
ROOM = "game.typeclasses.rooms.Room"
NPC = "game.typeclasses.npcs.NPC"


@lru_cache(maxsize=1)
def tera():
    return load_world(TERA)
