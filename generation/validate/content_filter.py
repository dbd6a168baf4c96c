"""Rule `content_filter`: banned words and themes (keyword lists in the
guardrails), matched case-insensitively on word boundaries in every flavor
string."""

import re
from functools import lru_cache

from ..guardrails import Guardrails
from ..models.proposal import Proposal
from .verdict import Reason

RULE = "content_filter"


@lru_cache(maxsize=8)
def _patterns(words: tuple[str, ...], themes: tuple[tuple[str, tuple[str, ...]], ...]) -> list[tuple[str, re.Pattern]]:
    def alt(terms):
        return re.compile(r"(?<![a-z0-9])(" + "|".join(re.escape(t.lower()) for t in terms) + r")(?![a-z0-9])")

    out = [("banned word", alt(words))] if words else []
    return out + [(f"banned theme '{name}'", alt(terms)) for name, terms in themes if terms]


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
        lowered = text.lower()
        for label, pattern in patterns:
            hit = pattern.search(lowered)
            if hit:
                reasons.append(Reason(RULE, path, f"{label}: {hit.group(1)!r}"))
    return reasons
