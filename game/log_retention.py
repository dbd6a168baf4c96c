"""Evennia server plugin (SERVER_SERVICES_PLUGIN_MODULES) that keeps the logs
folder bounded: Evennia rotates its server, portal and channel logs at
MUD_LOG_BYTES but never deletes a rotated copy, so the newest MUD_LOG_KEEP
copies of each are kept (generation.log_files): right after each rotation of
the server's own log (a burst of lines can rotate it several times a second),
and every PRUNE_S seconds, in a thread, for the portal's and the channels'
logs, which other code rotates. A folder holds at most MUD_LOG_KEEP + 1 files
of server.log, and of each other log that plus the copies rotated since the
last round."""

from django.conf import settings
from evennia.utils import logger
from twisted.application import internet
from twisted.internet import threads

from generation.log_files import prune_rotated

PRUNE_S = 5.0


def prune() -> None:
    d = threads.deferToThread(prune_rotated, settings.LOG_DIR, settings.GENERATION_BOUNDS.log_keep)
    d.addErrback(lambda f: logger.log_warn(f"old logs not pruned: {f.getErrorMessage()}"))


def prune_after_rotating(rotate):
    """`rotate` (a log file class's method), then the rotated copies pruned
    (a listing of one small folder)."""
    if getattr(rotate, "prunes", False):
        return rotate

    def rotate_and_prune(logfile):
        rotate(logfile)
        prune_rotated(logfile.directory, settings.GENERATION_BOUNDS.log_keep)

    rotate_and_prune.prunes = True
    return rotate_and_prune


def start_plugin_services(evennia_server) -> None:
    # Evennia's server.py made the server log's WeeklyLogFile before any plugin loads
    logger.WeeklyLogFile.rotate = prune_after_rotating(logger.WeeklyLogFile.rotate)
    internet.TimerService(PRUNE_S, prune).setServiceParent(evennia_server)
