"""Trade commands: list, buy, sell, value, repair (rules in game/shops.py and game/wear.py, coin in
game/coins.py)."""

from evennia.commands.default.muxcommand import MuxCommand

from game import coins, dialogue, shops, wear
from game.coins import MoneyError
from game.simulation_bridge import service


def _market(caller):
    """(sim, zone, merchant) here, or a TradeError saying why there is no trade."""
    coins.open_purse(caller)  # in case the ledger was not running yet at login
    merchant = shops.merchant_in(caller.location)
    if merchant is None:
        raise shops.TradeError("There is no merchant here to trade with.")
    running = service()
    zone = getattr(caller.location, "zone", None)
    if running is None or zone not in running.sim.config.region_ids:
        raise shops.TradeError(f"{merchant.key} shrugs: \"No market runs here today.\"")
    return running.sim, zone, merchant


def _amount_and_name(args: str) -> tuple[int | str, str]:
    """'5 hides' -> (5, 'hides'); 'all hides' -> ('all', 'hides'); 'hides' -> (1, 'hides')."""
    first, _, rest = args.strip().partition(" ")
    if first.isdigit() and rest:
        return int(first), rest.strip()
    if first.lower() == "all" and rest:
        return "all", rest.strip()
    return 1, args.strip()


class _TradeCommand(MuxCommand):
    locks = "cmd:all()"
    help_category = "trade"

    def func(self):
        try:
            self.trade(*_market(self.caller))
        except (shops.TradeError, MoneyError) as err:
            self.caller.msg(str(err))


class CmdList(_TradeCommand):
    """
    see what the merchant here buys and sells, at today's prices

    Usage:
      list

    Prices are the region's live market prices, with the tariff of the faction
    holding the region and your standing with it.
    """

    key = "list"
    aliases = ["wares"]

    def trade(self, sim, zone, merchant):
        tariff, standing = shops.terms(sim, zone, self.caller)
        rows = [f"{merchant.key} trades at {sim.region_view(zone)['name']} prices "
                f"(tariff {tariff:.0%}, your standing: {standing}):",
                f"  {'goods':<10}{'buy':>6}{'sell':>6}{'stock':>9}"]
        for row in shops.price_list(sim, zone, self.caller):
            rows.append(f"  {row['resource']:<10}{row['buy']:>6}{row['sell']:>6}{row['stock']:>9}")
        wares = shops.wares(zone)
        if wares:
            rows.append(f"  {'wares':<30}{'buy':>6}")
            rows += [f"  {ware.name:<30}{shops.ware_price(sim, zone, self.caller, ware):>6}" for ware in wares]
        rows.append(f"You have {coins.coins(self.caller)} coins.")
        self.caller.msg("\n".join(rows))


class CmdBuy(_TradeCommand):
    """
    buy goods from the merchant here

    Usage:
      buy [<count>] <goods or ware>

    Examples:
      buy 3 hides
      buy iron sword

    `list` shows the goods and the wares the merchant sells.
    """

    key = "buy"

    def trade(self, sim, zone, merchant):
        count, name = _amount_and_name(self.args)
        res = shops.resource_named(name)
        ware = shops.ware_named(zone, name) if res is None and name else None
        if ware is not None and count != "all":
            return self._ware(sim, zone, merchant, ware, count)
        if res is None or count == "all":
            raise shops.TradeError("Buy what? Goods are: herbs, timber, crops, hides, minerals, relics"
                                   + "".join(f"; {w.name}" for w in shops.wares(zone)) + ".")
        if not 1 <= count <= shops.MAX_UNITS:
            raise shops.TradeError(f"You can buy 1 to {shops.MAX_UNITS} at a time.")
        row = next(r for r in shops.price_list(sim, zone, self.caller) if r["resource"] == res)
        if row["stock"] == 0:
            raise shops.TradeError(f"{merchant.key} spreads empty hands: there are no {res} left in this "
                                   "market. Prices run high while it lasts.")
        price = row["buy"]
        total = price * count
        try:
            coins.debit(self.caller, "purchase", total, region=zone, resource=res, qty=count)
        except ValueError as err:
            if isinstance(err, MoneyError):
                raise
            raise shops.TradeError(f"{merchant.key} shakes their head: {err}.") from None
        stack = shops.add_goods(self.caller, res, count)
        dialogue.feel(merchant, self.caller, "traded")
        self.caller.msg(f"You buy {count} {res} for {total} coins ({price} each). You now carry {stack.key}; "
                        f"{coins.coins(self.caller)} coins left.")

    def _ware(self, sim, zone, merchant, ware, count: int) -> None:
        if not 1 <= count <= shops.MAX_WARES:
            raise shops.TradeError(f"You can buy 1 to {shops.MAX_WARES} of {ware.name} at a time.")
        price = shops.ware_price(sim, zone, self.caller, ware)
        coins.debit(self.caller, "purchase", price * count, region=zone)
        shops.hand_over(self.caller, ware, count)
        dialogue.feel(merchant, self.caller, "traded")
        self.caller.msg(f"You buy {count} {ware.name} for {price * count} coins ({price} each); "
                        f"{coins.coins(self.caller)} coins left.")


