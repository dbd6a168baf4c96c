"""Reactor lateness: how late the reactor runs a timer due every 10 ms.

`LatenessProbe().start()` schedules a LoopingCall on the reactor; each run
records how much later than due it ran (a blocked reactor shows as
lateness).  `stats(seconds)` gives p50, p99 and max over the last `seconds`
(the last minute is kept); `sim reactor` shows it to admins.
"""

import time
from collections import deque

import numpy as np
from twisted.internet import task

INTERVAL_S = 0.01
KEPT_S = 60.0


class LatenessProbe:
    def __init__(self, interval: float = INTERVAL_S, kept: float = KEPT_S):
        self.interval = interval
        self.samples = deque(maxlen=int(kept / interval))  # (monotonic time, lateness s)
        self.expected = None
        self.loop = task.LoopingCall(self._probe)

    def start(self) -> None:
        if not self.loop.running:
            self.loop.start(self.interval)

    def stop(self) -> None:
        if self.loop.running:
            self.loop.stop()

    def _probe(self) -> None:
        now = time.perf_counter()
        if self.expected is not None:
            self.samples.append((now, max(0.0, now - self.expected)))
        self.expected = now + self.interval

    def stats(self, seconds: float) -> dict:
        """Lateness in ms over the last `seconds`: p50, p99, max and the sample count."""
        since = time.perf_counter() - seconds
        late = np.array([x for t, x in self.samples if t >= since]) * 1000.0
        if late.size == 0:
            return {"p50_ms": None, "p99_ms": None, "max_ms": None, "samples": 0}
        return {"p50_ms": round(float(np.percentile(late, 50)), 3), "p99_ms": round(float(np.percentile(late, 99)), 3),
                "max_ms": round(float(late.max()), 3), "samples": int(late.size)}
