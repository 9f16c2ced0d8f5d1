"""The sync's politeness, piece by piece: the rate on a fake clock (no test waits for it),
Retry-After and backing off, robots.txt, the hosts it keeps to, conditional requests, and
the size limit; against the recorded site on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from seed.sync.client import (
    CachedPage,
    FetchFailed,
    PoliteClient,
    Validators,
    retry_after_seconds,
)
from seed.sync.limiter import IntervalLimiter, backoff_seconds
from seed.sync.options import user_agent
from seed.sync.robots import Robots
from tests.fake_site import (
    FakeClock,
    FakeProvider,
    FakeSite,
    Misbehaviour,
    serving,
    shipped,
)

AGENT = user_agent("data-team@example.org")


def test_turns_are_an_interval_apart_however_the_requests_come() -> None:
    clock = FakeClock(100.0)
    limiter = IntervalLimiter(2.0, clock)
    assert [limiter.wait() for _ in range(4)] == [100.0, 100.5, 101.0, 101.5]
    assert clock.slept == [0.5, 0.5, 0.5]
    clock.time = 200.0  # after a long pause, no burst: still half a second apart
    assert [limiter.wait(), limiter.wait()] == [200.0, 200.5]


def test_a_hold_delays_every_later_turn_and_a_crawl_delay_widens_them() -> None:
    clock = FakeClock()
    limiter = IntervalLimiter(1.0, clock)
    assert limiter.wait() == 0.0
    limiter.hold_for(7.0)  # Retry-After: 7, answered at 0
    assert limiter.wait() == 7.0
    limiter.slow_to(3.0)  # a Crawl-delay of 3 s, the very next turn included
    assert [limiter.wait(), limiter.wait()] == [10.0, 13.0]
    limiter.slow_to(0.5)  # never faster than the rate or an earlier delay
    assert limiter.wait() == 16.0
    with pytest.raises(ValueError, match="more than 0"):
        IntervalLimiter(0.0, clock)


def test_backing_off_doubles_up_to_two_minutes() -> None:
    assert [backoff_seconds(tries) for tries in range(1, 9)] == [2, 4, 8, 16, 32, 64, 120, 120]


def test_retry_after_is_seconds_or_a_date() -> None:
    now = datetime(2015, 10, 21, 7, 27, 30, tzinfo=UTC)
    assert retry_after_seconds("7", now) == 7.0
    assert retry_after_seconds(" 120 ", now) == 120.0
    assert retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT", now) == 30.0
    assert retry_after_seconds("Wed, 21 Oct 2015 07:00:00 GMT", now) == 0.0
    assert retry_after_seconds("soon", now) is None
    assert retry_after_seconds(None, now) is None


def test_robots_rules_delays_and_failures() -> None:
    rules = Robots.from_text(
        "User-agent: *\nDisallow: /private\nCrawl-delay: 3\n\n"
        "User-agent: ofsted-findings-sync\nDisallow: /search-results-feed\nRequest-rate: 1/5\n"
    )
    assert rules.allows(AGENT, "https://site.test/provider/44/1")
    assert not rules.allows(AGENT, "https://site.test/search-results-feed?x=1")
    assert rules.allows(AGENT, "https://site.test/private/x")  # our section, not '*'
    assert not rules.allows("SomeOtherBot/1.0", "https://site.test/private/x")
    assert rules.crawl_delay(AGENT) == 5.0
    assert rules.crawl_delay("SomeOtherBot/1.0") == 3.0
    missing = Robots.from_failure(404, "HTTP 404 Not Found")
    assert missing.allows(AGENT, "https://site.test/anything")
    assert missing.note == "no robots.txt (HTTP 404 Not Found): everything allowed"
    for status, reason in ((403, "HTTP 403 Forbidden"), (503, "HTTP 503 (5 tries)"), (None, "x")):
        refused = Robots.from_failure(status, reason)
        assert not refused.allows(AGENT, "https://site.test/")
        assert refused.note == (
            f"robots.txt could not be read ({reason}): nothing fetched from this host"
        )


class MemoryPages:
    def __init__(self) -> None:
        self.pages: dict[str, CachedPage] = {}

    def stored(self, url: str) -> CachedPage | None:
        return self.pages.get(url)

    def store(self, url: str, page: CachedPage) -> None:
        self.pages[url] = page


REPORT = "bexley_2023-03-24.pdf"


@pytest.fixture
def site() -> Iterator[FakeSite]:
    clock = FakeClock()
    robots = "User-agent: *\nDisallow: /provider/44/80436\n"
    provider = FakeProvider("80435", "Bexley", [shipped(REPORT)])
    with serving(FakeSite([provider], robots=robots, clock=clock)) as served:
        yield served


def client_for(site: FakeSite, *, retries: int = 4, timeout: float = 5.0) -> PoliteClient:
    assert isinstance(site.clock, FakeClock)
    return PoliteClient(
        user_agent=AGENT,
        limiter=IntervalLimiter(1.0, site.clock),
        allowed_hosts={"127.0.0.1"},
        timeout=timeout,
        retries=retries,
        max_retry_after=600.0,
        pages=MemoryPages(),
    )


def asked(site: FakeSite) -> list[tuple[str, int, float]]:
    return [(request.path, request.status, request.at) for request in site.log]


def test_429_waits_what_retry_after_asks_and_5xx_backs_off(site: FakeSite) -> None:
    path = "/v1/file/" + shipped(REPORT).file_id
    site.misbehave(
        path,
        Misbehaviour(429, (("Retry-After", "7"),)),
        Misbehaviour(500),
        Misbehaviour(503),
    )
    with client_for(site) as client:
        answer = client.get(site.base_url + path, max_bytes=10**7)
    assert answer.status == 200
    assert answer.body == shipped(REPORT).content
    # robots.txt at 0; the file at 1 (429: wait the 7 s asked), 8 (500 on the second
    # try: back off 4 s), 12 (503 without Retry-After on the third: 8 s), 20.
    assert asked(site) == [
        ("/robots.txt", 200, 0.0),
        (path, 429, 1.0),
        (path, 500, 8.0),
        (path, 503, 12.0),
        (path, 200, 20.0),
    ]
    assert site.log[1].headers["user-agent"] == (
        "ofsted-findings-sync/0.1.0 (+data-team@example.org)"
    )
    assert (client.counts.made, client.counts.retried) == (5, 3)


def test_a_server_that_keeps_failing_is_given_up_after_the_retries(site: FakeSite) -> None:
    path = "/v1/file/" + shipped(REPORT).file_id
    site.misbehave(path, *[Misbehaviour(502)] * 3)
    with client_for(site, retries=2) as client, pytest.raises(FetchFailed) as failed:
        client.get(site.base_url + path, max_bytes=10**7)
    assert (failed.value.reason, failed.value.status) == ("HTTP 502 (3 tries)", 502)
    site.misbehave(path, Misbehaviour(429, (("Retry-After", "3600"),)))
    with client_for(site) as client, pytest.raises(FetchFailed) as failed:
        client.get(site.base_url + path, max_bytes=10**7)
    assert failed.value.reason == (
        "HTTP 429, asked to wait 3600 s (Retry-After), longer than "
        "SYNC_MAX_RETRY_AFTER_SECONDS (600 s)"
    )


def test_a_slow_answer_times_out_and_is_asked_for_again(site: FakeSite) -> None:
    path = "/provider/44/80435"
    site.misbehave(path, Misbehaviour(delay=1.5))
    with client_for(site, timeout=0.3) as client:
        text = client.page(site.base_url + path)
    assert "bexley" in text.lower()
    assert asked(site) == [("/robots.txt", 200, 0.0), (path, 200, 1.0), (path, 200, 3.0)]


def test_404_fails_at_once_and_robots_txt_is_obeyed_without_asking(site: FakeSite) -> None:
    with client_for(site) as client:
        with pytest.raises(FetchFailed) as failed:
            client.get(site.base_url + "/v1/file/99999999", max_bytes=10**7)
        assert (failed.value.reason, failed.value.status) == ("HTTP 404 Not Found", 404)
        with pytest.raises(FetchFailed) as failed:
            client.page(site.base_url + "/provider/44/80436")
        assert failed.value.reason == (
            f"{site.base_url}/robots.txt disallows {site.base_url}/provider/44/80436"
        )
    assert [request.path for request in site.log] == ["/robots.txt", "/v1/file/99999999"]


def test_only_the_site_s_hosts_are_asked_even_when_redirected(site: FakeSite) -> None:
    path = "/v1/file/" + shipped(REPORT).file_id
    site.misbehave("/v1/file/1", Misbehaviour(302, (("Location", path),)))
    site.misbehave("/v1/file/2", Misbehaviour(301, (("Location", "https://elsewhere.test/x"),)))
    with client_for(site) as client:
        answer = client.get(site.base_url + "/v1/file/1", max_bytes=10**7)
        assert (answer.url, answer.status) == (site.base_url + path, 200)
        with pytest.raises(FetchFailed) as failed:
            client.get(site.base_url + "/v1/file/2", max_bytes=10**7)
        assert failed.value.reason == (
            "https://elsewhere.test/x is on elsewhere.test, not one of the site's hosts "
            "(127.0.0.1; SYNC_FILE_HOSTS adds more)"
        )
        with pytest.raises(FetchFailed) as failed:
            client.get(site.base_url + path, max_bytes=1000)
        assert failed.value.reason == (
            "the answer is larger than the limit of 1000 bytes (MAX_UPLOAD_BYTES)"
        )
    assert [request.path for request in site.log] == [
        "/robots.txt",
        "/v1/file/1",
        path,
        "/v1/file/2",
        path,
    ]


def test_a_page_read_before_is_asked_for_conditionally(site: FakeSite) -> None:
    url = site.base_url + "/provider/44/80435"
    with client_for(site) as client:
        first = client.page(url)
        assert client.page(url) == first
        kept = client.pages.stored(url)
        assert kept is not None
        # The fake site's ETag is the start of the page's sha256.
        assert kept.validators == Validators(
            f'"{kept.sha256[:20]}"', "Mon, 01 Dec 2025 09:00:00 GMT"
        )
    assert [(r.path, r.status, r.conditional) for r in site.log] == [
        ("/robots.txt", 200, False),
        ("/provider/44/80435", 200, False),
        ("/provider/44/80435", 304, True),
    ]
    assert site.log[2].headers["if-none-match"] == kept.validators.etag
    assert site.log[2].headers["if-modified-since"] == "Mon, 01 Dec 2025 09:00:00 GMT"


def test_a_robots_txt_that_cannot_be_read_forbids_the_host(site: FakeSite) -> None:
    site.misbehave("/robots.txt", Misbehaviour(503))
    with client_for(site, retries=0) as client, pytest.raises(FetchFailed) as failed:
        client.page(site.base_url + "/provider/44/80435")
    assert failed.value.reason == (
        f"{site.base_url}/robots.txt: robots.txt could not be read (HTTP 503 (1 try)): nothing "
        "fetched from this host"
    )
    assert [(request.path, request.status) for request in site.log] == [("/robots.txt", 503)]
