"""The observatory's snapshot and history after real simulation steps: one
point per step, read incrementally by sequence number, bounded."""

import pytest

from game.observatory import Observatory
from world.config import load_config
from world.simulation import Simulation


@pytest.fixture(scope="module")
def sim():
    return Simulation.create(load_config("content/simulation/tera.json"), agents=5000, seed=3)


def test_points_follow_the_steps_and_read_incrementally(sim):
    watch = Observatory(history_points=3, players=lambda: 2)
    assert watch.snapshot is None and watch.history() == []
    ticks = []
    for _ in range(5):
        events = sim.step()
        watch.stepped(sim, events)
        ticks.append(sim.tick)
    points = watch.history()
    assert [p["tick"] for p in points] == ticks[-3:]  # bounded: the oldest fell off
    assert [p["seq"] for p in points] == [3, 4, 5]
    assert [p["seq"] for p in watch.history(after=4)] == [5] and watch.history(limit=1) == points[-1:]
    last = points[-1]
    assert sum(last["population"].values()) == sum(last["roles"].values()) == sim.kpis()["agents_alive"]
    assert last["players_online"] == 2 and 0 <= last["wealth_gini"] <= 1 and last["events_per_minute"] >= len(events)
    state = watch.snapshot
    assert state["tick"] == sim.tick and len(state["regions"]) == 5
    assert {"id", "population", "prices", "controller", "sway", "active_events"} <= set(state["regions"][0])


def test_the_history_can_be_cut_to_the_servers_setting(sim):
    watch = Observatory(history_points=5, players=lambda: 0)
    for _ in range(4):
        watch.stepped(sim, sim.step())
    watch.keep(2)
    assert watch.history_points == 2 and [p["seq"] for p in watch.history()] == [3, 4]
    watch.stepped(sim, sim.step())
    assert [p["seq"] for p in watch.history()] == [4, 5]
