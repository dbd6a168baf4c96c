"""Per-thread numba thread counts for the game's tick thread."""

import threading

import numba

from world.threads import spare_one_core, use_threads


def test_use_threads_is_clamped_to_the_pool_and_per_thread():
    pool = numba.config.NUMBA_NUM_THREADS
    seen = {}

    def worker():
        seen["set"] = use_threads(10_000)
        seen["after"] = numba.get_num_threads()
        seen["low"] = use_threads(0)

    thread = threading.Thread(target=worker)
    thread.start()
    thread.join()
    assert seen == {"set": pool, "after": pool, "low": 1}
    assert numba.get_num_threads() == pool  # the calling thread is untouched


def test_spare_one_core_leaves_one_free():
    assert spare_one_core() == max(1, numba.config.NUMBA_NUM_THREADS - 1)
