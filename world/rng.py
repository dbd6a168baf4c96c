"""Counter-based RNG: every draw is a pure function of (seed, stream, entity, tick).

`tick_key(seed, stream, tick)` is computed once per tick and system in Python;
kernels then call `draw(key, entity)` which is one splitmix64 finalizer, so the
result does not depend on thread count or iteration order.  A 64-bit draw is
sliced into four 16-bit uniforms compared against Q16 probabilities.
"""

import numpy as np
from numba import njit

MASK = (1 << 64) - 1
GOLDEN = 0x9E3779B97F4A7C15

# Stream ids, one per consumer of randomness.
AGENT_A, AGENT_B, CREATE, MACRO, SOCIAL, EVENTS = 1, 2, 3, 4, 5, 6


def mix64_py(x: int) -> int:
    """splitmix64 finalizer on Python ints (bit-identical to `mix64`)."""
    x &= MASK
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & MASK
    return x ^ (x >> 31)


def tick_key(seed: int, stream: int, tick: int) -> int:
    """Key for one (seed, stream, tick); pass it to `draw` with the entity id."""
    return mix64_py(mix64_py(mix64_py(seed) ^ (stream * GOLDEN)) ^ (tick * 0xD1B54A32D192ED03))


def draw_py(key: int, entity: int) -> int:
    """Python twin of `draw` for region-level systems."""
    return mix64_py(key + ((entity + 1) * GOLDEN))


def q16(h: int, lane: int) -> int:
    """16-bit uniform number `lane` (0..3) out of a 64-bit draw."""
    return (h >> (16 * lane)) & 0xFFFF


@njit(nogil=True, cache=True, inline="always")
def mix64(x):
    x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return x ^ (x >> np.uint64(31))


@njit(nogil=True, cache=True, inline="always")
def draw(key, entity):
    """64 random bits for `entity` under a tick key (uint64)."""
    return mix64(key + np.uint64(entity + 1) * np.uint64(GOLDEN))


@njit(nogil=True, cache=True, inline="always")
def lane(h, k):
    """16-bit uniform `k` of a draw, as int64 in [0, 65536)."""
    return np.int64((h >> np.uint64(16 * k)) & np.uint64(0xFFFF))
