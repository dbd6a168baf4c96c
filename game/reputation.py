"""Players' reputation: fame and infamy per faction, tiers, and what deeds are worth.

Tiers per faction: Unknown, Noted, Renowned, Legendary by fame; Infamous when
infamy reaches INFAMOUS and outweighs fame.  A player Infamous with any lawful
faction (all but the Bandit Clans) is an Infamous player: the simulation's
Market guards grow alert while one stands in the Market (see
`report_infamous`).  Standing changes prices (game/shops.py) and how NPCs greet
a player (`greeting`).  Deeds: `KILL_DEEDS[role]` says what killing an NPC of
that role earns with each faction.
"""

from world.enums import FACTIONS

TIERS = ("Unknown", "Noted", "Renowned", "Legendary", "Infamous")
FAME_TIERS = ((80, "Legendary"), (30, "Renowned"), (10, "Noted"))
INFAMOUS = 25
LAWFUL = tuple(f for f in FACTIONS if f != "Bandit Clans")

# role killed -> {faction: (fame, infamy)}
KILL_DEEDS = {
    "Bandit": {"Merchant Guild": (4, 0), "Settlers' Union": (3, 0), "Temple of Suns": (1, 0), "Bandit Clans": (0, 5)},
    "Merchant": {"Merchant Guild": (0, 12), "Bandit Clans": (3, 0)},
    "Farmer": {"Settlers' Union": (0, 12), "Temple of Suns": (0, 4)},
    "Hunter": {"Settlers' Union": (0, 10)},
    "Priest": {"Temple of Suns": (0, 15), "Settlers' Union": (0, 4)},
    "Explorer": {"Explorers' League": (0, 12)},
}
GREETINGS = {
    "Unknown": "{npc} looks you over without recognition.",
    "Noted": "{npc} nods at you: \"I've heard your name.\"",
    "Renowned": "{npc} greets you warmly: \"Well met, {player}!\"",
    "Legendary": "{npc} bows: \"{player}! The songs do not do you justice.\"",
    "Infamous": "{npc} backs away from you, hand on a weapon.",
}


def standing(char) -> dict:
    """{faction: {"fame": int, "infamy": int}} for every faction."""
    stored = char.attributes.get("reputation", default=None) or {}
    return {f: {"fame": int(stored.get(f, {}).get("fame", 0)), "infamy": int(stored.get(f, {}).get("infamy", 0))}
            for f in FACTIONS}


def tier_of(fame: int, infamy: int) -> str:
    if infamy >= INFAMOUS and infamy > fame:
        return "Infamous"
    return next((name for floor, name in FAME_TIERS if fame >= floor), "Unknown")


def tier(char, faction: str) -> str:
    s = standing(char).get(faction, {"fame": 0, "infamy": 0})
    return tier_of(s["fame"], s["infamy"])


def is_infamous(char) -> bool:
    return any(tier(char, f) == "Infamous" for f in LAWFUL)


def add(char, faction: str, fame: int = 0, infamy: int = 0) -> tuple[str, str]:
    """Record a deed; returns (tier before, tier after) with that faction."""
    if faction not in FACTIONS:
        raise ValueError(f"unknown faction {faction!r}")
    current = standing(char)
    before = tier_of(**current[faction])
    current[faction]["fame"] += max(0, fame)
    current[faction]["infamy"] += max(0, infamy)
    char.db.reputation = current
    return before, tier_of(**current[faction])


def record_kill(char, role: str) -> list[str]:
    """Apply KILL_DEEDS for killing an NPC of `role`; returns lines about changed tiers."""
    lines = []
    for faction, (fame, infamy) in KILL_DEEDS.get(role, {}).items():
        before, after = add(char, faction, fame, infamy)
        if before != after:
            lines.append(f"Your standing with the {faction} is now {after}.")
    return lines


def greeting(char, npc_name: str, faction: str | None) -> str:
    name = tier(char, faction) if faction in FACTIONS else "Unknown"
    return GREETINGS[name].format(npc=npc_name, player=char.key)


def report_infamous(sim, characters) -> None:
    """Tell the simulation how many Infamous players stand in each region."""
    counts: dict[str, int] = {}
    for char in characters:
        zone = getattr(char.location, "zone", None)
        if zone and zone in sim.config.region_ids and is_infamous(char):
            counts[zone] = counts.get(zone, 0) + 1
    sim.players.set_infamous_players(counts)


def faction_of(npc) -> str | None:
    """The simulation's name of an NPC's faction (content ids like 'merchant_guild' too)."""
    raw = str(npc.db.faction or "")
    for name in FACTIONS:
        if raw in (name, name.lower().replace("'", "").replace(" ", "_")):
            return name
    return None
