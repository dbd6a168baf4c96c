import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from world.enums import MACRO_KINDS
from world.simulation import LedgerError, Simulation
from world.systems.bookkeeping import FAUCET_SLICE, SINK_SLICE


def money_now(sim):
    s = sim.state
    return int(s.wealth.astype(np.int64).sum() + s.treasury.sum() + s.faction_treasury.sum() + s.loot_pool.sum())


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 2**40), agents=st.integers(300, 4000), ticks=st.integers(1, 60),
       forced=st.lists(st.tuples(st.integers(0, 59), st.sampled_from(MACRO_KINDS),
                                 st.sampled_from([None, "forest", "plains", "desert", "village", "market"])),
                       max_size=4))
def test_money_is_conserved(cfg, seed, agents, ticks, forced):
    sim = Simulation.create(cfg, agents, seed)
    for t in range(ticks):
        for when, kind, region in forced:
            if when == t:
                sim.trigger_macro(kind, region)
        sim.step()
        s = sim.state
        assert money_now(sim) == int(s.money[0])
        assert s.wealth.min() >= 0 and s.stock.min() >= 0 and s.supply.min() >= 0
    flows = sim.kpis()
    total = sim.state.flows_total
    faucets, sinks = int(total[FAUCET_SLICE].sum()), int(total[SINK_SLICE].sum())
    assert money_now(sim) == faucets - sinks
    assert flows["money_supply"] == money_now(sim)


def test_corrupted_wealth_raises(make_sim):
    sim = make_sim()
    sim.run(3)
    sim.state.wealth[5] += 17
    with pytest.raises(LedgerError, match="off by 17"):
        sim.step()


def test_corrupted_treasury_raises(make_sim):
    sim = make_sim()
    sim.step()
    sim.state.treasury[0] -= 3
    with pytest.raises(LedgerError):
        sim.step()


def test_negative_stock_raises(make_sim):
    sim = make_sim()
    sim.state.supply[1, 1] = -1
    with pytest.raises(LedgerError):
        sim.step()
