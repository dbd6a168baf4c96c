"""Guardrail overrides: an admin's `set` is validated whole, written to the
runtime overrides file atomically, and live at once for every reader."""

import json

import pytest

from generation.guardrails import GuardrailRefused, GuardrailsFile
from generation.runtime import CONTENT_DIR


@pytest.fixture
def rails(tmp_path):
    return GuardrailsFile(CONTENT_DIR / "guardrails.json", tmp_path / "overrides.json")


def test_set_is_validated_written_and_live_for_another_reader(rails, tmp_path):
    other = GuardrailsFile(rails.path, rails.overrides)
    assert other.current().llm.timeout_s == 20
    rails.set("llm.timeout_s", 7.5)
    rails.set("require_approval", True)
    rails.set("director.cooldown_ticks.dead_end", 5)
    assert json.loads(rails.overrides.read_text()) == {
        "llm": {"timeout_s": 7.5}, "require_approval": True, "director": {"cooldown_ticks": {"dead_end": 5}}}
    limits = other.current()
    assert (limits.llm.timeout_s, limits.require_approval, limits.director.cooldown_ticks["dead_end"]) == (7.5, True, 5)
    assert limits.director.cooldown_ticks["gold_sink"] == 240  # siblings keep the shipped values
    assert limits.llm.attempts == 3
    assert json.loads(rails.path.read_text())["require_approval"] is False  # the shipped file is untouched


@pytest.mark.parametrize("key, value, problem", [
    ("llm.timeout_s", -1, "llm.timeout_s"),
    ("jobs_per_minute", "lots", "jobs_per_minute"),
    ("no_such_limit", 1, "no guardrail named 'no_such_limit'"),
    ("llm.nope", 1, "no guardrail named 'llm.nope'"),
    ("nope.deeper", 1, "no guardrail named 'nope'"),
])
def test_bad_values_are_refused_and_nothing_is_written(rails, key, value, problem):
    rails.set("legendary_max", 2)
    before = rails.overrides.read_text()
    with pytest.raises(GuardrailRefused, match=problem):
        rails.set(key, value)
    assert rails.overrides.read_text() == before
    assert rails.current().legendary_max == 2


def test_without_overrides_file_set_is_refused(tmp_path):
    with pytest.raises(GuardrailRefused):
        GuardrailsFile(CONTENT_DIR / "guardrails.json").set("legendary_max", 2)
