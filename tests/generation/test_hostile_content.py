"""Hostile flavor text: obfuscated banned words (inflections, full-width,
long s, invisible joiners, homoglyphs, leetspeak) are caught by the content
filter, invisible and formatting characters never survive the sanitizer,
single-line fields refuse newlines, and a throttled job spends no LLM call."""

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generation.enrich import PROCEDURAL, FlavorRejected
from generation.enrich.check import checked_flavor
from generation.models.proposal import Kind
from generation.pipeline import Pipeline, make
from generation.sanitize import is_clean, sanitize_text
from generation.validate import check
from generation.validate.content_filter import normalized_for_matching

INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u061c", "\u00ad", "\u2028", "\u2029", "\U000e0041", "\U000e007f"]


def _flagged(text, item, index, guardrails):
    p = item.model_copy(update={"flavor": {**item.flavor, "desc": sanitize_text(text, 600)}})
    return {r.rule for r in check(p, index, guardrails)} == {"content_filter"}


@pytest.fixture(scope="module")
def item(index):
    return make(Kind.item, 6, None, index, PROCEDURAL)


@pytest.mark.parametrize("text", [
    "what the fucking hell", "a shitty blade", "ｆｕｃｋ this", "ſhit happens", "fu\u200bck", "f\u2060u\ufeffc\u00adk",
    "FUCKER", "motherfucker", "bullshit", "fuuuuck", "sh1t", "5h!t", "fu\u0441k", "f.u.c.k", "f u c k", "fück",
    "buy a computers", "Hitler's army", "raped", "the C\u0336U\u0336N\u0336T", "\U000e0066fuck\U000e007f",
])
def test_obfuscated_banned_words_are_caught(text, item, index, guardrails):
    assert _flagged(text, item, index, guardrails), normalized_for_matching(text)


@pytest.mark.parametrize("text", [
    "a spicy stew", "grapes on the vine", "she scraped the hull", "an assassin's cloak", "the town of Scunthorpe",
    "a shiitake mushroom", "therapist", "a cocktail of herbs", "he hit the nail", "as hit by a storm", "1000 coins",
])
def test_innocent_words_pass(text, item, index, guardrails):
    assert not _flagged(text, item, index, guardrails), normalized_for_matching(text)


WIDE = {c: chr(ord(c) - 0x61 + 0xFF41) for c in "abcdefghijklmnopqrstuvwxyz"}
LEET = {"i": "1", "s": "5", "o": "0", "e": "3", "a": "4", "t": "7"}


@st.composite
def disguised(draw, words):
    word = draw(st.sampled_from(words)) + draw(st.sampled_from(["", "s", "ing", "er", "ed", "y", "ty"]))
    out = []
    for ch in word:
        ch = draw(st.sampled_from([ch, ch.upper(), WIDE.get(ch, ch), LEET.get(ch, ch)]))
        out.append(ch + draw(st.sampled_from(["", "", *INVISIBLE])))
    return draw(st.sampled_from(["", "A ", "Look, "])) + "".join(out) + draw(st.sampled_from(["", "!", " here."]))


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_any_disguise_of_a_banned_word_is_caught(data, item, index, guardrails):
    text = data.draw(disguised(["fuck", "shit", "cunt"]))
    assert _flagged(text, item, index, guardrails), (text, normalized_for_matching(text))


@settings(max_examples=300, deadline=None)
@given(st.text(), st.integers(min_value=1, max_value=300))
def test_no_invisible_or_format_character_survives(text, cap):
    out = sanitize_text(text, cap)
    assert not any(unicodedata.category(c) in ("Cf", "Zl", "Zp", "Cc") and c != "\n" for c in out)
    assert unicodedata.is_normalized("NFKC", out) and is_clean(out, cap)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(INVISIBLE + ["a", "b", " ", "\n"]), max_size=40))
def test_invisible_characters_are_dropped(chars):
    out = sanitize_text("".join(chars))
    assert set(out) <= {"a", "b", " ", "\n"}


def test_full_width_markup_cannot_sneak_past_the_escaper():
    assert sanitize_text("\uff5cr red \ufe69x \uff5b0\uff5d") == "||r red x 0"


@pytest.mark.parametrize("field", ["name", "barks"])
def test_single_line_fields_reject_newlines(field, index):
    npc = make(Kind.npc, 3, None, index, PROCEDURAL)
    value = "Old\nMara" if field == "name" else ["Hello\nthere"]
    with pytest.raises(FlavorRejected, match="single line"):
        checked_flavor(Kind.npc, npc.payload, {**npc.flavor, field: value})
    checked_flavor(Kind.npc, npc.payload, {**npc.flavor, "desc": "Two\nlines are fine here."})


class CountingProvider:
    name = "counting"

    def __init__(self):
        self.calls = 0

    def write(self, proposal):
        self.calls += 1
        return PROCEDURAL.write(proposal)


def test_a_throttled_job_spends_no_llm_call(runtime):
    from generation.jobs import JobRequest

    rails = runtime.guardrails.read_text().replace('"jobs_per_minute": 1000000', '"jobs_per_minute": 1')
    runtime.guardrails.write_text(rails)
    provider = CountingProvider()
    pipeline = Pipeline(runtime, provider)
    first = pipeline.run_job(JobRequest(kind="npc", seed=1, publish=False))
    second = pipeline.run_job(JobRequest(kind="npc", seed=2, publish=False))
    assert first["status"] == "accepted" and second["status"] == "rejected"
    assert "throttle.jobs_per_minute" in str(second["verdict"])
    assert provider.calls == 1
