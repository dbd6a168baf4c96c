"""Exchange system: the Merchant Guild's currency exchange keeps the money supply steady.

Coin mostly circulates (treasuries buy goods, agents pay upkeep and caravans
pay for loads back into them), but births, deaths, treasury upkeep, macro
events and players' loot, rewards, sales and purchases still add or remove
coin.  At each Daybreak the exchange closes `exchange_pull` of the gap between
the money supply and its reference (the supply at creation, `money_ref`):
below it the exchange mints coin into the treasuries in proportion to who
lives there (faucet "mint"); above it the exchange burns coin from the
treasuries in proportion to what they hold (sink "burn").

Prices follow money: every price is multiplied by (money / money_ref) **
`money_elasticity` (clamped to 0.5..2), so coin poured into the world makes
goods dearer until the exchange drains it again.
"""

import numpy as np

MONEY_FACTOR_MIN, MONEY_FACTOR_MAX = 0.5, 2.0


def money_factor(cfg, s) -> float:
    """Price multiplier from the money supply relative to its reference."""
    ref = int(s.money_ref[0])
    if ref <= 0:
        return 1.0
    ratio = max(int(s.money[0]), 1) / ref
    return float(np.clip(ratio ** cfg.population["money_elasticity"], MONEY_FACTOR_MIN, MONEY_FACTOR_MAX))


def seed_treasuries(cfg, s, n_agents: int) -> int:
    """Opening coin of each region's treasury (by its share of home weights); returns the total minted."""
    weights = np.array([sum(r.weights.values()) for r in cfg.regions], np.float64)
    total = int(n_agents * cfg.population["treasury_seed_per_agent"])
    seed = np.floor(total * weights / weights.sum()).astype(np.int64)
    s.treasury[:] = seed
    return int(seed.sum())


def steer(cfg, s, faucet, sink) -> None:
    """Daybreak: mint or burn `exchange_pull` of the gap to the reference money supply.

    `faucet(name, amount)` / `sink(name, amount)` record created / destroyed coin.
    """
    gap = int(s.money_ref[0]) - int(s.money[0])
    move = int(gap * cfg.population["exchange_pull"])
    if move > 0:
        alive = s.pop.sum(axis=1).astype(np.float64)
        share = alive / alive.sum() if alive.sum() > 0 else np.full(alive.shape, 1.0 / alive.size)
        minted = np.floor(move * share).astype(np.int64)
        s.treasury += minted
        faucet("mint", int(minted.sum()))
    elif move < 0:
        held = int(s.treasury.sum())
        if held <= 0:
            return
        want = min(-move, held)
        burned = s.treasury * want // held
        s.treasury -= burned
        sink("burn", int(burned.sum()))
