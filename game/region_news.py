"""Shows simulation events to the players standing in the region they concern,
rate-limited per region so the world's bustle never floods anyone."""

import time

import evennia

# most notable first
PRIORITY = {"macro": 0, "death": 1, "combat": 2, "social": 3, "discovery": 4, "trade": 5}


def players_by_zone() -> dict[str | None, set]:
    """Rooms holding at least one puppeted character, grouped by the room's zone."""
    rooms: dict[str | None, set] = {}
    for session in evennia.SESSION_HANDLER.get_sessions():
        puppet = session.puppet
        room = getattr(puppet, "location", None) if puppet else None
        if room is not None:
            rooms.setdefault(getattr(room, "zone", None), set()).add(room)
    return rooms


def as_news(text: str) -> str:
    """Event text without its tick stamp, with Evennia markup neutralised."""
    if text.startswith("[Tick") and "] " in text:
        text = text.split("] ", 1)[1]
    return text.replace("|", "||")


class RegionNews:
    def __init__(self, min_interval: float):
        self.min_interval = min_interval
        self.last_sent: dict[str | None, float] = {}

    def publish(self, events, force: bool = False, now: float | None = None, audience=None) -> int:
        """Send each region's most notable new event to its players (`audience`:
        rooms by zone, found from the sessions when not given); returns messages sent."""
        now = time.monotonic() if now is None else now
        best: dict[str | None, object] = {}
        for event in events:
            current = best.get(event.region)
            if current is None or PRIORITY.get(event.kind, 9) < PRIORITY.get(current.kind, 9):
                best[event.region] = event
        if not best:
            return 0
        audience = players_by_zone() if audience is None else audience
        sent = 0
        for region, event in best.items():
            if not force and now - self.last_sent.get(region, -1e9) < self.min_interval:
                continue
            rooms = set().union(*audience.values()) if region is None else audience.get(region, set())
            if not rooms:
                continue
            self.last_sent[region] = now
            for room in rooms:
                room.msg_contents(text=(f"|y{as_news(event.text)}|n", {"type": "world_event"}))
                sent += 1
        return sent
