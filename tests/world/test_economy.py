"""The economy over time: a steady money supply, prices in a band that follow money and scarcity,
and players' coin, trades and kills inside the simulation's ledger."""

import numpy as np
import pytest

from world.enums import DEAD, HIDES, MERCHANT
from world.params import LOOT_FRAC
from world.player_ledger import PLAYER_RAID_STABILITY
from world.simulation import LedgerError, Simulation
from world.systems import exchange
from world.systems.bookkeeping import FAUCET_SLICE, SINK_SLICE

MONEY_BAND = 0.25
PRICE_INDEX_BAND = (40.0, 220.0)


def money_now(sim):
    s = sim.state
    return int(s.wealth.astype(np.int64).sum() + s.treasury.sum() + s.faction_treasury.sum() + s.loot_pool.sum()
               + s.player_coins[0])


def test_money_supply_and_prices_hold_over_20000_ticks_at_50k_agents(cfg):
    sim = Simulation.create(cfg, 50_000, 5)
    ref = int(sim.state.money_ref[0])
    worst_money, lowest, highest = 0.0, 1e9, 0.0
    for _ in range(200):
        sim.run(100)
        k = sim.kpis()
        worst_money = max(worst_money, abs(k["money_supply"] / ref - 1.0))
        lowest = min(lowest, min(k["price_index"].values()))
        highest = max(highest, max(k["price_index"].values()))
    print(f"money supply within {worst_money:.1%} of {ref:,}; price indices {lowest:.1f}..{highest:.1f}")
    assert sim.tick == 20_000
    assert worst_money <= MONEY_BAND
    assert PRICE_INDEX_BAND[0] <= lowest and highest <= PRICE_INDEX_BAND[1]


def test_prices_rise_with_money(cfg, make_sim):
    rich, plain = make_sim(seed=11), make_sim(seed=11)
    rich.players.queue_flow("quest_reward", int(rich.state.money[0]))  # doubles the money supply
    for sim in (rich, plain):
        sim.run(2)
    assert exchange.money_factor(cfg, rich.state) > 1.3
    assert min(rich.kpis()["inflation"].values()) > 1.3 and max(plain.kpis()["inflation"].values()) < 1.1
    assert (rich.state.price >= plain.state.price).all() and (rich.state.price > plain.state.price).any()


def test_exchange_pulls_money_back_to_its_reference(cfg, make_sim):
    sim = make_sim(seed=4)
    ref = int(sim.state.money_ref[0])
    sim.players.queue_flow("quest_reward", ref)  # doubles the money supply (held by players)
    sim.step()
    doubled = sim.kpis()["money_supply"]
    sim.run(cfg.ticks_per_day * 4)
    burned = int(sim.state.flows_total[list(sim.kpis()["flows_last_tick"]).index("burn")])
    assert burned > 0
    assert sim.kpis()["money_supply"] < doubled


def test_scarcity_raises_a_price(make_sim):
    sim = make_sim(seed=2)
    sim.step()
    market = sim.config.region_index("market")
    before = int(sim.state.price[market, HIDES])
    sim.state.supply[market, HIDES] = 0
    sim.step()
    assert int(sim.state.price[market, HIDES]) > before


