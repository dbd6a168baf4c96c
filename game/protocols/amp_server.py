"""The portal's end of the portal-server AMP link (`AMP_SERVER_PROTOCOL_CLASS`,
used by evennia.server.portal.amp_server in the portal process): Evennia's
protocol with TCP_NODELAY, so every command and reply crossing the link goes
out at once."""

from evennia.server.portal.amp_server import AMPServerProtocol as EvenniaAMPServerProtocol

from game.protocols.nodelay import apply_tcp_nodelay


class AMPServerProtocol(EvenniaAMPServerProtocol):
    def connectionMade(self):
        apply_tcp_nodelay(self.transport)
        super().connectionMade()
