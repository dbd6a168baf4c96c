"""A small seeded text grammar: `#rule#` expands to one alternative of `rule`,
`#rule.cap#` capitalises it, `#rule.a#` puts "a"/"an" before it. Context
values act as one-alternative rules."""

import re
from collections.abc import Mapping

from .rng import Rng

_TOKEN = re.compile(r"#([a-z0-9_]+)((?:\.[a-z]+)*)#")
MAX_DEPTH = 12


def _article(text: str) -> str:
    return ("an " if text[:1].lower() in "aeiou" else "a ") + text


def _modify(text: str, modifiers: str) -> str:
    for mod in filter(None, modifiers.split(".")):
        if mod == "cap":
            text = text[:1].upper() + text[1:]
        elif mod == "a":
            text = _article(text)
        else:
            raise KeyError(f"unknown grammar modifier .{mod}")
    return text


def expand(rules: Mapping[str, list[str]], start: str, rng: Rng, context: Mapping[str, str] = {}) -> str:
    """Expand rule `start`; raises KeyError for an unknown rule."""

    def pick(name: str, depth: int) -> str:
        if name in context:
            return context[name]
        if depth > MAX_DEPTH:
            raise RecursionError(f"grammar rule {name} nests deeper than {MAX_DEPTH}")
        return fill(rng.choice(rules[name]), depth + 1)

    def fill(text: str, depth: int) -> str:
        return _TOKEN.sub(lambda m: _modify(pick(m.group(1), depth), m.group(2)), text)

    return pick(start, 0)
