"""Sanitizer: properties (hypothesis) and the known injections."""

import re
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from generation.sanitize import is_clean, sanitize_text


def _clean(text: str) -> bool:
    if any(c in text for c in "${}\xff\x1b"):
        return False
    if any((ord(c) < 32 and c != "\n") or 0x7F <= ord(c) <= 0x9F for c in text):
        return False
    return all(len(run) % 2 == 0 for run in re.findall(r"\|+", text))


@settings(max_examples=300, deadline=None)
@given(st.text(), st.integers(min_value=1, max_value=300))
def test_any_text_comes_out_clean_and_capped(text, cap):
    out = sanitize_text(text, cap)
    assert _clean(out)
    assert len(out) <= cap


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(whitelist_categories=("L", "N", "Zs"), blacklist_characters="\xff"), max_size=200))
def test_plain_prose_is_kept(text):
    """Letters, digits and spaces survive in NFKC form (but U+00FF, the telnet IAC byte, is dropped)."""
    assert sanitize_text(text) == unicodedata.normalize("NFKC", text).strip()


def test_known_injections_are_neutralised():
    evil = "|rRED|n |[x $eval(__import__('os')) {0.__class__} \x1b[2J\x1b]0;title\x07 \xff\xfd\x18 ok\r\x00\x85"
    out = sanitize_text(evil)
    assert "||rRED||n ||[x" in out
    assert "$" not in out and "{" not in out and "}" not in out
    assert "\x1b" not in out and "\xff" not in out and "\r" not in out and "\x00" not in out and "\x85" not in out
    assert out.endswith("ok")


def test_cap_never_splits_an_escaped_pipe():
    assert sanitize_text("abc|def", 4) == "abc"
    assert sanitize_text("ab|def", 4) == "ab||"


@settings(max_examples=300, deadline=None)
@given(st.text(), st.integers(min_value=1, max_value=300))
def test_sanitized_text_is_recognised_as_clean(text, cap):
    assert is_clean(sanitize_text(text, cap), cap)


def test_raw_markup_is_not_clean():
    assert not is_clean("|r") and not is_clean("a$b") and not is_clean("x\x1b[0m") and is_clean("a||b")
