"""A calls-per-minute budget (sliding 60 s window), safe across threads.
It is per process: with W workers the fleet may make W times the limit."""

import time
from collections import deque
from threading import Lock


class CallBudget:
    def __init__(self, clock=time.monotonic):
        self._calls: deque[float] = deque()
        self._lock = Lock()
        self._clock = clock

    def take(self, per_minute: int) -> bool:
        """Spend one call if fewer than `per_minute` were made in the last 60 s."""
        with self._lock:
            now = self._clock()
            while self._calls and now - self._calls[0] >= 60:
                self._calls.popleft()
            if len(self._calls) >= per_minute:
                return False
            self._calls.append(now)
            return True
