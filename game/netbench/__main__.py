"""`python -m game.netbench [--quick]` (run by `make bench`).

For TCP_NODELAY on and then off (the reference, `MUD_TCP_NODELAY=0`) it starts
a private server (game.private_server) whose simulation holds `--agents`
agents (default 1M) and measures `look` round trips of a telnet player, with
commands 0.3 s apart and back to back, in three phases:

* quiet: simulation paused, no other players;
* lookers: simulation running, Evennia's dummyrunner driving `--bots` bots
  (default 100) that look around (game/netbench/bots.py), as Evennia's own
  "looker" profile does;
* players: the same with bots that also walk from room to room, talk, check
  their inventory and read help.

Prints one JSON line per server, phase and series (p50, p99, max in ms, and
the machine's load average: other work on the machine shows up here), then
a "summary" line: each series' ratio of the reference to TCP_NODELAY on, and
the targets (quiet back to back p50 <= 8 ms; with the bots and the simulation,
p99 <= 30 ms) met or not. `--quick` takes fewer samples: a few minutes in all.
The servers' and bots' logs are kept in <runtime>/netbench/tcp-nodelay-on|off/.
"""

import argparse
import json
import math
import os
import re
import shutil
import signal
import subprocess
import time
from pathlib import Path

from game.netbench.roundtrip import log_in, look_round_trips, summary
from game.private_server import ADMIN, BIN, REPO, GameServer

SPACING_S = 0.3
BOT_PROFILES = ("lookers", "players")
TARGETS = (  # (name, phase, series, percentile key, limit in ms)
    ("quiet_back_to_back_p50_le_8ms", "quiet", "back_to_back", "p50_ms", 8.0),
    *((f"{profile}_{series}_p99_le_30ms", profile, series, "p99_ms", 30.0)
      for profile in BOT_PROFILES for series in ("spaced", "back_to_back")),
)


def start_bots(server: GameServer, count: int, profile: str) -> subprocess.Popen:
    """`evennia --dummyrunner <count>` against the server, in its own process group."""
    with open(server.runtime / f"dummyrunner-{profile}.log", "wb") as log:
        return subprocess.Popen(
            [str(BIN / "evennia"), "--dummyrunner", str(count)], cwd=server.root,
            env=dict(server.env, MUD_DUMMYRUNNER=profile), stdin=subprocess.DEVNULL,
            stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )


def stop_bots(bots: subprocess.Popen) -> None:
    os.killpg(bots.pid, signal.SIGINT)  # the dummyrunner logs its bots out on Ctrl-C
    try:
        bots.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(bots.pid, signal.SIGKILL)
        bots.wait()


MIN_BOTS_SHARE = 0.95  # of the bots asked for, logged in before a phase is measured


def accounts_logged_in(admin) -> int:
    return int(re.search(r"(\d+) unique account", admin.command("who", r"unique account")).group(1))


def wait_for_accounts(admin, done, what: str, timeout: float = 300) -> int:
    """Until `done(number of accounts logged in)` holds; returns that number."""
    deadline = time.monotonic() + timeout
    while not done(listed := accounts_logged_in(admin)):
        if time.monotonic() > deadline:
            raise RuntimeError(f"{listed} accounts logged in after {timeout} s, waiting for {what}")
        time.sleep(2)
    return listed


def measure(player, spaced: int, back_to_back: int) -> dict:
    look_round_trips(player, 10, 0)  # warm caches and connections
    return {
        "spaced": summary(look_round_trips(player, spaced, SPACING_S)),
        "back_to_back": summary(look_round_trips(player, back_to_back, 0)),
    }


def bench_server(nodelay: bool, args) -> dict:
    """All phases on one private server; {phase: {series: summary}}."""
    server = GameServer(prefix="tera-netbench-", extra_env={
        "MUD_TCP_NODELAY": "1" if nodelay else "0",
        "MUD_DUMMYRUNNER": BOT_PROFILES[0],
        "MUD_SIM_AGENTS": str(args.agents),
        "MUD_SIM_NEWS_INTERVAL": "20",
    })
    server.start(timeout=900)
    try:
        admin = log_in(server.telnet_port, *ADMIN, create=False)
        player = log_in(server.telnet_port, "benchplayer", "bench-secret-pw", create=True)
        results = {}

        def phase(name: str, bots: int) -> None:
            results[name] = measure(player, args.spaced, args.back_to_back)
            for series, figures in results[name].items():
                print(json.dumps({"bench": "net", "tcp_nodelay": nodelay, "phase": name, "series": series,
                                  "agents": args.agents, "bots": bots, **figures,
                                  "loadavg_1m": round(os.getloadavg()[0], 2)}), flush=True)

        admin.command("sim pause", "Simulation paused")
        phase("quiet", 0)
        admin.command("sim resume", "Simulation resumed")
        for profile in BOT_PROFILES:
            bots = start_bots(server, args.bots, profile)
            try:
                # a bot or two whose login overtook its account's creation may never get in
                wanted = 2 + math.ceil(MIN_BOTS_SHARE * args.bots)
                listed = wait_for_accounts(admin, lambda n: n >= wanted, f"{args.bots} {profile}")
                phase(profile, listed - 2)
            finally:
                stop_bots(bots)
            wait_for_accounts(admin, lambda n: n <= 2, f"the {profile} to log out")
        return results
    finally:
        keep_logs(server, f"tcp-nodelay-{'on' if nodelay else 'off'}")
        server.stop()


def keep_logs(server: GameServer, name: str) -> None:
    """The server's and the bots' logs outlive it, in <runtime>/netbench/<name>/."""
    runtime = Path(os.environ.get("MUD_RUNTIME_DIR") or REPO / "server" / "runtime")
    target = runtime / "netbench" / name
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(server.runtime / "logs", target)
    for bots_log in server.runtime.glob("dummyrunner-*.log"):
        shutil.copy(bots_log, target)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m game.netbench", description=__doc__.split("\n\n")[1])
    parser.add_argument("--quick", action="store_true", help="fewer samples: a few minutes in all")
    parser.add_argument("--agents", type=int, default=1_000_000)
    parser.add_argument("--bots", type=int, default=100)
    args = parser.parse_args()
    args.spaced, args.back_to_back = (40, 200) if args.quick else (200, 1000)

    on = bench_server(True, args)
    off = bench_server(False, args)
    ratios = {f"{phase}_{series}_p50": round(off[phase][series]["p50_ms"] / on[phase][series]["p50_ms"], 2)
              for phase in on for series in on[phase]}
    targets = {name: {"ms": on[phase][series][key], "limit_ms": limit, "met": on[phase][series][key] <= limit}
               for name, phase, series, key, limit in TARGETS}
    print(json.dumps({"bench": "net", "summary": True, "reference": "MUD_TCP_NODELAY=0",
                      "ratio_reference_to_nodelay": ratios, "targets": targets}), flush=True)


if __name__ == "__main__":
    main()
