"""Combat rules: strengths, one round of blows, what a fight is worth, death and respawn.

A player's strength comes from level and equipment power (weapon adds to
attack, armor to defense); an NPC's from its archetype's stats and threat.
`attack` runs one round per command: the player strikes, and a survivor
strikes back.  A slain NPC drops loot (game.loot), changes the killer's
reputation (game.reputation.KILL_DEEDS), and, when it is a materialized agent,
dies in the simulation's arrays and event log (world/player_ledger.py); while
a fight goes on (ENGAGED_SECONDS since the last blow) it does not head off
when its agent moves on.  A slain fixed NPC of the content comes back after
RESPAWN_SECONDS.  A
player brought to 0 health loses DEATH_PENALTY of their coin (sink
"death_penalty") and wakes at the nearest temple with half their health.
"""

import random
import time
from dataclasses import dataclass

from .content_service import current_world

TEMPLES = ("village.sun_chapel", "forest.hidden_shrine")
DEATH_PENALTY = 0.1
XP_PER_LEVEL = 100
FLEE_CHANCE = 0.6
RESPAWN_SECONDS = 300  # a slain fixed NPC (not a simulation agent) comes back after this
ENGAGED_SECONDS = 30.0  # a materialized NPC struck this recently stays to fight when its agent moves on


@dataclass
class Strength:
    name: str
    health: int
    max_health: int
    attack: int
    defense: int


def engage(npc) -> None:
    """`npc` was just struck: it is in a fight for the next ENGAGED_SECONDS."""
    npc.ndb.struck_at = time.monotonic()


def engaged(npc) -> bool:
    """Whether `npc` is in a fight: a materialized NPC then stays in its room
    even when its agent's region changes (game.materialize)."""
    struck = npc.ndb.struck_at
    return struck is not None and time.monotonic() - struck < ENGAGED_SECONDS


def level(char) -> int:
    return 1 + int(char.db.xp or 0) // XP_PER_LEVEL


def max_health(char) -> int:
    return 90 + 10 * level(char)


def health(char) -> int:
    value = char.db.hp
    return max_health(char) if value is None else int(value)


def player_strength(char) -> Strength:
    lv = level(char)
    return Strength(char.key, health(char), max_health(char), 6 + 2 * lv + char.equipment.attack,
                    2 + lv + char.equipment.defense)


def _archetype_numbers(npc) -> tuple[int, int, int, int]:
    """(health, attack, defense, threat) from the NPC's attributes or its archetype."""
    if npc.db.attack is not None:
        return int(npc.db.health or 20), int(npc.db.attack), int(npc.db.defense or 0), int(npc.db.threat or 0)
    world = current_world()
    arch = world.archetypes.get(npc.db.archetype) if world is not None and npc.db.archetype else None
    if arch is None:
        return 20, 3, 1, 0
    return arch.stats.health, arch.stats.attack, arch.stats.defense, arch.threat


def npc_strength(npc) -> Strength:
    hp, att, dfn, threat = _archetype_numbers(npc)
    top = hp + 3 * threat
    current = npc.db.hp
    return Strength(npc.key, top if current is None else int(current), top, att + threat // 2, dfn + threat // 3)


def threat(npc) -> int:
    return _archetype_numbers(npc)[3]


def blow(attacker: Strength, defender: Strength, rng: random.Random) -> int:
    """Damage of one strike: attack plus a roll of up to half of it, less half the defense (at least 1)."""
    return max(1, attacker.attack + rng.randint(0, max(1, attacker.attack // 2)) - defender.defense // 2)


def rounds_to_fell(attacker: Strength, defender: Strength) -> float:
    per = max(1.0, attacker.attack + attacker.attack / 4 - defender.defense // 2)
    return defender.health / per


def consider(player: Strength, npc: Strength) -> str:
    """How a fight would likely go, in words."""
    mine, theirs = rounds_to_fell(player, npc), rounds_to_fell(npc, player)
    ratio = theirs / max(mine, 0.1)
    if ratio >= 3:
        return f"{npc.name} would be no match for you."
    if ratio >= 1.5:
        return f"You should beat {npc.name}."
    if ratio >= 0.9:
        return f"{npc.name} is an even match. It could go either way."
    if ratio >= 0.5:
        return f"{npc.name} would probably beat you."
    return f"{npc.name} would kill you. Walk away."


def xp_for(npc) -> int:
    return 5 + 10 * threat(npc)


def death_penalty(purse: int) -> int:
    return int(purse * DEATH_PENALTY)


def nearest_temple(room, find_room):
    """The temple room closest to `room` on the grid (`find_room(content_id)` looks rooms up)."""
    temples = [t for t in (find_room(cid) for cid in TEMPLES) if t is not None]
    if not temples:
        return None
    here = getattr(room, "coords", None)
    if here is None:
        return temples[0]

    def distance(t):
        there = t.coords or (0, 0, 0)
        return sum((a - b) ** 2 for a, b in zip(here, there))

    return min(temples, key=distance)
