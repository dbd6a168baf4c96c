"""Rooms: a place in a zone with grid coordinates; its description ends with
the live state of the zone's simulation region when the simulation runs."""

from evennia.objects.objects import DefaultRoom

from game.simulation_bridge import region_summary

from .creation import BulkCreationMixin
from .locks import LocksSetOnceMixin
from .objects import ContentMixin

ZONE = "zone"
COORDS = "coords"


def coords_key(x: int, y: int, z: int) -> str:
    """Tag key under which a room is found by its grid position."""
    return f"{x},{y},{z}"


class Room(ContentMixin, BulkCreationMixin, LocksSetOnceMixin, DefaultRoom):
    """A room built from content; `db.coords` is (x, y, z), tags give zone and coords."""

    @property
    def zone(self) -> str | None:
        return self.tags.get(category=ZONE)

    @property
    def coords(self) -> tuple[int, int, int] | None:
        value = self.db.coords
        return tuple(value) if value else None

    def get_extra_display_name_info(self, looker=None, **kwargs):
        return f" |x[{self.db.zone_name}]|n" if self.db.zone_name else ""

    def get_display_footer(self, looker, **kwargs):
        return region_summary(self.zone)
