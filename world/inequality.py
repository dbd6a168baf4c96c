"""Wealth inequality of the living agents: the Gini coefficient (0 = all
equal, 1 = one agent holds everything), over an evenly strided sample so it
costs the same whatever the agent count."""

import numpy as np

from .enums import DEAD

SAMPLE = 10_000


def gini(values: np.ndarray) -> float:
    """Gini coefficient of non-negative values (0.0 for none or all zero)."""
    v = np.sort(np.clip(np.asarray(values, dtype=np.float64), 0, None))
    total = v.sum()
    if v.size == 0 or total == 0:
        return 0.0
    ranks = np.arange(1, v.size + 1)
    return float((2 * (ranks * v).sum()) / (v.size * total) - (v.size + 1) / v.size)


def wealth_gini(state, sample: int = SAMPLE) -> float:
    """Gini of the wealth of living agents in `state` (a WorldState),
    over every k-th agent so that at most about `sample` are read."""
    stride = max(1, state.wealth.size // sample)
    wealth, alive = state.wealth[::stride], state.state[::stride] != DEAD
    return gini(wealth[alive])
