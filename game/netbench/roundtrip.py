"""`look` round trips of one logged-in telnet player: the time from sending the
command to the arrival of the room's reply, with the commands a fixed gap apart
or back to back (the next sent the moment the previous reply arrived)."""

import math
import time

from game.telnet_client import TelnetClient

LOOK_REPLY = r"Exits:[^\n]*\n"


def log_in(port: int, name: str, password: str, create: bool) -> TelnetClient:
    """A telnet player in the game (a new account when `create`)."""
    client = TelnetClient("127.0.0.1", port, timeout=60)
    client.expect("create <username>")
    if create:
        client.command(f"create {name} {password}", r"\[Y\]/N")
        client.command("y", f"A new account '{name}' was created")
    client.command(f"connect {name} {password}", LOOK_REPLY)
    return client


def look_round_trips(client: TelnetClient, samples: int, gap_s: float) -> list[float]:
    """Milliseconds per `look`, `gap_s` between a reply and the next command."""
    times = []
    for _ in range(samples):
        if gap_s:
            time.sleep(gap_s)
        start = time.perf_counter()
        client.command("look", LOOK_REPLY)
        times.append((time.perf_counter() - start) * 1000)
    return times


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100)."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)]


def summary(values: list[float]) -> dict:
    return {
        "samples": len(values),
        "p50_ms": round(percentile(values, 50), 2),
        "p99_ms": round(percentile(values, 99), 2),
        "max_ms": round(max(values), 2),
    }
