"""Benchmark of the content applier on a real server over real telnet
(`make bench` runs it; `python -m tests.bench.apply [--patches N]`):

  commit -> visible   N NPC patches published one by one into the library by
                      the real publisher (git commit + checkout, as a worker
                      does); a player standing in the patches' home room
                      times each "<name> arrives." line: p50 and p99,
                      and the longest batch of applier steps among them
  reactor stall       a hand edit adding a 25-room block (5 x 5 rooms, paired
                      exits, attached to the map) applied while a second
                      player sends `look` back to back: the longest
                      round trip while the watcher validates and commits the
                      save, and during the apply, against the same probe's
                      p50 and max while the server is idle (the reference,
                      measured in the same run), and the longest batch of
                      applier steps and the longest single step the server
                      reports (`content status`): the target is no batch
                      over 20 ms; and the reactor's own lateness (`sim
                      reactor`: how late a 10 ms timer ran) over the apply,
                      against the same figure over the idle probes

Prints one JSON line of figures, with the machine's load average."""

import argparse
import json
import math
import os
import re
import statistics
import sys
import threading
import time
from pathlib import Path

from game.telnet_client import TelnetClient
from generation.enrich import PROCEDURAL
from generation.models.proposal import Kind
from generation.pipeline import make
from generation.publish import Library
from generation.world_index import WorldIndex
from game.private_server import ADMIN, GameServer
from tests.e2e.helpers import reactor_lateness

PROMPT = r"Exits:[^\n]*\n"
UNTHROTTLED = {"MUD_MAX_COMMAND_RATE": "100000"}  # the probes send `look` back to back, faster than 80 a second
BLOCK_SIDE = 5
IDLE_S = 3  # the idle probe's stretch
SETTLE_S = 1.5  # before a stretch: the server's work of the step before ends first


def login(server, name: str) -> TelnetClient:
    client = TelnetClient("127.0.0.1", server.telnet_port)
    client.expect("create <username>")
    client.command(f"create {name} bench-password-1", r"\[Y\]/N")
    client.command("y", "was created")
    client.command(f"connect {name} bench-password-1", PROMPT)
    return client


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def applied(admin: TelnetClient, library: Library, deadline: float) -> dict:
    """The server's figures for applying the library's HEAD (`content status`), once it is applied."""
    head = library.git("rev-parse", "HEAD").strip()[:12]
    while f"applied {head}" not in (status := admin.command("content status", r"longest commit [0-9.]+ ms\)\n",
                                                            timeout=30)):
        if time.monotonic() > deadline:
            raise RuntimeError(f"{head} was not applied")
        time.sleep(0.2)
    took, batches, batch, batch_cpu, step, step_cpu, what, commit = re.search(
        r"in ([0-9.]+) ms, ([0-9]+) batches, longest batch ([0-9.]+) ms \[([0-9.]+) ms CPU\], "
        r"longest step ([0-9.]+) ms \[([0-9.]+) ms CPU\](?:: ([^\n]*))?; longest commit ([0-9.]+) ms\)",
        status).groups()
    return {"apply_ms": float(took), "batches": int(batches), "batch_ms": float(batch),
            "batch_cpu_ms": float(batch_cpu), "step_ms": float(step), "step_cpu_ms": float(step_cpu), "step": what,
            "commit_ms": float(commit)}


def commit_to_visible(server, library: Library, player: TelnetClient, admin: TelnetClient,
                      patches: int) -> tuple[list[float], list[dict]]:
    """Seconds from each NPC patch's publication to its "arrives." line, and the server's figures of each apply."""
    index = WorldIndex.load(Path(server.root) / "content" / "worlds" / "tera")
    seconds, applies = [], []
    for seed in range(1, patches + 1):
        proposal = make(Kind.npc, 10_000 + seed, "village", index, PROCEDURAL)
        name = proposal.flavor["name"]
        player.buffer = ""
        started = time.perf_counter()
        library.publish(proposal)
        player.expect(re.escape(f"{name} arrives."), timeout=30)
        seconds.append(time.perf_counter() - started)
        applies.append(applied(admin, library, time.monotonic() + 30))
    return seconds, applies


def block_rooms(zone: dict, occupied: set) -> tuple[dict, list[dict]] | None:
    """An anchor room of `zone` with a free 5 x 5 area north of it, and the block's rooms."""
    for anchor in zone["rooms"]:
        c = anchor["coords"]
        x0, y0, z = c["x"] - BLOCK_SIDE // 2, c["y"] + 1, c.get("z", 0)
        cells = [(x0 + i, y0 + j) for j in range(BLOCK_SIDE) for i in range(BLOCK_SIDE)]
        if any(e["direction"] == "north" for e in anchor["exits"]) or any((x, y, z) in occupied for x, y in cells):
            continue
        rooms = {}
        for x, y in cells:
            rid = f"{zone['id']}.bench_{x - x0}_{y - y0}"
            rooms[(x, y)] = {"id": rid, "name": f"Bench Court {x - x0}{y - y0}", "desc": "A plain court built for the benchmark.",
                             "coords": {"x": x, "y": y, "z": z}, "exits": []}
        for (x, y), room in rooms.items():
            for direction, (dx, dy) in {"east": (1, 0), "west": (-1, 0), "north": (0, 1), "south": (0, -1)}.items():
                if (x + dx, y + dy) in rooms:
                    room["exits"].append({"direction": direction, "to": rooms[(x + dx, y + dy)]["id"]})
        entrance = rooms[(c["x"], y0)]
        entrance["exits"].append({"direction": "south", "to": anchor["id"]})
        anchor["exits"].append({"direction": "north", "to": entrance["id"]})
        return anchor, list(rooms.values())
    return None


