"""How fast the sync may ask: an interval limiter on a clock that tests can replace.

Every request waits for its turn: turns are at least `1 / rate` seconds apart, however the
requests come (no bursts after a pause, as a token bucket with room for one would allow).
A server that says "not before" (Retry-After), or a failure that calls for backing off,
holds every later turn back to that time, not only the one URL's.
"""

from __future__ import annotations

import time
from typing import Protocol


class Clock(Protocol):
    def now(self) -> float:
        """Seconds on a clock that never goes back."""
        ...

    def sleep(self, seconds: float) -> None: ...


class SystemClock:
    def now(self) -> float:
        return time.monotonic()

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


class IntervalLimiter:
    """At most `rate` turns a second: each turn at least `interval` after the one before."""

    def __init__(self, rate: float, clock: Clock) -> None:
        if rate <= 0:
            raise ValueError("the rate is a number of requests a second, more than 0")
        self.clock = clock
        self.interval = 1.0 / rate
        self._next = clock.now()
        self._last: float | None = None

    def slow_to(self, interval: float) -> None:
        """Space turns at least `interval` apart from now on (a robots.txt Crawl-delay),
        the next one included."""
        self.interval = max(self.interval, interval)
        if self._last is not None:
            self.hold_until(self._last + self.interval)

    def hold_until(self, moment: float) -> None:
        """No turn before `moment` (on the clock)."""
        self._next = max(self._next, moment)

    def hold_for(self, seconds: float) -> None:
        self.hold_until(self.clock.now() + seconds)

    def wait(self) -> float:
        """Wait for the next turn; returns when it began."""
        now = self.clock.now()
        if self._next > now:
            self.clock.sleep(self._next - now)
            now = max(self._next, self.clock.now())
        self._next = now + self.interval
        self._last = now
        return now


def backoff_seconds(tries: int, base: float = 2.0, most: float = 120.0) -> float:
    """The wait after the `tries`-th failed try: 2, 4, 8, 16... s, at most `most`."""
    return min(most, base * 2.0 ** (tries - 1))
