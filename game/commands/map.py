"""The map command: an ASCII map of the rooms around you."""

from evennia.commands.default.muxcommand import MuxCommand
from evennia.objects.models import ObjectDB

from game.maps import Cell, render_map
from game.typeclasses.objects import CONTENT_ID
from game.typeclasses.rooms import COORDS, coords_key

RADIUS = 3


def nearby_cells(room, radius: int = RADIUS) -> dict[tuple[int, int], Cell]:
    """Rooms on the same level within `radius`, with their planar exits."""
    x0, y0, z0 = room.coords
    keys = [coords_key(x0 + dx, y0 + dy, z0) for dx in range(-radius, radius + 1) for dy in range(-radius, radius + 1)]
    cells = {}
    for other in ObjectDB.objects.filter(db_tags__db_category=COORDS, db_tags__db_key__in=keys):
        x, y, _ = other.db.coords
        exits = frozenset(
            ex.tags.get(category=CONTENT_ID, default=ex.key).rsplit(">", 1)[-1] for ex in other.exits
        )
        cells[(x, y)] = Cell(" ", exits)
    return cells


class CmdMap(MuxCommand):
    """
    show a map of the area around you

    Usage:
      map

    @ is you, [ ] a room, and - | / \\ the ways between them.
    """

    key = "map"
    locks = "cmd:all()"
    arg_regex = r"$"
    help_category = "general"

    def func(self):
        room = self.caller.location
        coords = getattr(room, "coords", None)
        if not coords:
            self.caller.msg("There is no map of this place.")
            return
        drawing = render_map(coords[:2], nearby_cells(room)).replace("|", "||")  # literal pipes
        self.caller.msg(text=(f"|w{room.key}|n ({coords[0]}, {coords[1]})\n{drawing}", {"type": "map"}))
