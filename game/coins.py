"""Players' coin: an integer purse on each character, mirrored in the simulation's ledger.

Every change goes through `credit` (faucets: purse, loot, quest_reward, sale)
or `debit` (sinks: purchase, fee, repair, death_penalty), which queue the flow
in the simulation's player ledger (world/player_ledger.py) before touching the
purse, so the sum of all purses is the ledger's `player_coins` once the next
tick has applied the queue.  Nothing here waits for a running step: queuing
takes only the ledger's short internal lock.  `receive` is the one exception:
coin the simulation itself already moved to players in a step (a raider's
share of a loot pool, world/player_ledger.py) only lands in the purse.  Without a live simulation
there is no ledger, and coin cannot move (a clear `MoneyError`).
"""

from game.simulation_bridge import service

STARTING_PURSE = 50


class MoneyError(ValueError):
    """A player-facing reason why coin cannot move."""


def coins(char) -> int:
    return int(char.db.coins or 0)


def ledger():
    """The live simulation's player ledger (MoneyError when there is no simulation)."""
    running = service()
    if running is None:
        raise MoneyError("The markets are shut: the world's ledger is not running yet.")
    return running.sim.players


def credit(char, kind: str, amount: int, **trade) -> int:
    """Give `amount` coins through the faucet `kind`; returns the new purse."""
    ledger().queue_flow(kind, amount, **trade)
    char.db.coins = coins(char) + amount
    return coins(char)


def debit(char, kind: str, amount: int, **trade) -> int:
    """Take `amount` coins through the sink `kind`; refuses (changing nothing) if the purse is short."""
    have = coins(char)
    if amount > have:
        raise MoneyError(f"That costs {amount} coins; you have {have}.")
    ledger().queue_flow(kind, amount, **trade)
    char.db.coins = have - amount
    return coins(char)


def receive(char, amount: int) -> int:
    """Put coin the simulation already counted in `player_coins` into the purse; returns the new purse."""
    char.db.coins = coins(char) + amount
    return coins(char)


def open_purse(char) -> bool:
    """A new character's starting purse, once (False while the ledger is not running)."""
    if char.db.purse_opened:
        return False
    try:
        credit(char, "purse", STARTING_PURSE)
    except MoneyError:
        return False
    char.db.purse_opened = True
    return True
