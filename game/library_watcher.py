"""Watches the content library's files and commits (watchfiles, in a thread)
and hands each settled change to the content service on the reactor thread.

Changes are debounced: a burst of writes (an editor's save, a publisher's
write-rename-commit) becomes one look at the library once the files have been
quiet for `QUIET_MS`. The look itself (git and the whole-world validation,
generation.library_sync) runs in this thread; only applying runs on the
reactor, and the next look waits until it is done."""

import threading
import time
from pathlib import Path

import watchfiles
from evennia.utils import logger
from twisted.internet import reactor

from generation.library_sync import sync

QUIET_MS = 40  # the files must be quiet this long before a look
MAX_GROUP_MS = 400  # a continuous stream of changes is looked at this often
APPLY_TIMEOUT_S = 120


def relevant(_change, path: str) -> bool:
    """Library files, and the git log that moves with every commit (not git's other internals)."""
    parts = Path(path).parts
    if ".git" in parts:
        return path.endswith("/.git/logs/HEAD")
    return not Path(path).name.startswith(".")


class LibraryWatcher:
    def __init__(self, service):
        self.service = service
        self.stop_event = threading.Event()
        self.pending = False
        self.looks = 0
        self.thread = threading.Thread(target=self._run, name="library-watcher", daemon=True)

    def start(self) -> "LibraryWatcher":
        self.thread.start()
        return self

    def stop(self) -> None:
        self.stop_event.set()

    def _run(self) -> None:
        root = self.service.library.root
        while not self.stop_event.is_set():
            try:
                for _changes in watchfiles.watch(root, watch_filter=relevant, debounce=MAX_GROUP_MS, step=QUIET_MS,
                                                 stop_event=self.stop_event, raise_interrupt=False):
                    self.look()
            except Exception:  # never let the watcher die: log, wait a little, watch again
                logger.log_trace("content library watcher failed; watching again")
                time.sleep(1)

    def look(self) -> None:
        """Validate the library (this thread), then apply on the reactor and wait for it."""
        self.pending = True
        try:
            result = sync(self.service.library, self.service.applier.live.world if self.service.applier.live else None)
        except Exception:
            self.pending = False
            logger.log_trace("content library could not be read")
            return
        done = threading.Event()

        def apply():
            try:
                d = self.service.take(result)
            except Exception:
                logger.log_trace("content change could not be applied")
                d = None
            if d is None:
                done.set()
            else:
                d.addBoth(lambda _: done.set())

        reactor.callFromThread(apply)
        done.wait(APPLY_TIMEOUT_S)
        self.looks += 1
        self.pending = False
