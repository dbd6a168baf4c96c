"""A server left running: thousands of ticks at a fast clock, a real
generation worker, a scripted player pacing in and out of an edge room and
another walking through every room, again and again, over real telnet.  Every
runtime file stays under the bound the server's own settings give it (small
bounds, so rotation and pruning really happen), the server's memory stops
growing (its RSS and its Python objects), and the game database's rows stay
as they were after the warm-up, but for the NPC objects of the materialized
agents' pool, which stays within its bound whatever the number of agents met.  The runtime files' sizes at the end are
printed (run with -s to see them).

The director fires on the edge room once and then cools down for the rest of
the run (its cooldown is set to more ticks than the run has), so every later
visit is a skipped match: counted in the decision log, never a line of its
own.  Its other rules publish quests, events and NPCs as the world's figures
ask.  Once the jobs phase is over the director is paused (the visits are then
counted as skips of a paused director): the world stops growing, so memory
that still grows is a leak, not the world."""

import itertools
import json
import os
import re
import sqlite3
import statistics
import time
import urllib.request
from pathlib import Path
from unittest import mock

import pytest

from game.materialize import LOD
from game.private_server import ADMIN, GameServer
from game.telnet_client import TelnetClient
from generation.loader import load_world
from generation.director.decision_log import SUMMARY_EVERY_S
from generation.log_files import ROTATED
from generation.runtime import Bounds
from generation.sqlite_files import WAL_LIMIT_BYTES
from tests.e2e.helpers import new_player
from tests.e2e.test_gameplay import TERA, route

TICKS = 4000  # at least this many ticks pass
MAX_RUN_S = 300  # ... within this long (the test fails if they do not)
HISTORY_POINTS = 200  # the observatory's chart history (3 KB a point) is full after this many ticks
JOBS_TICKS = 900  # the director makes content until then, and is paused after
# memory is judged after the warm-up (every room visited once before the run, the chart history
# full, the last jobs applied), over STRETCHES equal stretches of the rest of the run: memory that
# leaks grows in every stretch, a one-off step (the allocator taking a new 1 MiB arena) is in one
# of them, so the median stretch is judged.  Since the warm-up the server's RSS still grows some
# 0.1-0.4 KiB a tick, less and less (the Python allocator's live blocks likewise, 2-6 a tick); the
# narrator's name cache was not a measurable part of it at 3000 agents.
WARMUP_TICKS = 1500
STRETCHES = 4
RSS_BYTES_PER_TICK = 512  # the median stretch grows less than this ...
PYTHON_BLOCKS_PER_TICK = 16  # ... and holds fewer new Python allocator blocks than this, a tick
PACE_S = 0.5  # the player's pause between steps
SAMPLE_S = 1.0  # memory and runtime files are looked at this often (at most once per step)
MAX_NPCS = 24  # objects the pool of materialized NPCs may hold (MUD_SIM_MAX_NPCS)
LONG_RUN_ENV = {
    "MUD_SIM_TICK": "0.005",  # as fast as steps go: a tick starts when the last one is done
    "MUD_HISTORY_POINTS": str(HISTORY_POINTS),
    "MUD_SIM_AGENTS": "3000",
    "MUD_SIM_MAX_NPCS": str(MAX_NPCS),
    "MUD_SIM_SNAPSHOT_INTERVAL": "3",
    "MUD_SIM_SNAPSHOT_KEEP": "2",
    "MUD_SNAPSHOT_KEEP": "1",
    "MUD_SIM_EVENT_LOG_BYTES": str(64 * 1024),
    "MUD_SIM_EVENT_LOG_KEEP": "2",
    "MUD_DECISION_LOG_MAX_BYTES": "4096",
    "MUD_DECISION_LOG_KEEP": "2",
    "MUD_JOBS_KEEP_DAYS": str(10 / 86400),
    "MUD_JOBS_KEEP_COUNT": "3",
    "MUD_RESULTS_KEEP_S": "10",
    "MUD_MAINTENANCE_S": "5",
    "MUD_LOG_BYTES": "1500",
    "MUD_LOG_KEEP": "1",
}


@pytest.fixture(scope="module")
def long_server():
    server = GameServer(extra_env=LONG_RUN_ENV)
    server.start()
    server.start_worker()
    yield server
    server.stop()


def bounds_of(server) -> Bounds:
    """The pipeline's bounds as the server's processes read them: from their environment."""
    with mock.patch.dict(os.environ, server.env):
        return Bounds.from_env()


