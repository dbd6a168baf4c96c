"""Rule `content_filter`: banned words and themes (keyword lists in the
guardrails) in every flavor string, seen through the usual disguises.

Text is first brought to a matching form (`normalized_for_matching`):
NFKC (full-width letters, `ſ`), case folding, invisible and formatting
characters dropped (categories Cf, Zl, Zp, Mn: zero-width joiners, U+FEFF,
tag characters, strike-through overlays, accents), common homoglyphs
(Cyrillic and Greek look-alikes) and leetspeak digits/symbols mapped to
letters, letters spelled out with separators joined (`f.u.c.k`, `f u c k`),
and runs of one letter squeezed to one (`fuuuck`). A term then matches as a
whole word with an optional inflection (`-s`, `-ed`, `-ing`, `-er`, and for
the banned words also `-ty`, `-head`, ...) and, for the banned words, an
optional compounding prefix (`mother-`, `bull-`). Terms are squeezed the
same way, so `shitty` is found as `shity`. Innocent words that merely
contain a term (`spicy`, `grape`, `Scunthorpe`, `rapier`) pass, since only
listed prefixes and suffixes may surround it and `INNOCENT` lists the
everyday words the stem rules would still hit."""

import re
import unicodedata
from functools import lru_cache

from ..guardrails import Guardrails
from ..models.proposal import Proposal
from .verdict import Reason

RULE = "content_filter"

HOMOGLYPHS = str.maketrans({
    # Cyrillic
    "а": "a", "в": "b", "е": "e", "ё": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p", "с": "c",
    "т": "t", "у": "y", "х": "x", "і": "i", "ї": "i", "ј": "j", "ѕ": "s", "ԁ": "d", "ԛ": "q", "ԝ": "w", "ь": "b",
    # Greek
    "α": "a", "β": "b", "ε": "e", "η": "n", "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p", "τ": "t",
    "υ": "u", "χ": "x", "ς": "s", "σ": "o",
    # leetspeak
    "0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "8": "b", "9": "g",
    "@": "a", "$": "s", "+": "t", "€": "e", "£": "l", "¡": "i",
})
_BANG_IN_WORD = re.compile(r"!(?=[^\W\d_])")  # "5h!t", but "shit!" keeps its "!"
THEME_SUFFIXES = ("", "s", "es", "ed", "d", "er", "ers", "ing", "ist", "ists", "ism")
WORD_SUFFIXES = THEME_SUFFIXES + ("ings", "in", "y", "ty", "ie", "ies", "ier", "iest", "ery", "ish", "head", "heads", "hole",
                                  "holes", "face", "bag", "tard")
# Everyday words the stem rules would otherwise hit.
INNOCENT = frozenset({"spicy", "spiced", "spices", "spicer", "spicing", "spicier", "spiciest", "spicery", "trumped", "trumps",
                      "trumping", "trumper"})
PREFIXES = ("", "mother", "muther", "bull", "dip", "horse", "dog", "chicken", "dumb", "holy", "ape", "jack")
_SPELLED_OUT = re.compile(r"(?<![^\W\d_])(?:[^\W\d_][.\-_*\s]+){2,}[^\W\d_](?![^\W\d_])")
_SEPARATORS = re.compile(r"[.\-_*\s]+")
_REPEATS = re.compile(r"(.)\1+")
_DROPPED_CATEGORIES = frozenset({"Cf", "Zl", "Zp", "Mn", "Me"})


def _squeeze(text: str) -> str:
    return _REPEATS.sub(r"\1", text)


def normalized_for_matching(text: str) -> str:
    text = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text).casefold())
    text = "".join(c for c in text if unicodedata.category(c) not in _DROPPED_CATEGORIES)
    text = _BANG_IN_WORD.sub("i", unicodedata.normalize("NFKC", text)).translate(HOMOGLYPHS)
    text = _SPELLED_OUT.sub(lambda m: _SEPARATORS.sub("", m.group(0)), text)
    return _squeeze(text)


def _forms(term: str, prefixes: tuple[str, ...], suffixes: tuple[str, ...]) -> set[str]:
    term = normalized_for_matching(term)
    out = set()
    for prefix in prefixes:
        for suffix in suffixes:
            stem = term[:-1] if term.endswith("e") and suffix[:1] in ("e", "i", "y") else term
            out.add(_squeeze(prefix + stem + suffix))
    return out - {_squeeze(w) for w in INNOCENT}


@lru_cache(maxsize=8)
def _patterns(words: tuple[str, ...], themes: tuple[tuple[str, tuple[str, ...]], ...]) -> list[tuple[str, re.Pattern]]:
    def alt(terms, prefixes, suffixes):
        forms = sorted(set().union(*(_forms(t, prefixes, suffixes) for t in terms)), key=len, reverse=True)
        return re.compile(r"(?<![a-z0-9])(" + "|".join(re.escape(f) for f in forms) + r")(?![a-z0-9])")

    out = [("banned word", alt(words, PREFIXES, WORD_SUFFIXES))] if words else []
    return out + [(f"banned theme '{name}'", alt(terms, ("",), THEME_SUFFIXES)) for name, terms in themes if terms]


def _strings(value, path: str):
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _strings(v, f"{path}[{i}]")
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _strings(v, f"{path}.{k}")


def check_content(proposal: Proposal, g: Guardrails) -> list[Reason]:
    patterns = _patterns(tuple(g.banned_words), tuple((k, tuple(v)) for k, v in sorted(g.banned_themes.items())))
    reasons = []
    for path, text in _strings(proposal.flavor, "$.flavor"):
        matchable = normalized_for_matching(text)
        for label, pattern in patterns:
            hit = pattern.search(matchable)
            if hit:
                reasons.append(Reason(RULE, path, f"{label}: {hit.group(1)!r}"))
    return reasons
