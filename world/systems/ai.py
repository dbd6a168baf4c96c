"""AI system: the probabilistic behaviour FSM (Idle, Explore, Gather, Trade, Hunt, Combat, Rest).

Idle->Explore after idle ticks, Explore->Gather on discovery, Gather->Trade when
full, Trade->Hunt when poor, Hunt->Rest when hurt, Rest->Idle when recovered,
bandits->Combat when caravans share their region.  Traits (0..255) shift odds:
aggressive adds up to +10% Hunt, curious raises discovery, social sells earlier;
cautious lowers raids (see combat.raid_chance).
"""

from numba import njit

from ..enums import BANDIT, COMBAT, EXPLORE, GATHER, HUNT, IDLE, REST, TRADE
from ..params import (AGGR_HUNT, CURIOUS_DISC, GATHER_MAX, HURT, IDLE_EXPLORE, IDLE_TICKS, POOR, RECOVERED,
                      TRADE_HUNT, TRADE_MAX)

TIRED = 10


@njit(nogil=True, cache=True, inline="always")
def next_state(st, timer, role, hp, stamina, carry, cap, wealth, aggressive, social, curious,
               u0, u3, P, discover_q, raid_q, trade_boost_q):
    """New FSM state for one living agent; u0, u3 are 16-bit uniforms, *_q are Q16 odds."""
    if st == IDLE:
        if hp < P[HURT]:
            return REST
        if role == BANDIT and u3 < raid_q:
            return COMBAT
        if timer >= P[IDLE_TICKS] and u0 < P[IDLE_EXPLORE]:
            return EXPLORE
        return IDLE
    if st == EXPLORE:
        if hp < P[HURT] or stamina < TIRED:
            return REST
        if role == BANDIT and u3 < raid_q:
            return COMBAT
        if u0 < discover_q + (P[CURIOUS_DISC] * curious >> 8):
            return GATHER
        return EXPLORE
    if st == GATHER:
        if carry >= cap or timer >= P[GATHER_MAX]:
            return TRADE
        if carry > 0 and u0 < (trade_boost_q * (256 + social) >> 9):
            return TRADE
        if hp < P[HURT] or stamina < TIRED:
            return REST
        return GATHER
    if st == TRADE:
        if carry == 0 or timer >= P[TRADE_MAX] + 2:
            if wealth < P[POOR] and u0 < P[TRADE_HUNT] + (P[AGGR_HUNT] * aggressive >> 8):
                return HUNT
            return IDLE
        return TRADE
    if st == HUNT:
        if hp < P[HURT]:
            return REST
        if role == BANDIT and u3 < raid_q:
            return COMBAT
        if carry >= cap or timer >= P[GATHER_MAX]:
            return TRADE
        return HUNT
    if st == COMBAT:
        return REST if hp < P[HURT] else IDLE
    if st == REST:
        return IDLE if hp >= P[RECOVERED] else REST
    return st
