"""Bandit raids players can join: when, against whom, what it pays and what it costs.

The simulation's bandits raid the merchants of a region whenever its odds
come up (world/systems/combat.py); a raid is under way in a region while it
counted raiders at the last tick.  Players standing there hear of it (each at
most once per NOTICE_S and region) and may `join raid`: one skirmish against the
caravan's guards with the combat rules (game/combat.py; the guards of an
alarmed Market fight harder).  A player who beats the guards is a raider to
the simulation: the next step robs the region's richest merchant into its
loot pool, pays the player a raider's share of the pool and lowers the
region's stability (world/player_ledger.py, queued like every player change),
and the step's event names the player; `after_step` then puts that share in
the player's purse (game.coins.receive: the simulation already moved the
coin).  Joining costs standing: RAID_DEEDS is infamy with the Merchant Guild
and the Settlers' Union, fame with the Bandit Clans.  A player may join a
raid once every COOLDOWN_TICKS.
"""

import time

from evennia.utils import logger
from evennia.objects.models import ObjectDB

from . import coins, reputation
from .combat import Strength, blow
from .region_news import players_by_zone
from .simulation_bridge import on_step

GUARDS = Strength("the caravan guards", 45, 45, 9, 5)
ALARM_FACTOR = 1.5  # guards of an alarmed Market
MAX_ROUNDS = 8
COOLDOWN_TICKS = 30
NOTICE_S = 120.0
RAID_DEEDS = {"Merchant Guild": (0, 6), "Settlers' Union": (0, 2), "Bandit Clans": (5, 0)}


class RaidError(ValueError):
    """A player-facing reason why there is no raid to join."""


def under_way(sim, zone: str | None) -> bool:
    return bool(zone) and zone in sim.config.region_ids and sim.region_view(zone)["raiders"] > 0


def guards(sim, zone: str) -> Strength:
    """The guards of a caravan in `zone` (tougher where the Market is alarmed)."""
    if not sim.region_view(zone)["alarm"]:
        return Strength(GUARDS.name, GUARDS.health, GUARDS.max_health, GUARDS.attack, GUARDS.defense)
    hp = int(GUARDS.health * ALARM_FACTOR)
    return Strength("the alerted caravan guards", hp, hp, int(GUARDS.attack * ALARM_FACTOR),
                    int(GUARDS.defense * ALARM_FACTOR))


def check(sim, char) -> str:
    """The zone whose raid `char` may join now (RaidError says why not)."""
    zone = getattr(char.location, "zone", None)
    if not under_way(sim, zone):
        raise RaidError("No raid is under way here. Bandits strike where caravans pass, often at Nightfall.")
    if sim.region_view(zone)["roles"]["Merchant"] == 0:
        raise RaidError("No caravans pass here to raid.")
    last = char.db.raided_at
    if last is not None and sim.tick - int(last) < COOLDOWN_TICKS:
        raise RaidError(f"You are still catching your breath from the last raid ({COOLDOWN_TICKS - sim.tick + int(last)} "
                        "ticks to go).")
    return zone


def fight(me: Strength, them: Strength, rng) -> tuple[str, list[tuple[str, bool]]]:
    """Rounds of blows until a side falls or MAX_ROUNDS pass: ('won'|'fell'|'repelled', blows), each
    blow a line and whether the player struck it."""
    lines = []
    for _ in range(MAX_ROUNDS):
        dealt = blow(me, them, rng)
        them.health = max(0, them.health - dealt)
        lines.append((f"You hit {them.name} for {dealt} ({them.health}/{them.max_health}).", True))
        if them.health == 0:
            return "won", lines
        taken = blow(them, me, rng)
        me.health = max(0, me.health - taken)
        lines.append((f"{them.name.capitalize()} hit you for {taken} ({me.health}/{me.max_health}).", False))
        if me.health == 0:
            return "fell", lines
    return "repelled", lines


def join(sim, char, zone: str) -> list[str]:
    """The player beat the guards: their raid goes to the simulation and costs them standing."""
    char.db.raided_at = sim.tick
    sim.players.queue_raid(zone, char.key, char.id)
    lines = []
    for faction, (fame, infamy) in RAID_DEEDS.items():
        before, after = reputation.add(char, faction, fame, infamy)
        if before != after:
            lines.append(f"Your standing with the {faction} is now {after}.")
    return lines


def after_step(sim, events) -> None:
    """Pay players their raid shares; tell the players where a raid goes on."""
    raided = set()
    for event in events:
        if event.kind != "combat":
            continue
        if event.detail.get("player") is not None:
            _pay(int(event.detail["player"]), int(event.detail["share"]), event.text)
        else:
            raided.add(event.region)
    if raided:
        _tell(sim, raided, players_by_zone())


def _tell(sim, regions, audience) -> None:
    now = time.monotonic()
    for region in regions:
        for room in audience.get(region, ()):
            for char in room.contents:
                told = char.ndb.raids_noticed or {}
                if not char.has_account or now - told.get(region, -1e9) < NOTICE_S:
                    continue
                char.ndb.raids_noticed = {**told, region: now}
                char.msg(f"|rBandits are raiding the caravans of {sim.region_view(region)['name']}.|n Type "
                         "|wjoin raid|n to ride with them, or |wattack|n a bandit to stop them.")


def _pay(player: int, share: int, text: str) -> None:
    char = ObjectDB.objects.filter(id=player).first()
    if char is None:
        logger.log_err(f"raid share of {share} coins for a character that is gone (#{player}): {text}")
        return
    coins.receive(char, share)
    char.msg(f"Your share of the raid's take: {share} coins. You have {coins.coins(char)} coins.")


on_step(after_step)
