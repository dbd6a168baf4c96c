"""Base object of the game and the content-id tag every built object carries."""

from evennia.objects.objects import DefaultObject

from .creation import BulkCreationMixin
from .locks import LocksSetOnceMixin

CONTENT_ID = "content_id"


class ContentMixin:
    """Objects built from content JSON are tagged with their stable content id,
    so a rebuild finds and updates them instead of creating duplicates."""

    @property
    def content_id(self) -> str | None:
        return self.tags.get(category=CONTENT_ID)


class Object(ContentMixin, BulkCreationMixin, LocksSetOnceMixin, DefaultObject):
    """Any thing in the world that is not an item, NPC, room or exit."""
