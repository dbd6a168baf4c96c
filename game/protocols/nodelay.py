"""TCP_NODELAY for our connections: without it Nagle's algorithm holds a small
reply back until the peer's delayed ACK (about 40 ms) whenever a command
follows the previous reply at once. `settings.TCP_NODELAY` (env
`MUD_TCP_NODELAY`, default on) switches it, so the network benchmark can
measure the difference."""

from django.conf import settings


def apply_tcp_nodelay(transport) -> None:
    """Set TCP_NODELAY on a Twisted TCP transport as the settings say."""
    transport.setTcpNoDelay(bool(settings.TCP_NODELAY))
