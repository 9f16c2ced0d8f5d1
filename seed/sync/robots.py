"""A host's robots.txt rules for the sync, read with the standard library's parser.

What the answer to `GET /robots.txt` means (RFC 9309, section 2.3.1): a file's rules apply;
no file (404 and other 4xx) allows everything, except 401 and 403, taken to forbid
everything (as Python's parser does); a server error or no answer after the retries forbids
everything for this run. Crawl-delay and Request-rate, where given, slow the sync down.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.robotparser import RobotFileParser


@dataclass(frozen=True, slots=True)
class Robots:
    note: str
    """What was read, for the sync's output: "rules read", "no robots.txt (HTTP 404)"..."""
    parser: RobotFileParser | None = None
    everything: bool = False
    """Without a parser: whether everything is allowed (else nothing is)."""

    @classmethod
    def from_text(cls, text: str) -> Robots:
        parser = RobotFileParser()
        parser.parse(text.splitlines())
        return cls("rules read", parser)

    @classmethod
    def from_failure(cls, status: int | None, reason: str) -> Robots:
        if status is not None and 400 <= status < 500 and status not in (401, 403):
            return cls(f"no robots.txt ({reason}): everything allowed", everything=True)
        return cls(f"robots.txt could not be read ({reason}): nothing fetched from this host")

    def allows(self, user_agent: str, url: str) -> bool:
        if self.parser is None:
            return self.everything
        return self.parser.can_fetch(user_agent, url)

    def crawl_delay(self, user_agent: str) -> float | None:
        if self.parser is None:
            return None
        delays = []
        delay = self.parser.crawl_delay(user_agent)
        if delay is not None:
            delays.append(float(delay))
        rate = self.parser.request_rate(user_agent)
        if rate is not None and rate.requests > 0:
            delays.append(rate.seconds / rate.requests)
        return max(delays) if delays else None
