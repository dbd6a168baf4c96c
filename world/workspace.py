"""Per-chunk scratch buffers for the agent passes and their deterministic merge.

Agents are split into a fixed number of chunks that depends only on N (never
on the thread count).  Each chunk writes integer partial sums and its own
top-K event candidates; merging sums integers and orders candidates by
(priority, agent id), so results are identical for any number of threads.
Buffers are allocated once per simulation: no per-tick N-sized allocation.
"""

import numpy as np

from .enums import FACTIONS, RESOURCES, ROLES, SLOTS, STATES

CHUNK = 4096
MAX_CHUNKS = 256

# acc_r[c, region, :] columns
(R_ATTACKERS, R_PAID, R_PURCHASES, R_LOOT, R_DEATH_PURSE, R_RAIDERS, R_INFAMOUS, R_DEATHS, R_COMBATS,
 R_BIRTHS, N_R) = range(11)
# acc_k[c, region, resource, :] columns
K_DEMAND_NAT, K_DEMAND_MKT, K_TAKEN_NAT, K_TAKEN_MKT, K_SOLD, N_K = range(6)
# acc_s[c, :] columns
S_REVENUE, S_UPKEEP, S_BIRTH_PURSE, S_WEALTH, S_WEALTH_MIN, N_S = range(6)

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

    def candidates(self, slot: int) -> list[list[tuple[int, int]]]:
        """Per region, the sampled (agent id, aux) for `slot`, ordered by (priority, id)."""
        out = []
        for r in range(self.cand_pri.shape[2]):
            pri = self.cand_pri[:, slot, r, :].ravel()
            ids = self.cand_id[:, slot, r, :].ravel()
            aux = self.cand_aux[:, slot, r, :].ravel()
            keep = ids >= 0
            pri, ids, aux = pri[keep], ids[keep], aux[keep]
            order = np.lexsort((ids, pri))[: self.cand_pri.shape[3]]
            out.append([(int(ids[j]), int(aux[j])) for j in order])
        return out
