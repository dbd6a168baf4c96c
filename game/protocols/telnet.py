"""Telnet for MUD clients (`TELNET_PROTOCOL_CLASS`, portal process; the SSL
protocol builds on it too).

Evennia 5.0.1's protocol re-syncs the session whenever a 9-byte packet holding
the NAWS byte arrives and the client auto-resizes, looking the session up with
`sessionhandler.get(sessid)`. A session still queued by the connection-rate
throttle is not there yet, `sync(None)` raises AttributeError and Twisted drops
the connection: tintin++ sends its window size as exactly such a packet right
after `WILL NAWS`. It also syncs before parsing the packet, so the server got
the previous size. Here the window size is synced after it was parsed, through
the handler's own `sync`, which leaves a session that has not reached the
server yet alone (it takes its current size along when it does).

Every connection also gets TCP_NODELAY (see game.protocols.nodelay).
"""

from evennia.server.portal.naws import NAWS
from evennia.server.portal.telnet import TelnetProtocol as EvenniaTelnetProtocol
from evennia.utils import logger

from game.protocols.nodelay import apply_tcp_nodelay


class TelnetProtocol(EvenniaTelnetProtocol):
    def connectionMade(self):
        apply_tcp_nodelay(self.transport)
        super().connectionMade()
        self.negotiationMap[NAWS] = self.window_size_reported

    def dataReceived(self, data):
        # Evennia's override holds only the broken resize branch; parse as Telnet does
        try:
            super(EvenniaTelnetProtocol, self).dataReceived(data)
        except ValueError as err:
            logger.log_err(f"Malformed telnet input: {err}")

    def window_size_reported(self, options):
        """IAC SB NAWS w w h h IAC SE: store the size, then tell the server if it listens."""
        self.naws.negotiate_sizes(options)
        if self.protocol_flags.get("AUTORESIZE"):
            self.sessionhandler.sync(self)
