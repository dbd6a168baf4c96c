"""Celery tasks: thin wrappers over `Pipeline`, plus the enqueue side used by
the game bridge and the director (journal first, then send, so a job is
never lost between the two).

A job's attempts are counted in the journal: one that fails
`MUD_JOB_MAX_ATTEMPTS` times ends `failed` with its error and is not resent.
A starting worker resends the jobs a dead worker left, carries out the
admins' decisions (a lost `publish_approved` message loses nothing: the
approval queue is the journal) and starts its maintenance round
(`generation.maintenance`)."""

import os
from functools import lru_cache

from celery.signals import worker_ready, worker_shutdown

from .celery_app import app
from .jobs import JobJournal, JobRequest
from .pipeline import Pipeline
from .runtime import Bounds, RuntimePaths

RECOVER_AFTER_S = 60.0


@lru_cache(maxsize=1)
def pipeline() -> Pipeline:
    return Pipeline()


@lru_cache(maxsize=1)
def journal() -> JobJournal:
    bounds = Bounds.from_env()
    return JobJournal(RuntimePaths.from_env().jobs_db, keep_s=bounds.jobs_keep_s, keep_count=bounds.jobs_keep_count)


def _forget_connections() -> None:
    """A forked pool process opens its own SQLite connections (one must never
    cross a fork; the main process opens some for its maintenance round)."""
    pipeline.cache_clear()
    journal.cache_clear()


os.register_at_fork(after_in_child=_forget_connections)


@app.task(name="generation.run_job", acks_late=True, reject_on_worker_lost=True)
def run_job(job: dict) -> dict:
    request = JobRequest.model_validate(job)
    done = journal().outcome(request.job_id)
    if done is not None:
        return done
    journal().started(request)
    try:
        outcome = pipeline().run_job(request)
    except Exception as exc:
        journal().attempt_failed(request.job_id, f"{type(exc).__name__}: {exc}", Bounds.from_env().job_max_attempts)
        raise
    journal().finished(request.job_id, outcome)
    return outcome


@app.task(name="generation.publish_approved", acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def publish_approved(proposal_id: str) -> dict:
    return pipeline().publish_approved(proposal_id)


@app.task(name="generation.carry_out_decisions", acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def carry_out_decisions() -> list[dict]:
    """Publish what admins approved and what a stop held (see Pipeline)."""
    return pipeline().carry_out_decisions()


@app.task(name="generation.recover", acks_late=True)
def recover(older_than_s: float = RECOVER_AFTER_S) -> list[str]:
    """Resend journaled jobs that never finished (their worker died)."""
    return [send(job).id for job in journal().unfinished(older_than_s)]


def send(job: JobRequest):
    return run_job.apply_async(args=[job.model_dump(mode="json")], task_id=job.job_id)


def enqueue(job: JobRequest):
    """Journal the job, then queue it; returns the AsyncResult (id = job_id)."""
    journal().record(job)
    return send(job)


def enqueue_many(jobs: list[JobRequest], per_message: int = 25):
    """Journal the jobs, then queue them `per_message` to a Celery message
    (`chunks`: one broker round trip runs many cheap jobs). Returns the
    chunks' GroupResult; each job's outcome is also in the journal."""
    journal().record(*jobs)
    return run_job.chunks([(job.model_dump(mode="json"),) for job in jobs], per_message).group().apply_async()


def resend_unfinished(queued_after_s: float = RECOVER_AFTER_S) -> int:
    """Resend jobs a dead worker had started, and queued ones nobody picked
    up for `queued_after_s`; then have a worker carry out pending decisions."""
    jobs = journal().unfinished(0.0, ("running",)) + journal().unfinished(queued_after_s, ("queued",))
    for job in jobs:
        send(job)
    carry_out_decisions.delay()
    return len(jobs)


@worker_ready.connect
def _recover_on_start(sender=None, **_):
    """A worker starting is the moment after a crash."""
    from .maintenance import Maintenance

    resend_unfinished()
    Maintenance.start(sender.app if sender is not None else app, journal(), pipeline().approvals)


@worker_shutdown.connect
def _stop_maintenance(**_):
    from .maintenance import Maintenance

    Maintenance.stop()
