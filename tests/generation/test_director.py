"""The director: rules → jobs, sliders, cooldowns, the switch, the why-trace."""

import pytest

from generation.director import DecisionLog, Director, Switch
from generation.director.figures import kpi_events
from generation.guardrails import GuardrailsFile
from generation.jobs import JobRequest
from generation.models.proposal import Kind
from generation.pipeline import Pipeline
from world.config import load_config
from world.simulation import Simulation

EVENTS = [
    ({"type": "player_moved", "region": "forest", "room": "forest.hidden_shrine", "tags": ["dead_end"], "tick": 1}, Kind.room_block),
    ({"type": "npc_killed", "region": "desert", "archetype": "npc.bandit", "boss": True, "tick": 1}, Kind.world_event),
    ({"type": "kpi", "region": "market", "inflation": 1.8, "tick": 1}, Kind.npc),
    ({"type": "kpi", "region": "village", "population": 95, "capacity": 100, "tick": 1}, Kind.room_block),
    ({"type": "quests", "region": "plains", "open": 0, "tick": 1}, Kind.quest),
]


@pytest.fixture
def director(runtime):
    switch = Switch(runtime.director_state)
    switch.set_sliders(chaos=1.0, aggression=1.0, expansion=1.0)
    return Director(switch, GuardrailsFile(runtime.guardrails), DecisionLog(runtime.decision_log))


@pytest.mark.parametrize("event,kind", EVENTS)
def test_each_trigger_asks_for_its_job(director, event, kind):
    jobs = director.handle(event)
    assert [j.kind for j in jobs] == [kind]
    assert 0 <= jobs[0].params["strength"] <= 1


def test_quiet_events_ask_for_nothing(director):
    assert director.handle({"type": "kpi", "region": "market", "inflation": 1.0}) == []
    assert director.handle({"type": "npc_killed", "region": "forest", "archetype": "npc.bandit"}) == []


def test_same_seed_same_decisions(runtime):
    def run():
        d = Director(Switch(runtime.director_state), GuardrailsFile(runtime.guardrails), DecisionLog(runtime.decision_log))
        return [(j.kind, j.seed, j.params) for e, _ in EVENTS * 3 for j in d.handle(e)]

    assert run() == run()


def test_cooldown_and_pause_and_stop_take_effect_at_once(director):
    event = EVENTS[1][0]
    assert director.handle(event)
    assert director.handle(event | {"tick": 2}) == []  # cooling down
    director.switch.pause(by="ada")
    assert director.handle(EVENTS[4][0]) == []
    director.switch.emergency_stop(by="ada")
    assert director.handle(EVENTS[2][0]) == []
    director.switch.resume(by="ada")
    assert director.handle(EVENTS[2][0])
    director.log.flush_skips()
    [summary] = [r["counts"] for r in director.log.records() if r["type"] == "skipped"]
    assert summary == {"power_vacuum: cooling down": 1, "stale_quests: director is paused": 1, "gold_sink: director is stopped": 1}


def test_why_trace_joins_decision_and_outcome(runtime):
    pipe = Pipeline(runtime)
    director = Director(pipe.switch, pipe.guardrails, pipe.log, submit=pipe.run_job)
    pipe.switch.set_sliders(chaos=0.0, aggression=1.0, expansion=1.0)
    [job] = director.handle(EVENTS[1][0])
    trace = pipe.log.trace(job.job_id)
    decision, outcome = trace
    assert decision["rule"] == "power_vacuum" and decision["trigger"]["archetype"] == "npc.bandit"
    assert outcome["proposal_id"].startswith("world_event.") and outcome["verdict"]["accepted"]
    assert outcome["status"] == "published" and outcome["commit"]


def test_stopped_director_holds_validated_proposals(runtime):
    pipe = Pipeline(runtime)
    pipe.switch.emergency_stop(by="ada")
    outcome = pipe.run_job(JobRequest(kind=Kind.item, seed=5))
    assert outcome["status"] == "held" and pipe.library.commit_of(outcome["proposal_id"]) is None
    assert pipe.approvals.state(outcome["proposal_id"]) == "held"


def test_cooldowns_survive_a_restart(runtime):
    def director():
        switch = Switch(runtime.director_state)
        switch.set_sliders(chaos=1.0, aggression=1.0, expansion=1.0)
        return Director(switch, GuardrailsFile(runtime.guardrails), DecisionLog(runtime.decision_log),
                        cooldowns=runtime.root / "director-cooldowns.json")

    event = EVENTS[1][0]
    assert director().handle(event)
    again = director()  # a new process: the restarted server
    assert again.handle(event | {"tick": 2}) == []
    assert again.last_fired == {("power_vacuum", "desert"): 1}


def test_a_live_gold_sink_merchant_stops_the_gold_sink_rule(director):
    assert director.handle(EVENTS[2][0] | {"gold_sink_present": True}) == []
    assert director.handle(EVENTS[2][0] | {"gold_sink_present": False})


def test_no_gold_sink_at_the_economys_steady_state_and_one_for_real_inflation(director):
    """The Market's price index settles far above 100 (a hub that produces nothing runs short of goods),
    which is scarcity, not excess coin: over 3,000 ticks the director never asks for a gold sink; when
    players pour in as much coin again as the world holds, it does."""
    sim = Simulation.create(load_config(), 5_000, 5)
    gold_sinks, highest = [], 0.0
    for _ in range(50):
        sim.run(60)  # the bridge sends the figures every 60 ticks
        kpis = sim.kpis()
        highest = max(highest, kpis["price_index"]["market"])
        populations = {r: sim.region_view(r)["population"] for r in kpis["inflation"]}
        gold_sinks += [j for e in kpi_events(kpis, populations, set()) for j in director.handle(e)
                       if j.params.get("purpose") == "gold_sink"]
    assert highest > 135, "the Market's scarcity sets its prices far above the base"
    assert gold_sinks == []
    sim.players.queue_flow("quest_reward", 2 * int(sim.state.money[0]))  # the money supply trebles
    sim.step()
    kpis = sim.kpis()
    populations = {r: sim.region_view(r)["population"] for r in kpis["inflation"]}
    events = kpi_events(kpis, populations, {"forest"})
    jobs = [j for e in events for j in director.handle(e | {"tick": sim.tick}) if j.params.get("purpose") == "gold_sink"]
    assert {j.region for j in jobs} == {"plains", "desert", "village", "market"}  # the forest has one live