def _find_goods(caller, name: str):
    res = shops.resource_named(name)
    if res is not None:
        stack = shops.goods_stack(caller, res)
        if stack is not None:
            return stack
    found = caller.search(name, location=caller, quiet=True)
    return found[0] if found else None


class CmdSell(_TradeCommand):
    """
    sell goods or an item to the merchant here

    Usage:
      sell [<count>|all] <goods or item>

    Examples:
      sell 10 hides
      sell all herbs
      sell rusty sword
    """

    key = "sell"

    def trade(self, sim, zone, merchant):
        count, name = _amount_and_name(self.args)
        if not name:
            raise shops.TradeError("Sell what? Usage: sell [<count>||all] <goods or item>")
        item = _find_goods(self.caller, name)
        if item is None:
            raise shops.TradeError("You carry nothing like that to sell.")
        res = shops.resource_of(item)
        have = shops.units_of(item)
        count = have if count == "all" else count
        if not 1 <= count <= have or (res is None and count != 1):
            raise shops.TradeError(f"You have {have} of {item.key}.")
        each = shops.item_sale_price(sim, zone, self.caller, item) // have
        total = each * count
        key = f"{count} {res}" if item.db.resource else item.key
        if total == 0:  # a glutted market: nobody gives away goods for nothing
            raise shops.TradeError(f"{merchant.key} shakes their head: {key} fetch nothing here today. You keep them.")
        trade = dict(region=zone, resource=res, qty=count) if res is not None else {}
        coins.credit(self.caller, "sale", total, **trade)
        self.caller.equipment.forget(item)
        if item.db.resource:
            shops.set_units(item, have - count)
        else:
            item.delete()
        dialogue.feel(merchant, self.caller, "traded")
        self.caller.msg(f"You sell {key} for {total} coins. You have {coins.coins(self.caller)} coins.")


class CmdValue(_TradeCommand):
    """
    ask the merchant here what they would pay for something you carry

    Usage:
      value <goods or item>
    """

    key = "value"
    aliases = ["appraise"]

    def trade(self, sim, zone, merchant):
        item = _find_goods(self.caller, self.args.strip()) if self.args.strip() else None
        if item is None:
            raise shops.TradeError("Value what? You carry nothing like that.")
        total = shops.item_sale_price(sim, zone, self.caller, item)
        self.caller.msg(f"{merchant.key} would pay {total} coins for {item.key}.")


class CmdRepair(_TradeCommand):
    """
    have the merchant here mend your worn weapons and armor

    Usage:
      repair
      repair <item>

    Gear wears with every blow you strike or take, and worn gear hits and
    guards for less (see `score`). Mending costs part of the item's value
    for each point of condition restored.

    Example:
      repair hunting spear
    """

    key = "repair"
    aliases = ["mend"]

    def trade(self, sim, zone, merchant):
        name = self.args.strip()
        items = wear.worn(self.caller)
        if name:
            found = self.caller.search(name, location=self.caller, quiet=True)
            if not found:
                raise shops.TradeError("You carry nothing like that.")
            if found[0] not in items:
                raise shops.TradeError(f"{found[0].key} needs no mending.")
            items = [found[0]]
        if not items:
            raise shops.TradeError("Nothing you carry needs mending.")
        costs = [(item, wear.repair_cost(sim, item)) for item in items]
        total = sum(cost for _, cost in costs)
        coins.debit(self.caller, "repair", total, region=zone)
        for item, _ in costs:
            wear.mend(item)
        dialogue.feel(merchant, self.caller, "traded")
        done = ", ".join(f"{item.key} ({cost})" for item, cost in costs)
        self.caller.msg(f"{merchant.key} mends {done} for {total} coins. You have {coins.coins(self.caller)} coins.")
