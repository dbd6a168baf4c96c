"""Counter-based deterministic RNG: draw n of stream s under seed k is
blake2b(k, s, n). Same (seed, stream) gives the same draws on any machine,
in any process, whatever else was drawn before. Never touches `random`."""

import hashlib
from collections.abc import Mapping, Sequence
from typing import TypeVar

T = TypeVar("T")

_SCALE = 1.0 / 2**64


class Rng:
    """Draws from one (seed, stream); `child(name)` opens an independent stream."""

    def __init__(self, seed: int, stream: str):
        self.seed = int(seed)
        self.stream = stream
        self.counter = 0

    def child(self, name: str) -> "Rng":
        return Rng(self.seed, f"{self.stream}/{name}")

    def u64(self) -> int:
        key = f"{self.seed}:{self.stream}:{self.counter}".encode()
        self.counter += 1
        return int.from_bytes(hashlib.blake2b(key, digest_size=8).digest(), "big")

    def random(self) -> float:
        """Uniform float in [0, 1)."""
        return self.u64() * _SCALE

    def randint(self, low: int, high: int) -> int:
        """Uniform int in [low, high] (both included)."""
        if high < low:
            raise ValueError(f"empty range {low}..{high}")
        return low + self.u64() % (high - low + 1)

    def uniform(self, low: float, high: float) -> float:
        return low + (high - low) * self.random()

    def choice(self, options: Sequence[T]) -> T:
        if not options:
            raise ValueError("choice from an empty sequence")
        return options[self.u64() % len(options)]

    def weighted(self, weights: Mapping[T, float]) -> T:
        """A key of `weights`, drawn with probability proportional to its weight
        (keys taken in sorted order so the draw never depends on dict order)."""
        keys = sorted(weights)
        total = sum(weights[k] for k in keys)
        if total <= 0:
            raise ValueError("weights sum to zero")
        point = self.random() * total
        for key in keys:
            point -= weights[key]
            if point < 0:
                return key
        return keys[-1]

    def sample(self, options: Sequence[T], count: int) -> list[T]:
        """`count` distinct elements, in draw order."""
        pool = list(options)
        return [pool.pop(self.u64() % len(pool)) for _ in range(min(count, len(pool)))]
