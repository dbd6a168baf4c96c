"""The talk command: NPCs answer from their lines, mood and memory of you (rules in game/dialogue.py)."""

from evennia.commands.default.muxcommand import MuxCommand

from game import dialogue, quests
from game.typeclasses.characters import Character


class CmdTalk(MuxCommand):
    """
    talk to someone, perhaps about something

    Usage:
      talk <npc>
      talk <npc> about <topic>

    Examples:
      talk priest
      talk Calix about bandits

    NPCs remember you: what you talked about, what you did, how you made
    them feel. Their mood (calm, joy, fear, anger) colours what they say.
    """

    key = "talk"
    aliases = ["ask"]
    locks = "cmd:all()"
    help_category = "general"

    def func(self):
        caller = self.caller
        who, _, topic = self.args.partition(" about ")
        if not who.strip():
            caller.msg("Talk to whom? Usage: talk <npc> [about <topic>]")
            return
        npc = caller.search(who.strip(), location=caller.location)
        if npc is None:
            return
        if isinstance(npc, Character) or npc.db.role is None:
            caller.msg(f"{npc.key} has nothing to say to you.")
            return
        topic = dialogue.clean_topic(topic)
        talks = len(dialogue.memories_of(npc, caller))
        caller.msg("\n".join(dialogue.reply(npc, caller, topic or None, talks)))
        dialogue.feel(npc, caller, "talked", topic)
        quests.advance(caller, "talk", npc.db.archetype)
