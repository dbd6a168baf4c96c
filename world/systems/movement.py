"""Movement system: agents walk the region adjacency graph from the config.

Explorers of any role step to a random neighbour (curious ones more often);
merchant caravans carrying goods head for the neighbour paying most for them.
"""

import numpy as np
from numba import njit

from ..enums import EXPLORE, MERCHANT, TRADE
from ..params import CURIOUS_MOVE, EXPLORE_MOVE, TRADE_MAX


@njit(nogil=True, cache=True, inline="always")
def next_region(st, region, role, carry, kind, timer, curious, u1, u2, P, nb, deg, best_nb):
    if st == EXPLORE:
        if deg[region] > 0 and u1 < P[EXPLORE_MOVE] + (P[CURIOUS_MOVE] * curious >> 8):
            return nb[region, (u2 * deg[region]) >> 16]
        return region
    if st == TRADE and role == MERCHANT and carry > 0 and timer < P[TRADE_MAX]:
        return best_nb[region, kind]
    return region


def best_neighbours(price: np.ndarray, nb: np.ndarray, deg: np.ndarray) -> np.ndarray:
    """[R, K] region (self or a neighbour) paying the strictly highest price per resource.

    Ties go to the neighbour listed first; `nb` rows are padded with the region itself.
    """
    R = price.shape[0]
    offers = price[nb]                          # [R, D, K]
    j = np.argmax(offers, axis=1)               # first neighbour with the top offer
    best = np.take_along_axis(nb[:, :, None].repeat(price.shape[1], axis=2), j[:, None, :], axis=1)[:, 0, :]
    return np.where(offers.max(axis=1) > price, best, np.arange(R)[:, None]).astype(np.int64)
