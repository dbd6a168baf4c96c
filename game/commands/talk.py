"""The talk command: NPCs answer from their lines, mood and memory of you (rules in game/dialogue.py)."""

from evennia.commands.default.muxcommand import MuxCommand

from game import dialogue, dialogue_llm, quests
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
    With an LLM configured an NPC may think a moment before it answers.
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
        memories = dialogue.memories_of(npc, caller)
        opening, line, feeling = dialogue.compose(npc, caller, topic or None, len(memories))
        if not dialogue_llm.enabled():
            caller.msg("\n".join(opening + [dialogue.say(npc.key, feeling, line)]))
        else:
            caller.msg("\n".join(opening))
            name = npc.key
            messages = dialogue_llm.prompt(name, str(npc.db.role), feeling,
                                           dialogue.recollection(memories, caller.key), topic or None, line)
            dialogue_llm.enrich(messages, on_line=lambda text, enriched: caller.msg(dialogue.say(name, feeling, text)),
                                on_thinking=lambda: caller.msg(f"{name} thinks for a moment..."), fallback=line)
        dialogue.feel(npc, caller, "talked", topic)
        quests.advance(caller, "talk", npc.db.archetype)
