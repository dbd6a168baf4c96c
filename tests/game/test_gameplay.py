"""Trade, combat, loot, reputation and score against a real (small) simulation and real Evennia objects."""

import random
import tempfile
from pathlib import Path
from unittest import mock

import numpy as np
from evennia.utils.create import create_object
from evennia.utils.test_resources import BaseEvenniaCommandTest

from game import coins, combat, content_service, healing, loot, raids, reputation, shops, simulation_bridge, wear
from game.commands.character import CmdHeal, CmdReputation, CmdScore
from game.commands.combat import CmdAttack, CmdConsider, CmdFlee, CmdRaid
from game.commands.trade import CmdBuy, CmdList, CmdRepair, CmdSell, CmdValue
from game.typeclasses.rooms import ZONE
from world.config import load_config
from world.enums import DEAD, RESOURCES
from world.simulation import Simulation
from tests.support.tera_world import CHARACTER, NPC, ROOM, live_tera, tera



def money_now(sim):
    s = sim.state
    return int(s.wealth.astype(np.int64).sum() + s.treasury.sum() + s.faction_treasury.sum() + s.loot_pool.sum()
               + s.player_coins[0])


class GameplayTest(BaseEvenniaCommandTest):
    character_typeclass = CHARACTER

    def setUp(self):
        super().setUp()
        self.market = create_object(ROOM, key="Auction Hall", tags=[("market", ZONE)])
        self.char1.move_to(self.market, quiet=True)
        live_tera(self)
        self.tmp = tempfile.TemporaryDirectory()
        self.addCleanup(self.tmp.cleanup)
        self.sim = Simulation.create(load_config(), agents=3000, seed=21)
        self.sim.run(2)
        self.service = simulation_bridge.SimulationService(self.sim, Path(self.tmp.name))
        patcher = mock.patch.object(simulation_bridge, "_service", self.service)
        patcher.start()
        self.addCleanup(patcher.stop)
        self.merchant = create_object(NPC, key="Calix the Merchant", location=self.market,
                                      attributes=[("role", "merchant"), ("faction", "merchant_guild")])

    def test_starting_purse_is_a_recorded_faucet(self):
        self.assertTrue(coins.open_purse(self.char1))
        self.assertFalse(coins.open_purse(self.char1), "only once")
        self.sim.step()
        self.assertEqual(int(self.sim.state.player_coins[0]), coins.STARTING_PURSE)
        self.assertEqual(self.sim.kpis()["flows_last_tick"]["player_purses"], coins.STARTING_PURSE)

    def test_a_ware_of_the_regions_stock_table_is_listed_and_sold(self):
        import dataclasses

        world = tera()
        sword = world.items["item.bandit_dagger"].model_copy(update={"id": "gen.item.test_ware", "name": "Test Glaive",
                                                                     "table": "stock.market"})
        stocked = dataclasses.replace(world, items={**world.items, sword.id: sword})
        with mock.patch.object(content_service, "_current", stocked):
            coins.open_purse(self.char1)
            price = shops.ware_price(self.sim, "market", self.char1, sword)
            self.assertGreater(price, 0)
            self.assertRegex(self.call(CmdList(), ""), rf"Test Glaive\s+{price}\n")
            have = coins.coins(self.char1)
            self.call(CmdBuy(), "test glaive", f"You buy 1 Test Glaive for {price} coins")
            self.assertEqual(coins.coins(self.char1), have - price)
            [bought] = [o for o in self.char1.contents if o.key == "Test Glaive"]
            self.assertEqual(bought.db.value, sword.value)
            self.call(CmdBuy(), "11 test glaive", "You can buy 1 to 10 of Test Glaive at a time.")
            self.sim.step()  # the purchase is a recorded sink: the books balance
        self.assertNotIn("Test Glaive", self.call(CmdList(), ""), "a ware only while its template names the table")

    def test_list_shows_live_prices_and_stock(self):
        view = self.sim.region_view("market")
        out = self.call(CmdList(), "", "Calix the Merchant trades at Golden Conflux prices")
        for res in RESOURCES:
            self.assertRegex(out, rf"{res}\s+\d+\s+\d+\s+{view['supply'][res]}")

    def test_buy_and_sell_move_coin_and_supply_and_the_books_balance(self):
        coins.open_purse(self.char1)
        price = next(r["buy"] for r in shops.price_list(self.sim, "market", self.char1) if r["resource"] == "crops")
        supply = int(self.sim.state.supply[4, RESOURCES.index("crops")])
        self.call(CmdBuy(), "2 crops", f"You buy 2 crops for {2 * price} coins")
        self.assertEqual(coins.coins(self.char1), coins.STARTING_PURSE - 2 * price)
        stack = shops.goods_stack(self.char1, "crops")
        self.assertEqual(stack.db.qty, 2)
        self.call(CmdValue(), "crops", "Calix the Merchant would pay")
        self.call(CmdSell(), "1 crops", "You sell 1 crops for")
        self.assertEqual(stack.db.qty, 1)
        self.sim.step()
        self.assertEqual(int(self.sim.state.player_coins[0]), coins.coins(self.char1))
        self.assertEqual(money_now(self.sim), int(self.sim.state.money[0]))
        self.assertLessEqual(int(self.sim.state.supply[4, RESOURCES.index("crops")]), supply + 1)

    def test_bad_trades_are_refused_and_change_nothing(self):
        coins.open_purse(self.char1)
        self.call(CmdBuy(), "3 dragons", "Buy what?")
        self.call(CmdBuy(), "0 hides", "You can buy 1 to")
        self.call(CmdBuy(), "400 relics", "That costs")
        self.call(CmdSell(), "hides", "You carry nothing like that to sell.")
        self.call(CmdSell(), "", "Sell what? Usage: sell [<count>|all] <goods or item>")
        self.assertEqual(coins.coins(self.char1), coins.STARTING_PURSE)
        self.assertEqual(self.sim.players.pending(), 1)  # only the purse

    def test_a_bare_market_says_none_left_and_charges_nothing(self):
        coins.open_purse(self.char1)
        self.sim.step()
        before = next(r["buy"] for r in shops.price_list(self.sim, "market", self.char1) if r["resource"] == "crops")
        self.sim.set_supply("market", "crops", 0)
        self.assertRegex(self.call(CmdList(), ""), r"crops\s+\d+\s+\d+\s+0\n")
        dear = next(r["buy"] for r in shops.price_list(self.sim, "market", self.char1) if r["resource"] == "crops")
        self.assertGreater(dear, before)
        self.call(CmdBuy(), "1 crops", "Calix the Merchant spreads empty hands: there are no crops left")
        self.assertEqual(coins.coins(self.char1), coins.STARTING_PURSE)

    def test_goods_a_glutted_market_pays_nothing_for_are_kept(self):
        coins.open_purse(self.char1)
        self.call(CmdBuy(), "2 crops", "You buy 2 crops")
        purse = coins.coins(self.char1)
        self.sim.set_supply("market", "crops", 10**9)  # a glut: the price falls to its floor
        self.assertEqual(next(r["sell"] for r in shops.price_list(self.sim, "market", self.char1)
                              if r["resource"] == "crops"), 0)
        self.call(CmdSell(), "2 crops", "Calix the Merchant shakes their head: 2 crops fetch nothing here today.")
        self.assertEqual(shops.goods_stack(self.char1, "crops").db.qty, 2)
        self.assertEqual(coins.coins(self.char1), purse)

    def test_no_merchant_no_trade(self):
        self.merchant.delete()
        self.call(CmdList(), "", "There is no merchant here to trade with.")

    def test_standing_and_tariff_change_prices(self):
        plain = shops.price_list(self.sim, "market", self.char1)
        reputation.add(self.char1, "Merchant Guild", fame=40)  # Renowned: no tariff, better prices
        friendly = shops.price_list(self.sim, "market", self.char1)
        reputation.add(self.char1, "Merchant Guild", infamy=200)
        hated = shops.price_list(self.sim, "market", self.char1)
        for a, b, c in zip(plain, friendly, hated):
            self.assertLessEqual(b["buy"], a["buy"])
            self.assertGreaterEqual(c["buy"], a["buy"])
        self.assertTrue(any(b["buy"] < a["buy"] for a, b in zip(plain, friendly)))

    def test_killing_a_materialized_bandit(self):
        coins.open_purse(self.char1)
        agent = self.sim.agents_in_region("market", 1, roles=["Bandit"])[0]
        bandit = create_object(NPC, key="Vex the Bandit", location=self.market,
                               attributes=[("agent_id", agent), ("role", "Bandit"), ("archetype", "npc.bandit"),
                                           ("faction", "Bandit Clans")])
        self.call(CmdConsider(), "Vex", "Vex the Bandit")
        bandit.db.hp = 1
        self.call(CmdAttack(), "Vex", "You hit Vex the Bandit")
        self.assertIsNone(bandit.pk)
        self.assertGreater(reputation.standing(self.char1)["Merchant Guild"]["fame"], 0)
        events = self.sim.step()
        slain = [e for e in events if e.detail.get("cause") == "player"]
        self.assertEqual(len(slain), 1)
        self.assertIn(f"slain by {self.char1.key}", slain[0].text)
        self.assertEqual(self.sim.state.state[agent], DEAD)
        self.assertEqual(int(self.sim.state.player_coins[0]), coins.coins(self.char1))
        self.assertGreater(coins.coins(self.char1), coins.STARTING_PURSE)

    def test_a_lost_fight_costs_coin_and_wakes_you_at_a_temple(self):
        coins.open_purse(self.char1)
        chapel = create_object(ROOM, key="Sun Chapel", tags=[("village", ZONE)])
        ogre = create_object(NPC, key="Brute", location=self.market,
                             attributes=[("role", "bandit"), ("health", 500), ("attack", 400), ("defense", 50),
                                         ("threat", 9)])
        with mock.patch("game.commands.combat.find_by_content_id",
                        side_effect=lambda cid: chapel if cid == "village.sun_chapel" else None):
            self.call(CmdAttack(), "Brute", "You hit Brute")
        self.assertEqual(self.char1.location, chapel)
        self.assertEqual(coins.coins(self.char1), coins.STARTING_PURSE - combat.death_penalty(coins.STARTING_PURSE))
        self.assertEqual(combat.health(self.char1), combat.max_health(self.char1) // 2)
        self.assertEqual(ogre.location, self.market)

    def _raid_under_way(self) -> int:
        market = self.sim.config.region_index("market")
        for _ in range(100):  # bandits raid the Market most ticks; wait for one that counted raiders
            if self.sim.state.raiders[market] > 0:
                return market
            self.sim.step()
        self.fail("no raid in the Market in 100 ticks")

    def test_joining_a_raid_pays_a_share_of_the_loot_pool_and_costs_standing(self):
        coins.open_purse(self.char1)
        self.sim.step()
        market = self._raid_under_way()
        self.char1.db.xp = 3000  # a veteran beats the guards
        stability = int(self.sim.state.stability[market])
        out = self.call(CmdRaid(), "", "You fall in with the raiders")
        self.assertIn("You break the guards", out)
        self.assertEqual(reputation.standing(self.char1)["Merchant Guild"]["infamy"], 6)
        self.assertEqual(reputation.standing(self.char1)["Bandit Clans"]["fame"], 5)
        self.call(CmdRaid(), "", "You are still catching your breath")
        events = self.sim.step()
        raid = [e for e in events if e.detail.get("raider") == self.char1.key]
        self.assertEqual(len(raid), 1)
        share = raid[0].detail["share"]
        self.assertGreater(share, 0)
        raids.after_step(self.sim, events)
        self.assertEqual(coins.coins(self.char1), coins.STARTING_PURSE + share)
        self.assertEqual(int(self.sim.state.player_coins[0]), coins.coins(self.char1))
        self.assertEqual(money_now(self.sim), int(self.sim.state.money[0]))
        self.assertLess(int(self.sim.state.stability[market]), stability + 50)

    def test_players_where_bandits_raid_are_told_once_in_a_while(self):
        self.account.puppet_object(self.session, self.char1)
        for _ in range(100):
            events = self.sim.step()
            if any(e.kind == "combat" and e.region == "market" for e in events):
                break
        with mock.patch.object(self.char1, "msg") as told:
            raids.after_step(self.sim, events)
            raids.after_step(self.sim, events)
        said = [c.args[0] for c in told.call_args_list if "Bandits are raiding" in str(c.args[0])]
        self.assertEqual(len(said), 1, said)
        self.assertIn("the caravans of Golden Conflux", said[0])
        self.assertIn("join raid", said[0])

    def test_a_raid_needs_raiders_and_can_be_lost(self):
        coins.open_purse(self.char1)
        quiet = create_object(ROOM, key="Empty Field")
        self.char1.move_to(quiet, quiet=True)
        self.call(CmdRaid(), "", "No raid is under way here.")
        self.char1.move_to(self.market, quiet=True)
        self._raid_under_way()
        chapel = create_object(ROOM, key="Sun Chapel", tags=[("village", ZONE)])
        self.char1.db.hp = 1
        with mock.patch("game.commands.combat.find_by_content_id",
                        side_effect=lambda cid: chapel if cid == "village.sun_chapel" else None):
            out = self.call(CmdRaid(), "", "You fall in with the raiders")
        self.assertIn("struck down by the caravan guards", out)
        self.assertEqual(self.char1.location, chapel)
        self.assertEqual(coins.coins(self.char1), coins.STARTING_PURSE - combat.death_penalty(coins.STARTING_PURSE))
        self.assertEqual(reputation.standing(self.char1)["Merchant Guild"]["infamy"], 0, "no raid, no infamy")

    def test_gear_wears_in_fights_and_a_merchant_repairs_it_for_a_recorded_sink(self):
        coins.open_purse(self.char1)
        spear = create_object("game.typeclasses.items.Item", key="hunting spear", location=self.char1,
                              attributes=[("slot", "weapon"), ("power", 10), ("value", 40)])
        self.char1.equipment.equip(spear)
        create_object(NPC, key="Sparring dummy", location=self.market,
                      attributes=[("role", "bandit"), ("health", 9000), ("attack", 1), ("defense", 0)])
        self.call(CmdRepair(), "", "Nothing you carry needs mending.")
        for _ in range(20):
            self.call(CmdAttack(), "dummy", "You hit Sparring dummy")
        self.assertEqual(wear.condition(spear), 80)
        self.assertEqual(self.char1.equipment.attack, 8, "worn gear hits for less")
        self.call(CmdScore(), "", "Char, level 1", )
        self.assertIn("worn: hunting spear 80%", self.call(CmdScore(), ""))
        self.sim.step()
        cost = wear.repair_cost(self.sim, spear)
        self.assertGreaterEqual(cost, 1)
        self.call(CmdRepair(), "spear", f"Calix the Merchant mends hunting spear ({cost}) for {cost} coins")
        self.assertEqual(wear.condition(spear), 100)
        self.assertEqual(self.char1.equipment.attack, 10)
        self.sim.step()
        self.assertEqual(self.sim.kpis()["flows_last_tick"]["player_repairs"], cost)
        self.assertEqual(int(self.sim.state.player_coins[0]), coins.coins(self.char1))
        self.assertEqual(money_now(self.sim), int(self.sim.state.money[0]))

    def test_a_priest_heals_for_a_recorded_fee(self):
        coins.open_purse(self.char1)
        self.call(CmdHeal(), "", "There is no priest here")
        create_object(NPC, key="priest of the Suns", location=self.market, attributes=[("role", "priest")])
        self.call(CmdHeal(), "", "priest of the Suns smiles")
        self.char1.db.hp = 20
        self.sim.step()
        fee = healing.fee(self.sim, combat.max_health(self.char1) - 20)
        self.assertGreaterEqual(fee, 20)
        self.call(CmdHeal(), "", f"priest of the Suns tends your wounds; you feel whole again (100/100). "
                                 f"The temple takes {fee} coins")
        self.assertEqual(combat.health(self.char1), 100)
        self.sim.step()
        self.assertEqual(self.sim.kpis()["flows_last_tick"]["player_fees"], fee)
        self.assertEqual(int(self.sim.state.player_coins[0]), coins.STARTING_PURSE - fee)
        self.assertEqual(money_now(self.sim), int(self.sim.state.money[0]))
        self.char1.db.hp, self.char1.db.coins = 1, 3
        self.sim.step()
        self.call(CmdHeal(), "", "priest of the Suns asks")
        self.assertEqual(combat.health(self.char1), 1, "no coin, no healing")

    def test_flee_needs_a_fight(self):
        self.call(CmdFlee(), "", "You are not fighting anyone.")

    def test_cannot_attack_players_or_things(self):
        self.char2.move_to(self.market, quiet=True)
        self.call(CmdAttack(), "Char2", "You cannot fight another player here.")
        create_object("game.typeclasses.items.Item", key="barrel", location=self.market)
        self.call(CmdAttack(), "barrel", "barrel is not something you can fight.")
        self.call(CmdAttack(), "", "Whom? Usage: attack <target>")
        self.call(CmdConsider(), "", "Whom? Usage: consider <target>")
        self.call(CmdAttack(), "me", "You cannot fight yourself.")

    def test_score_and_reputation(self):
        coins.open_purse(self.char1)
        self.call(CmdScore(), "", f"Char, level 1 (0 xp)\nHealth: 100/100\nCoins: {coins.STARTING_PURSE}\n"
                                  "Equipment power: attack +0, defense +0\nReputation: Unknown to every faction")
        for _ in range(3):
            reputation.record_kill(self.char1, "Bandit")
        out = self.call(CmdReputation(), "")
        self.assertRegex(out, r"Merchant Guild\s+12\s+0\s+Noted")
        self.assertRegex(out, r"Bandit Clans\s+0\s+15\s+Unknown")


class RulesTest(BaseEvenniaCommandTest):
    character_typeclass = CHARACTER

    def test_reputation_tiers_change_after_enough_deeds(self):
        seen = []
        for _ in range(25):
            seen += reputation.record_kill(self.char1, "Bandit")
        self.assertIn("Your standing with the Merchant Guild is now Noted.", seen)
        self.assertIn("Your standing with the Merchant Guild is now Legendary.", seen)
        self.assertEqual(reputation.tier(self.char1, "Bandit Clans"), "Infamous")
        self.assertFalse(reputation.is_infamous(self.char1), "hated by bandits only: not an outlaw")
        for _ in range(3):
            reputation.record_kill(self.char2, "Merchant")
        self.assertTrue(reputation.is_infamous(self.char2))
        self.assertIn("backs away", reputation.greeting(self.char2, "Calix", "Merchant Guild"))
        self.assertIn("The songs", reputation.greeting(self.char1, "Calix", "Merchant Guild"))

    def test_loot_stays_within_the_guardrails_budgets(self):
        budgets = dict(loot.guardrails().item_value_by_rarity)
        rng = random.Random(3)
        for threat in range(11):
            for _ in range(50):
                self.assertLessEqual(loot.coin_roll(threat, rng, budgets["common"]), budgets["common"])
        world = tera()
        for table in loot.DROP_TABLES.values():
            for entry, _ in table:
                if not entry.startswith("goods:"):
                    self.assertTrue(loot.allowed(world.items[entry], budgets), entry)
        dear = world.items["item.relic_idol"].model_copy(update={"value": budgets["rare"] + 1})
        self.assertFalse(loot.allowed(dear, budgets))

    def test_a_slain_npc_drops_an_item_patched_into_its_roles_loot_table_within_the_budgets(self):
        import dataclasses

        world, budgets = tera(), dict(loot.guardrails().item_value_by_rarity)
        idol = world.items["item.relic_idol"]
        fair = idol.model_copy(update={"id": "gen.item.fair_idol", "name": "Fair Idol", "table": "loot.farmer"})
        dear = idol.model_copy(update={"id": "gen.item.dear_idol", "name": "Dear Idol", "table": "loot.farmer",
                                       "value": budgets[idol.rarity.value] + 1})
        patched = dataclasses.replace(world, items={**world.items, fair.id: fair, dear.id: dear})
        dropped = []
        with mock.patch.object(content_service, "_current", patched):
            for seed in range(200):
                dropped += loot.drop("Farmer", 1, self.room1, self.char1, random.Random(seed))[1]
        self.assertIn("Fair Idol", dropped)
        self.assertNotIn("Dear Idol", dropped, "over its rarity's budget: never dropped")
        self.assertIn("Fair Idol", [o.key for o in self.room1.contents])

    def test_equipment_power_counts(self):
        bare = combat.player_strength(self.char1)
        sword = create_object("game.typeclasses.items.Item", key="sword", location=self.char1,
                              attributes=[("slot", "weapon"), ("power", 6)])
        self.char1.equipment.equip(sword)
        armed = combat.player_strength(self.char1)
        self.assertEqual(armed.attack, bare.attack + 6)
        npc = combat.Strength("x", 40, 40, 8, 4)
        self.assertLess(combat.rounds_to_fell(armed, npc), combat.rounds_to_fell(bare, npc))
