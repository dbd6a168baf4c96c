"""The server's session class: Evennia's, plus the time each input line
takes on the reactor, from its arrival to its command's end, into the
`tera_command_round_trip_seconds` histogram (game.metrics), and a sync after
a world snapshot restore that survives an account or character the restored
database does not have."""

import time

from evennia.server.serversession import ServerSession
from twisted.internet import reactor

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

    def at_sync(self):
        """Back from a server reload. After a world snapshot restore the account
        or character this connection had may not exist in the restored
        database: the connection is told, and disconnected (no account) or
        left out of character (no character) instead of failing the sync of
        every session. Everyone coming back from a restore is told about it."""
        from evennia.objects.models import ObjectDB

        from . import world_snapshots

        lost = None
        if self.logged_in and (self.account is None or self.account.username != self.uname):
            lost = f"Your account '{self.uname}' is not in the restored world; please create it again."
            self.logged_in, self.uid, self.uname, self.puid, self.account = False, None, None, None, None
        elif self.puid and not ObjectDB.objects.filter(id=self.puid, db_account=self.account).exists():
            self.puid = None
            lost = "Your character is not in the restored world."
        super().at_sync()
        note = world_snapshots.restore_note()
        if note:
            self.msg(note)
        if lost and self.logged_in:
            self.msg(lost)
        elif lost:  # the portal shows the reason, then closes the connection
            reactor.callLater(0, self.sessionhandler.disconnect, self, lost)
