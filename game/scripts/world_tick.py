"""The global script that steps the background simulation every interval."""

from evennia.scripts.scripts import DefaultScript


class WorldTick(DefaultScript):
    """Each repeat hands one simulation step to a thread (see game.simulation_bridge);
    a step still running when the next is due makes that one skipped, never queued."""

    def at_repeat(self, **kwargs):
        from game.simulation_bridge import service

        running = service()
        if running is not None:
            running.tick()
