"""Non-player characters: built from an archetype, optionally bound to a
simulation agent whose live state (name, FSM state, reputation) they show.
An item a player gives an NPC may complete a quest's delivery (game.quests);
a delivered item is used up once the hand-over is done (`give` still names
it) and the NPC remembers the help (game.dialogue). An NPC has no command set
of its own: no player puppets one, and building a character's 100-odd
commands was most of what making an NPC cost the reactor (some 20-40 ms)."""

from evennia.objects.objects import DefaultCharacter, DefaultObject
from evennia.utils.utils import delay

from .creation import BulkCreationMixin
from .locks import LocksSetOnceMixin


# What an NPC is seen doing in each simulation FSM state.
STATE_POSES = {
    "idle": "is standing about",
    "explore": "is scanning the horizon, looking for a way on",
    "gather": "is gathering what the land offers",
    "trade": "is haggling over prices",
    "hunt": "is stalking quietly, weapon ready",
    "combat": "is locked in a fight",
    "rest": "is resting, nursing bruises",
}
ROLE_POSES = {"bandit": "is lurking in the shadows", "merchant": "is hawking wares"}


def use_up(item, holder) -> None:
    """Delete a delivered `item` still held by `holder`."""
    if item.pk and item.location == holder:
        item.delete()


class NPC(BulkCreationMixin, LocksSetOnceMixin, DefaultCharacter):
    """Attributes: archetype (content id), role, faction, stats, barks; when bound
    to the simulation: agent_id, state, reputation."""

    def basetype_setup(self):
        """A character's setup (its locks) but for the player command set."""
        DefaultObject.basetype_setup(self)
        self.locks.add("get:false();call:false();teleport:perm(Admin);teleport_here:perm(Admin)")

    def at_object_creation(self):
        super().at_object_creation()
        self.locks.add("puppet:perm(Developer)")

    def at_object_receive(self, moved_obj, source_location, move_type="move", **kwargs):
        super().at_object_receive(moved_obj, source_location, move_type=move_type, **kwargs)
        from game import dialogue, quests
        from game.typeclasses.characters import Character

        giver = source_location
        if not isinstance(giver, Character):
            return
        if quests.advance(giver, "deliver", quests.template_of(moved_obj), to=self.db.archetype):
            dialogue.feel(self, giver, "helped", f"brought me {moved_obj.key}")
            delay(0, use_up, moved_obj, self)

    def pose(self) -> str:
        state = (self.db.state or "").lower()
        if state in STATE_POSES and state != "idle":
            return STATE_POSES[state]
        return ROLE_POSES.get(self.db.role, STATE_POSES["idle"])

    def get_display_desc(self, looker, **kwargs):
        desc = super().get_display_desc(looker, **kwargs)
        lines = [desc, f"{self.key} {self.pose()}."]
        if self.db.role:
            rep = f", {self.db.reputation}" if self.db.reputation else ""
            lines.append(f"|x({self.db.role}{rep})|n")
        return "\n".join(lines)
