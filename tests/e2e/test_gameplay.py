"""Over real telnet: a player trades at live simulated prices, fights and loots a bandit whose death
reaches the simulation's event log, and sees their reputation change; a blade worn in the fight is mended
for coin; the books stay balanced."""

import re
import time
from collections import deque
from pathlib import Path

from tests.e2e.helpers import admin_player, sim_command
from generation.loader import load_world

TERA = Path(__file__).resolve().parents[2] / "content" / "worlds" / "tera"


def route(world, start: str, goal) -> list[str]:
    """Exit names from `start` to the first room where goal(room) holds (breadth first)."""
    rooms = {r.id: r for z in world.zones for r in z.rooms}
    seen, todo = {start: []}, deque([start])
    while todo:
        here = todo.popleft()
        if goal(rooms[here]):
            return seen[here]
        for ex in rooms[here].exits:
            if ex.to not in seen:
                seen[ex.to] = seen[here] + [ex.name or ex.direction.value]
                todo.append(ex.to)
    raise AssertionError("no route")


def walk(player, steps):
    for step in steps:
        player.command(step, r"Exits:[^\n]*\n")


def buy_price(player, goods: str) -> int:
    return int(re.search(rf"{goods}\s+(\d+)", player.command("list", r"You have \d+ coins\.")).group(1))


def coins_of(player) -> int:
    return int(re.search(r"Coins: (\d+)", player.command("score", r"Reputation:[^\n]*\n")).group(1))


def opened_purse(player, timeout: int = 60) -> int:
    """A new character's coins, once its purse opens (when the simulation's ledger is live)."""
    for _ in range(timeout):
        coins = coins_of(player)
        if coins:
            return coins
        time.sleep(1)
    return coins


def slay_in_the_forest(player, admin, world, here: str) -> tuple[str, str]:
    """With a veteran's strength (set by the admin), the player walks from `here` into the
    Verdant Veil's rooms until one shows a materialized bandit (or, failing that, any
    agent) and fights it to its death; (its name, the room of the fight)."""
    found = admin.command(f"find {player.name}", r"#\d+")
    dbref = re.findall(r"#\d+", found)[-1]
    admin.command(f"set {dbref}/xp = 3000", r"\n")
    bandit, room = None, ""
    forest = [r.id for z in world.zones for r in z.rooms if r.id.startswith("forest.")]
    for target in forest[:6]:
        walk(player, route(world, here, lambda r, t=target: r.id == t))
        here = target
        room = player.command("look", r"Prices here:[^\n]*\n")
        bandit = re.search(r"([A-Z][a-z]+) the Bandit", room)
        if bandit:
            break
    # bandits are not always about early in a run: any materialized agent dies the same way
    bandit = bandit or re.search(r"([A-Z][a-z]+) the (Merchant|Farmer|Priest|Explorer|Hunter)", room)
    assert bandit, room
    out = ""
    for _ in range(10):
        out = player.command(f"attack {bandit.group(1)}", r"You slay[^\n]*\n|hits you for \d+ \(\d+/\d+\)\.")
        if "You slay" in out:
            break
    assert "You slay" in out
    return bandit.group(1), here


def test_trade_fight_loot_and_reputation(telnet, game_server):
    world = load_world(TERA)
    player = telnet()
    start = opened_purse(player)
    assert start == 50
    # trade with the Golden Conflux shopkeeper at live prices
    shop = next(r.id for z in world.zones for r in z.rooms
                if any(n.template == "npc.merchant" for n in r.npcs))
    walk(player, route(world, world.header.start_room, lambda r: r.id == shop))
    listing = player.command("list", r"You have \d+ coins\.")
    assert re.search(r"trades at Golden Conflux prices", listing)
    before = int(re.search(r"relics\s+(\d+)", listing).group(1))
    bought = player.command("buy 2 crops", r"coins left\.")
    total, each = map(int, re.search(r"You buy 2 crops for (\d+) coins \((\d+) each\)", bought).groups())
    assert total == 2 * each
    # a simulated crash debases the Market: the next prices follow it
    admin = admin_player(game_server.telnet_port)
    sim_command(admin, "sim event market_crash market", r"Started: \[Tick \d+\]")
    crashed = before
    for _ in range(20):  # prices are set at the start of the next tick
        crashed = buy_price(player, "relics")
        if crashed < before:
            break
        time.sleep(0.5)
    assert crashed < before
    sold = player.command("sell 1 crops", r"You have \d+ coins\.|You keep them\.")
    paid = re.search(r"You sell 1 crops for (\d+) coins", sold)  # a crashed market may pay nothing for them
    got = int(paid.group(1)) if paid else 0
    assert coins_of(player) == start - total + got
    purse = coins_of(player)
    name, _ = slay_in_the_forest(player, admin, world, shop)
    assert coins_of(player) >= purse
    reputation = player.command("reputation", r"Temple of Suns[^\n]*\n")
    assert re.search(r"\s[1-9]\d*\s", reputation.split("standing", 1)[1]), reputation  # the deed counted
    # the simulation saw it: the kill is in its event log within a tick or two
    log = game_server.runtime / "events" / "events.txt"
    for _ in range(20):
        if log.exists() and f'"{name}" was slain by {player.name}' in log.read_text():
            break
        time.sleep(0.5)
    assert f'"{name}" was slain by {player.name}' in log.read_text()
    # and the books balanced through every trade and fight: the simulation never paused on a ledger error
    status = admin.command("sim status", r"active events:[^\n]*\n")
    assert "paused" not in status.split("\n")[0].lower()
    admin.close()


