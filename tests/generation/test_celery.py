"""Real Celery workers: on the embedded filesystem broker and on the real
Redis (db 13, flushed after), and a worker SIGKILLed while publishing."""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis

from generation.bench import bench_env, start_worker
from generation.runtime import REPO_ROOT

REDIS_TEST_URL = "redis://127.0.0.1:6379/13"

CLIENT = """
import json, sys
from generation.jobs import JobRequest, JobJournal
from generation.runtime import RuntimePaths
from generation import tasks
action = sys.argv[1]
if action == "send":
    jobs = [JobRequest(job_id=f"job{i}", kind=["npc", "item", "quest", "world_event"][i % 4], seed=i) for i in range(int(sys.argv[2]))]
    results = [tasks.enqueue(j) for j in jobs]
    if sys.argv[3] == "wait":
        print(json.dumps([r.get(timeout=60) for r in results]))
elif action == "recover":
    print(json.dumps(tasks.recover.run(0.0)))
elif action == "approve_unsent":
    from generation.pipeline import Pipeline
    pipe = Pipeline()
    pipe.switch.emergency_stop(by="ada")
    outcome = pipe.run_job(JobRequest(job_id="held", kind="npc", seed=1))
    pipe.approvals.approve(outcome["proposal_id"], by="ada")  # while stopped, and no message is ever sent
    pipe.switch.resume(by="ada")
    print(json.dumps(outcome["proposal_id"]))
elif action == "status":
    from generation.broker import broker_status
    print(json.dumps(broker_status()))
"""


def client(env, *args, timeout=90):
    done = subprocess.run([sys.executable, "-c", CLIENT, *args], env=env, cwd=REPO_ROOT, capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1]) if done.stdout.strip() else None


@pytest.fixture
def env(tmp_path):
    return bench_env(tmp_path)


@pytest.fixture
def redis_env(env):
    try:
        db = redis.Redis.from_url(REDIS_TEST_URL, socket_connect_timeout=2)
        db.ping()
    except redis.RedisError as exc:
        pytest.fail(f"Redis at {REDIS_TEST_URL} is required for this test and is unreachable: {exc}")
    db.flushdb()
    yield env | {"REDIS_URL": REDIS_TEST_URL}
    db.flushdb()


def run_worker_jobs(env, tmp_path, n=6):
    worker = start_worker(env, tmp_path / "worker.log")
    try:
        outcomes = client(env, "send", str(n), "wait")
    finally:
        worker.kill()
        worker.wait()
    return outcomes


def test_worker_on_embedded_broker_publishes(env, tmp_path):
    outcomes = run_worker_jobs(env, tmp_path)
    assert all(o["status"] == "published" for o in outcomes), outcomes
    library = Path(env["MUD_RUNTIME_DIR"]) / "library"
    assert len(list(library.glob("patches/*/*.json"))) == 6


def test_worker_on_redis_publishes(redis_env, tmp_path):
    assert client(redis_env, "status")["ok"]
    outcomes = run_worker_jobs(redis_env, tmp_path)
    assert all(o["status"] == "published" for o in outcomes), outcomes


def test_broker_status_reports_redis_down_quickly(env):
    start = time.monotonic()
    status = client(env | {"REDIS_URL": "redis://127.0.0.1:1/0"}, "status")
    assert not status["ok"] and "Redis unreachable" in status["reason"]
    assert time.monotonic() - start < 15


def test_killed_worker_loses_nothing_and_publishes_once(env, tmp_path):
    client(env, "send", "16", "nowait")
    for delay in (1.5, 0.9):
        worker = start_worker(env, tmp_path / "worker.log")
        time.sleep(delay)
        worker.kill()  # SIGKILL, mid-job
        worker.wait()
    worker = start_worker(env, tmp_path / "worker.log")
    try:
        client(env, "recover")
        library = Path(env["MUD_RUNTIME_DIR"]) / "library"
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and len(list(library.glob("patches/*/*.json"))) < 16:
            time.sleep(0.3)
        time.sleep(1.0)
    finally:
        worker.kill()
        worker.wait()
    patches = sorted(library.glob("patches/*/*.json"))
    assert len(patches) == 16
    fsck = subprocess.run(["git", "-C", str(library), "fsck", "--strict"], capture_output=True, text=True)
    assert fsck.returncode == 0, fsck.stdout + fsck.stderr
    for patch in patches:
        pid = patch.stem
        log = subprocess.run(["git", "-C", str(library), "log", "--format=%H", "-F", f"--grep=Proposal: {pid}"], capture_output=True, text=True)
        assert len(log.stdout.split()) == 1, pid
    status = subprocess.run(["git", "-C", str(library), "status", "--porcelain"], capture_output=True, text=True)
    assert status.stdout.strip() == ""


def test_a_starting_worker_publishes_what_was_approved_while_nobody_sent_it(env, tmp_path):
    proposal_id = client(env, "approve_unsent")
    library = Path(env["MUD_RUNTIME_DIR"]) / "library"
    patch = library / "patches" / "npc" / f"{proposal_id}.json"
    assert not patch.exists()
    worker = start_worker(env, tmp_path / "worker.log")
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not patch.exists():
            time.sleep(0.2)
    finally:
        worker.kill()
        worker.wait()
    assert patch.exists(), (tmp_path / "worker.log").read_text()[-3000:]
    log = subprocess.run(["git", "-C", str(library), "log", "--format=%H", "-F", f"--grep=Proposal: {proposal_id}"], capture_output=True, text=True)
    assert len(log.stdout.split()) == 1


def test_a_forked_pool_process_opens_its_own_sqlite_connections(env, monkeypatch):
    from generation import tasks

    monkeypatch.setenv("MUD_RUNTIME_DIR", env["MUD_RUNTIME_DIR"])
    tasks.journal.cache_clear()
    parent = tasks.journal()
    pid = os.fork()
    if pid == 0:  # the child: a fresh journal, never the parent's connection
        os._exit(0 if tasks.journal() is not parent and tasks.journal().counts() == {} else 1)
    _, status = os.waitpid(pid, 0)
    tasks.journal.cache_clear()
    assert os.WEXITSTATUS(status) == 0
