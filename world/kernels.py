"""The fused agent passes: one parallel loop per half-tick over chunks of agents.

pass_a runs, per agent: loot payout, AI, movement, gathering request and raid
declaration.  Between the passes the region level turns requests into grants
and raids into attack odds.  pass_b runs gathering, trade, combat,
population (deaths, births), reputation and the counts bookkeeping needs.
All draws come from `draw(key, agent)`; all cross-agent results go to the
chunk's own rows of the workspace (integers only), so any thread count gives
the same state.  Kernels are nogil: the game calls step() from a thread.

Caching caveat: numba keys a cached kernel on this file only.  After editing a
per-agent function in world/systems/ or world/rng.py, delete the stale cache
(`find world -name "*.nb[ic]" -delete`) or touch this file.
"""

import numpy as np
from numba import njit, prange

from .enums import (BANDIT, COMBAT, DEAD, EXPLORE, GATHER, HUNT, IDLE, MERCHANT, REST, S_DEATH,
                    S_DISCOVERY, S_RAIDER, S_TRADE, S_VICTIM)
from .params import (DAYBREAK, DEFEND, DEFEND_FAME, DISC_FAME, FAME_DECAY, HAZARD_DMG, LOOT_FRAC, RAID_FAME,
                     STAMINA_COST, BIRTH, TRADE_BOOST, TRADE_FAME, UPKEEP, WEALTH_CAP)
from .rng import draw, lane, mix64
from .systems import ai, combat, gathering, movement, population, reputation, trade
from .workspace import (K_DEMAND_MKT, K_DEMAND_NAT, K_SOLD, K_TAKEN_MKT, K_TAKEN_NAT, R_ATTACKERS, R_BIRTHS,
                        R_COMBATS, R_DEATH_PURSE, R_DEATHS, R_INFAMOUS, R_LOOT, R_OFFERS, R_PAID, R_PURCHASES,
                        R_RAIDERS, R_SALES, R_UPKEEP, S_BIRTH_PURSE, S_WEALTH, S_WEALTH_MIN)

NONE = gathering.NONE


@njit(nogil=True, cache=True, inline="always")
def offer(c, slot, r, pri, agent, aux, cand_pri, cand_id, cand_aux):
    """Keep the chunk's K lowest-priority candidates for (slot, region)."""
    worst = 0
    for j in range(1, cand_pri.shape[3]):
        if cand_pri[c, slot, r, j] > cand_pri[c, slot, r, worst]:
            worst = j
    if pri < cand_pri[c, slot, r, worst]:
        cand_pri[c, slot, r, worst] = pri
        cand_id[c, slot, r, worst] = agent
        cand_aux[c, slot, r, worst] = aux


@njit(parallel=True, nogil=True, cache=True)
def create_agents(bounds, key, role_cw, home_cw, purse, role_faction, role, faction, traits, state, timer,
                  health, stamina, region, carry_kind, carry_qty, gen, wealth, fame):
    """Populate every slot; returns the total starting purses (the initial money supply)."""
    total = np.zeros(bounds.size - 1, np.int64)
    for c in prange(bounds.size - 1):
        for i in range(bounds[c], bounds[c + 1]):
            gen[i] = 0
            total[c] += population.spawn(i, draw(key, i), role_cw, home_cw, purse, role_faction, role, faction,
                                         traits, state, timer, health, stamina, region, carry_kind, carry_qty,
                                         wealth, fame)
    return total.sum()


