"""The worker's maintenance round, in a thread of the worker's main process
(Celery beat is not run): every `MUD_MAINTENANCE_S` seconds it prunes the
job journal and the decided proposals of the approval queue
(`MUD_JOBS_KEEP_DAYS`, `MUD_JOBS_KEEP_COUNT`), deletes Celery
results older than `MUD_RESULTS_KEEP_S` (the SQLite result store is never
cleaned otherwise; Redis expires them itself) and has a worker carry out
pending admin decisions. A failing round is logged and the next one runs."""

import logging
import threading

from celery import Celery

from .approval import ApprovalQueue
from .jobs import JobJournal
from .runtime import Bounds

log = logging.getLogger(__name__)


def run_once(app: Celery, journal: JobJournal, approvals: ApprovalQueue) -> dict:
    """One round; returns what it did."""
    pruned = journal.prune()
    decided = approvals.prune(journal.keep_s, journal.keep_count)
    app.backend.cleanup()
    app.send_task("generation.carry_out_decisions")
    return {"jobs_pruned": pruned, "decided_proposals_pruned": decided}


class Maintenance:
    _thread: threading.Thread | None = None
    _stopping = threading.Event()

    @classmethod
    def start(cls, app: Celery, journal: JobJournal, approvals: ApprovalQueue) -> None:
        if cls._thread is not None and cls._thread.is_alive():
            return
        cls._stopping.clear()
        every = Bounds.from_env().maintenance_s
        cls._thread = threading.Thread(target=cls._loop, args=(app, journal, approvals, every), name="generation-maintenance", daemon=True)
        cls._thread.start()

    @classmethod
    def stop(cls) -> None:
        cls._stopping.set()

    @classmethod
    def _loop(cls, app: Celery, journal: JobJournal, approvals: ApprovalQueue, every: float) -> None:
        while not cls._stopping.is_set():
            try:
                log.info("maintenance: %s", run_once(app, journal, approvals))
            except Exception:
                log.exception("maintenance round failed; the next one runs in %s s", every)
            cls._stopping.wait(every)
