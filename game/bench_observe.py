"""Benchmark of what watching the world costs the reactor:
`python -m game.bench_observe [--agents 50000,500000] [--rounds 200]` (run by `make bench`).

For each agent count it builds a real simulation, steps it, then times on
this thread (as the reactor runs them): the observatory's per-step snapshot
and history point (`Observatory.stepped`), the metrics' per-step update
(`metrics.stepped`) and one /metrics scrape (`generate_latest` of the game's
registry, with every series filled as in a running game). Prints one JSON
line per agent count: median and p99 ms of each, and each one's ratio to the
reference measured in the same run: `sim.kpis()`, the figures every step
listener already reads. The targets: a scrape well under 5 ms, the per-step
cost flat in the agent count."""

import argparse
import json
import statistics
import time

from prometheus_client.exposition import generate_latest

from world.config import load_config
from world.simulation import Simulation

from . import metrics
from .observatory import Observatory

CONFIG = "content/simulation/tera.json"


def timed(work, rounds: int) -> dict:
    samples = []
    for _ in range(rounds):
        started = time.perf_counter()
        work()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return {"median_ms": round(statistics.median(samples), 4), "p99_ms": round(samples[int(0.99 * (len(samples) - 1))], 4)}


def fill_worker_series() -> None:
    """Worker figures as a busy game has them."""
    metrics.apply({"stages": {"pending": 4, "published": 120, "rejected": 9}, "jobs": {"queued": 3, "running": 1},
                   "outcomes": [(s, a, "openai", f, 10) for s in ("published", "pending", "rejected", "held") for a in (True, False) for f in (True, False)],
                   "llm": [{"model": "m", "outcome": o, "calls": 50, "prompt_tokens": 9000, "completion_tokens": 4000}
                           for o in ("ok", "timeout", "http_error", "failed")],
                   "materialized": 40}, time.time())
    for _ in range(1000):
        metrics.COMMAND_SECONDS.observe(0.002)


def bench(agents: int, rounds: int) -> dict:
    sim = Simulation.create(load_config(CONFIG), agents=agents, seed=1)
    events = []
    for _ in range(5):
        events = sim.step()
    observatory = Observatory(players=lambda: 12)
    reference = timed(sim.kpis, rounds)
    fill_worker_series()
    results = {"agents": agents, "events_per_tick": len(events), "reference_kpis": reference,
               "observatory_step": timed(lambda: observatory.stepped(sim, events), rounds),
               "metrics_step": timed(lambda: metrics.stepped(sim, events), rounds),
               "scrape": timed(lambda: generate_latest(metrics.REGISTRY), rounds)}
    for name in ("observatory_step", "metrics_step", "scrape"):
        results[name]["ratio_vs_reference"] = round(results[name]["median_ms"] / max(reference["median_ms"], 1e-9), 2)
    results["scrape_bytes"] = len(generate_latest(metrics.REGISTRY))
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--agents", default="50000,500000")
    parser.add_argument("--rounds", type=int, default=200)
    args = parser.parse_args()
    for n in args.agents.split(","):
        print(json.dumps(bench(int(n), args.rounds)), flush=True)


if __name__ == "__main__":
    main()
