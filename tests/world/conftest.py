"""Fixtures for the simulation tests: the default config and small simulations."""

import pytest

from world.config import load_config
from world.simulation import Simulation


@pytest.fixture(scope="session")
def cfg():
    return load_config()


@pytest.fixture
def make_sim(cfg):
    def make(agents=2000, seed=7, config=None):
        return Simulation.create(config or cfg, agents, seed)
    return make