def probe(client: TelnetClient, until: threading.Event, out: list[tuple[float, float]]) -> None:
    """`look` back to back until `until` is set: (when it was sent, its round trip) of each."""
    while not until.is_set():
        started = time.perf_counter()
        client.command("look", PROMPT, timeout=30)
        out.append((started, time.perf_counter() - started))


def reactor_stall(server, library: Library, prober: TelnetClient, admin: TelnetClient) -> dict:
    time.sleep(SETTLE_S)  # the prober's login (its character made on the reactor) out of the window
    idle: list[float] = []
    began = time.perf_counter()
    while time.perf_counter() - began < IDLE_S:
        started = time.perf_counter()
        prober.command("look", PROMPT)
        idle.append(time.perf_counter() - started)
    idle_lateness = reactor_lateness(admin, int(time.perf_counter() - began))  # whole seconds, all idle
    zones = sorted((library.root / "world" / "zones").glob("*.json"))
    occupied = {(r["coords"]["x"], r["coords"]["y"], r["coords"].get("z", 0))
                for path in zones for r in json.loads(path.read_text())["rooms"]}
    for path in zones:
        zone = json.loads(path.read_text())
        found = block_rooms(zone, occupied)
        if found:
            break
    else:
        raise RuntimeError("no room with a free 5 x 5 area north of it")
    anchor, rooms = found
    zone["rooms"].extend(rooms)
    during: list[tuple[float, float]] = []
    stop = threading.Event()
    thread = threading.Thread(target=probe, args=(prober, stop, during))
    thread.start()
    time.sleep(SETTLE_S)  # the probe running, and the idle phase out of the apply's window
    started = time.perf_counter()
    head = library.head()
    path.write_text(json.dumps(zone, indent=2))
    deadline = time.monotonic() + 60
    while library.head() == head:  # read from .git, no subprocess: the probe's machine stays quiet
        if time.monotonic() > deadline:
            raise RuntimeError("the block edit was not committed")
        time.sleep(0.01)
    committed = time.perf_counter()
    if "Hand edit: world/zones" not in library.git("log", "-1", "--format=%s"):
        raise RuntimeError("the library's new commit is not the block's hand edit")
    block = applied(admin, library, deadline)  # the apply runs after the commit; probe through it
    stop.set()
    thread.join()
    apply_lateness = reactor_lateness(admin, math.ceil(time.perf_counter() - started))
    # the save is validated and committed by the server's watcher thread; the apply runs on the reactor after
    validating = [took for sent, took in during if started <= sent + took and sent < committed] or [0.0]
    applying = [took for sent, took in during if sent + took > committed]
    return {
        "block_rooms": len(rooms),
        "block_save_to_commit_s": round(committed - started, 3),
        "probe_idle_p50_ms": round(statistics.median(idle) * 1000, 2),
        "probe_idle_max_ms": round(max(idle) * 1000, 2),
        "probe_save_to_commit_max_ms": round(max(validating) * 1000, 2),
        "probe_during_apply_p50_ms": round(statistics.median(applying) * 1000, 2),
        "probe_during_apply_max_ms": round(max(applying) * 1000, 2),
        "stall_over_idle_p50_ms": round((max(applying) - statistics.median(idle)) * 1000, 2),
        "stall_ratio_vs_idle_max": round(max(applying) / max(idle), 2),
        "block_apply_ms": block["apply_ms"],
        "block_batches": block["batches"],
        "block_longest_batch_ms": block["batch_ms"],
        "block_longest_batch_cpu_ms": block["batch_cpu_ms"],
        "block_longest_step_ms": block["step_ms"],
        "block_longest_step_cpu_ms": block["step_cpu_ms"],
        "block_longest_step": block["step"],
        "block_longest_commit_ms": block["commit_ms"],
        "reactor_late_idle_p99_ms": idle_lateness["p99"], "reactor_late_idle_max_ms": idle_lateness["max"],
        "reactor_late_during_apply_p99_ms": apply_lateness["p99"],
        "reactor_late_during_apply_max_ms": apply_lateness["max"],
        "target_batch_ms": 20,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.bench.apply", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--patches", type=int, default=50)
    args = parser.parse_args(argv)
    server = GameServer(extra_env=UNTHROTTLED)
    try:
        server.start()
        library = Library(server.runtime / "library")
        player = login(server, "benchwatcher")
        player.command("north", PROMPT)
        player.command("west", PROMPT)  # the Granary Row: the village's home room for patches
        admin = TelnetClient("127.0.0.1", server.telnet_port)
        admin.expect("create <username>")
        admin.command(f"connect {ADMIN[0]} {ADMIN[1]}", r"\n")
        visible, applies = commit_to_visible(server, library, player, admin, args.patches)
        slowest = max(applies, key=lambda a: a["batch_ms"])
        stall = reactor_stall(server, library, login(server, "benchprober"), admin)
        print(json.dumps({
            "bench": "content apply", "patches": args.patches, "load_avg_1m": os.getloadavg()[0],
            "commit_to_visible_p50_ms": round(percentile(visible, 0.5) * 1000, 1),
            "commit_to_visible_p99_ms": round(percentile(visible, 0.99) * 1000, 1),
            "commit_to_visible_max_ms": round(max(visible) * 1000, 1),
            "target_visible_ms": 1000,
            "patch_longest_batch_ms": slowest["batch_ms"], "patch_longest_batch_cpu_ms": slowest["batch_cpu_ms"],
            "patch_longest_step": slowest["step"],
            "patch_longest_commit_ms": max(a["commit_ms"] for a in applies),
            **stall,
        }))
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
