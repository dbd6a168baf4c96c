"""A portal services plugin (`PORTAL_SERVICES_PLUGIN_MODULES`) that lets the
portal's listening ports queue `settings.LISTEN_BACKLOG` connections instead of
Twisted's 50. Evennia creates its telnet, websocket and web ports with the
default: when more clients arrive at once than the portal accepts in one go (a
reconnect storm after a restart, 200 tintin++ sessions), the kernel drops the
surplus handshakes and those clients sit on a silent connection. The plugin runs
after Evennia registered its services and before they listen."""

from django.conf import settings
from twisted.application.internet import TCPServer


def start_plugin_services(portal) -> None:
    for service in portal:
        if isinstance(service, TCPServer):
            service.kwargs["backlog"] = settings.LISTEN_BACKLOG
