"""Draft stage: counter-based RNG, grammar, and same seed → same draft."""

import pytest

from generation.drafting import draft, proposal_id, resolve_inputs
from generation.grammar import expand
from generation.models.proposal import Kind
from generation.rng import Rng


def test_rng_depends_only_on_seed_stream_and_counter():
    a, b = Rng(5, "s"), Rng(5, "s")
    assert [a.u64() for _ in range(5)] == [b.u64() for _ in range(5)]
    assert Rng(5, "s").u64() != Rng(5, "t").u64() != Rng(6, "s").u64()
    r = Rng(1, "x")
    assert all(3 <= r.randint(3, 7) <= 7 for _ in range(200))
    assert {r.weighted({"a": 1, "b": 0}) for _ in range(50)} == {"a"}


def test_grammar_expands_nested_rules_with_modifiers():
    rules = {"start": ["#thing.a.cap# by #place#"], "thing": ["oak"], "place": ["#region#"]}
    assert expand(rules, "start", Rng(1, "g"), {"region": "the Veil"}) == "An oak by the Veil"


@pytest.mark.parametrize("kind", list(Kind))
def test_same_seed_same_draft(kind, index):
    one = draft(kind, 42, resolve_inputs(kind, 42, None, index))
    two = draft(kind, 42, resolve_inputs(kind, 42, None, index))
    assert one.payload == two.payload and one.id == two.id and one.tags == two.tags
    other = draft(kind, 43, resolve_inputs(kind, 43, None, index))
    assert other.id != one.id
    assert one.payload["id"] == f"gen.{one.id}"
    assert one.provenance.tables and all(len(v) == 64 for v in one.provenance.tables.values())


def test_proposal_id_depends_on_kind_seed_and_inputs():
    assert proposal_id(Kind.npc, 1, {"region": "forest"}) != proposal_id(Kind.npc, 1, {"region": "desert"})
    assert proposal_id(Kind.npc, 1, {"region": "forest"}) == proposal_id(Kind.npc, 1, {"region": "forest"})


def test_room_block_hangs_off_the_wanted_dead_end(index):
    inputs = resolve_inputs(Kind.room_block, 9, "forest", index, {"anchor": "forest.hidden_shrine"})
    proposal = draft(Kind.room_block, 9, inputs)
    assert proposal.payload["anchor"]["room"] == "forest.hidden_shrine"
    assert proposal.payload["rooms"][0]["exits"][0]["to"] == "forest.hidden_shrine"


def test_unknown_region_is_refused(index):
    with pytest.raises(ValueError, match="unknown region"):
        resolve_inputs(Kind.npc, 1, "atlantis", index)
