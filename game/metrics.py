"""The game's Prometheus metrics (prometheus-client, own registry).

Figures of the server process are kept up to date where they happen, on the
reactor and for next to nothing: tick duration, agents alive and events by
type after every simulation step (`stepped`, a `simulation_bridge.on_step`
listener), command round trips (game.sessions), players connected and the
Python allocator's live blocks (read at scrape time). Figures of the other processes (workers) are read from the
files they already write: the job journal (queue depth, outcomes by status
and verdict, enrich fallbacks), the approval queue (proposals by stage) and
the LLM usage ledger (calls, tokens, errors); `refresh_from_files` reads
them in a thread every few seconds (and counts materialized NPCs), and
`apply` swaps the gauges on the reactor. A scrape renders what is in memory:
no disk, database or lock on the way."""

import sys
from functools import lru_cache

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, ProcessCollector
from prometheus_client.exposition import generate_latest

REGISTRY = CollectorRegistry()
ProcessCollector(registry=REGISTRY)

TICK_SECONDS = Histogram("tera_tick_duration_seconds", "Wall time of one simulation step",
                         buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5), registry=REGISTRY)
SIM_TICK = Gauge("tera_sim_tick", "Simulation tick", registry=REGISTRY)
AGENTS = Gauge("tera_agents", "Simulation agents", ["alive"], registry=REGISTRY)
EVENTS = Counter("tera_sim_events", "Simulation events since the server started", ["kind"], registry=REGISTRY)
MATERIALIZED = Gauge("tera_materialized_npcs", "Agents materialized as NPC objects near players", registry=REGISTRY)
PLAYERS = Gauge("tera_players_connected", "Accounts logged in", registry=REGISTRY)
COMMAND_SECONDS = Histogram("tera_command_round_trip_seconds", "Server time from a player's input line to its command's end "
                            "(the reactor part; work a command hands to a thread is not in it)",
                            buckets=(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1), registry=REGISTRY)
PROPOSALS = Gauge("tera_proposals_in_queue", "Proposals in the approval queue by stage", ["stage"], registry=REGISTRY)
JOB_OUTCOMES = Gauge("tera_job_outcomes", "Finished generation jobs by outcome status and gate verdict",
                     ["status", "verdict"], registry=REGISTRY)
JOB_QUEUE = Gauge("tera_job_queue_depth", "Generation jobs journaled but not finished", ["state"], registry=REGISTRY)
LLM_CALLS = Gauge("tera_llm_calls", "LLM calls made by enrichers, by model and outcome", ["model", "outcome"], registry=REGISTRY)
LLM_TOKENS = Gauge("tera_llm_tokens", "LLM tokens used, by model and direction", ["model", "direction"], registry=REGISTRY)
LLM_FALLBACKS = Gauge("tera_llm_fallbacks", "Finished jobs whose LLM text was replaced by procedural text", registry=REGISTRY)
PYTHON_BLOCKS = Gauge("tera_python_allocated_blocks", "Memory blocks the Python allocator holds for live objects "
                      "(sys.getallocatedblocks): a leak of Python objects grows it, allocator fragmentation does not",
                      registry=REGISTRY)
FILES_READ_AT = Gauge("tera_metrics_files_read_timestamp_seconds", "When the worker figures were last read", registry=REGISTRY)

STAGES = ("pending", "held", "approved", "rejected", "published")
JOB_STATES = ("queued", "running")


def stepped(sim, events) -> None:
    """Listener for `simulation_bridge.on_step`."""
    kpis = sim.kpis()
    TICK_SECONDS.observe(kpis["last_step_ms"] / 1000)
    SIM_TICK.set(kpis["tick"])
    AGENTS.labels("true").set(kpis["agents_alive"])
    AGENTS.labels("false").set(kpis["agents"] - kpis["agents_alive"])
    for event in events:
        EVENTS.labels(event.kind).inc()


@lru_cache(maxsize=1)
def _usage(path):
    from generation.enrich.usage import UsageLedger

    return UsageLedger(path)


def refresh_from_files() -> dict:
    """Read the workers' figures (blocking: run it in a thread)."""
    from generation.tasks import journal, pipeline

    from .materialize import materialized_count

    return {"stages": pipeline().approvals.counts(), "jobs": journal().counts(),
            "outcomes": journal().outcome_counts(), "llm": _usage(pipeline().paths.llm_usage_db).totals(),
            "materialized": materialized_count()}


def apply(figures: dict, at: float) -> None:
    """Set the gauges from `refresh_from_files`' figures (on the reactor)."""
    for stage in STAGES:
        PROPOSALS.labels(stage).set(figures["stages"].get(stage, 0))
    for state in JOB_STATES:
        JOB_QUEUE.labels(state).set(figures["jobs"].get(state, 0))
    JOB_OUTCOMES.clear()
    fallbacks = 0
    for status, accepted, _provider, fell_back, n in figures["outcomes"]:
        JOB_OUTCOMES.labels(status, "accepted" if accepted else "rejected").inc(n)
        fallbacks += n if fell_back else 0
    LLM_FALLBACKS.set(fallbacks)
    for row in figures["llm"]:
        LLM_CALLS.labels(row["model"], row["outcome"]).set(row["calls"])
    for (model, direction), n in _tokens(figures["llm"]).items():
        LLM_TOKENS.labels(model, direction).set(n)
    MATERIALIZED.set(figures["materialized"])
    FILES_READ_AT.set(at)


def _tokens(rows: list[dict]) -> dict[tuple[str, str], int]:
    out: dict[tuple[str, str], int] = {}
    for row in rows:
        for direction in ("prompt", "completion"):
            key = (row["model"], direction)
            out[key] = out.get(key, 0) + row[f"{direction}_tokens"]
    return out


def render() -> bytes:
    """The Prometheus text exposition of everything above."""
    from .observatory import players_online

    PLAYERS.set(players_online())
    PYTHON_BLOCKS.set(sys.getallocatedblocks())
    return generate_latest(REGISTRY)
