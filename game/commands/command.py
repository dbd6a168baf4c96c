"""Base class of the game's own commands."""

from evennia.commands.default.muxcommand import MuxCommand


class Command(MuxCommand):
    """MuxCommand with a helper that finds one object or tells the player why not."""

    def find_one(self, query: str, candidates=None, **kwargs):
        """Search for `query` (among `candidates` if given); None after messaging the caller."""
        return self.caller.search(query, candidates=candidates, **kwargs)
