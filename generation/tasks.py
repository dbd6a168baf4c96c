"""Celery tasks: thin wrappers over `Pipeline`, plus the enqueue side used by
the game bridge and the director (journal first, then send, so a job is
never lost between the two)."""

from functools import lru_cache

from celery.signals import worker_ready

from .celery_app import app
from .jobs import JobJournal, JobRequest
from .pipeline import Pipeline
from .runtime import RuntimePaths

RECOVER_AFTER_S = 60.0


@lru_cache(maxsize=1)
def pipeline() -> Pipeline:
    return Pipeline()


@lru_cache(maxsize=1)
def journal() -> JobJournal:
    return JobJournal(RuntimePaths.from_env().jobs_db)


@app.task(name="generation.run_job", acks_late=True, reject_on_worker_lost=True)
def run_job(job: dict) -> dict:
    request = JobRequest.model_validate(job)
    done = journal().outcome(request.job_id)
    if done is not None:
        return done
    journal().started(request.job_id)
    outcome = pipeline().run_job(request)
    journal().finished(request.job_id, outcome)
    return outcome


@app.task(name="generation.publish_approved", acks_late=True, reject_on_worker_lost=True)
def publish_approved(proposal_id: str) -> dict:
    return pipeline().publish_approved(proposal_id)


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


@worker_ready.connect
def _recover_on_start(**_):
    """A worker starting is the moment after a crash: resend jobs a dead worker
    had started, and queued ones nobody picked up for RECOVER_AFTER_S."""
    for job in journal().unfinished(0.0, ("running",)) + journal().unfinished(RECOVER_AFTER_S, ("queued",)):
        send(job)
