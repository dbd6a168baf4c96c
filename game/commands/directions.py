"""A direction with no exit here: `up` answers "You cannot go up from here."
and names the ways out, where Evennia would say "Command 'up' is not
available". A room's exits are commands of a higher priority, so where the
way exists its exit takes the word."""

from evennia.commands.default.muxcommand import MuxCommand
from evennia.utils.utils import iter_to_str

from generation.models.common import DIRECTION_ALIASES


class CmdNoExit(MuxCommand):
    """There is no way in this direction (built once per direction)."""

    locks = "cmd:all()"
    auto_help = False

    def func(self):
        room = self.caller.location
        ways = [way.key for way in room.exits] if room is not None else []
        out = f" Exits: {iter_to_str(ways)}." if ways else ""
        self.caller.msg(f"You cannot go {self.key} from here.{out}")


def no_exit_commands() -> list[CmdNoExit]:
    return [CmdNoExit(key=direction.value, aliases=[alias]) for direction, alias in DIRECTION_ALIASES.items()]
