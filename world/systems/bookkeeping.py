"""Bookkeeping system: the money ledger and the end-of-tick invariants.

Money is integer.  Faucets (enums.FAUCETS: births, the exchange's mint,
players' loot, quest rewards and sales) create it, sinks (enums.SINKS:
debasement, treasury upkeep, the exchange's burn, players' purchases, fees,
repairs and death penalties) destroy it, transfers (sales, upkeep, tariffs,
purchases, loot, loot_paid, death_purses) only move it and are recorded for
reporting.  Every tick: agents' wealth + region treasuries + faction
treasuries + loot pools + players' coin must equal the previous total +
faucets - sinks, and no wealth, stock, supply, treasury or players' coin may
be negative; otherwise `LedgerError` is raised.
"""

import numpy as np

from ..enums import FAUCETS, SINKS, TRANSFERS

FLOWS = FAUCETS + SINKS + TRANSFERS
FAUCET_SLICE = slice(0, len(FAUCETS))
SINK_SLICE = slice(len(FAUCETS), len(FAUCETS) + len(SINKS))


class LedgerError(RuntimeError):
    """Money appeared or vanished outside the recorded faucets and sinks, or went negative."""


def record(s, name: str, amount: int) -> None:
    if amount < 0:
        raise LedgerError(f"negative {name} flow {amount}")
    s.flows_tick[FLOWS.index(name)] += amount


def money(s, agent_wealth: int) -> int:
    return (int(agent_wealth) + int(s.treasury.sum()) + int(s.faction_treasury.sum()) + int(s.loot_pool.sum())
            + int(s.player_coins[0]))


def check(s, agent_wealth: int, min_wealth: int) -> None:
    """Close the tick's books; raises LedgerError on any violation."""
    faucets = int(s.flows_tick[FAUCET_SLICE].sum())
    sinks = int(s.flows_tick[SINK_SLICE].sum())
    expected = int(s.money[0]) + faucets - sinks
    total = money(s, agent_wealth)
    if total != expected:
        raise LedgerError(f"tick {s.tick}: money supply {total} != previous {int(s.money[0])} "
                          f"+ faucets {faucets} - sinks {sinks} = {expected} (off by {total - expected})")
    if min_wealth < 0:
        raise LedgerError(f"tick {s.tick}: an agent holds negative wealth ({min_wealth})")
    for name in ("stock", "supply", "treasury", "faction_treasury", "loot_pool", "player_coins"):
        low = int(getattr(s, name).min())
        if low < 0:
            raise LedgerError(f"tick {s.tick}: negative {name} ({low})")
    s.money[0] = total
    s.flows_total += s.flows_tick


def flows_dict(values: np.ndarray) -> dict:
    return {name: int(v) for name, v in zip(FLOWS, values)}
