"""Player characters: they carry an equipment handler (weapon and armor
slots), a purse (game.coins, opened at first login), a reputation and a quest
log (arriving somewhere and picking things up advance quests, game.quests);
where they go, simulation agents become NPCs (game.materialize).  After every tick
the simulation learns where Infamous players stand (game.reputation). What
they say shows exactly as typed (game.player_text). A word naming several
NPCs of one role means the first of them. Taking things from a room and
walking in later puts its placed items back in time (game.restock)."""

import evennia
from evennia.objects.objects import DefaultCharacter
from evennia.utils.utils import lazy_property

from game import coins, director_bridge, materialize, quests, reputation, restock
from game.equipment import EquipmentHandler
from game.player_text import escape_player_text
from game.simulation_bridge import on_step, service
from game.typeclasses.objects import CONTENT_ID

from .creation import BulkCreationMixin
from .locks import LocksSetOnceMixin
from .npcs import NPC


def _populate(room) -> None:
    running = service()
    if room is not None and running is not None:
        materialize.populate(room, running)


def _report_infamous(sim, events) -> None:
    puppets = [s.puppet for s in evennia.SESSION_HANDLER.get_sessions() if s.puppet is not None]
    reputation.report_infamous(sim, puppets)


on_step(_report_infamous)


def _one_role_of_npcs(objs) -> bool:
    """Whether `objs` are all NPCs of one role (farmer, priest, bandit, ...)."""
    roles = {str(obj.db.role).lower() if isinstance(obj, NPC) and obj.db.role else None for obj in objs}
    return len(roles) == 1 and None not in roles


class Character(BulkCreationMixin, LocksSetOnceMixin, DefaultCharacter):
    """The body a player's account puppets."""

    @lazy_property
    def equipment(self) -> EquipmentHandler:
        return EquipmentHandler(self)

    @classmethod
    def validate_name(cls, name, account=None):
        if escape_player_text(name) != name or set(name) & set("${}"):
            return "A name cannot contain |, $, {, } or control characters."
        return super().validate_name(name, account=account)

    def handle_search_results(self, searchdata, results, **kwargs):
        """Several NPCs of one role answering to a word (`give bread to priest`,
        `attack bandit`) are the same to the player: the first is meant, as in
        most MUDs, where Evennia would ask which. `priest-2` still picks another."""
        results = list(results)
        if not kwargs.get("quiet") and len(results) > 1 and _one_role_of_npcs(results):
            results = results[:1]
        return super().handle_search_results(searchdata, results, **kwargs)

    def at_pre_say(self, message, **kwargs):
        """Say and whisper: the speech shows exactly as typed."""
        return escape_player_text(super().at_pre_say(message, **kwargs))

    def at_post_move(self, source_location, move_type="move", **kwargs):
        if self.location is not None:
            quests.advance(self, "go", self.location.tags.get(category=CONTENT_ID))
        if self.has_account:
            if source_location is not None:
                materialize.release(source_location)
            if self.location is not None:
                restock.restock(self.location)
            _populate(self.location)  # before the new room is shown
            director = director_bridge.service()
            if director is not None and self.location is not None:
                running = service()
                director.player_moved(self.location, running.sim.tick if running else 0)
        super().at_post_move(source_location, move_type=move_type, **kwargs)

    def at_post_puppet(self, **kwargs):
        _populate(self.location or self.db.prelogout_location)
        super().at_post_puppet(**kwargs)
        if coins.open_purse(self):
            self.msg(f"You find a purse of {coins.STARTING_PURSE} coins on your belt.")

    def at_post_unpuppet(self, account=None, session=None, **kwargs):
        room = self.location
        super().at_post_unpuppet(account=account, session=session, **kwargs)
        if room is not None:
            materialize.release(room)

    def at_object_receive(self, moved_obj, source_location, move_type="move", **kwargs):
        super().at_object_receive(moved_obj, source_location, move_type=move_type, **kwargs)
        if move_type == "get" and source_location is not None:
            restock.taken(source_location)
        quests.advance(self, "fetch", quests.template_of(moved_obj))

    def at_object_leave(self, obj, target_location, **kwargs):
        # anything leaving the inventory by any route is no longer worn
        self.equipment.forget(obj)
        super().at_object_leave(obj, target_location, **kwargs)