def test_epochs_last_a_third_of_a_day(cfg):
    assert cfg.ticks_per_day >= 300, "an epoch must last minutes at one tick a second"
    sim = Simulation.create(cfg, 300, 1)
    names = []
    for _ in range(cfg.ticks_per_day):
        names.append(sim.epoch)
        sim.step()
    assert [names.count(e["name"]) for e in cfg.epochs] == [cfg.ticks_per_day // 3] * 3


# ---- players in the ledger ------------------------------------------------------------------------

def test_player_flows_are_conserved_and_move_supply(make_sim):
    sim = make_sim(seed=9)
    sim.step()
    market = sim.config.region_index("market")
    supply = int(sim.state.supply[market, HIDES])
    led = sim.players
    led.queue_flow("loot", 40)
    led.queue_flow("quest_reward", 100)
    led.queue_flow("sale", 70, region="market", resource="hides", qty=10)
    led.queue_flow("purchase", 35, region="market", resource="hides", qty=5)
    led.queue_flow("fee", 3)
    led.queue_flow("repair", 2)
    led.queue_flow("death_penalty", 20)
    assert led.pending_supply("market", "hides") == supply + 5
    sim.step()
    s = sim.state
    assert int(s.player_coins[0]) == 40 + 100 + 70 - 35 - 3 - 2 - 20
    flows = sim.kpis()["flows_last_tick"]
    assert (flows["player_loot"], flows["quest_rewards"], flows["player_sales"]) == (40, 100, 70)
    assert (flows["player_purchases"], flows["player_fees"], flows["player_repairs"], flows["death_penalties"]) \
        == (35, 3, 2, 20)
    total = s.flows_total
    assert money_now(sim) == int(s.money[0]) == int(total[FAUCET_SLICE].sum()) - int(total[SINK_SLICE].sum())
    assert led.pending() == 0


def test_unrecorded_player_coin_breaks_the_books(make_sim):
    sim = make_sim()
    sim.step()
    sim.state.player_coins[0] += 5
    with pytest.raises(LedgerError, match="off by 5"):
        sim.step()


def test_players_cannot_spend_coin_they_do_not_have(make_sim):
    sim = make_sim()
    sim.players.queue_flow("purchase", 10)
    with pytest.raises(LedgerError, match="player_coins"):
        sim.step()


@pytest.mark.parametrize("bad, message", [
    (dict(kind="gift", amount=1), "unknown player flow"),
    (dict(kind="loot", amount=-1), "non-negative integer"),
    (dict(kind="loot", amount=1.5), "non-negative integer"),
    (dict(kind="sale", amount=1, qty=2), "needs a region and a resource"),
    (dict(kind="sale", amount=1, region="atlantis", resource="hides", qty=1), "unknown region"),
    (dict(kind="sale", amount=1, region="market", resource="gold", qty=1), "unknown resource"),
])
def test_bad_player_flows_are_refused_and_change_nothing(make_sim, bad, message):
    sim = make_sim()
    with pytest.raises(ValueError, match=message):
        sim.players.queue_flow(**bad)
    assert sim.players.pending() == 0


def test_a_purchase_cannot_take_more_than_the_market_holds(make_sim):
    sim = make_sim()
    sim.step()
    stock = sim.players.pending_supply("desert", "relics")
    with pytest.raises(ValueError, match="left in desert"):
        sim.players.queue_flow("purchase", 1, region="desert", resource="relics", qty=stock + 1)
    sim.players.queue_flow("purchase", 1, region="desert", resource="relics", qty=stock)
    with pytest.raises(ValueError, match="only 0 relics"):
        sim.players.queue_flow("purchase", 1, region="desert", resource="relics", qty=1)


def test_an_embargo_prices_the_shortage_at_once_and_never_to_zero(make_sim):
    sim = make_sim(seed=5)
    sim.run(2)
    market = sim.config.region_index("market")
    before = int(sim.state.price[market, HIDES])
    others = sim.state.price[market].copy()
    price = sim.set_supply("market", "hides", 0)
    assert price == int(sim.state.price[market, HIDES]) > before
    assert (sim.state.price[market] >= 1).all()
    assert (np.delete(sim.state.price[market], HIDES) == np.delete(others, HIDES)).all()
    assert sim.players.pending_supply("market", "hides") == 0
    with pytest.raises(ValueError, match="only 0 hides"):
        sim.players.queue_flow("purchase", price, region="market", resource="hides", qty=1)
    sim.step()  # the books still close
    assert sim.set_supply("market", "hides", 10 * int(sim.market_ref[market, HIDES])) < before
    for bad in (("market", "gold", 1), ("market", "hides", -1), ("atlantis", "hides", 1)):
        with pytest.raises(ValueError):
            sim.set_supply(*bad)


def test_selling_a_hundred_hides_drops_their_price(make_sim):
    sim = make_sim(agents=3000, seed=5)
    sim.run(3)
    market = sim.config.region_index("market")
    before = int(sim.state.price[market, HIDES])
    sim.players.queue_flow("sale", 100 * before, region="market", resource="hides", qty=100 * 40)
    sim.step()
    sim.step()
    assert int(sim.state.price[market, HIDES]) < before


def test_a_player_kill_kills_the_agent_in_the_arrays_and_the_log(make_sim):
    sim = make_sim(seed=3)
    sim.step()
    agent = sim.agents_in_region("forest", 1, roles=["Bandit"])[0]
    purse, gen = int(sim.state.wealth[agent]), int(sim.state.gen[agent])
    sim.players.queue_kill(agent, "Aldo")
    events = sim.step()
    assert sim.state.state[agent] == DEAD or sim.state.gen[agent] > gen  # dead, or its slot reborn
    death = [e for e in events if e.kind == "death" and e.detail.get("cause") == "player"]
    assert len(death) == 1 and death[0].actors == (agent,) and "slain by Aldo" in death[0].text
    assert sim.kpis()["flows_last_tick"]["death_purses"] >= purse
    assert money_now(sim) == int(sim.state.money[0])


def test_a_player_raid_robs_a_caravan_pays_a_raiders_share_and_unsettles_the_region(make_sim):
    sim = make_sim(seed=3)
    sim.run(3)
    s, r = sim.state, sim.config.region_index("plains")
    merchants = np.flatnonzero((s.region == r) & (s.role == MERCHANT) & (s.state != DEAD))
    richest = int(merchants[np.argmax(s.wealth[merchants])])
    purse, pool, raiders, calm = int(s.wealth[richest]), int(s.loot_pool[r]), int(s.raiders[r]), int(s.stability[r])
    sim.players.queue_raid("plains", "Aldo", 42)
    events = sim.step()
    raid = [e for e in events if e.detail.get("raider") == "Aldo"]
    assert len(raid) == 1 and raid[0].kind == "combat" and raid[0].actors == (richest,)
    loss, share = raid[0].detail["loot"], raid[0].detail["share"]
    assert loss == purse * int(sim.P[LOOT_FRAC]) >> 16 and loss > 0
    assert share == (pool + loss) // (raiders + 1) and share > 0
    assert raid[0].detail["player"] == 42 and f"took a share of {share} coins" in raid[0].text
    assert int(s.player_coins[0]) == share
    assert int(s.stability[r]) <= calm - PLAYER_RAID_STABILITY + 50  # social events may steady it meanwhile
    assert money_now(sim) == int(s.money[0])  # a transfer: no coin made or lost


def test_an_infamous_player_alarms_the_market(make_sim):
    sim = make_sim()
    sim.step()
    sim.players.set_infamous_players({"market": 1, "forest": 1})
    sim.step()
    assert sim.region_view("market")["alarm"]
    assert not sim.region_view("forest")["alarm"]  # only the Market has guards to alarm
    sim.players.set_infamous_players({})
    sim.step()
    assert sim.state.player_infamous.sum() == 0
