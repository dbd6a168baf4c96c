"""Benchmark: `python -m world.bench [--presets tiny,large] [--ticks 30]` (run by `make bench`).

Prints JSON lines:
* one per preset: preset, agents, median_ms, p95_ms (all systems per tick),
  ai_pass_ms (median of agent pass A: AI + movement + requests),
  bytes_per_agent, compile_s (fresh process, empty numba cache: import +
  create + first tick), warm_start_s (fresh process, populated cache: same),
  ratio_vs_reference (plain-Python AI FSM loop on a 20k sample, per agent,
  divided by numba's full tick per agent) and ratio_ai_pass (same reference
  against pass A alone);
* one "reactor" line: Twisted timer lateness (p50, p99, max ms) of a 10 ms
  LoopingCall idle, then while 1M-agent ticks run back to back via
  deferToThread with all numba threads ("ticking"), then with the tick
  thread limited to numba.set_num_threads(cores - 1) ("ticking_spare_core";
  set_num_threads is per calling thread, so the bridge can do the same).
The huge preset runs a third of the ticks (at least 5).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

import numpy as np

from . import kernels
from .config import load_config
from .params import scalar_params
from .rng import AGENT_A, draw_py, q16, tick_key
from .simulation import Simulation
from .state import bytes_per_agent
from .systems import ai

REFERENCE_SAMPLE = 20_000
START_SNIPPET = (
    "import time; t=time.perf_counter(); "
    "from world.config import load_config; from world.simulation import Simulation; "
    "s=Simulation.create(load_config(), 2000, 1); s.step(); print(time.perf_counter()-t)"
)


def fresh_start_seconds(cache_dir: str) -> float:
    env = dict(os.environ, NUMBA_CACHE_DIR=cache_dir)
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    out = subprocess.run([sys.executable, "-c", START_SNIPPET], cwd=root, env=env, capture_output=True, text=True,
                         check=True)
    return float(out.stdout.strip().splitlines()[-1])


def start_times() -> tuple[float, float]:
    """(cold compile, warm start) seconds, each in a fresh interpreter sharing a new cache dir."""
    with tempfile.TemporaryDirectory(prefix="numba-cache-") as cache:
        return fresh_start_seconds(cache), fresh_start_seconds(cache)


def reference_ai_seconds_per_agent(sim: Simulation, sample: int = REFERENCE_SAMPLE) -> float:
    """Plain-Python loop over the same FSM step (draw + transition + timer) on a copy of a sample."""
    s = sim.state
    n = min(sample, sim.n_agents)
    P = [int(x) for x in scalar_params(sim.config)]
    state = s.state[:n].tolist()
    timer = s.timer[:n].tolist()
    role, health, stamina = s.role[:n].tolist(), s.health[:n].tolist(), s.stamina[:n].tolist()
    carry, wealth, region = s.carry_qty[:n].tolist(), s.wealth[:n].tolist(), s.region[:n].tolist()
    traits = s.traits[:n].tolist()
    cap = sim.rp["carry_cap"].tolist()
    key = tick_key(s.seed, AGENT_A, s.tick)
    step_fn = ai.next_state.py_func
    start = time.perf_counter()
    for i in range(n):
        st = state[i]
        if st == 7:
            continue
        h = draw_py(key, i)
        ro = role[i]
        t = traits[i]
        new = step_fn(st, timer[i], ro, health[i], stamina[i], carry[i], cap[ro], wealth[i], t[0], t[2], t[3],
                      q16(h, 0), q16(h, 3), P, 3000, 2000 if ro == 1 else 0, 3000)
        if new != st:
            state[i] = new
            timer[i] = 0
        elif timer[i] < 255:
            timer[i] += 1
    return (time.perf_counter() - start) / n


class PassTimer:
    """Wraps kernels.pass_a to time the AI pass inside real ticks."""

    def __init__(self):
        self.inner, self.times = kernels.pass_a, []

    def __call__(self, *args):
        start = time.perf_counter()
        self.inner(*args)
        self.times.append(time.perf_counter() - start)

    def __enter__(self):
        kernels.pass_a = self
        return self

    def __exit__(self, *exc):
        kernels.pass_a = self.inner


def bench_preset(cfg, name: str, ticks: int, compile_s: float, warm_s: float) -> tuple[dict, Simulation]:
    agents = cfg.presets[name]
    sim = Simulation.create(cfg, agents, seed=1)
    sim.run(2)
    times = []
    with PassTimer() as pass_timer:
        for _ in range(ticks):
            start = time.perf_counter()
            sim.step()
            times.append((time.perf_counter() - start) * 1000.0)
    median = float(np.median(times))
    ai_ms = float(np.median(pass_timer.times)) * 1000.0
    ref = reference_ai_seconds_per_agent(sim) * 1000.0
    row = {
        "preset": name,
        "agents": agents,
        "ticks": ticks,
        "median_ms": round(median, 2),
        "p95_ms": round(float(np.percentile(times, 95)), 2),
        "ai_pass_ms": round(ai_ms, 2),
        "bytes_per_agent": bytes_per_agent(),
        "compile_s": None if compile_s is None else round(compile_s, 2),
        "warm_start_s": None if warm_s is None else round(warm_s, 2),
        "ratio_vs_reference": round(ref / (median / agents), 1),
        "ratio_ai_pass": round(ref / (ai_ms / agents), 1),
    }
    return row, sim


def lateness_stats(samples: list[float]) -> dict:
    a = np.array(samples) * 1000.0
    return {"p50_ms": round(float(np.percentile(a, 50)), 3), "p99_ms": round(float(np.percentile(a, 99)), 3),
            "max_ms": round(float(a.max()), 3), "samples": int(a.size)}


def reactor_lateness(sim: Simulation, seconds: float, interval: float = 0.01) -> dict:
    """Timer lateness idle, then while ticks run in a thread; Twisted is imported only here."""
    import numba
    from twisted.internet import reactor, task, threads

    all_threads = numba.get_num_threads()
    phases = ["ticking", "ticking_spare_core"] if all_threads > 1 else ["ticking"]
    result: dict = {"agents": sim.n_agents, "interval_ms": interval * 1000.0, "numba_threads": all_threads}
    phase = {"name": "idle", "samples": {"idle": [], **{p: [] for p in phases}}, "expected": None,
             "ticks": {p: 0 for p in phases}, "running": False}

    def threaded_step():
        numba.set_num_threads(all_threads if phase["name"] == "ticking" else all_threads - 1)
        return sim.step()

    def probe():
        now = time.perf_counter()
        if phase["expected"] is not None and phase["name"] in phase["samples"]:
            phase["samples"][phase["name"]].append(max(0.0, now - phase["expected"]))
        phase["expected"] = now + interval

    def tick_again(_=None):
        if phase["name"] not in phase["ticks"]:
            phase["running"] = False
            return
        phase["ticks"][phase["name"]] += 1
        threads.deferToThread(threaded_step).addCallback(tick_again)

    def next_phase(remaining):
        if not remaining:
            phase["name"] = "done"
            wait_for_tick_then_stop()
            return
        phase["name"], phase["expected"] = remaining[0], None
        if not phase["running"]:
            phase["running"] = True
            threads.deferToThread(threaded_step).addCallback(tick_again)
        reactor.callLater(seconds, next_phase, remaining[1:])

    def wait_for_tick_then_stop():
        if phase["running"]:
            reactor.callLater(0.05, wait_for_tick_then_stop)
        else:
            reactor.stop()

    loop = task.LoopingCall(probe)
    loop.start(interval)
    reactor.callLater(seconds, next_phase, phases)
    reactor.run()
    numba.set_num_threads(all_threads)
    result["idle"] = lateness_stats(phase["samples"]["idle"])
    for name in phases:
        result[name] = lateness_stats(phase["samples"][name])
        result[name]["ticks_run"] = phase["ticks"][name]
        result[name]["p99_over_idle_ms"] = round(result[name]["p99_ms"] - result["idle"]["p99_ms"], 3)
    return result


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m world.bench")
    ap.add_argument("--presets", default="tiny,small,medium,large,huge")
    ap.add_argument("--ticks", type=int, default=30)
    ap.add_argument("--reactor-seconds", type=float, default=5.0)
    ap.add_argument("--no-reactor", action="store_true")
    ap.add_argument("--no-compile", action="store_true", help="skip the cold/warm start subprocesses")
    args = ap.parse_args(argv)
    cfg = load_config()
    names = [n for n in args.presets.split(",") if n]
    unknown = [n for n in names if n not in cfg.presets]
    if unknown:
        raise SystemExit(f"unknown presets {unknown}; known: {', '.join(cfg.presets)}")
    compile_s, warm_s = (None, None) if args.no_compile else start_times()
    large = None
    for name in names:
        ticks = max(5, args.ticks // 3) if name == "huge" else args.ticks
        row, sim = bench_preset(cfg, name, ticks, compile_s, warm_s)
        print(json.dumps(row), flush=True)
        if sim.n_agents == 1_000_000:
            large = sim
        del sim
    if not args.no_reactor:
        if large is None:
            large = Simulation.create(cfg, 1_000_000, seed=1)
        print(json.dumps({"reactor": reactor_lateness(large, args.reactor_seconds)}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
