"""CLI of the simulation.

`python -m world warm` compiles the numba kernels into their on-disk cache (or
finds them there) with a small simulation, so the game server never compiles
at start; it prints one JSON line with the seconds it took.

`python -m world run --preset NAME|--agents N --seed S --ticks T [--threads K]`
prints exactly one JSON line: tick, agents, seed, threads, digest (sha256 of
the state), ms_per_tick (mean), median_ms, alive, money_supply,
money_reference (what the exchange steers towards), price_index per
region (mean price / base price x 100) and inflation per region (prices
against what the region's scarcity sets: the money factor times macro
price effects).  --threads
sets NUMBA_NUM_THREADS before numba is imported and numba.set_num_threads(K).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time


def parse(argv):
    ap = argparse.ArgumentParser(prog="python -m world")
    sub = ap.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="run the simulation headless and print one JSON line")
    size = run.add_mutually_exclusive_group(required=True)
    size.add_argument("--preset", help="preset name from content/simulation/tera.json")
    size.add_argument("--agents", type=int, help="number of agent slots")
    run.add_argument("--seed", type=int, default=0)
    run.add_argument("--ticks", type=int, default=10)
    run.add_argument("--threads", type=int, default=None, help="numba threads")
    run.add_argument("--config", default=None, help="path to a simulation config JSON")
    run.add_argument("--save", default=None, help="write a snapshot here at the end")
    warm = sub.add_parser("warm", help="compile (or load from cache) the numba kernels")
    warm.add_argument("--config", default=None, help="path to a simulation config JSON")
    return ap.parse_args(argv)


WARM_AGENTS = 2_000


def warm(config_path: str | None) -> int:
    """Step a small simulation once: every kernel is compiled or loaded from the cache."""
    started = time.perf_counter()
    from .config import load_config
    from .simulation import Simulation

    Simulation.create(load_config(config_path), WARM_AGENTS, seed=0).step()
    print(json.dumps({"warm_s": round(time.perf_counter() - started, 2)}))
    return 0


def configure_threads(threads: int | None) -> None:
    """Must run before numba is imported."""
    if threads is None:
        return
    if threads < 1:
        raise SystemExit("--threads must be >= 1")
    env = os.environ.get("NUMBA_NUM_THREADS")
    if env is None or int(env) < threads:
        if "numba" in sys.modules and env is not None:
            raise SystemExit(f"NUMBA_NUM_THREADS={env} is below --threads {threads}")
        os.environ["NUMBA_NUM_THREADS"] = str(threads)


def main(argv=None) -> int:
    args = parse(sys.argv[1:] if argv is None else argv)
    if args.command == "warm":
        return warm(args.config)
    configure_threads(args.threads)
    import numba

    from .config import load_config
    from .simulation import Simulation

    if args.threads is not None:
        numba.set_num_threads(args.threads)
    cfg = load_config(args.config)
    if args.preset is not None:
        if args.preset not in cfg.presets:
            raise SystemExit(f"unknown preset {args.preset!r}; known: {', '.join(cfg.presets)}")
        agents = cfg.presets[args.preset]
    else:
        agents = args.agents
    sim = Simulation.create(cfg, agents, args.seed)
    times = []
    for _ in range(args.ticks):
        start = time.perf_counter()
        sim.step()
        times.append((time.perf_counter() - start) * 1000.0)
    if args.save:
        sim.save(args.save)
    kpis = sim.kpis()
    ordered = sorted(times)
    print(json.dumps({
        "tick": sim.tick,
        "agents": sim.n_agents,
        "seed": sim.seed,
        "threads": numba.get_num_threads(),
        "digest": sim.digest(),
        "ms_per_tick": round(sum(times) / len(times), 3) if times else 0.0,
        "median_ms": round(ordered[len(ordered) // 2], 3) if times else 0.0,
        "alive": kpis["agents_alive"],
        "money_supply": kpis["money_supply"],
        "money_reference": kpis["money_reference"],
        "price_index": kpis["price_index"],
        "inflation": kpis["inflation"],
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
