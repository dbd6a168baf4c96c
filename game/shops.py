"""Trade rules: merchants buy and sell goods at the region's live simulated price and stock.

A merchant is any NPC whose role is merchant: a materialized merchant agent or
a fixed shopkeeper from the content.  Goods are the simulation's resources
(herbs, timber, crops, hides, minerals, relics), carried as one stack object
per resource (`db.resource`, `db.qty`); content items of kind herb, timber,
mineral or relic count as one unit of their resource.  The unit price is the
region's simulated price, plus the tariff of the faction holding the region
on a purchase (minus it on a sale) unless the player is Renowned or better
with that faction, times the player's standing with it (`STANDING_FACTOR`).
Trades go through game.coins, so they are in the simulation's ledger, and
move the region's market supply: selling a hundred hides lowers their price.
Other items (gear, provisions) sell for half their value times the money
factor and do not move any market.

Wares: the item templates of the region's stock table (`stock.<region>`,
named by an item patch) are sold by every merchant there, one object per
unit, at their value times the money factor, with the same tariff and
standing; an undone patch takes its ware off the list.
"""

from math import ceil, floor

from evennia.prototypes import spawner
from evennia.utils.create import create_object

from world.enums import RESOURCES
from world.systems import exchange

from . import reputation
from .content_service import current_world
from .prototypes import item_prototype

ITEM_TYPECLASS = "game.typeclasses.items.Item"
KIND_RESOURCE = {"herb": "herbs", "timber": "timber", "mineral": "minerals", "relic": "relics"}
SINGULAR = {"herbs": "herb", "crops": "crop", "hides": "hide", "minerals": "mineral", "relics": "relic"}
GOODS_DESC = {
    "herbs": "Bundled herbs, bitter-sweet and still fresh.",
    "timber": "Lengths of split timber, tied with cord.",
    "crops": "Sacks of grain and roots from the fields.",
    "hides": "Scraped and salted hides, rolled tight.",
    "minerals": "Lumps of ore wrapped in sacking.",
    "relics": "Small relics from buried ruins, wrapped in cloth.",
}
STANDING_FACTOR = {"Unknown": 1.0, "Noted": 0.97, "Renowned": 0.93, "Legendary": 0.88, "Infamous": 1.3}
MAX_UNITS = 500
MAX_WARES = 10  # objects of one ware bought at once


class TradeError(ValueError):
    """A player-facing reason why a trade cannot happen."""


def is_merchant(obj) -> bool:
    return str(obj.db.role or "").lower() == "merchant" and not obj.has_account


def merchant_in(room):
    return next((obj for obj in room.contents if is_merchant(obj)), None) if room else None


def resource_named(word: str) -> str | None:
    """'hides', 'hide', '12 hides' -> 'hides'; None if it names no resource."""
    word = word.strip().lower()
    for res in RESOURCES:
        if word in (res, SINGULAR.get(res, res)):
            return res
    return None


def resource_of(item) -> str | None:
    return item.db.resource or KIND_RESOURCE.get(str(item.db.kind or ""))


def units_of(item) -> int:
    return int(item.db.qty or 1)


def region_controller(sim, zone: str) -> str:
    return sim.region_view(zone)["controller"]


def quote(unit_price: int, side: str, tariff: float, standing: str) -> int:
    """Price of one unit for a player buying ('buy') or selling ('sell')."""
    factor = STANDING_FACTOR[standing]
    if side == "buy":
        return max(1, ceil(unit_price * (1 + tariff) * factor))
    return max(0, floor(unit_price * (1 - tariff) / factor))


def terms(sim, zone: str, char) -> tuple[float, str]:
    """(tariff charged to this player here, their standing with the region's controller)."""
    controller = region_controller(sim, zone)
    standing = reputation.tier(char, controller)
    exempt = standing in ("Renowned", "Legendary")
    tariff = 0.0 if exempt else float(sim.config.faction_params[controller]["tariff"])
    return tariff, standing


def price_list(sim, zone: str, char) -> list[dict]:
    """Every resource with this player's buy and sell price and the market's stock."""
    view = sim.region_view(zone)
    tariff, standing = terms(sim, zone, char)
    return [{"resource": res, "buy": quote(view["prices"][res], "buy", tariff, standing),
             "sell": quote(view["prices"][res], "sell", tariff, standing),
             "stock": sim.players.pending_supply(zone, res)} for res in RESOURCES]


def wares(zone: str) -> list:
    """The item templates the merchants of `zone` sell (its stock table)."""
    world = current_world()
    return world.table(f"stock.{zone}") if world is not None else []


def ware_named(zone: str, name: str):
    """The ware of `zone` called `name` (or starting with it), or None."""
    name = name.strip().lower()
    found = wares(zone)
    return (next((t for t in found if t.name.lower() == name), None)
            or next((t for t in found if t.name.lower().startswith(name)), None))


def ware_price(sim, zone: str, char, template) -> int:
    """What one of a ware costs this player here."""
    tariff, standing = terms(sim, zone, char)
    return quote(int(template.value * exchange.money_factor(sim.config, sim.state)), "buy", tariff, standing)


def hand_over(char, template, count: int) -> list:
    """`count` new objects of the ware `template`, into the character's inventory."""
    made = spawner.spawn(*[item_prototype(template)] * count)
    for obj in made:
        obj.move_to(char, quiet=True, move_type="get")
    return made


def item_sale_price(sim, zone: str, char, item) -> int:
    """What a merchant here pays for the whole of `item` (a stack: every unit)."""
    res = resource_of(item)
    tariff, standing = terms(sim, zone, char)
    if res is not None:
        return quote(sim.region_view(zone)["prices"][res], "sell", tariff, standing) * units_of(item)
    value = int(item.db.value or 0) * exchange.money_factor(sim.config, sim.state) / 2
    return quote(int(value), "sell", tariff, standing)


def goods_stack(char, resource: str):
    return next((o for o in char.contents if o.db.resource == resource and o.db.qty), None)


def add_goods(char, resource: str, qty: int):
    """Put `qty` units of `resource` into the character's stack of it (made if missing)."""
    stack = goods_stack(char, resource)
    if stack is None:
        stack = create_object(ITEM_TYPECLASS, key=resource, location=char, home=char,
                              aliases=[SINGULAR.get(resource, resource)],
                              attributes=[("resource", resource), ("qty", 0), ("kind", "goods"),
                                          ("desc", GOODS_DESC[resource]), ("value", 0)])
    set_units(stack, units_of(stack) + qty if stack.db.qty else qty)
    return stack


def set_units(stack, qty: int) -> None:
    if qty <= 0:
        stack.delete()
        return
    stack.db.qty = qty
    stack.key = f"{qty} {stack.db.resource}" if qty > 1 else SINGULAR.get(stack.db.resource, stack.db.resource)
    stack.aliases.add([stack.db.resource, SINGULAR.get(stack.db.resource, stack.db.resource)])

