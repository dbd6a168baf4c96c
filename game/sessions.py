"""The server's session class: Evennia's, plus the time each input line
takes on the reactor, from its arrival to its command's end, into the
`tera_command_round_trip_seconds` histogram (game.metrics)."""

import time

from evennia.server.serversession import ServerSession

from .metrics import COMMAND_SECONDS


class TimedServerSession(ServerSession):
    def data_in(self, **kwargs):
        if "text" not in kwargs:
            super().data_in(**kwargs)
            return
        started = time.perf_counter()
        try:
            super().data_in(**kwargs)
        finally:
            COMMAND_SECONDS.observe(time.perf_counter() - started)
