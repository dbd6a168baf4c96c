"""`python -m generation bench`: pipeline throughput through a real Celery
worker (solo pool, embedded filesystem broker, offline enricher; jobs sent
with `enqueue_many`, 25 to a message, and run to a verdict, unpublished;
p50/p95 are per proposal inside the worker), the seeded-generations
budget check, and the decision log's growth while a player paces an edge
room (bytes per move, against the one full line per move a log of every
rule match would take, measured in the same run).

The worker runs in a throwaway runtime folder with throttles lifted (the
bench measures the pipeline, not the production rate limits)."""

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from .enrich import PROCEDURAL
from .guardrails import GuardrailsFile
from .models.common import Rarity
from .models.proposal import Kind
from .pipeline import make
from .runtime import REPO_ROOT, RuntimePaths
from .validate import GateState, validate
from .validate.balance import check_balance
from .world_index import WorldIndex

KINDS = list(Kind)
UNTHROTTLED = {"jobs_per_minute": 10**9, "expansions_in_flight": 10**9}


def bench_env(root: Path) -> dict:
    """Environment for a worker and client on a fresh runtime under `root`."""
    guardrails = json.loads(RuntimePaths.from_env().guardrails.read_text()) | UNTHROTTLED
    (root / "guardrails.json").write_text(json.dumps(guardrails))
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "MUD_LLM_BASE_URL")}
    return env | {"MUD_RUNTIME_DIR": str(root / "runtime"), "MUD_GUARDRAILS": str(root / "guardrails.json"),
                  "PYTHONPATH": str(REPO_ROOT)}


def start_worker(env: dict, log: Path) -> subprocess.Popen:
    cmd = [sys.executable, "-m", "celery", "-A", "generation.celery_app", "worker", "--pool=solo", "--loglevel=WARNING",
           "--without-gossip", "--without-mingle", "--without-heartbeat", "-Q", "generation"]
    return subprocess.Popen(cmd, env=env, cwd=REPO_ROOT, stdout=open(log, "wb"), stderr=subprocess.STDOUT)


def worker_throughput(jobs: int) -> dict:
    with tempfile.TemporaryDirectory(prefix="gen-bench-") as tmp:
        env = bench_env(Path(tmp))
        worker = start_worker(env, Path(tmp) / "worker.log")
        try:
            code = f"import json; from generation.bench import drive; print(json.dumps(drive({jobs})))"
            done = subprocess.run([sys.executable, "-c", code], env=env, cwd=REPO_ROOT, capture_output=True, text=True, timeout=600)
            if done.returncode != 0:
                raise RuntimeError(f"bench client failed: {done.stderr[-2000:]}\nworker log: {(Path(tmp) / 'worker.log').read_text()[-2000:]}")
            return json.loads(done.stdout.strip().splitlines()[-1])
        finally:
            worker.kill()
            worker.wait()


def drive(jobs: int) -> dict:
    """Client side (runs with the bench environment): warm up, send, wait."""
    from .jobs import JobRequest
    from .tasks import enqueue_many

    def batch(n: int, offset: int) -> list[dict]:
        sent = enqueue_many([JobRequest(kind=KINDS[i % len(KINDS)], seed=offset + i, publish=False) for i in range(n)])
        return [o for chunk in sent.get(timeout=600, interval=0.05) for o in chunk]

    batch(50, 10**9)  # warm up the worker
    start = time.perf_counter()
    outcomes = batch(jobs, 0)
    wall = time.perf_counter() - start
    ms = sorted(o["elapsed_ms"] for o in outcomes)
    return {
        "jobs": jobs,
        "proposals_per_s": round(jobs / wall, 1),
        "p50_ms": round(statistics.median(ms), 3),
        "p95_ms": round(ms[int(0.95 * (len(ms) - 1))], 3),
        "accepted": sum(o["verdict"]["accepted"] for o in outcomes),
    }


def budget_check(generations: int) -> dict:
    """`generations` seeded proposals through draft, enrich and the gate
    (simulated clock, each accepted block released as if published), then an
    independent audit of what was accepted."""
    paths = RuntimePaths.from_env()
    guardrails = GuardrailsFile.of(paths).current()
    index = WorldIndex.load(paths.world)
    state, accepted, rejected = GateState(), [], Counter()
    step = 60.0 / guardrails.jobs_per_minute + 1e-3
    for n in range(generations):
        proposal = make(KINDS[n % len(KINDS)], n, None, index, PROCEDURAL)
        verdict = validate(proposal, index, state, guardrails, now=n * step)
        state.release(proposal.id)
        if verdict.accepted:
            accepted.append((state.generations, proposal))
        rejected.update(r.rule for r in verdict.reasons)
    violations = sum(bool(check_balance(p, guardrails)) for _, p in accepted)
    legendary = [g for g, p in accepted if p.tags.rarity == Rarity.legendary]
    window = guardrails.legendary_window
    violations += sum(1 for i, g in enumerate(legendary) if sum(1 for h in legendary[: i + 1] if h > g - window) > guardrails.legendary_max)
    return {
        "generations": generations,
        "accepted": len(accepted),
        "rejections_by_rule": dict(rejected),
        "budget_violations": violations,
        "legendary": len(legendary),
        "legendary_rate": len(legendary) / generations,
        "legendary_budget": guardrails.legendary_max / window,
    }


def decision_log_growth(moves: int = 20_000) -> dict:
    """A player pacing an edge room, one move a tick, through the director."""
    from .director import DecisionLog, Director, Switch

    paths = RuntimePaths.from_env()
    with tempfile.TemporaryDirectory() as tmp:
        log = DecisionLog(Path(tmp) / "decisions.jsonl")
        switch = Switch(Path(tmp) / "switch.json")
        director = Director(switch, GuardrailsFile.of(paths), log)
        event = {"type": "player_moved", "region": "village", "room": "village.sun_chapel", "tags": ["edge"]}
        every_match = 0
        state = switch.read()
        for tick in range(moves):
            fired = director.handle({**event, "tick": tick})
            if not fired:  # what a log of every rule match would have added for this move
                every_match += len(json.dumps({"at": "2026-01-01T00:00:00Z", "type": "decision", "trigger": {**event, "tick": tick},
                                               "rule": "dead_end", "why": "player at edge room village.sun_chapel", "job": None,
                                               "skipped": "cooling down (1/60 ticks)", "mode": state.mode.value,
                                               "sliders": state.sliders.model_dump()}, sort_keys=True)) + 1
        log.flush_skips()
        size = log.path.stat().st_size
    return {"moves": moves, "bytes_per_move": round(size / moves, 2), "every_match_bytes_per_move": round(every_match / moves, 2),
            "ratio": round(every_match / max(1, size), 1)}


def bench(jobs: int, generations: int) -> dict:
    worker = worker_throughput(jobs)
    budget = budget_check(generations)
    return {**worker, "budget_violations": budget["budget_violations"], "legendary_rate": budget["legendary_rate"],
            "legendary_budget": budget["legendary_budget"], "generations": budget, "decision_log": decision_log_growth()}
