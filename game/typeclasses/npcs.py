"""Non-player characters: built from an archetype, optionally bound to a
simulation agent whose live state (name, FSM state, reputation) they show."""

from evennia.objects.objects import DefaultCharacter

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

class NPC(LocksSetOnceMixin, DefaultCharacter):
    """Attributes: archetype (content id), role, faction, stats, barks; when bound
    to the simulation: agent_id, state, reputation."""

    def at_object_creation(self):
        super().at_object_creation()
        self.locks.add("get:false();puppet:perm(Developer)")

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