def test_join_a_bandit_raid_take_a_share_of_its_loot_and_pay_a_priest_to_heal(telnet, game_server):
    world = load_world(TERA)
    player = telnet()
    opened_purse(player)
    admin = admin_player(game_server.telnet_port)
    found = admin.command(f"find {player.name}", r"#\d+")
    admin.command(f"set {re.findall(r'#[0-9]+', found)[-1]}/xp = 300", r"\n")  # seasoned: beats the guards, not unhurt
    admin.close()
    entered = []  # the first room of the Verdant Veil on the way: the notice comes there

    def forest(room) -> bool:
        entered.append(room.id)
        return room.id.startswith("forest.")

    walk(player, route(world, world.header.start_room, forest))
    player.expect(r"Bandits are raiding the caravans of The Verdant Veil\.[^\n]*join raid", timeout=30)
    purse = coins_of(player)
    for _ in range(10):  # a tick without raiders in the region is rare, but it happens
        fought = player.command("join raid", r"The bandits will share out the take\.|No raid is under way here\.")
        if "No raid" not in fought:
            break
        time.sleep(1)
    assert "You break the guards" in fought, fought
    share = int(player.expect(r"Your share of the raid's take: (\d+) coins", timeout=15).rsplit(": ", 1)[1].split()[0])
    assert coins_of(player) == purse + share
    assert re.search(r"Merchant Guild\s+0\s+6\s", player.command("reputation", r"Temple of Suns[^\n]*\n"))
    log = game_server.runtime / "events" / "events.txt"
    for _ in range(20):
        if f"{player.name} rode with the bandits in The Verdant Veil" in log.read_text():
            break
        time.sleep(0.5)
    assert f"{player.name} rode with the bandits in The Verdant Veil, robbed Merchant" in log.read_text()
    assert f"took a share of {share} coins" in log.read_text()
    # the guards' blows are healed at the Sun Chapel, for a fee
    walk(player, route(world, entered[-1], lambda r: r.id == "village.sun_chapel"))
    purse = coins_of(player)
    healed = player.command("heal", r"you have \d+ coins\.|whole already")
    fee = int(re.search(r"The temple takes (\d+) coins", healed).group(1))
    assert fee > 0 and coins_of(player) == purse - fee
    assert re.search(r"Health: (\d+)/\1\n", player.command("score", r"Reputation:[^\n]*\n"))
    status = admin_player(game_server.telnet_port)
    assert "PAUSED" not in status.command("sim status", r"active events:[^\n]*\n")  # the books balanced
    status.close()


def test_a_blade_worn_in_a_fight_is_mended_by_a_merchant_for_coin(telnet, game_server, rusty_sword_in_square):
    world = load_world(TERA)
    player = telnet()
    opened_purse(player)
    player.command("get rusty sword", "You pick up a rusty sword")
    player.command("equip rusty sword", "You equip rusty sword as your weapon")
    admin = admin_player(game_server.telnet_port)
    _, here = slay_in_the_forest(player, admin, world, world.header.start_room)
    admin.close()
    worn = re.search(r"worn: rusty sword (\d+)%", player.command("score", r"Reputation:[^\n]*\n"))
    assert worn and int(worn.group(1)) < 100  # every blow struck wore the blade
    shop = next(r.id for z in world.zones for r in z.rooms if any(n.template == "npc.merchant" for n in r.npcs))
    walk(player, route(world, here, lambda r: r.id == shop))
    purse = coins_of(player)
    mended = player.command("repair", r"You have \d+ coins\.|[^\n]*(needs no mending|no merchant)[^\n]*\n")
    cost = re.search(r"mends rusty sword \((\d+)\) for (\d+) coins", mended)
    assert cost and cost.group(1) == cost.group(2) and int(cost.group(2)) >= 1, mended
    assert coins_of(player) == purse - int(cost.group(2))
    score = player.command("score", r"Reputation:[^\n]*\n")
    assert "worn:" not in score and "rusty sword" not in score
    player.command("repair", r"Nothing you carry needs mending\.")


