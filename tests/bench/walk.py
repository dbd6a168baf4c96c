"""Benchmark of what a walking player costs the reactor, on a real server over
real telnet (`make bench` runs it; `python -m tests.bench.walk [--seconds S]
[--pace PACE]`).

Player A walks back and forth between the Village Square and the South Gate,
a move every PACE seconds (every move sends one room's NPCs back to the
arrays and materializes the other's, game.materialize); player B sends `look`
back to back; an admin
reads the server's own lateness probe (`sim reactor`, a 10 ms timer). Two
windows of S seconds: A standing still (the reference), then A walking.
Printed, per window: B's `look` round trip p50/p99/max, the probe's
p50/p99/max lateness, A's move round trip while walking, and the ratios
walking / standing. One JSON line of figures."""

import argparse
import json
import os
import statistics
import sys
import threading
import time

from game.private_server import ADMIN, GameServer
from game.telnet_client import TelnetClient
from tests.bench.apply import PROMPT, UNTHROTTLED, login, percentile
from tests.e2e.helpers import reactor_lateness


def timed(client: TelnetClient, line: str) -> float:
    started = time.perf_counter()
    client.command(line, PROMPT, timeout=30)
    return (time.perf_counter() - started) * 1000


def looks(client: TelnetClient, until: threading.Event, out: list[float]) -> None:
    while not until.is_set():
        out.append(timed(client, "look"))


def window(admin, looker, seconds: float, walker=None, pace: float = 0.0) -> dict:
    """B's looks (and A's moves, if walking) over `seconds`, then the probe's lateness over them."""
    seen: list[float] = []
    moves: list[float] = []
    stop = threading.Event()
    thread = threading.Thread(target=looks, args=(looker, stop, seen))
    started = time.monotonic()
    thread.start()
    while time.monotonic() - started < seconds:
        if walker is None:
            time.sleep(0.1)
        else:
            moved = timed(walker, "south" if len(moves) % 2 == 0 else "north")
            moves.append(moved)
            time.sleep(max(0.0, pace - moved / 1000))
    stop.set()
    thread.join()
    late = reactor_lateness(admin, max(1, round(time.monotonic() - started)))
    out = {"look_p50_ms": round(statistics.median(seen), 2), "look_p99_ms": round(percentile(seen, 0.99), 2),
           "look_max_ms": round(max(seen), 2), "looks": len(seen),
           "lateness_p50_ms": late["p50"], "lateness_p99_ms": late["p99"], "lateness_max_ms": late["max"]}
    if moves:
        out.update({"move_p50_ms": round(statistics.median(moves), 2), "move_p99_ms": round(percentile(moves, 0.99), 2),
                    "moves": len(moves)})
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.bench.walk", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--pace", type=float, default=0.25, help="seconds from one move to the next (0: back to back)")
    args = parser.parse_args(argv)
    server = GameServer(extra_env=UNTHROTTLED)
    try:
        server.start()
        admin = TelnetClient("127.0.0.1", server.telnet_port)
        admin.expect("create <username>")
        admin.command(f"connect {ADMIN[0]} {ADMIN[1]}", r"\n")
        walker, looker = login(server, "benchwalker"), login(server, "benchlooker")
        looker.command("east", PROMPT)  # B stands apart, at the East Gate
        for line in ("south", "north") * 3:  # warm-up: the pool gets its first objects
            walker.command(line, PROMPT)
        idle = window(admin, looker, args.seconds)
        walking = window(admin, looker, args.seconds, walker, args.pace)
        print(json.dumps({
            "bench": "walking player", "seconds": args.seconds, "pace_s": args.pace, "load_avg_1m": os.getloadavg()[0],
            "standing": idle, "walking": walking,
            "look_p99_ratio_walking_vs_standing": round(walking["look_p99_ms"] / idle["look_p99_ms"], 2),
            "lateness_p99_ratio_walking_vs_standing": round(walking["lateness_p99_ms"] / max(idle["lateness_p99_ms"], 0.001), 2),
            "target_look_p99_ms": 30,
        }))
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
