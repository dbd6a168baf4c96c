"""Quest commands: quests, quest accept|show|abandon <id> (rules in game/quests.py)."""

from evennia.commands.default.muxcommand import MuxCommand

from game import quests
from game.quests import QuestError


def _node_line(entry: dict, node: dict) -> str:
    done = min(entry["progress"].get(node["id"], 0), node["count"])
    mark = "x" if done >= node["count"] else " "
    return f"  [{mark}] {node['text']} ({done}/{node['count']})"


class CmdQuests(MuxCommand):
    """
    see the quests offered here and the ones you are on

    Usage:
      quests
    """

    key = "quests"
    locks = "cmd:all()"
    arg_regex = r"$"
    help_category = "questing"

    def func(self):
        caller = self.caller
        entries = quests.log(caller)
        here = [q for q in quests.offered_here(caller) if q["id"] not in entries]
        lines = []
        if here:
            givers = quests.givers_here(caller.location)
            lines.append("Offered here:")
            lines += [f"  {q['id']}: {q['title']} (from {givers[q['giver']].key})" for q in here]
        active = [e for e in entries.values() if e["state"] == "active"]
        if active:
            lines.append("Your quests:")
            lines += [f"  {e['quest']['id']}: {e['quest']['title']}" for e in active]
        done = [e for e in entries.values() if e["state"] == "done"]
        if done:
            lines.append("Done: " + ", ".join(e["quest"]["title"] for e in done))
        caller.msg("\n".join(lines) or "Nobody here offers a quest, and you are on none.")


class CmdQuest(MuxCommand):
    """
    take on, look at or give up a quest

    Usage:
      quest accept <id>
      quest show <id>
      quest abandon <id>

    Words of the quest's title do too, when only one quest has them.

    Examples:
      quest accept quest.guild_bounty
      quest accept bounty
    """

    key = "quest"
    locks = "cmd:all()"
    help_category = "questing"

    def func(self):
        caller = self.caller
        action, _, quest_id = self.args.strip().partition(" ")
        quest_id = quest_id.strip()
        if action not in ("accept", "show", "abandon") or not quest_id:
            caller.msg("Usage: quest accept||show||abandon <id>")
            return
        try:
            if action == "accept":
                quest = quests.accept(caller, quest_id)
                caller.msg(f"|wYou take on: {quest['title']}|n\n{quest['intro']}")
            elif action == "abandon":
                quest = quests.abandon(caller, quest_id)
                caller.msg(f"You give up on {quest['title']}.")
            else:
                self.show(quest_id)
        except QuestError as err:
            caller.msg(str(err))

    def show(self, quest_id: str):
        entries = quests.log(self.caller)
        mine = quests.pick([e["quest"] for e in entries.values()], quest_id)
        entry = entries[mine["id"]] if mine is not None else None
        if entry is None:
            quest = quests.pick(quests.offered_here(self.caller), quest_id) or quests.find(quest_id)
            if quest is None:
                raise QuestError(f"There is no quest {quest_id!r}.")
            entry = {"quest": quest, "state": "not taken", "progress": {}}
        quest = entry["quest"]
        lines = [f"|w{quest['title']}|n ({entry['state']})", quest["intro"]]
        lines += [_node_line(entry, n) for n in quest["nodes"]]
        lines.append(f"Reward: {quest['rewards']['gold']} coins")
        self.caller.msg("\n".join(lines))
