"""Combat commands: attack, consider, flee, join raid (rules in game/combat.py, loot in game/loot.py,
raids in game/raids.py)."""

import random

from evennia.commands.default.muxcommand import MuxCommand
from evennia.utils.utils import delay

from game import coins, combat, dialogue, loot, quests, raids, reputation, wear
from game.builder import find_by_content_id
from game.coins import MoneyError
from game.simulation_bridge import service
from game.typeclasses.characters import Character

_rng = random.Random()


def _target(caller, name: str, verb: str = "attack"):
    if not name:
        caller.msg(f"Whom? Usage: {verb} <target>")
        return None
    found = caller.search(name, location=caller.location)
    if found is None:
        return None
    if found == caller:
        caller.msg("You cannot fight yourself.")
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


def _fall(caller, foe: str) -> None:
    """The player falls to `foe`: a death penalty in coin and a wake-up at the nearest temple."""
    caller.msg(f"|rYou are struck down by {foe}.|n")
    caller.location.msg_contents(f"{caller.key} falls to {foe}.", exclude=[caller])
    penalty = combat.death_penalty(coins.coins(caller))
    if penalty:
        try:
            coins.debit(caller, "death_penalty", penalty)
            caller.msg(f"You lose {penalty} coins.")
        except MoneyError:
            pass
    caller.ndb.fighting = None
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
        combat.engage(npc)
        dealt = combat.blow(me, them, _rng)
        left = max(0, them.health - dealt)
        npc.db.hp = left
        caller.msg(f"You hit {npc.key} for {dealt} ({left}/{them.max_health}).")
        if left == 0:
            wear.after_fight(caller, 1, 0)
            _slay(caller, npc)
            return
        dialogue.feel(npc, caller, "attacked")
        wear.after_fight(caller, 1, 1)
        taken = combat.blow(them, me, _rng)
        mine = max(0, me.health - taken)
        caller.db.hp = mine
        caller.msg(f"{npc.key} hits you for {taken} ({mine}/{me.max_health}).")
        if mine == 0:
            npc.db.hp = None
            _fall(caller, npc.key)


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
        npc = _target(self.caller, self.args.strip(), "consider")
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
            wear.after_fight(caller, 0, 1)
            caller.db.hp = max(0, me.health - taken)
            caller.msg(f"You fail to get away; {npc.key} hits you for {taken}.")
            if caller.db.hp == 0:
                npc.db.hp = None
                _fall(caller, npc.key)
            return
        caller.ndb.fighting = None
        way = _rng.choice(exits)
        caller.msg(f"You flee {way.key}!")
        caller.move_to(way.destination, move_type="flee")


class CmdRaid(MuxCommand):
    """
    ride with the bandits raiding the caravans here

    Usage:
      join raid
      raid

    While bandits of the simulation raid a region's merchants, you may join
    them: fight the caravan's guards (your weapon and armor count). Beat them
    and you rob the region's richest merchant with the bandits; your share of
    their loot pool comes with the next tick. The Merchant Guild and the
    Settlers' Union will not forget it; the Bandit Clans will remember you
    kindly. Lose and you fall like in any fight.
    """

    key = "raid"
    aliases = ["join raid"]
    locks = "cmd:all()"
    help_category = "combat"

    def func(self):
        caller = self.caller
        running = service()
        if running is None:
            caller.msg("The world is still waking; no raid can be joined yet.")
            return
        coins.open_purse(caller)
        try:
            zone = raids.check(running.sim, caller)
        except raids.RaidError as err:
            caller.msg(str(err))
            return
        guards = raids.guards(running.sim, zone)
        me = combat.player_strength(caller)
        caller.msg(f"You fall in with the raiders and rush a caravan; {guards.name} turn to meet you.")
        caller.location.msg_contents(f"{caller.key} rides out with the bandits.", exclude=[caller])
        outcome, lines = raids.fight(me, guards, _rng)
        caller.msg("\n".join(line for line, _ in lines))
        wear.after_fight(caller, sum(1 for _, mine in lines if mine), sum(1 for _, mine in lines if not mine))
        caller.db.hp = me.health
        if outcome == "fell":
            _fall(caller, guards.name)
            return
        if outcome == "repelled":
            caller.msg(f"{guards.name.capitalize()} hold the caravan; you fall back empty-handed.")
            return
        caller.msg("You break the guards and cut open a strongbox. The bandits will share out the take.")
        for line in raids.join(running.sim, caller, zone):
            caller.msg(line)