@njit(parallel=True, nogil=True, cache=True, error_model="numpy")
def pass_a(bounds, key, P, T, role, traits, state, timer, health, stamina, region, carry_kind, carry_qty,
           wealth, fame, discover_q, raid_q, loot_share, gather_cw, merchant_pick, price, nb, deg, best_nb,
           carry_cap, gather_rate, acc_r, acc_k, cand_pri, cand_id, cand_aux):
    for c in prange(bounds.size - 1):
        for i in range(bounds[c], bounds[c + 1]):
            st = np.int64(state[i])
            if st == DEAD:
                continue
            h = draw(key, i)
            ro = np.int64(role[i])
            r = np.int64(region[i])
            w = np.int64(wealth[i])
            # combat payout: last tick's raiders split their region's loot pool
            if st == COMBAT and ro == BANDIT and loot_share[r] > 0:
                pay = min(loot_share[r], P[WEALTH_CAP] - w)
                w += pay
                wealth[i] = w
                acc_r[c, r, R_PAID] += pay
                fame[i] = reputation.gain(np.int64(fame[i]), P[RAID_FAME])
            aggr = np.int64(traits[i, 0])
            caut = np.int64(traits[i, 1])
            carry = np.int64(carry_qty[i])
            cap = carry_cap[ro]
            raid = combat.raid_chance(raid_q[r], aggr, caut, P) if ro == BANDIT else 0
            new = ai.next_state(st, np.int64(timer[i]), ro, np.int64(health[i]), np.int64(stamina[i]), carry, cap,
                                w, aggr, np.int64(traits[i, 2]), np.int64(traits[i, 3]), lane(h, 0), lane(h, 3),
                                P, discover_q[ro, r], raid, T[TRADE_BOOST])
            if new != st:
                state[i] = new
                timer[i] = 0
            elif timer[i] < 255:
                timer[i] += 1
            kind = np.int64(carry_kind[i])
            r = movement.next_region(new, r, ro, carry, kind, np.int64(timer[i]), np.int64(traits[i, 3]),
                                     lane(h, 1), lane(h, 2), P, nb, deg, best_nb)
            region[i] = r
            if new == GATHER or new == HUNT:
                kind = gathering.choose_kind(new, ro, r, carry, kind, lane(h, 2), gather_cw, merchant_pick)
                carry_kind[i] = kind
                if kind != NONE:
                    q = gathering.request(ro, carry, cap, gather_rate[ro], w, price[r, kind])
                    col = K_DEMAND_MKT if ro == MERCHANT else K_DEMAND_NAT
                    acc_k[c, r, kind, col] += q
                if new == GATHER and st == EXPLORE:
                    fame[i] = reputation.gain(np.int64(fame[i]), P[DISC_FAME])
                    offer(c, S_DISCOVERY, r, h, i, kind, cand_pri, cand_id, cand_aux)
            elif new == COMBAT and st != COMBAT:
                acc_r[c, r, R_ATTACKERS] += 1
            elif trade.sells_here(new, ro, carry, kind, r, np.int64(timer[i]), P, best_nb):
                # what this seller will ask of the region's treasury in pass B (see trade.pay_ratio)
                acc_r[c, r, R_OFFERS] += carry * price[r, kind]


