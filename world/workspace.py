"""Per-chunk scratch buffers for the agent passes and their deterministic merge.

Agents are split into a fixed number of chunks that depends only on N (never
on the thread count).  Each chunk writes integer partial sums and its own
top-K event candidates; merging sums integers and orders candidates by
(priority, agent id), so results are identical for any number of threads.
Buffers are allocated once per simulation: no per-tick N-sized allocation.
"""

import numpy as np
from numba import njit

from .enums import FACTIONS, RESOURCES, ROLES, SLOTS, STATES

CHUNK = 4096
MAX_CHUNKS = 256

# acc_r[c, region, :] columns
(R_ATTACKERS, R_PAID, R_PURCHASES, R_LOOT, R_DEATH_PURSE, R_RAIDERS, R_INFAMOUS, R_DEATHS, R_COMBATS,
 R_BIRTHS, R_OFFERS, R_SALES, R_UPKEEP, N_R) = range(14)
# acc_k[c, region, resource, :] columns
K_DEMAND_NAT, K_DEMAND_MKT, K_TAKEN_NAT, K_TAKEN_MKT, K_SOLD, N_K = range(6)
# acc_s[c, :] columns
S_BIRTH_PURSE, S_WEALTH, S_WEALTH_MIN, N_S = range(4)

EMPTY = np.uint64(0xFFFFFFFFFFFFFFFF)


def n_chunks(n_agents: int) -> int:
    return int(min(MAX_CHUNKS, max(1, -(-n_agents // CHUNK))))


class Workspace:
    def __init__(self, n_agents: int, n_regions: int, per_kind: int):
        C, R, K = n_chunks(n_agents), n_regions, len(RESOURCES)
        self.bounds = (np.arange(C + 1, dtype=np.int64) * n_agents) // C
        self.acc_r = np.zeros((C, R, N_R), np.int64)
        self.acc_k = np.zeros((C, R, K, N_K), np.int64)
        self.acc_s = np.zeros((C, N_S), np.int64)
        self.tariffs = np.zeros((C, len(FACTIONS)), np.int64)
        self.pop = np.zeros((C, R, len(ROLES)), np.int64)
        self.states = np.zeros((C, len(STATES)), np.int64)
        self.champ = np.zeros((C, R, len(ROLES), 2), np.int64)
        self.cand_pri = np.zeros((C, len(SLOTS), R, per_kind), np.uint64)
        self.cand_id = np.zeros((C, len(SLOTS), R, per_kind), np.int64)
        self.cand_aux = np.zeros((C, len(SLOTS), R, per_kind), np.int64)
        self.out_id = np.zeros((len(SLOTS), R, per_kind), np.int64)
        self.out_aux = np.zeros((len(SLOTS), R, per_kind), np.int64)

    def reset(self) -> None:
        for a in (self.acc_r, self.acc_k, self.acc_s, self.tariffs, self.pop, self.states):
            a.fill(0)
        self.champ[..., 0] = -1
        self.champ[..., 1] = -1
        self.cand_pri.fill(EMPTY)
        self.cand_id.fill(-1)

    def total(self, name: str) -> np.ndarray:
        return getattr(self, name).sum(axis=0)

    def champions(self) -> np.ndarray:
        """[R, roles] id of the most famous living agent (lowest id on ties), -1 if none."""
        fame, ids = self.champ[..., 0], self.champ[..., 1]
        best = np.where(ids >= 0, fame * (1 << 32) - ids, -(1 << 62)).max(axis=0)
        return np.where(best > -(1 << 62), -(best % (1 << 32)) % (1 << 32), -1)

    def candidates(self) -> list[list[list[tuple[int, int]]]]:
        """[slot][region] -> sampled (agent id, aux), ordered by (priority, id)."""
        merge_candidates(self.cand_pri, self.cand_id, self.cand_aux, self.out_id, self.out_aux)
        ids, aux = self.out_id.tolist(), self.out_aux.tolist()
        return [[[(i, a) for i, a in zip(ids[s][r], aux[s][r]) if i >= 0] for r in range(len(ids[s]))]
                for s in range(len(ids))]


@njit(nogil=True, cache=True)
def merge_candidates(cand_pri, cand_id, cand_aux, out_id, out_aux):
    """Global K lowest (priority, id) per (slot, region) from the chunks' candidates; -1 marks empty."""
    C, S, R, K = cand_pri.shape
    out_id[:] = -1
    for s in range(S):
        for r in range(R):
            best_pri = np.full(K, np.uint64(0xFFFFFFFFFFFFFFFF))
            for c in range(C):
                for j in range(K):
                    i = cand_id[c, s, r, j]
                    if i < 0:
                        continue
                    p = cand_pri[c, s, r, j]
                    pos = K
                    while pos > 0 and (out_id[s, r, pos - 1] < 0 or p < best_pri[pos - 1]
                                       or (p == best_pri[pos - 1] and i < out_id[s, r, pos - 1])):
                        pos -= 1
                    if pos == K:
                        continue
                    for q in range(K - 1, pos, -1):
                        best_pri[q] = best_pri[q - 1]
                        out_id[s, r, q] = out_id[s, r, q - 1]
                        out_aux[s, r, q] = out_aux[s, r, q - 1]
                    best_pri[pos] = p
                    out_id[s, r, pos] = i
                    out_aux[s, r, pos] = cand_aux[c, s, r, j]
