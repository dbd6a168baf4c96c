"""get, drop and give: Evennia's own, except that a name matching several
identical things (three loaves of trail bread) means one of them; Evennia
would ask which. `get 2 bread` still takes two, and different things that
share a word (`sword` for two kinds of sword) are still asked about."""

from evennia.commands.default.general import CmdDrop as EvenniaDrop
from evennia.commands.default.general import CmdGet as EvenniaGet
from evennia.commands.default.general import CmdGive as EvenniaGive


class OneOfIdentical:
    """With no count given, the count is one (Evennia's search then picks one
    of a stack of identical objects instead of failing on the multimatch)."""

    def parse(self):
        super().parse()
        self.number = self.number or 1


class CmdGet(OneOfIdentical, EvenniaGet):
    """
    pick up something

    Usage:
      get [<count>] <thing>

    Examples:
      get sword
      get 2 bread
    """


class CmdDrop(OneOfIdentical, EvenniaDrop):
    """
    drop something you carry

    Usage:
      drop [<count>] <thing>
    """


class CmdGive(OneOfIdentical, EvenniaGive):
    """
    give something you carry to someone here

    Usage:
      give [<count>] <thing> to <someone>
      give [<count>] <thing> = <someone>

    Example:
      give bread to priest
    """
