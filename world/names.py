"""Stable agent names from (seed, agent id, life) and the syllable tables in the config."""

from .rng import draw_py, mix64_py

NAME_STREAM = 0x4E414D45


def agent_name(names: dict, seed: int, agent_id: int, gen: int = 0) -> str:
    h = draw_py(mix64_py(seed ^ NAME_STREAM) ^ gen, agent_id)
    first, middle, last = names["first"], names["middle"], names["last"]
    word = first[h % len(first)] + middle[(h >> 16) % len(middle)] + last[(h >> 32) % len(last)]
    return word[:1].upper() + word[1:].lower()
