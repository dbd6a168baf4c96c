"""Wealth Gini: known values, dead agents left out, the strided sample close
to the exact figure."""

import numpy as np
import pytest

from world.enums import DEAD, IDLE
from world.inequality import gini, wealth_gini
from world.state import WorldState


def test_known_values():
    assert gini(np.array([5, 5, 5, 5])) == pytest.approx(0.0)
    assert gini(np.array([0, 0, 0, 10])) == pytest.approx(0.75)
    assert gini(np.array([1, 2, 3, 4])) == pytest.approx(0.25)
    assert gini(np.array([])) == 0.0 and gini(np.zeros(3)) == 0.0


def test_dead_agents_do_not_count_and_the_sample_is_close():
    state = WorldState.allocate(200_000, 5, seed=1)
    rng = np.random.default_rng(7)
    state.wealth[:] = rng.pareto(1.5, state.wealth.size) * 100
    state.state[:] = IDLE
    exact = gini(state.wealth)
    assert wealth_gini(state) == pytest.approx(exact, abs=0.02)
    state.state[::2] = DEAD
    state.wealth[::2] = 0  # the dead hold nothing; counting them would raise the Gini
    assert wealth_gini(state, sample=10**9) == pytest.approx(gini(state.wealth[1::2]))