def python_blocks(server) -> int:
    """The Python allocator's live blocks in the server process (its /metrics gauge)."""
    with urllib.request.urlopen(f"http://127.0.0.1:{server.metrics_port}/metrics", timeout=30) as reply:
        text = reply.read().decode()
    return int(float(re.search(r"^tera_python_allocated_blocks (\S+)$", text, re.M).group(1)))


def stretch_ends(samples: list, stretches: int) -> list:
    """The samples that cut a run's samples into `stretches` equal stretches (first and last included)."""
    return [samples[i * (len(samples) - 1) // stretches] for i in range(stretches + 1)]


def median_growth(samples: list[tuple[int, int]]) -> float:
    """Growth a tick of the median of STRETCHES equal stretches of (tick, amount) samples."""
    ends = stretch_ends(samples, STRETCHES)
    return statistics.median((b - a) / (tb - ta) for (ta, a), (tb, b) in zip(ends, ends[1:]))


def server_rss(server) -> int:
    pid = int((server.root / "server" / "server.pid").read_text().strip())
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmRSS:\s+(\d+) kB", status).group(1)) * 1024


def world_tick(server) -> int:
    with urllib.request.urlopen(f"http://127.0.0.1:{server.web_port}/api/world/state", timeout=30) as reply:
        return json.load(reply)["tick"]


def runtime_files(server) -> dict[str, int]:
    """Every file of the runtime folder but the content library (the live
    world's git history, which grows with the world) -> its size."""
    sizes = {}
    for folder, dirs, names in os.walk(server.runtime):
        dirs[:] = [d for d in dirs if Path(folder, d) != server.runtime / "library"]
        for name in names:
            path = Path(folder, name)
            try:
                sizes[str(path.relative_to(server.runtime))] = path.stat().st_size
            except FileNotFoundError:  # rotated or pruned meanwhile
                pass
    return sizes


class Bound:
    """The runtime folder's bounds, from the settings the server runs with."""

    def __init__(self, server):
        self.bounds, env = bounds_of(server), server.env  # server/conf/settings.py reads the same variables
        self.event_bytes, self.event_keep = int(env["MUD_SIM_EVENT_LOG_BYTES"]), int(env["MUD_SIM_EVENT_LOG_KEEP"])
        self.snapshot_keep = int(env["MUD_SIM_SNAPSHOT_KEEP"])
        self.world_snapshot_keep = int(env["MUD_SNAPSHOT_KEEP"])

    def check(self, sizes: dict[str, int], largest_batch: int, root: Path) -> list[str]:
        """What is over its bound (empty when all is well); `root`: the runtime folder."""
        over = []

        def group(prefix: str, pattern: str = "") -> dict[str, int]:
            return {k: v for k, v in sizes.items() if k.startswith(prefix) and re.search(pattern, k)}

        for name in ("events.jsonl", "events.txt"):  # a batch larger than the bound gets a file of its own
            files = group(f"events/{name}")
            if len(files) > self.event_keep + 1:
                over.append(f"{len(files)} files of {name}: {sorted(files)}")
            over += [f"{k}: {v} B" for k, v in files.items() if v > max(self.event_bytes, largest_batch)]
        snapshots = group("sim/", r"snapshot-\d+-t\d+\.npz$")
        if len(snapshots) > self.snapshot_keep or len(group("sim/", r"\.tmp$")) > 1:  # and one being written
            over.append(f"{len(snapshots)} snapshots kept: {sorted(group('sim/'))}")
        # automatic world snapshots (one before each expansion), plus the one being written
        worlds = {k.split("/")[1] for k in group("snapshots/", r"^snapshots/s\d+(\.partial)?/")}
        if len(worlds) > self.world_snapshot_keep + 1:
            over.append(f"{len(worlds)} world snapshots kept: {sorted(worlds)}")
        decisions = group("director-decisions.jsonl")
        if len(decisions) > self.bounds.decision_log_keep + 1:
            over.append(f"{len(decisions)} decision logs: {sorted(decisions)}")
        over += [f"{k}: {v} B" for k, v in decisions.items() if v > self.bounds.decision_log_max_bytes]
        for k, v in group("", r"-wal$").items():  # the game database's and the pipeline's
            if v > WAL_LIMIT_BYTES:
                over.append(f"{k}: {v} B of write-ahead log")
        logs = {**group("logs/"), **group("worker.log")}
        by_log: dict[str, list[str]] = {}
        for k in logs:
            match = ROTATED.match(Path(k).name)
            by_log.setdefault(match["base"] if match else Path(k).name, []).append(k)
        for base, files in by_log.items():
            # the server prunes its own log at each rotation, the others every few seconds:
            # one copy rotated since may wait for the next round
            if len(files) > self.bounds.log_keep + 2:
                over.append(f"{len(files)} files of {base}: {sorted(files)}")
        # a log rotates before the write that finds it full: it passes its size by one record at most;
        # judged on its bytes as read now (a copy pruned since the listing is gone, and its name
        # may already belong to a newer copy)
        for k in logs:
            data = read_if_there(root / k)
            record = largest_record(data)
            if len(data) > self.bounds.log_max_bytes + record:
                over.append(f"{k}: {len(data)} B, the largest record {record} B:\n"
                            f"{data[-3000:].decode(errors='replace')}")
        return over

    def check_tables(self, server) -> list[str]:
        """Rows the worker's maintenance must have pruned by now."""
        over = []
        now = time.time()
        slack = 2 * self.bounds.maintenance_s  # a round runs every maintenance_s
        with sqlite3.connect(server.runtime / "jobs.sqlite") as db:
            [(oldest, done)] = db.execute("SELECT MIN(updated), COUNT(*) FROM jobs WHERE state IN ('done', 'failed')")
        if done and now - oldest > self.bounds.jobs_keep_s + slack and done > self.bounds.jobs_keep_count:
            over.append(f"{done} finished jobs kept, the oldest {now - oldest:.0f} s old")
        with sqlite3.connect(server.runtime / "celery-results.sqlite") as db:
            [(oldest,)] = db.execute("SELECT MIN(strftime('%s', date_done)) FROM celery_taskmeta")
        if oldest is not None and now - int(oldest) > self.bounds.results_keep_s + slack:
            over.append(f"a Celery result {now - int(oldest):.0f} s old")
        with sqlite3.connect(server.runtime / "approval.sqlite") as db:
            [(oldest, decided)] = db.execute(
                "SELECT MIN(updated), COUNT(*) FROM queue WHERE state IN ('published', 'rejected')")
        if decided and now - oldest > self.bounds.jobs_keep_s + slack and decided > self.bounds.jobs_keep_count:
            over.append(f"{decided} decided proposals kept, the oldest {now - oldest:.0f} s old")
        return over


def db_rows(server) -> dict[str, int]:
    """Rows of the game database (read-only): objects, tags and attributes in all,
    and the NPC objects of the level of detail (pooled or materialized) with their attributes."""
    npcs = ("SELECT m.objectdb_id FROM objects_objectdb_db_tags m JOIN typeclasses_tag t ON t.id = m.tag_id"
            f" WHERE t.db_category = '{LOD}'")
    queries = {
        "objects": "SELECT COUNT(*) FROM objects_objectdb",
        "tags": "SELECT COUNT(*) FROM typeclasses_tag",
        "attributes": "SELECT COUNT(*) FROM typeclasses_attribute",
        "npcs": f"SELECT COUNT(*) FROM ({npcs})",
        "npc_attributes": f"SELECT COUNT(*) FROM objects_objectdb_db_attributes WHERE objectdb_id IN ({npcs})",
        "most_per_npc": f"SELECT COALESCE(MAX(n), 0) FROM (SELECT COUNT(*) AS n FROM objects_objectdb_db_attributes"
                        f" WHERE objectdb_id IN ({npcs}) GROUP BY objectdb_id)",
    }
    with sqlite3.connect(f"file:{server.runtime / 'evennia.db3'}?mode=ro", uri=True, timeout=30) as db:
        return {name: db.execute(query).fetchone()[0] for name, query in queries.items()}


def rows_over(base: dict[str, int], end: dict[str, int]) -> list[str]:
    """What grew past its bound between the warm-up (`base`) and the end: only the
    pool's NPC objects may be added (MAX_NPCS in all, each with no more attributes
    than the most an NPC had), the world's own rows and the tags stay as they were."""
    over = []
    if end["npcs"] > MAX_NPCS:
        over.append(f"{end['npcs']} NPC objects, more than the pool's {MAX_NPCS}")
    if end["most_per_npc"] > base["most_per_npc"]:
        over.append(f"an NPC object with {end['most_per_npc']} attributes (at most {base['most_per_npc']} after the warm-up)")
    if end["objects"] - end["npcs"] > base["objects"] - base["npcs"]:
        over.append(f"the world's objects went from {base['objects'] - base['npcs']} to {end['objects'] - end['npcs']}")
    if end["attributes"] - end["npc_attributes"] > base["attributes"] - base["npc_attributes"]:
        over.append(f"the world's attributes went from {base['attributes'] - base['npc_attributes']} "
                    f"to {end['attributes'] - end['npc_attributes']}")
    if end["tags"] > base["tags"]:
        over.append(f"tags went from {base['tags']} to {end['tags']}")
    return over


def tour(world) -> list[str]:
    """Exits that take a player from the start room through every room of `world` and back."""
    rooms = sorted(r.id for z in world.zones for r in z.rooms)
    here, moves = world.header.start_room, []
    for goal in [r for r in rooms if r != here] + [here]:
        moves += route(world, here, lambda room, g=goal: room.id == g)
        here = goal
    return moves


RECORD_START = re.compile(rb"^\[?\d{4}-\d\d-\d\d[ T]\d\d:\d\d", re.M)  # Celery's and Evennia's log lines


def read_if_there(path: Path) -> bytes:
    """A runtime file's bytes; none when it was rotated or pruned away since it was listed."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return b""


def largest_record(data: bytes) -> int:
    """Bytes of the largest record of a log file's `data` (a record: its stamped line and any lines after it)."""
    starts = [m.start() for m in RECORD_START.finditer(data)] + [len(data)]
    return max([b - a for a, b in zip(starts, starts[1:])] + [starts[0]])


def login(server, name: str, password: str, new: bool) -> TelnetClient:
    client = TelnetClient("127.0.0.1", server.telnet_port)
    client.expect("create <username>")
    if new:
        client.command(f"create {name} {password}", r"\[Y\]/N")
        client.command("y", f"A new account '{name}' was created")
    client.command(f"connect {name} {password}", r"Exits:[^\n]*\n|You become[^\n]*\n")
    return client


class Players:
    """The long run's players over telnet: the admin (world expansion on, the edge
    rule's cooldown `cooldown_ticks`), a pacer going in and out of the Chapel of the
    Twin Suns, on the map's northern edge, and a wanderer walking through every room,
    again and again: many agents are materialized in turn (one round before the run
    loads every room and its things)."""

    def __init__(self, server, cooldown_ticks: int):
        self.admin = login(server, *ADMIN, new=False)
        self.admin.command("director set expansion=1", "expansion")
        self.admin.command(f"guardrails set director.cooldown_ticks.dead_end={cooldown_ticks}", "live now")
        self.pacer = login(server, "pacer", "pacer-secret-pw", new=True)
        self.wanderer = new_player(server.telnet_port, "wanderer", "wanderer-secret-pw")
        one_round = tour(load_world(TERA))
        for move in one_round:
            self.wanderer.command(move, r"Exits:[^\n]*\n")
        self.moves = itertools.cycle(one_round)

    def pace(self) -> None:
        """The pacer in and out once, the wanderer a room on with each of its steps, PACE_S after each."""
        for step, room in (("north", "Chapel of the Twin Suns"), ("south", "Village Square")):
            self.pacer.command(step, rf"{room}[\s\S]*?Exits:[^\n]*\n")
            self.wanderer.command(next(self.moves), r"Exits:[^\n]*\n")
            time.sleep(PACE_S)
        for client in (self.admin, self.pacer, self.wanderer):
            client.buffer = client.transcript = ""

    def pause_director_after_jobs(self, ticks: int) -> bool:
        """Once `ticks` (since the run's start) reach JOBS_TICKS, the director is paused; whether it is."""
        return ticks >= JOBS_TICKS and "now paused" in self.admin.command(
            "director pause the jobs phase is over", r"Director is now \w+")

    def close(self) -> None:
        for client in (self.admin, self.pacer, self.wanderer):
            client.close()


def decision_records(server) -> list[dict]:
    """Every record of the kept decision logs (a line being written may be cut)."""
    records = []
    for line in b"".join(read_if_there(p) for p in server.runtime.glob("director-decisions.jsonl*")).splitlines():
        try:
            records.append(json.loads(line))
        except ValueError:
            pass
    return records


def cooled(summaries: dict) -> bool:
    """Whether a skip summary line counted the edge rule cooling down."""
    return any(n for counts in summaries.values() for k, n in counts.items() if k.startswith("dead_end: cooling down"))


def largest_event_batch(server) -> int:
    """The most bytes one step wrote to an event log file (the log's own exception to its bound)."""
    lines: dict[int, int] = {}
    for path in (server.runtime / "events").glob("events.jsonl*"):
        for line in read_if_there(path).splitlines(keepends=True):
            try:
                tick = json.loads(line)["tick"]
            except ValueError:  # the line the server is writing
                continue
            lines[tick] = lines.get(tick, 0) + len(line)
    return max(lines.values(), default=0)


def test_thousands_of_ticks_with_a_player_pacing_an_edge_room(long_server):
    bound = Bound(long_server)
    players = Players(long_server, cooldown_ticks=100 * TICKS)
    first_tick = world_tick(long_server)
    started = time.monotonic()
    samples, steps, next_sample = [], 0, started
    summaries = {}  # skip summary lines seen in the decision logs (old files rotate away)
    tick, paused, warm_rows = first_tick, False, None
    while tick - first_tick < TICKS and time.monotonic() - started < MAX_RUN_S:
        paused = paused or players.pause_director_after_jobs(tick - first_tick)
        players.pace()
        steps += 2
        if time.monotonic() >= next_sample:
            tick = world_tick(long_server)
            samples.append((tick - first_tick, server_rss(long_server), python_blocks(long_server)))
            if warm_rows is None and tick - first_tick >= WARMUP_TICKS:
                warm_rows = db_rows(long_server)
            summaries.update((r["at"], r["counts"]) for r in decision_records(long_server) if r.get("type") == "skipped")
            over = bound.check(runtime_files(long_server), largest_event_batch(long_server), long_server.runtime)
            assert not over, f"at tick {tick}: {over}"
            next_sample += SAMPLE_S
    elapsed = time.monotonic() - started
    assert paused, "the director was paused after the jobs phase"
    ticks = world_tick(long_server) - first_tick
    time.sleep(2 * bound.bounds.maintenance_s)  # one more maintenance round
    sizes = runtime_files(long_server)
    print(f"\nlong run: {ticks} ticks, {steps} steps of each player in {elapsed:.0f} s")
    print("server RSS (tick, MiB): " + ", ".join(f"{t}:{r / 2**20:.2f}" for t, r, _ in samples))
    print("Python allocator blocks (tick, thousands): " + ", ".join(f"{t}:{b / 1000:.1f}" for t, _, b in samples))
    for name, size in sorted(sizes.items()):
        print(f"  {name}: {size:,} B")

    assert ticks >= TICKS, f"only {ticks} ticks in {elapsed:.0f} s"
    with urllib.request.urlopen(f"http://127.0.0.1:{long_server.web_port}/api/world/history", timeout=30) as reply:
        assert len(json.load(reply)["points"]) <= HISTORY_POINTS, "the chart history keeps MUD_HISTORY_POINTS points"
    assert not bound.check(sizes, largest_event_batch(long_server), long_server.runtime)
    assert not bound.check_tables(long_server)
    for log in ("events/events.jsonl", "events/events.txt", "director-decisions.jsonl", "logs/server.log", "worker.log"):
        assert any(k.startswith(log + ".") for k in sizes), f"{log} never rotated: {sorted(sizes)}"
    deadline = time.monotonic() + SUMMARY_EVERY_S + 30
    while not cooled(summaries) and time.monotonic() < deadline:  # the skips since the last summary line
        players.pacer.command("north", r"Chapel of the Twin Suns[\s\S]*?Exits:[^\n]*\n")
        players.pacer.command("south", r"Village Square[\s\S]*?Exits:[^\n]*\n")
        summaries.update((r["at"], r["counts"]) for r in decision_records(long_server) if r.get("type") == "skipped")
        time.sleep(1)
    print(f"skipped rule matches, per summary line: {summaries}")
    assert cooled(summaries), "the pacing player's visits are counted as cooldown skips"
    queued = set((long_server.runtime / "broker" / "queue").iterdir())
    time.sleep(2 * bound.bounds.maintenance_s)
    assert not queued & set((long_server.runtime / "broker" / "queue").iterdir()), \
        f"the worker left {len(queued)} messages in its queue; its log:\n{(long_server.runtime / 'worker.log').read_text()[-3000:]}"

    # the database stays bounded: since the warm-up only the pool may have made NPC objects
    end_rows = db_rows(long_server)
    print(f"database rows after the warm-up: {warm_rows}; at the end: {end_rows}")
    assert warm_rows is not None, samples
    grown = rows_over(warm_rows, end_rows)
    assert not grown, grown

    # memory stops growing: after the warm-up, neither the RSS nor the Python objects
    judged = [sample for sample in samples if sample[0] >= WARMUP_TICKS]
    assert len(judged) >= 3 * STRETCHES, samples
    rss = median_growth([(t, r) for t, r, _ in judged])
    blocks = median_growth([(t, b) for t, _, b in judged])
    print(f"after tick {judged[0][0]}, the median of {STRETCHES} stretches: RSS {rss:.0f} B a tick, "
          f"{blocks:.1f} Python blocks a tick")
    assert rss < RSS_BYTES_PER_TICK, f"server RSS still growing: {samples}"
    assert blocks < PYTHON_BLOCKS_PER_TICK, f"the server's Python objects still growing: {samples}"
    players.close()
