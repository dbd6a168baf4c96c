"""Validate stage: every rule rejects what it should, names itself, and the
guardrails file is re-read when it changes."""

import json
import os
import time

from hypothesis import given, settings
from hypothesis import strategies as st

from generation.guardrails import GuardrailsFile
from generation.models.proposal import Kind
from generation.pipeline import make
from generation.enrich import PROCEDURAL
from generation.validate import GateState, GateStateFile, check, validate
from generation.validate.balance import npc_stat_points


def _made(kind, seed, index, region=None, **params):
    return make(kind, seed, region, index, PROCEDURAL, params)


def _rules(reasons):
    return {r.rule for r in reasons}


def test_fresh_proposals_of_every_kind_pass(index, guardrails):
    for kind in Kind:
        for seed in range(20):
            assert check(_made(kind, seed, index), index, guardrails) == []


def test_schema_rejects_unsanitized_or_foreign_flavor(index, guardrails):
    p = _made(Kind.npc, 1, index)
    dirty = p.model_copy(update={"flavor": {**p.flavor, "name": "|rboss"}})
    assert _rules(check(dirty, index, guardrails)) == {"schema"}
    escaped = p.model_copy(update={"flavor": {**p.flavor, "name": "||rboss"}})
    assert check(escaped, index, guardrails) == []
    foreign = p.model_copy(update={"flavor": {**p.flavor, "threat": 0}})
    assert "not a flavor field" in str(check(foreign, index, guardrails))


def test_item_kind_outside_guardrails_is_rejected(index, guardrails):
    p = _made(Kind.item, 2, index)
    herb = p.model_copy(update={"payload": {**p.payload, "kind": "herb", "slot": None, "power": 0}})
    assert "schema" in _rules(check(herb, index, guardrails))


def test_integrity_catches_missing_anchor_and_taken_cells(index, guardrails):
    p = _made(Kind.room_block, 3, index)
    gone = p.model_copy(update={"payload": {**p.payload, "anchor": {**p.payload["anchor"], "room": "forest.nowhere"}}})
    assert "integrity" in _rules(check(gone, index, guardrails))
    rooms = [dict(r) for r in p.payload["rooms"]]
    rooms[0] = {**rooms[0], "coords": {"x": 0, "y": 0, "z": 0}}
    assert any("taken" in str(r) for r in check(p.model_copy(update={"payload": {**p.payload, "rooms": rooms}}), index, guardrails))


def test_integrity_catches_unknown_quest_targets(index, guardrails):
    p = _made(Kind.quest, 4, index)
    nodes = [dict(n) for n in p.payload["nodes"]]
    nodes[0]["target"] = "nothing.here"
    assert "integrity" in _rules(check(p.model_copy(update={"payload": {**p.payload, "nodes": nodes}}), index, guardrails))


def test_integrity_catches_an_item_naming_no_stock_or_loot_table(index, guardrails):
    p = _made(Kind.item, 6, index, placement="stock")
    assert not check(p, index, guardrails)
    for table, why in (("stock.atlantis", "no region atlantis"), ("loot.dragon", "no role dragon")):
        reasons = check(p.model_copy(update={"payload": {**p.payload, "table": table}}), index, guardrails)
        assert [r.rule for r in reasons] == ["integrity"] and why in str(reasons[0]), reasons


def test_balance_budgets(index, guardrails):
    item = _made(Kind.item, 5, index, item_kind="weapon")
    strong = item.model_copy(update={"payload": {**item.payload, "power": 999}})
    assert "balance.item_power" in _rules(check(strong, index, guardrails))
    quest = _made(Kind.quest, 5, index)
    rich = quest.model_copy(update={"payload": {**quest.payload, "rewards": {**quest.payload["rewards"], "gold": 10_000}}})
    assert "balance.quest_gold" in _rules(check(rich, index, guardrails))
    npc = _made(Kind.npc, 5, index, region="village")
    deadly = npc.model_copy(update={"payload": {**npc.payload, "threat": 9}})
    assert "balance.npc_threat" in _rules(check(deadly, index, guardrails))


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 2**40), st.integers(1, 10_000), st.integers(0, 1000), st.integers(0, 1000), st.integers(0, 10))
def test_accepted_npcs_always_fit_their_budget(index, guardrails, seed, health, attack, defense, threat):
    npc = _made(Kind.npc, seed, index)
    stats = {"health": health, "attack": attack, "defense": defense}
    changed = npc.model_copy(update={"payload": {**npc.payload, "stats": stats, "threat": threat}})
    if not check(changed, index, guardrails):
        assert threat <= guardrails.npc_threat_by_region[npc.tags.region]
        assert npc_stat_points(stats) <= guardrails.npc_stat_points_base + guardrails.npc_stat_points_per_threat * threat


def test_content_filter_names_the_theme(index, guardrails):
    p = _made(Kind.item, 6, index)
    bad = p.model_copy(update={"flavor": {**p.flavor, "desc": "Found on the Internet."}})
    reasons = check(bad, index, guardrails)
    assert _rules(reasons) == {"content_filter"} and "modern technology" in str(reasons[0])


def test_legendary_rate_is_capped_per_window(index, guardrails):
    legend = next(p for s in range(2000) if (p := _made(Kind.item, s, index)).tags.rarity.value == "legendary")
    second = next(p for s in range(2000, 6000) if (p := _made(Kind.item, s, index)).tags.rarity.value == "legendary")
    state = GateState()
    assert validate(legend, index, state, guardrails, now=0).accepted
    verdict = validate(second, index, state, guardrails, now=1)
    assert not verdict.accepted and "balance.legendary_rate" in _rules(verdict.reasons)


def test_throttles_and_retries(index, base_guardrails):
    g = base_guardrails.model_copy(update={"jobs_per_minute": 2})
    state = GateState()
    a, b, c = (_made(Kind.npc, s, index) for s in (1, 2, 3))
    assert validate(a, index, state, g, now=0).accepted
    assert validate(b, index, state, g, now=1).accepted
    assert "throttle.jobs_per_minute" in _rules(validate(c, index, state, g, now=2).reasons)
    assert validate(a, index, state, g, now=3).accepted  # a retry gets its remembered verdict
    blocks = [_made(Kind.room_block, s, index) for s in (1, 2)]
    state = GateState()
    assert validate(blocks[0], index, state, base_guardrails, now=0).accepted
    assert "throttle.expansions_in_flight" in _rules(validate(blocks[1], index, state, base_guardrails, now=1).reasons)


def test_gate_state_file_persists(tmp_path):
    store = GateStateFile(tmp_path / "gate.sqlite")
    with store.open() as state:
        state.generations = 7
    with GateStateFile(tmp_path / "gate.sqlite").open() as state:
        assert state.generations == 7


def test_guardrails_reload_on_change_and_keep_last_good(tmp_path, base_guardrails):
    path = tmp_path / "g.json"
    data = base_guardrails.model_dump(mode="json")
    path.write_text(json.dumps(data))
    rails = GuardrailsFile(path)
    assert rails.current().jobs_per_minute == data["jobs_per_minute"]
    path.write_text(json.dumps(data | {"jobs_per_minute": 7}))
    os.utime(path, ns=(time.time_ns(), time.time_ns() + 10**9))
    assert rails.current().jobs_per_minute == 7
    path.write_text("{broken")
    os.utime(path, ns=(time.time_ns(), time.time_ns() + 2 * 10**9))
    assert rails.current().jobs_per_minute == 7
