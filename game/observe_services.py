"""Evennia server plugin (SERVER_SERVICES_PLUGIN_MODULES) for watching the
game: subscribes the observatory and the metrics to every simulation step,
reads the workers' figures in a thread every few seconds, and serves
`/metrics` (Prometheus text) on its own port.

Why its own port: behind Evennia's portal every web request reaches the
server from 127.0.0.1, so the game's site cannot tell a local scraper from
anyone on the internet. This listener sees the real peer address: loopback
is always allowed, other addresses only inside the networks of
MUD_METRICS_ALLOW; anyone else gets 403. By default it listens on
127.0.0.1 only (MUD_METRICS_INTERFACE). A scrape renders what is already in
memory, on the reactor, with no disk or database read."""

import ipaddress
import time

from django.conf import settings
from evennia.utils import logger
from twisted.application import internet
from twisted.internet import threads
from twisted.web import resource, server

from . import metrics, simulation_bridge
from .observatory import OBSERVATORY

REFRESH_S = 5.0


def allowed(host: str, networks) -> bool:
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    if getattr(address, "ipv4_mapped", None):
        address = address.ipv4_mapped
    return address.is_loopback or any(address in net for net in networks)


class QuietSite(server.Site):
    """No access-log line per scrape."""

    def log(self, request):
        pass


class MetricsPage(resource.Resource):
    isLeaf = True

    def __init__(self, networks):
        super().__init__()
        self.networks = networks

    def render_GET(self, request):
        if request.path != b"/metrics":
            request.setResponseCode(404)
            return b"not found: the metrics are at /metrics\n"
        if not allowed(request.getClientAddress().host, self.networks):
            request.setResponseCode(403)
            return b"metrics are served to loopback and to MUD_METRICS_ALLOW only\n"
        request.setHeader(b"Content-Type", b"text/plain; version=0.0.4; charset=utf-8")
        return metrics.render()


def refresh() -> None:
    d = threads.deferToThread(metrics.refresh_from_files)
    d.addCallbacks(lambda figures: metrics.apply(figures, time.time()),
                   lambda f: logger.log_warn(f"metrics: worker figures not read: {f.getErrorMessage()}"))


def start_plugin_services(evennia_server) -> None:
    OBSERVATORY.keep(settings.OBSERVE_HISTORY_POINTS)
    simulation_bridge.on_step(OBSERVATORY.stepped)
    simulation_bridge.on_step(metrics.stepped)
    internet.TimerService(REFRESH_S, refresh).setServiceParent(evennia_server)
    if settings.METRICS_PORT:
        networks = [ipaddress.ip_network(n, strict=False) for n in settings.METRICS_ALLOW]
        site = QuietSite(MetricsPage(networks))
        site.noisy = False
        internet.TCPServer(settings.METRICS_PORT, site, interface=settings.METRICS_INTERFACE).setServiceParent(evennia_server)
        logger.log_info(f"Metrics at http://{settings.METRICS_INTERFACE}:{settings.METRICS_PORT}/metrics")
