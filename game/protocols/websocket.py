"""The web client's websocket (`WEBSOCKET_PROTOCOL_CLASS`, portal process):
Evennia's protocol with TCP_NODELAY on the browser's connection."""

from evennia.server.portal.webclient import WebSocketClient as EvenniaWebSocketClient

from game.protocols.nodelay import apply_tcp_nodelay


class WebSocketClient(EvenniaWebSocketClient):
    def connectionMade(self):
        apply_tcp_nodelay(self.transport)
        super().connectionMade()
