"""Notable agents: per region and role, the most famous living agents, in one pass.

`notable_agents(state, n_regions, k)` scans every agent once (a numba kernel
that releases the GIL, meant for the step thread after a tick) and returns an
int64 array [region, role, k] of agent ids, most famous first (ties: lower id),
padded with -1.  Looking up who could be met in a region is then O(k) instead
of a scan of every agent.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from .enums import DEAD, ROLES
from .state import WorldState


@njit(nogil=True, cache=True)
def _top_k(region, state, role, fame, ids, fames, counts):
    k = ids.shape[2]
    for i in range(region.size):
        if state[i] == DEAD:
            continue
        r, ro, f = region[i], role[i], np.int64(fame[i])
        n = counts[r, ro]
        if n == k and f <= fames[r, ro, k - 1]:
            continue
        j = n if n < k else k - 1
        while j > 0 and fames[r, ro, j - 1] < f:
            fames[r, ro, j] = fames[r, ro, j - 1]
            ids[r, ro, j] = ids[r, ro, j - 1]
            j -= 1
        fames[r, ro, j] = f
        ids[r, ro, j] = i
        if n < k:
            counts[r, ro] = n + 1


def notable_agents(state: WorldState, n_regions: int, k: int) -> np.ndarray:
    """[region, role, k] ids of the k most famous living agents, -1 padded."""
    if k < 1:
        raise ValueError("k must be >= 1")
    shape = (n_regions, len(ROLES), k)
    ids = np.full(shape, -1, np.int64)
    fames = np.full(shape, -1, np.int64)
    counts = np.zeros(shape[:2], np.int64)
    _top_k(state.region, state.state, state.role, state.fame, ids, fames, counts)
    return ids
