"""Game objects are made whole in a few queries: the tags, aliases and
attributes that create_object or the spawner give a new object are written in
bulk (game.bulk_write) instead of by Evennia one query at a time, at the same
point of creation (after the location hooks, before at_object_post_creation)."""

from game.bulk_write import ALIAS, add_attributes, add_tags

BULK = ("aliases", "tags", "attributes")


class BulkCreationMixin:
    """Mix into an object typeclass (before Evennia's class)."""

    def at_first_save(self):
        given = getattr(self, "_createdict", None) or {}
        self._bulk_given = {part: given.pop(part) for part in BULK if given.get(part)}
        super().at_first_save()

    def at_object_post_creation(self):
        given = self.__dict__.pop("_bulk_given", {})
        add_tags(self, given.get("aliases", ()), tagtype=ALIAS)
        add_tags(self, given.get("tags", ()))
        add_attributes(self, given.get("attributes", ()))
        super().at_object_post_creation()
