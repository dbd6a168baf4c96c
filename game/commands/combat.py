"""Combat commands: attack, consider, flee (rules in game/combat.py, loot in game/loot.py)."""

import random

from evennia.commands.default.muxcommand import MuxCommand
from evennia.utils.utils import delay

from game import coins, combat, dialogue, loot, quests, reputation
from game.builder import find_by_content_id
from game.coins import MoneyError
from game.simulation_bridge import service
from game.typeclasses.characters import Character

_rng = random.Random()


def _target(caller, name: str):
    if not name:
        caller.msg("Whom? Usage: attack <target>")
        return None
    found = caller.search(name, location=caller.location)
    if found is None:
        return None
    if isinstance(found, Character) or found.has_account:
        caller.msg("You cannot fight another player here.")
        return None
    if found.db.role is None:
        caller.msg(f"{found.key} is not something you can fight.")
        return None
    return found


def _slay(caller, npc) -> None:
    """The NPC falls: loot, reputation, experience; a materialized agent dies in the simulation."""
    room = caller.location
    role = str(npc.db.role or "")
    room.msg_contents(f"{npc.key} falls to {caller.key}'s blow.", exclude=[caller])
    caller.msg(f"You slay {npc.key}!")
    gained, items = loot.drop(role, combat.threat(npc), room, caller, _rng)
    if gained:
        try:
            coins.credit(caller, "loot", gained)
            caller.msg(f"You find {gained} coins on the body. You have {coins.coins(caller)} coins.")
        except MoneyError as err:
            caller.msg(str(err))
    if items:
        caller.msg("Loot: " + ", ".join(items) + ".")
    caller.db.xp = int(caller.db.xp or 0) + combat.xp_for(npc)
    for line in reputation.record_kill(caller, role.capitalize()):
        caller.msg(line)
    quests.advance(caller, "kill", npc.db.archetype)
    for witness in room.contents:
        if witness != npc and witness.db.role is not None and not isinstance(witness, Character):
            dialogue.feel(witness, caller, "fought_near")
    caller.ndb.fighting = None
    running = service()
    if npc.db.agent_id is not None:
        if running is not None:
            running.sim.players.queue_kill(int(npc.db.agent_id), caller.key)
        npc.delete()
        return
    # a fixed NPC of the world's content comes back after a while
    npc.db.hp = None
    npc.db.respawn_room = room
    npc.location = None
    delay(combat.RESPAWN_SECONDS, respawn, npc, persistent=True)


def respawn(npc) -> None:
    """A fixed NPC slain earlier returns to where it fell."""
    room = npc.db.respawn_room
    if room is not None and npc.location is None:
        npc.move_to(room, quiet=True, move_type="teleport")
        room.msg_contents(f"{npc.key} arrives.", exclude=[npc])


def _fall(caller, npc) -> None:
    """The player falls: a death penalty in coin and a wake-up at the nearest temple."""
    caller.msg(f"|r{npc.key} strikes you down.|n")
    caller.location.msg_contents(f"{caller.key} falls to {npc.key}.", exclude=[caller])
    penalty = combat.death_penalty(coins.coins(caller))
    if penalty:
        try:
            coins.debit(caller, "death_penalty", penalty)
            caller.msg(f"You lose {penalty} coins.")
        except MoneyError:
            pass
    caller.ndb.fighting = None
    npc.db.hp = None
    caller.db.hp = combat.max_health(caller) // 2
    temple = combat.nearest_temple(caller.location, find_by_content_id)
    if temple is not None:
        caller.msg("You wake in the quiet of a temple, priests tending your wounds.")
        caller.move_to(temple, move_type="teleport")


class CmdAttack(MuxCommand):
    """
    fight an NPC, one round of blows per command

    Usage:
      attack <target>
      kill <target>

    Your weapon adds to your attack, your armor to your defense. Slain NPCs
    drop loot; deeds change your reputation (see `reputation`).
    """

    key = "attack"
    aliases = ["kill", "hit"]
    locks = "cmd:all()"
    help_category = "combat"

    def func(self):
        caller = self.caller
        npc = _target(caller, self.args.strip())
        if npc is None:
            return
        me, them = combat.player_strength(caller), combat.npc_strength(npc)
        caller.ndb.fighting = npc
        dealt = combat.blow(me, them, _rng)
        left = max(0, them.health - dealt)
        npc.db.hp = left
        caller.msg(f"You hit {npc.key} for {dealt} ({left}/{them.max_health}).")
        if left == 0:
            _slay(caller, npc)
            return
        dialogue.feel(npc, caller, "attacked")
        taken = combat.blow(them, me, _rng)
        mine = max(0, me.health - taken)
        caller.db.hp = mine
        caller.msg(f"{npc.key} hits you for {taken} ({mine}/{me.max_health}).")
        if mine == 0:
            _fall(caller, npc)


class CmdConsider(MuxCommand):
    """
    weigh up how a fight with someone would go

    Usage:
      consider <target>
    """

    key = "consider"
    aliases = ["con"]
    locks = "cmd:all()"
    help_category = "combat"

    def func(self):
        npc = _target(self.caller, self.args.strip())
        if npc is not None:
            them = combat.npc_strength(npc)
            self.caller.msg(f"{combat.consider(combat.player_strength(self.caller), them)} "
                            f"(health {them.health}/{them.max_health}, attack {them.attack}, defense {them.defense})")


class CmdFlee(MuxCommand):
    """
    run from a fight through a random exit

    Usage:
      flee
    """

    key = "flee"
    locks = "cmd:all()"
    help_category = "combat"

    def func(self):
        caller = self.caller
        npc = caller.ndb.fighting
        if npc is None or not npc.pk or npc.location != caller.location:
            caller.ndb.fighting = None
            caller.msg("You are not fighting anyone.")
            return
        exits = [e for e in caller.location.exits if e.destination]
        if not exits or _rng.random() >= combat.FLEE_CHANCE:
            me, them = combat.player_strength(caller), combat.npc_strength(npc)
            taken = combat.blow(them, me, _rng)
            caller.db.hp = max(0, me.health - taken)
            caller.msg(f"You fail to get away; {npc.key} hits you for {taken}.")
            if caller.db.hp == 0:
                _fall(caller, npc)
            return
        caller.ndb.fighting = None
        way = _rng.choice(exits)
        caller.msg(f"You flee {way.key}!")
        caller.move_to(way.destination, move_type="flee")
