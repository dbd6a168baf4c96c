"""The server's end of the portal-server AMP link (`AMP_CLIENT_PROTOCOL_CLASS`,
used by evennia.server.amp_client in the server process): Evennia's protocol
with TCP_NODELAY, so command output reaches the portal at once."""

from evennia.server.amp_client import AMPServerClientProtocol as EvenniaAMPClientProtocol

from game.protocols.nodelay import apply_tcp_nodelay


class AMPClientProtocol(EvenniaAMPClientProtocol):
    def connectionMade(self):
        apply_tcp_nodelay(self.transport)
        super().connectionMade()