def crops_row(player) -> tuple[int, int, int]:
    """(buy, sell, stock) of crops in the merchant's list."""
    listing = player.command("list", r"You have \d+ coins\.")
    return tuple(map(int, re.search(r"crops\s+(\d+)\s+(\d+)\s+(\d+)", listing).groups()))


def test_buy_and_sell_at_the_price_of_a_simulated_shortage(telnet, game_server):
    world = load_world(TERA)
    player = telnet()
    purse = opened_purse(player)
    shop = next(r.id for z in world.zones for r in z.rooms if any(n.template == "npc.merchant" for n in r.npcs))
    walk(player, route(world, world.header.start_room, lambda r: r.id == shop))
    admin = admin_player(game_server.telnet_port)
    sim_command(admin, "sim pause", r"Simulation paused at tick \d+")  # no tick refills the market meanwhile
    try:
        # a glut first, far beyond any market's reference supply, puts crops at the 1-coin floor
        # whatever earlier tests did to the Market: its price factor stays at or above 0.25 (a
        # market_crash halves prices, the money factor is held within 0.5..2), so the embargo's
        # doubled base price of 4 comes to at least 2 coins
        sim_command(admin, "sim supply market crops 10000000", r"price 1 coins each\.")
        buy0, sell0, stock0 = crops_row(player)
        assert stock0 > 0
        sim_command(admin, "sim supply market crops 0", r"market of Golden Conflux now holds 0 crops; price \d+ coins each\.")  # an embargo
        buy1, sell1, stock1 = crops_row(player)
        assert stock1 == 0 and buy1 > buy0 and sell1 >= sell0 and sell1 > 0  # (a glut sold by earlier tests may price sell0 at 0)
        bare = player.command("buy 1 crops", r"no crops left[^\n]*\n|coins left\.")
        assert "spreads empty hands" in bare  # a shortage, not a crash
        assert coins_of(player) == purse
        sim_command(admin, "sim supply market crops 1", r"price \d+ coins each\.")  # one sack comes in
        buy2, sell2, _ = crops_row(player)
        assert buy2 >= buy1 - 1 and buy2 > buy0  # one unit barely eases a shortage
        bought = player.command("buy 1 crops", r"coins left\.|no crops left[^\n]*\n")
        assert f"You buy 1 crops for {buy2} coins" in bought, bought
        assert "spreads empty hands" in player.command("buy 1 crops", r"no crops left[^\n]*\n|coins left\.")
        sold = player.command("sell 1 crops", r"You have \d+ coins\.")
        assert f"You sell 1 crops for {sell2} coins" in sold
        assert coins_of(player) == purse - buy2 + sell2
    finally:
        sim_command(admin, "sim resume", r"Simulation resumed at tick \d+")
    # the books balanced through the shortage: the world never paused on a ledger error
    status = admin.command("sim status", r"active events:[^\n]*\n")
    assert "PAUSED" not in status and "FAILED" not in status
    admin.close()


def test_a_ware_patched_into_the_shops_stock_is_bought_and_undone(telnet, game_server):
    """Issue 8: an item patch naming the shopkeeper region's stock table makes the item sold there."""
    from generation.enrich import PROCEDURAL
    from generation.models.proposal import Kind
    from generation.pipeline import make
    from generation.publish import Library
    from generation.world_index import WorldIndex

    world = load_world(TERA)
    shop = next(r.id for z in world.zones for r in z.rooms if any(n.template == "npc.merchant" for n in r.npcs))
    region = world.room_zone[shop]
    index = WorldIndex.load(TERA)
    ware = next(p for p in (make(Kind.item, seed, region, index, PROCEDURAL, {"placement": "stock"})
                            for seed in range(9000, 9100)) if p.payload["value"] <= 15)  # within a new purse
    name = ware.flavor["name"]
    player = telnet()
    walk(player, route(world, world.header.start_room, lambda r: r.id == shop))
    Library(game_server.runtime / "library").publish(ware)
    deadline = time.monotonic() + 30
    while name not in (listing := player.command("list", r"You have \d+ coins\.")):
        assert time.monotonic() < deadline, f"{name} never went on sale:\n{listing}"
        time.sleep(0.2)
    price = int(re.search(rf"{re.escape(name)}\s+(\d+)", listing).group(1))
    for _ in range(60):  # the purse opens once the simulation's ledger is live
        if coins_of(player) >= price:
            break
        time.sleep(1)
    bought = player.command(f"buy {name}", r"(coins left\.|coins; you have \d+\.)")
    assert f"You buy 1 {name} for {price} coins" in bought, bought
    assert name in player.command("inventory", re.escape(name), timeout=10)
    admin = admin_player(game_server.telnet_port)
    admin.command(f"undo {ware.id}", r"Undone[^\n]*\n", timeout=30)
    deadline = time.monotonic() + 30
    while name in (listing := player.command("list", r"You have \d+ coins\.")):
        assert time.monotonic() < deadline, f"{name} is still on sale after the undo"
        time.sleep(0.2)
    admin.close()
