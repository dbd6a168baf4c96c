"""Benchmark of the server's memory over a long run (`python -m tests.bench.memory
[--minutes N] [--trace S]`): the long-run test's server (tests/e2e/test_long_run.py:
a fast clock, a real worker, the director paused once its jobs phase is over)
with its two players, one pacing in and out of an edge room and one touring
every room, for N minutes instead of the test's few thousand ticks.

The test judges memory after a warm-up of 1,500 ticks; this shows how long the
warm-up really is.  Every 10 s it prints the tick, the server's RSS and the
Python allocator's live blocks, and at the end one JSON line: each of
STRETCHES equal stretches of the run, its growth a tick, against the first
stretch's (the warm-up, measured in the same run).  With --trace S the server
also traces its allocations from S seconds on (game.memory_trace; tracing
slows it a lot), and its last report is printed at the end."""

import argparse
import json
import os
import sys
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "server.conf.settings")
django.setup()

from game.private_server import GameServer  # noqa: E402 (Django first)
from tests.e2e import test_long_run as long_run  # noqa: E402

STRETCHES = 5
SAMPLE_S = 10


def growth(samples: list[tuple[int, int, int]]) -> list[dict]:
    """(tick, RSS, blocks) samples -> per stretch: its ticks, RSS bytes and blocks gained a tick."""
    ends = long_run.stretch_ends(samples, STRETCHES)
    return [{"ticks": [a[0], b[0]], "rss_bytes_per_tick": round((b[1] - a[1]) / max(1, b[0] - a[0]), 2),
             "blocks_per_tick": round((b[2] - a[2]) / max(1, b[0] - a[0]), 3)} for a, b in zip(ends, ends[1:])]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.bench.memory", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--minutes", type=float, default=20)
    parser.add_argument("--trace", type=float, default=0, help="trace allocations from this many seconds on")
    args = parser.parse_args(argv)
    env = {**long_run.LONG_RUN_ENV, "MUD_TRACEMALLOC": str(args.trace)}
    server = GameServer(extra_env=env)
    try:
        server.start()
        server.start_worker()
        players = long_run.Players(server, cooldown_ticks=10 ** 9)
        first, started, paused, samples = long_run.world_tick(server), time.monotonic(), False, []
        next_sample = started
        while time.monotonic() - started < args.minutes * 60:
            tick = long_run.world_tick(server) - first
            paused = paused or players.pause_director_after_jobs(tick)
            players.pace()
            if time.monotonic() >= next_sample:
                samples.append((tick, long_run.server_rss(server), long_run.python_blocks(server)))
                print(f"{time.monotonic() - started:.0f} s: tick {tick}, RSS {samples[-1][1] / 2**20:.2f} MiB, "
                      f"{samples[-1][2]} Python blocks", flush=True)
                next_sample += SAMPLE_S
        stretches = growth(samples)
        warm, last = stretches[0], stretches[-1]
        print(json.dumps({
            "bench": "server memory over a long run", "minutes": args.minutes, "ticks": samples[-1][0],
            "load_avg_1m": os.getloadavg()[0], "stretches": stretches,
            "rss_mib_first_last": [round(samples[0][1] / 2**20, 2), round(samples[-1][1] / 2**20, 2)],
            "last_vs_warmup_rss_ratio": round(last["rss_bytes_per_tick"] / warm["rss_bytes_per_tick"], 3)
            if warm["rss_bytes_per_tick"] else None,
            "last_vs_warmup_blocks_ratio": round(last["blocks_per_tick"] / warm["blocks_per_tick"], 3)
            if warm["blocks_per_tick"] else None,
        }))
        report = server.runtime / "memory" / "tracemalloc.txt"
        if args.trace and report.exists():
            print(report.read_text())
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
