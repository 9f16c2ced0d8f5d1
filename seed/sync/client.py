"""The sync's HTTP client: polite, conditional, and patient with a busy server.

- Every request waits its turn (`IntervalLimiter`), and says who is asking (User-Agent with
  a contact).
- It goes only to the site's hosts (`allowed_hosts`), redirects included, and only where
  that host's robots.txt allows (read once per host by `robots_for`, its Crawl-delay
  honoured).
- It asks conditionally when it has validators (If-None-Match, If-Modified-Since); a 304
  comes back as `Answer.not_modified`.
- It tries again after a time-out, a dropped connection, a 429 or a 5xx: after what
  Retry-After asks (all requests wait, not just that URL's), else 2, 4, 8... s.
- An answer larger than `max_bytes` is not read past that.

Pages (search and provider pages, robots.txt) are kept in a `PageCache`: asked for again,
a page answered 304 is read from there. What it cannot fetch raises `FetchFailed` with a
reason a person can act on.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from types import TracebackType
from typing import Protocol
from urllib.parse import urljoin

import httpx2

from seed.sync.limiter import IntervalLimiter, backoff_seconds
from seed.sync.pages import host, origin, robots_url
from seed.sync.robots import Robots

MOST_REDIRECTS = 5
PAGE_BYTES = 5 * 1024 * 1024
"""Largest page read (the site's pages are tens of kilobytes)."""


class FetchFailed(Exception):
    def __init__(self, reason: str, status: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.status = status


@dataclass(frozen=True, slots=True)
class Validators:
    etag: str | None = None
    last_modified: str | None = None

    def headers(self) -> dict[str, str]:
        headers = {}
        if self.etag:
            headers["If-None-Match"] = self.etag
        if self.last_modified:
            headers["If-Modified-Since"] = self.last_modified
        return headers


@dataclass(frozen=True, slots=True)
class Answer:
    url: str
    """Where the answer came from (after any redirects)."""
    status: int
    body: bytes
    validators: Validators
    content_type: str | None = None
    location: str | None = None
    """Where a redirect points."""
    retry_after: str | None = None

    @property
    def not_modified(self) -> bool:
        return self.status == 304


@dataclass(frozen=True, slots=True)
class CachedPage:
    text: str
    sha256: str
    validators: Validators


class PageCache(Protocol):
    def stored(self, url: str) -> CachedPage | None: ...

    def store(self, url: str, page: CachedPage) -> None: ...


@dataclass(slots=True)
class PageCounts:
    read: int = 0
    not_modified: int = 0
    changed: int = 0
    """Read in full, and different from the copy kept (or new)."""


@dataclass(slots=True)
class RequestCounts:
    made: int = 0
    conditional: int = 0
    not_modified: int = 0
    retried: int = 0


class PoliteClient:
    def __init__(
        self,
        *,
        user_agent: str,
        limiter: IntervalLimiter,
        allowed_hosts: set[str],
        timeout: float,
        retries: int,
        max_retry_after: float,
        pages: PageCache,
        wall_clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.user_agent = user_agent
        self.limiter = limiter
        self.allowed_hosts = allowed_hosts
        self.retries = retries
        self.max_retry_after = max_retry_after
        self.counts = RequestCounts()
        self.page_counts = PageCounts()
        self.pages = pages
        self.robots: dict[str, Robots] = {}
        """What each host's robots.txt said, by origin, for the sync's output."""
        self._wall_clock = wall_clock
        self._http = httpx2.Client(
            headers={"User-Agent": user_agent},
            timeout=httpx2.Timeout(timeout),
            follow_redirects=False,
        )

    def __enter__(self) -> PoliteClient:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._http.close()

    def page(self, url: str, *, obey_robots: bool = True) -> str:
        """A page's text: asked for conditionally when a copy is kept, read from the copy
        when the server says it has not changed."""
        kept = self.pages.stored(url)
        answer = self.get(
            url, kept.validators if kept else None, max_bytes=PAGE_BYTES, obey_robots=obey_robots
        )
        self.page_counts.read += 1
        if answer.not_modified and kept is not None:
            self.page_counts.not_modified += 1
            return kept.text
        text = answer.body.decode(_charset(answer.content_type), errors="replace")
        page = CachedPage(text, hashlib.sha256(answer.body).hexdigest(), answer.validators)
        if kept is None or kept.sha256 != page.sha256:
            self.page_counts.changed += 1
        self.pages.store(url, page)
        return text

    def get(
        self,
        url: str,
        validators: Validators | None = None,
        *,
        max_bytes: int,
        obey_robots: bool = True,
    ) -> Answer:
        """GET `url` (conditionally, given validators), following redirects within the
        site's hosts, trying again as the server and the settings allow."""
        for _ in range(MOST_REDIRECTS + 1):
            self._check(url, obey_robots)
            answer = self._with_retries(url, validators, max_bytes)
            if answer.status not in (301, 302, 303, 307, 308):
                return answer
            if not answer.location:
                raise FetchFailed(f"HTTP {answer.status} redirect without a Location")
            url = urljoin(url, answer.location)
        raise FetchFailed(f"more than {MOST_REDIRECTS} redirects")

    def _check(self, url: str, obey_robots: bool) -> None:
        name = host(url)
        if name not in self.allowed_hosts:
            raise FetchFailed(
                f"{url} is on {name or 'no host'}, not one of the site's hosts "
                f"({', '.join(sorted(self.allowed_hosts))}; SYNC_FILE_HOSTS adds more)"
            )
        if not obey_robots:
            return
        site = origin(url)
        rules = self.robots.get(site)
        if rules is None:
            rules = self.robots[site] = self._read_robots(site)
            delay = rules.crawl_delay(self.user_agent)
            if delay:
                self.limiter.slow_to(delay)
        if not rules.allows(self.user_agent, url):
            if rules.parser is None:  # not read: nothing may be fetched from the host
                raise FetchFailed(f"{site}/robots.txt: {rules.note}")
            raise FetchFailed(f"{site}/robots.txt disallows {url}")

    def _read_robots(self, site: str) -> Robots:
        try:
            return Robots.from_text(self.page(robots_url(site), obey_robots=False))
        except FetchFailed as exc:
            return Robots.from_failure(exc.status, exc.reason)

    def _with_retries(self, url: str, validators: Validators | None, max_bytes: int) -> Answer:
        tries = 0
        while True:
            tries += 1
            self.limiter.wait()
            try:
                answer = self._send(url, validators, max_bytes)
            except httpx2.TimeoutException:
                problem, wait = "timed out", None
            except httpx2.TransportError as exc:
                problem, wait = f"connection failed ({type(exc).__name__}: {exc})", None
            else:
                if answer.status != 429 and answer.status < 500:
                    return answer
                problem = f"HTTP {answer.status}"
                wait = (
                    retry_after_seconds(answer.retry_after, self._wall_clock())
                    if answer.status in (429, 503)
                    else None
                )
            if tries > self.retries:
                tried = "1 try" if tries == 1 else f"{tries} tries"
                raise FetchFailed(f"{problem} ({tried})", _status(problem))
            if wait is not None and wait > self.max_retry_after:
                raise FetchFailed(
                    f"{problem}, asked to wait {wait:g} s (Retry-After), longer than "
                    f"SYNC_MAX_RETRY_AFTER_SECONDS ({self.max_retry_after:g} s)",
                    _status(problem),
                )
            self.counts.retried += 1
            self.limiter.hold_for(wait if wait is not None else backoff_seconds(tries))

    def _send(self, url: str, validators: Validators | None, max_bytes: int) -> Answer:
        headers = validators.headers() if validators else {}
        self.counts.made += 1
        self.counts.conditional += bool(headers)
        with self._http.stream("GET", url, headers=headers) as response:
            status = response.status_code
            if status == 304:
                self.counts.not_modified += 1
                return Answer(url, 304, b"", validators or Validators())
            if status in (301, 302, 303, 307, 308):
                return Answer(
                    url, status, b"", Validators(), location=response.headers.get("location")
                )
            if status == 429 or status >= 500:
                retry_after = response.headers.get("retry-after")
                return Answer(url, status, b"", Validators(), retry_after=retry_after)
            if status != 200:
                raise FetchFailed(f"HTTP {status} {response.reason_phrase}".strip(), status)
            body = bytearray()
            for chunk in response.iter_bytes():
                body += chunk
                if len(body) > max_bytes:
                    raise FetchFailed(
                        f"the answer is larger than the limit of {max_bytes} bytes "
                        "(MAX_UPLOAD_BYTES)"
                    )
            return Answer(
                url,
                200,
                bytes(body),
                Validators(response.headers.get("etag"), response.headers.get("last-modified")),
                response.headers.get("content-type"),
            )


def _charset(content_type: str | None) -> str:
    for part in (content_type or "").split(";")[1:]:
        name, _, value = part.strip().partition("=")
        if name.lower() == "charset" and value:
            try:
                "".encode(value.strip('"'))
            except LookupError:
                break
            return value.strip('"')
    return "utf-8"


def _status(problem: str) -> int | None:
    return int(problem.split()[1]) if problem.startswith("HTTP ") else None


def retry_after_seconds(value: str | None, now: datetime) -> float | None:
    """Seconds to wait from a Retry-After header: a number of seconds, or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return max(0.0, (moment - now).total_seconds())
