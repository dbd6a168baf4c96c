"""Fixed vocabularies of the simulation: roles, factions, states, traits, resources, kinds.

The kernels index arrays by these positions, so the order is part of the
snapshot format.  Region ids, season and epoch names come from the config.
"""

ROLES = ("Merchant", "Bandit", "Farmer", "Priest", "Explorer", "Hunter")
MERCHANT, BANDIT, FARMER, PRIEST, EXPLORER, HUNTER = range(6)

FACTIONS = ("Merchant Guild", "Bandit Clans", "Explorers' League", "Settlers' Union", "Temple of Suns")
GUILD, CLANS, LEAGUE, UNION, TEMPLE = range(5)

STATES = ("Idle", "Explore", "Gather", "Trade", "Hunt", "Combat", "Rest", "Dead")
IDLE, EXPLORE, GATHER, TRADE, HUNT, COMBAT, REST, DEAD = range(8)

TRAITS = ("aggressive", "cautious", "social", "curious")
AGGRESSIVE, CAUTIOUS, SOCIAL, CURIOUS = range(4)

RESOURCES = ("herbs", "timber", "crops", "hides", "minerals", "relics")
HERBS, TIMBER, CROPS, HIDES, MINERALS, RELICS = range(6)

TIERS = ("Unknown", "Noted", "Renowned", "Legendary", "Infamous")

EVENT_KINDS = ("trade", "combat", "discovery", "death", "social", "macro")

MACRO_KINDS = ("drought", "invasion", "market_crash", "pilgrimage_boon", "relic_rush")
DROUGHT, INVASION, MARKET_CRASH, PILGRIMAGE_BOON, RELIC_RUSH = range(5)

SOCIAL_KINDS = ("barter_conclave", "peace_council", "vendetta_declaration", "pilgrimage_procession")
BARTER_CONCLAVE, PEACE_COUNCIL, VENDETTA, PROCESSION = range(4)

# Candidate slots the agent kernels fill for sampled events (see world/events.py).
SLOTS = ("trade", "victim", "raider", "discovery", "death")
S_TRADE, S_VICTIM, S_RAIDER, S_DISCOVERY, S_DEATH = range(5)

# Ledger flows: faucets create money, sinks destroy it, transfers move it.  The player_* flows,
# quest_rewards and death_penalties are coin entering or leaving players (world/player_ledger.py).
FAUCETS = ("births", "mint", "player_purses", "player_loot", "quest_rewards", "player_sales")
SINKS = ("debasement", "treasury_upkeep", "burn", "player_purchases", "player_fees", "player_repairs",
         "death_penalties")
TRANSFERS = ("sales", "upkeep", "tariffs", "purchases", "loot", "loot_paid", "death_purses")
