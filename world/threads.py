"""How many numba threads the calling thread's kernels use.

numba's thread count is per calling thread: a game server steps the
simulation from a worker thread with one core left free, so the reactor
thread never waits for a CPU (the bench's "ticking_spare_core" figure)."""

import numba


def use_threads(count: int) -> int:
    """Kernels started from this thread use `count` threads (1..pool size); returns it."""
    count = max(1, min(int(count), numba.config.NUMBA_NUM_THREADS))
    numba.set_num_threads(count)
    return count


def spare_one_core() -> int:
    """Every core of the pool but one (at least one)."""
    return max(1, numba.config.NUMBA_NUM_THREADS - 1)
