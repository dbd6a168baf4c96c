"""Player characters: they carry an equipment handler (weapon and armor
slots), and where they go, simulation agents become NPCs (game.materialize)."""

from evennia.objects.objects import DefaultCharacter
from evennia.utils.utils import lazy_property

from game import director_bridge, materialize
from game.equipment import EquipmentHandler
from game.simulation_bridge import service


def _populate(room) -> None:
    running = service()
    if room is not None and running is not None:
        materialize.populate(room, running)


class Character(DefaultCharacter):
    """The body a player's account puppets."""

    @lazy_property
    def equipment(self) -> EquipmentHandler:
        return EquipmentHandler(self)

    def at_post_move(self, source_location, move_type="move", **kwargs):
        if self.has_account:
            if source_location is not None:
                materialize.release(source_location)
            _populate(self.location)  # before the new room is shown
            director = director_bridge.service()
            if director is not None and self.location is not None:
                running = service()
                director.player_moved(self.location, running.sim.tick if running else 0)
        super().at_post_move(source_location, move_type=move_type, **kwargs)

    def at_post_puppet(self, **kwargs):
        _populate(self.location or self.db.prelogout_location)
        super().at_post_puppet(**kwargs)

    def at_post_unpuppet(self, account=None, session=None, **kwargs):
        room = self.location
        super().at_post_unpuppet(account=account, session=session, **kwargs)
        if room is not None:
            materialize.release(room)

    def at_object_leave(self, obj, target_location, **kwargs):
        # anything leaving the inventory by any route is no longer worn
        self.equipment.forget(obj)
        super().at_object_leave(obj, target_location, **kwargs)
