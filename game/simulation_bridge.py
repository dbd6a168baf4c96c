"""Bridge between the game and the background simulation (world/).

Holds the one live `Simulation` of the server process and answers the game's
questions about it (region summaries for room descriptions)."""

_simulation = None


def simulation():
    """The running simulation, or None when it is not started."""
    return _simulation


def region_summary(zone: str | None) -> str:
    """Short live description of a region for room descriptions ('' without a sim)."""
    if _simulation is None or not zone:
        return ""
    return ""