@njit(parallel=True, nogil=True, cache=True, error_model="numpy")
def pass_b(bounds, key, P, T, role, faction, traits, state, timer, health, stamina, region, carry_kind,
           carry_qty, gen, wealth, fame, grant_nat, grant_mkt, price, pay_q, tariff_bp, controller, attacked_q,
           bandit_win_q, hazard_q, heal, best_nb, carry_cap, gather_rate, role_cw, home_cw, purse, role_faction,
           acc_r, acc_k, acc_s, tariffs, pop, states, champ, cand_pri, cand_id, cand_aux):
    for c in prange(bounds.size - 1):
        wmin = np.int64(0)
        wsum = np.int64(0)
        newcomers = np.int64(0)
        for i in range(bounds[c], bounds[c + 1]):
            h = draw(key, i)
            st = np.int64(state[i])
            if st == DEAD:
                # population: arrivals fill empty slots
                if lane(h, 0) < P[BIRTH]:
                    gen[i] += 1
                    newcomers += population.spawn(
                        i, mix64(h), role_cw, home_cw, purse, role_faction, role, faction, traits, state,
                        timer, health, stamina, region, carry_kind, carry_qty, wealth, fame)
                    acc_r[c, region[i], R_BIRTHS] += 1
                    st = IDLE
                else:
                    states[c, DEAD] += 1
                    continue
            ro = np.int64(role[i])
            r = np.int64(region[i])
            w = np.int64(wealth[i])
            hp = np.int64(health[i])
            carry = np.int64(carry_qty[i])
            kind = np.int64(carry_kind[i])
            f = np.int64(fame[i])
            # gathering (and caravan loading)
            if (st == GATHER or st == HUNT) and kind != NONE:
                q = gathering.request(ro, carry, carry_cap[ro], gather_rate[ro], w, price[r, kind])
                if ro == MERCHANT:
                    got = q * grant_mkt[r, kind] >> 16
                    cost = got * price[r, kind]
                    w -= cost
                    acc_r[c, r, R_PURCHASES] += cost
                    acc_k[c, r, kind, K_TAKEN_MKT] += got
                else:
                    got = q * grant_nat[r, kind] >> 16
                    acc_k[c, r, kind, K_TAKEN_NAT] += got
                carry += got
            # trade
            if trade.sells_here(st, ro, carry, kind, r, np.int64(timer[i]), P, best_nb):
                fac = np.int64(faction[i])
                revenue, tariff = trade.sale(carry, price[r, kind], pay_q[r], tariff_bp[r, fac], w, P[WEALTH_CAP])
                w += revenue - tariff
                acc_r[c, r, R_SALES] += revenue
                tariffs[c, controller[r]] += tariff
                acc_k[c, r, kind, K_SOLD] += carry
                offer(c, S_TRADE, r, h, i, kind * 65536 + carry, cand_pri, cand_id, cand_aux)
                carry = 0
                f = reputation.gain(f, P[TRADE_FAME])
            # combat
            if ro == MERCHANT and attacked_q[r] > 0 and lane(h, 1) < combat.attacked_chance(attacked_q[r],
                                                                                             np.int64(traits[i, 1]), P):
                h2 = mix64(h)
                st = COMBAT
                timer[i] = 0
                loss = 0
                if lane(h2, 0) < bandit_win_q[r]:
                    loss = w * P[LOOT_FRAC] >> 16
                    w -= loss
                    acc_r[c, r, R_LOOT] += loss
                    hp -= min(hp, combat.damage(lane(h2, 1), P))
                else:
                    f = reputation.gain(f, P[DEFEND_FAME])
                acc_r[c, r, R_COMBATS] += 1
                offer(c, S_VICTIM, r, h, i, loss, cand_pri, cand_id, cand_aux)
            elif st == COMBAT and ro == BANDIT:
                if lane(h, 1) < P[DEFEND]:
                    hp -= min(hp, combat.damage(lane(h, 2), P))
                offer(c, S_RAIDER, r, h, i, 0, cand_pri, cand_id, cand_aux)
            # hazards, stamina and healing
            sta = np.int64(stamina[i])
            if st == EXPLORE or st == GATHER or st == HUNT:
                sta = max(sta - P[STAMINA_COST], 0)
                odds = hazard_q[r] * 2 if st == HUNT else hazard_q[r]
                if lane(h, 3) < odds:
                    hp -= min(hp, (P[HAZARD_DMG] >> 1) + ((lane(h, 2) * (P[HAZARD_DMG] + 1)) >> 16))
            else:
                sta = min(sta + 10, 100)
                if st == REST and hp > 0:
                    hp = min(hp + heal[r], 100)
                elif st == IDLE and hp > 0:
                    hp = min(hp + 1, 100)
            stamina[i] = sta
            # daily upkeep (paid to the region treasury) and fading fame
            if T[DAYBREAK] != 0:
                pay = min(w, P[UPKEEP])
                w -= pay
                acc_r[c, r, R_UPKEEP] += pay
                f = reputation.decay(f, P[FAME_DECAY])
            # deaths: the purse goes to the region treasury
            if hp == 0:
                acc_r[c, r, R_DEATH_PURSE] += w
                acc_r[c, r, R_DEATHS] += 1
                offer(c, S_DEATH, r, h, i, 1 if st == COMBAT else 0, cand_pri, cand_id, cand_aux)
                w = 0
                st = DEAD
                carry = 0
            health[i] = hp
            wealth[i] = w
            carry_qty[i] = carry
            if carry == 0:
                carry_kind[i] = NONE
            fame[i] = f
            state[i] = st
            states[c, st] += 1
            if st == DEAD:
                continue
            # reputation and counts for the region level
            pop[c, r, ro] += 1
            wsum += w
            wmin = min(wmin, w)
            if st == COMBAT and ro == BANDIT:
                acc_r[c, r, R_RAIDERS] += 1
            if reputation.is_infamous(ro, f, P):
                acc_r[c, r, R_INFAMOUS] += 1
            if f > champ[c, r, ro, 0]:
                champ[c, r, ro, 0] = f
                champ[c, r, ro, 1] = i
        acc_s[c, S_WEALTH_MIN] = wmin
        acc_s[c, S_WEALTH] = wsum
        acc_s[c, S_BIRTH_PURSE] = newcomers


@njit(nogil=True, cache=True)
def top_agents(region, state, role, fame, r, limit, role_mask):
    """Ids of the `limit` most famous living agents in region r with role_mask[role] (ties: lower id)."""
    ids = np.full(limit, -1, np.int64)
    fames = np.full(limit, -1, np.int64)
    n = 0
    for i in range(region.size):
        if region[i] != r or state[i] == DEAD or not role_mask[role[i]]:
            continue
        f = np.int64(fame[i])
        if n == limit and f <= fames[n - 1]:
            continue
        j = n if n < limit else limit - 1
        while j > 0 and fames[j - 1] < f:
            if j < limit:
                fames[j] = fames[j - 1]
                ids[j] = ids[j - 1]
            j -= 1
        fames[j] = f
        ids[j] = i
        if n < limit:
            n += 1
    return ids[:n]


@njit(nogil=True, cache=True)
def wealth_total(wealth):
    t = np.int64(0)
    for i in range(wealth.size):
        t += wealth[i]
    return t

