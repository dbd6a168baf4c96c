"""The pipeline never wedges: a failed publish frees its expansion slot,
admin decisions are atomic and carried out after stops, restarts and lost
messages, and a job that fails the same way every time ends as failed."""

import json
import threading
import time

import pytest

from generation import tasks
from generation.approval import AlreadyDecided, ApprovalQueue
from generation.enrich import PROCEDURAL
from generation.jobs import JobJournal, JobRequest
from generation.models.proposal import Kind
from generation.pipeline import Pipeline, make
from generation.publish import LibraryError


def _rails(runtime, **changes):
    rails = json.loads(runtime.guardrails.read_text()) | changes
    runtime.guardrails.write_text(json.dumps(rails))


def test_a_failed_publish_frees_the_expansion_slot(runtime):
    _rails(runtime, expansions_in_flight=1)
    pipe = Pipeline(runtime)
    pipe.library.ensure()
    branch_lock = runtime.library / ".git" / (pipe.library.git("symbolic-ref", "HEAD") + ".lock")
    branch_lock.write_text("")  # another git holds the branch: the commit cannot land
    with pytest.raises(LibraryError):
        pipe.run_job(JobRequest(kind=Kind.room_block, seed=1))
    with pipe.gate_state.open() as state:
        assert state.expansions == []
    branch_lock.unlink()
    outcome = pipe.run_job(JobRequest(kind=Kind.room_block, seed=2))
    assert outcome["status"] == "published", outcome["verdict"]


def test_held_proposals_and_approvals_made_while_stopped_publish_after_resume(runtime):
    pipe = Pipeline(runtime)
    pipe.switch.emergency_stop(by="ada")
    held = [pipe.run_job(JobRequest(kind=Kind.npc, seed=s)) for s in (1, 2)]
    assert [o["status"] for o in held] == ["held", "held"]
    approved_id = held[0]["proposal_id"]
    pipe.approvals.approve(approved_id, by="ada")
    assert pipe.publish_approved(approved_id)["status"] == "held"
    assert pipe.carry_out_decisions() == []  # still stopped: nothing published, nothing lost
    pipe.switch.resume(by="ada")
    done = pipe.carry_out_decisions()
    assert sorted(d["proposal_id"] for d in done) == sorted(o["proposal_id"] for o in held)
    for outcome in held:
        assert pipe.library.commit_of(outcome["proposal_id"])
        assert pipe.approvals.state(outcome["proposal_id"]) == "published"
    assert pipe.carry_out_decisions() == []


def test_a_lost_publish_message_is_recovered_from_the_queue(runtime):
    _rails(runtime, require_approval=True)
    pipe = Pipeline(runtime)
    outcome = pipe.run_job(JobRequest(kind=Kind.item, seed=5))
    pipe.approvals.approve(outcome["proposal_id"], by="ada")  # the publish_approved message never arrives
    restarted = Pipeline(runtime)
    assert [d["status"] for d in restarted.carry_out_decisions()] == ["published"]
    assert restarted.library.commit_of(outcome["proposal_id"])


def test_two_admins_deciding_at_once_one_wins_the_other_is_told(runtime):
    _rails(runtime, require_approval=True)
    pipe = Pipeline(runtime)
    ids = [pipe.run_job(JobRequest(kind=Kind.npc, seed=s))["proposal_id"] for s in range(12)]
    results: dict[str, list] = {pid: [] for pid in ids}

    def decide(pid, verb, barrier):
        queue = Pipeline(runtime).approvals
        barrier.wait()
        try:
            results[pid].append(getattr(queue, verb)(pid, by=verb).status[-1].status.value)
        except AlreadyDecided as exc:
            results[pid].append(f"refused: {exc}")

    for pid in ids:
        barrier = threading.Barrier(2)
        threads = [threading.Thread(target=decide, args=(pid, verb, barrier)) for verb in ("approve", "reject")]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    for pid, outcome in results.items():
        wins = [r for r in outcome if not r.startswith("refused")]
        assert len(wins) == 1, (pid, outcome)
        assert "already" in next(r for r in outcome if r.startswith("refused"))
        assert pipe.approvals.state(pid) == {"approved": "approved", "rejected": "rejected"}[wins[0]]


def test_a_job_failing_every_time_ends_failed_with_its_reason(runtime, monkeypatch):
    monkeypatch.setenv("MUD_JOB_MAX_ATTEMPTS", "3")
    tasks.pipeline.cache_clear()
    tasks.journal.cache_clear()
    job = JobRequest(kind=Kind.npc, seed=1, region="atlantis")  # no such region: drafting fails every time
    tasks.journal().record(job)
    for _ in range(3):
        with pytest.raises(Exception):
            tasks.run_job.run(job.model_dump(mode="json"))
        assert tasks.journal().state(job.job_id) in ("queued", "failed")
    assert tasks.journal().state(job.job_id) == "failed"
    assert "atlantis" in tasks.journal().outcome(job.job_id)["error"]
    assert tasks.journal().unfinished(0.0) == []
    assert tasks.run_job.run(job.model_dump(mode="json"))["status"] == "failed"  # a late redelivery does nothing
    tasks.pipeline.cache_clear()
    tasks.journal.cache_clear()


