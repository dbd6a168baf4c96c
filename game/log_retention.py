"""Evennia server plugin (SERVER_SERVICES_PLUGIN_MODULES) that keeps the logs
folder bounded: Evennia rotates its server, portal and channel logs at
MUD_LOG_BYTES but never deletes a rotated copy, so every PRUNE_S seconds a
thread keeps the newest MUD_LOG_KEEP copies of each (generation.log_files).
A folder holds at most (MUD_LOG_KEEP + 1) files per log, plus the copies
rotated since the last round."""

from django.conf import settings
from evennia.utils import logger
from twisted.application import internet
from twisted.internet import threads

from generation.log_files import prune_rotated

PRUNE_S = 1.0  # a listing of one folder, in a thread: cheap, and a burst of log lines rotates little in a second


def prune() -> None:
    d = threads.deferToThread(prune_rotated, settings.LOG_DIR, settings.GENERATION_BOUNDS.log_keep)
    d.addErrback(lambda f: logger.log_warn(f"old logs not pruned: {f.getErrorMessage()}"))


def start_plugin_services(evennia_server) -> None:
    internet.TimerService(PRUNE_S, prune).setServiceParent(evennia_server)