def test_old_finished_jobs_are_pruned(tmp_path):
    journal = JobJournal(tmp_path / "jobs.sqlite", keep_s=3600, keep_count=2)
    jobs = [JobRequest(kind=Kind.npc, seed=s) for s in range(5)]
    journal.record(*jobs)
    for job in jobs[:4]:
        journal.finished(job.job_id, {"status": "published"})
    assert journal.prune() == 2
    assert journal.counts() == {"done": 2, "queued": 1}
    assert journal.outcome(jobs[3].job_id) is not None and journal.outcome(jobs[0].job_id) is None
    assert journal.prune(now=time.time() + 7200) == 2
    assert journal.counts() == {"queued": 1}


def test_maintenance_prunes_old_results_jobs_and_decided_proposals_and_asks_for_decisions(runtime, index, monkeypatch):
    import sqlite3

    from generation.celery_app import make_app
    from generation.maintenance import run_once

    monkeypatch.setenv("MUD_RESULTS_KEEP_S", "60")
    app = make_app()
    app.backend.store_result("old-task", {"n": 1}, "SUCCESS")
    app.backend.store_result("new-task", {"n": 2}, "SUCCESS")
    with sqlite3.connect(runtime.results_db) as db:
        db.execute("UPDATE celery_taskmeta SET date_done = '2000-01-01 00:00:00' WHERE task_id = 'old-task'")
    journal = JobJournal(runtime.jobs_db, keep_s=3600, keep_count=1)
    jobs = [JobRequest(kind=Kind.npc, seed=s) for s in range(3)]
    journal.record(*jobs)
    for job in jobs:
        journal.finished(job.job_id, {"status": "published"})
    approvals = ApprovalQueue(runtime.approval_db)
    proposals = [make(Kind.item, s, None, index, PROCEDURAL) for s in range(3)]
    for p in proposals:
        approvals.submit(p)
    approvals.reject(proposals[0].id, by="ada")
    approvals.reject(proposals[1].id, by="ada")
    queued = set(runtime.broker_dir.glob("queue/*"))
    assert run_once(app, journal, approvals) == {"jobs_pruned": 2, "decided_proposals_pruned": 1}
    assert [p.id for p in approvals.pending()] == [proposals[2].id] and approvals.state(proposals[1].id) == "rejected"
    with sqlite3.connect(runtime.results_db) as db:
        assert [r[0] for r in db.execute("SELECT task_id FROM celery_taskmeta")] == ["new-task"]
    [message] = set(runtime.broker_dir.glob("queue/*")) - queued
    assert "generation.carry_out_decisions" in message.read_text()


def test_a_full_disk_fails_new_work_clearly_and_loses_nothing_committed(runtime, tmpfs, monkeypatch):
    from dataclasses import replace

    from generation.health import disk_line
    from generation.runtime import Bounds, RuntimePaths

    disk, fill, free = tmpfs("24m")
    monkeypatch.setenv("MUD_RUNTIME_DIR", str(disk / "runtime"))
    paths = RuntimePaths.from_env()
    _rails(paths, expansions_in_flight=1)
    pipe = Pipeline(paths)
    kept = [pipe.run_job(JobRequest(kind=Kind.npc, seed=s)) for s in (1, 2)]
    assert [o["status"] for o in kept] == ["published", "published"]
    fill()
    assert disk_line(paths, Bounds(disk_warn_bytes=2**20))[0]  # `director status` warns
    with pytest.raises(Exception) as failed:
        pipe.run_job(JobRequest(kind=Kind.room_block, seed=3))
    assert "full" in str(failed.value).lower() or "space" in str(failed.value).lower()
    assert pipe.log.write({"type": "outcome", "job_id": "x", "pad": "x" * 65536}) is False
    assert "No space left" in pipe.log.last_error
    assert sorted(pipe.library.published_ids()) == sorted(o["proposal_id"] for o in kept)
    assert subprocess_ok(["git", "-C", str(paths.library), "fsck", "--strict"])
    free()
    assert not disk_line(paths, replace(Bounds(), disk_warn_bytes=2**20))[0]
    retry = Pipeline(paths).run_job(JobRequest(kind=Kind.room_block, seed=3))
    assert retry["status"] == "published", retry["verdict"]  # not wedged: the slot was not kept
    assert len(Pipeline(paths).library.published_ids()) == 3


def subprocess_ok(cmd) -> bool:
    import subprocess

    return subprocess.run(cmd, capture_output=True).returncode == 0


def test_a_decision_that_cannot_be_carried_out_now_waits_for_the_next_round(runtime):
    _rails(runtime, require_approval=True)
    pipe = Pipeline(runtime)
    ids = [pipe.run_job(JobRequest(kind=Kind.npc, seed=s))["proposal_id"] for s in (1, 2)]
    for pid in ids:
        pipe.approvals.approve(pid, by="ada")
    pipe.library.ensure()
    branch_lock = runtime.library / ".git" / (pipe.library.git("symbolic-ref", "HEAD") + ".lock")
    branch_lock.write_text("")
    results = pipe.carry_out_decisions()
    assert [r["status"] for r in results] == ["failed", "failed"] and "update-ref" in results[0]["error"]
    assert [pipe.approvals.state(pid) for pid in ids] == ["approved", "approved"]
    branch_lock.unlink()
    assert [r["status"] for r in pipe.carry_out_decisions()] == ["published", "published"]
