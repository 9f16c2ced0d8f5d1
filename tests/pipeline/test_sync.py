"""`python -m seed sync` against the recorded site on 127.0.0.1, on every backend.

The targets of issue 15: a first sync of the 160-provider site finds and loads every
report; a second makes only conditional requests and loads nothing; a sync killed after N
documents and run again loads each document once; requests never come faster than the
setting (checked on a fake clock, so no test waits a second for it).
"""

from __future__ import annotations

import io
import itertools
import os
import shutil
import signal
import subprocess
import sys
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from app import db
from app.config import Settings
from app.extraction.authorities import AuthorityRegister
from app.loading import delete_document
from app.main import create_app
from app.models import Change, Document, SitePage, SitePublication
from seed import DOCUMENTS_DIR, cli
from seed.sync import job
from tests.api.helpers import get
from tests.fake_site import (
    FakeClock,
    FakeProvider,
    FakePublication,
    FakeSite,
    Misbehaviour,
    national_site,
    serving,
    shipped,
)

ROOT = Path(__file__).resolve().parents[2]


def run_seed(
    engine: Engine,
    monkeypatch: pytest.MonkeyPatch,
    clock: FakeClock,
    *argv: str,
    **settings: object,
) -> tuple[int, list[str]]:
    """`python -m seed --jobs 2 ARGV...` in this process, on the fake clock."""
    monkeypatch.setattr(cli, "get_engine", lambda: engine)
    monkeypatch.setattr(cli, "get_settings", lambda: Settings(**settings))  # type: ignore[arg-type]
    monkeypatch.setattr(job, "default_clock", lambda: clock)
    out = io.StringIO()
    code = cli.main(["--jobs", "2", *argv], out=out)
    return code, out.getvalue().splitlines()


def run_sync(
    engine: Engine,
    monkeypatch: pytest.MonkeyPatch,
    clock: FakeClock,
    *argv: str,
    **settings: object,
) -> tuple[int, list[str]]:
    return run_seed(engine, monkeypatch, clock, "sync", *argv, **settings)


def count(engine: Engine, model: type) -> int:
    with engine.connect() as connection:
        return int(connection.scalar(select(func.count()).select_from(model)) or 0)


def gaps(site: FakeSite, start: int = 0) -> set[float]:
    times = [request.at for request in site.log[start:]]
    return {later - earlier for earlier, later in itertools.pairwise(times)}


def test_the_first_sync_loads_every_report_and_the_second_only_asks_whether_pages_changed(
    empty_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = FakeClock()
    with serving(national_site(clock)) as site:
        code, lines = run_sync(empty_engine, monkeypatch, clock, "--base-url", site.base_url)
        first = len(site.log)

        assert code == 1  # the HTML error page saved as a PDF is rejected, with its reason
        assert lines[:4] == [
            "authorities: 156 in the register, 156 added or updated",
            "search: 160 providers on 3 pages",
            "providers: 160 pages read (0 not modified); 238 publications listed",
            "loaded   barking-and-dagenham_2023-09-04_50227183.pdf: barking-and-dagenham ilacs "
            "2023-07-10 (inspection 1, new); 5 judgements; 78 findings (70 narrative, 8 "
            "recommendation)",
        ]
        assert Counter(line.split()[0] for line in lines[3:-5]) == {"loaded": 237, "failed": 1}
        assert lines[-5:] == [
            "sync: 238 publications listed by 160 providers: 237 new, 0 unchanged, 1 rejected, "
            "0 failed to fetch",
            "rejected:",
            f"  birmingham, children's services inspection, 2012-10-19 ({site.base_url}/v1/file/"
            "50004190): the file is an HTML page, not a PDF or text document",
            f"robots.txt of {site.base_url}: rules read",
            "requests: 402 (0 conditional, 0 not modified, 0 retried); pages: 164 read, 0 not "
            "modified, 164 new or changed; at most one request every 1 s",
        ]
        # robots.txt, 3 search pages (the third, empty, says there are no more), 160
        # provider pages, 238 files: one a second, exactly.
        assert first == 402
        assert [request.at for request in site.log] == [float(n) for n in range(402)]

        code, lines = run_sync(empty_engine, monkeypatch, clock, "--base-url", site.base_url)
        assert code == 0
        assert lines == [
            "authorities: 156 in the register, 0 added or updated",
            "search: 160 providers on 3 pages",
            "providers: 160 pages read (160 not modified); 238 publications listed",
            "sync: 238 publications listed by 160 providers: 0 new, 238 unchanged, 0 rejected, "
            "0 failed to fetch",
            "not loaded: 1 publication an earlier sync could not load, unchanged since",
            f"robots.txt of {site.base_url}: rules read",
            "requests: 165 (165 conditional, 165 not modified, 0 retried); pages: 164 read, "
            "164 not modified, 0 new or changed; at most one request every 1 s",
        ]
        second = site.log[first:]
        # Only conditional requests: robots.txt, the pages, and the one rejected file.
        assert len(second) == 165
        assert all(request.conditional and request.status == 304 for request in second)
        assert [request.path for request in second if request.path.startswith("/v1")] == [
            "/v1/file/50004190"
        ]
        assert gaps(site, first) == {1.0}

    assert (count(empty_engine, Document), count(empty_engine, Change)) == (237, 237)
    assert count(empty_engine, SitePage) == 164
    with empty_engine.connect() as connection:
        publications = connection.execute(select(SitePublication)).all()
        documents = {
            row.id: row
            for row in connection.execute(
                select(
                    Document.id,
                    Document.filename,
                    Document.source_url,
                    Document.published_date,
                    Document.published_source,
                )
            )
        }
    assert Counter(row.outcome for row in publications) == {"loaded": 237, "rejected": 1}
    assert Counter(row.title for row in publications) == {
        "children's services inspection": 196,
        "inspection of services for children in need of help and protection, children looked "
        "after and care leavers": 40,
        "inspection of services for looked after children": 2,
    }
    # Each document knows the URL it came from, and each listing the document it loaded as.
    for row in publications:
        if row.outcome == "loaded":
            document = documents[row.document_id]
            assert document.source_url == row.url
            assert document.filename.endswith(f"_{row.url.rsplit('/', 1)[-1]}.pdf")
            if document.published_source == "site":
                assert document.published_date == row.listed_date
    # 38 reports print their publication date; the other 199 take the date the site lists.
    assert Counter(d.published_source for d in documents.values()) == {
        "document": 38,
        "site": 199,
    }


# --- a site that misbehaves ------------------------------------------------------------------

HTML_ERROR_PAGE = (DOCUMENTS_DIR / "birmingham_2012-10-19.pdf").read_bytes()


def urn(slug: str) -> str:
    register = AuthorityRegister.from_csv()
    return next(entry.ofsted_urn for entry in register.entries if entry.slug == slug)


def troubled_site(clock: FakeClock) -> FakeSite:
    """Five providers, two a search page: one of them disallowed by robots.txt (which asks
    for two seconds between requests), one whose page is answered 429 first, one whose file
    is slow first, one whose file is answered 500 first, a file that is not there, an HTML
    error page served as a PDF, a web page listed beside the PDFs; reports of three
    frameworks."""
    providers = [
        FakeProvider(
            urn("barnet"),
            "Barnet",
            [
                shipped("barnet_2019-07-01.pdf"),
                FakePublication("99999999", "focused visit - 01 june 2024, pdf", b"", missing=True),
                FakePublication("50000001", "monitoring visit - 02 may 2024, pdf", HTML_ERROR_PAGE),
            ],
        ),
        FakeProvider(urn("barnsley"), "Barnsley", [shipped("barnsley_2023-10-27.pdf")]),
        FakeProvider(urn("bedford"), "Bedford", [shipped("bedford_2025-08-27.pdf")]),
        FakeProvider(urn("bexley"), "Bexley", [shipped("bexley_2023-03-24.pdf")]),
        FakeProvider(
            urn("cheshire-east"),
            "Cheshire East",
            [
                FakePublication(
                    "50000002", "inspection data summary report - 01 june 2024, html", b"<html>"
                ),
                shipped("cheshire-east_2024-05-16.pdf"),
                shipped("cheshire-east_2020-01-09.pdf"),
                shipped("cheshire-east_2015-09-15.pdf"),
            ],
        ),
    ]
    robots = f"User-agent: *\nDisallow: /provider/44/{urn('barnsley')}\nCrawl-delay: 2\n"
    site = FakeSite(providers, robots=robots, clock=clock)
    site.misbehave(f"/provider/44/{urn('bexley')}", Misbehaviour(429, (("Retry-After", "7"),)))
    site.misbehave("/v1/file/" + shipped("bedford_2025-08-27.pdf").file_id, Misbehaviour(delay=1.5))
    site.misbehave("/v1/file/" + shipped("barnet_2019-07-01.pdf").file_id, Misbehaviour(500))
    return site


TROUBLED_SETTINGS = {"sync_page_size": 2, "sync_timeout_seconds": 0.3}


def test_a_troubled_site_loses_nothing_and_says_what_went_wrong(
    empty_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = FakeClock()
    with serving(troubled_site(clock)) as site:
        base = site.base_url
        code, lines = run_sync(
            empty_engine, monkeypatch, clock, "--base-url", base, **TROUBLED_SETTINGS
        )
        first = len(site.log)
        assert code == 1
        barnsley = f"{base}/provider/44/{urn('barnsley')}"
        disallowed = f"{base}/robots.txt disallows {barnsley}"
        assert lines == [
            "authorities: 156 in the register, 156 added or updated",
            "search: 5 providers on 4 pages",
            f"not read provider page {barnsley} (Barnsley): {disallowed}",
            "providers: 4 pages read (0 not modified); 9 publications listed",
            f"rejected {base}/v1/file/50000002 (cheshire-east, inspection data summary report, "
            "2024-06-01): listed as html, not a PDF: not fetched",
            f"not fetched {base}/v1/file/99999999 (barnet, focused visit, 2024-06-01): HTTP 404 "
            "Not Found",
            "loaded   barnet_2019-07-01_50088889.pdf: barnet ilacs 2019-05-13 (inspection 1, "
            "new); 4 judgements; 52 findings (48 narrative, 4 recommendation)",
            "failed   barnet_2024-05-02_50000001.pdf: the file is an HTML page, not a PDF or text "
            "document",
            "loaded   bedford_2025-08-27_50285308.pdf: bedford ilacs 2025-07-14 (inspection 2, "
            "new); 5 judgements; 66 findings (59 narrative, 7 recommendation)",
            "loaded   bexley_2023-03-24_50212243.pdf: bexley ilacs 2023-02-06 (inspection 3, "
            "new); 5 judgements; 66 findings (64 narrative, 2 recommendation)",
            "loaded   cheshire-east_2024-05-16_50247203.pdf: cheshire-east ilacs 2024-02-26 "
            "(inspection 4, new); 5 judgements; 64 findings (57 narrative, 7 recommendation)",
            "loaded   cheshire-east_2020-01-09_50141243.pdf: cheshire-east ilacs 2019-11-18 "
            "(inspection 5, new); 4 judgements; 52 findings (47 narrative, 5 recommendation)",
            "loaded   cheshire-east_2015-09-15_50004304.pdf: cheshire-east single-inspection "
            "2015-07-06 (inspection 6, new); 7 judgements; 223 findings (198 narrative, 25 "
            "recommendation)",
            "sync: 9 publications listed by 5 providers: 6 new, 0 unchanged, 2 rejected, 2 "
            "failed to fetch",
            "rejected:",
            f"  cheshire-east, inspection data summary report, 2024-06-01 ({base}/v1/file/"
            "50000002): listed as html, not a PDF: not fetched",
            f"  barnet, monitoring visit, 2024-05-02 ({base}/v1/file/50000001): the file is an "
            "HTML page, not a PDF or text document",
            "failed to fetch:",
            f"  provider page {barnsley} (Barnsley): {disallowed}",
            f"  barnet, focused visit, 2024-06-01 ({base}/v1/file/99999999): HTTP 404 Not Found",
            f"robots.txt of {base}: rules read",
            "requests: 20 (0 conditional, 0 not modified, 3 retried); pages: 9 read, 0 not "
            "modified, 9 new or changed; at most one request every 2 s",
        ]
        search = "/search?q=&level_1_types=3&level_2_types%5B%5D=12"
        # Two seconds apart (robots.txt's Crawl-delay, slower than the rate's one); seven
        # after the 429 (Retry-After: 7); the slow file (the first of the two at 33 and 35)
        # timed out and was asked for again; Barnsley's page never asked for.
        assert [(request.path, request.status, request.at) for request in site.log] == [
            ("/robots.txt", 200, 0.0),
            (f"{search}&start=0&rows=2", 200, 2.0),
            (f"{search}&start=2&rows=2", 200, 4.0),
            (f"{search}&start=4&rows=2", 200, 6.0),
            (f"{search}&start=5&rows=2", 200, 8.0),
            (f"/provider/44/{urn('barnet')}", 200, 10.0),
            (f"/provider/44/{urn('bedford')}", 200, 12.0),
            (f"/provider/44/{urn('bexley')}", 429, 14.0),
            (f"/provider/44/{urn('bexley')}", 200, 21.0),
            (f"/provider/44/{urn('cheshire-east')}", 200, 23.0),
            ("/v1/file/50088889", 500, 25.0),
            ("/v1/file/50088889", 200, 27.0),
            ("/v1/file/99999999", 404, 29.0),
            ("/v1/file/50000001", 200, 31.0),
            ("/v1/file/50285308", 200, 33.0),
            ("/v1/file/50285308", 200, 35.0),
            ("/v1/file/50212243", 200, 37.0),
            ("/v1/file/50247203", 200, 39.0),
            ("/v1/file/50141243", 200, 41.0),
            ("/v1/file/50004304", 200, 43.0),
        ]

        code, lines = run_sync(
            empty_engine, monkeypatch, clock, "--base-url", base, **TROUBLED_SETTINGS
        )
        assert code == 1
        assert lines == [
            "authorities: 156 in the register, 0 added or updated",
            "search: 5 providers on 4 pages",
            f"not read provider page {barnsley} (Barnsley): {disallowed}",
            "providers: 4 pages read (4 not modified); 9 publications listed",
            f"not fetched {base}/v1/file/99999999 (barnet, focused visit, 2024-06-01): HTTP 404 "
            "Not Found",
            "sync: 9 publications listed by 5 providers: 0 new, 8 unchanged, 0 rejected, 2 "
            "failed to fetch",
            "not loaded: 1 publication an earlier sync could not load, unchanged since",
            "failed to fetch:",
            f"  provider page {barnsley} (Barnsley): {disallowed}",
            f"  barnet, focused visit, 2024-06-01 ({base}/v1/file/99999999): HTTP 404 Not Found",
            f"robots.txt of {base}: rules read",
            "requests: 11 (10 conditional, 10 not modified, 0 retried); pages: 9 read, 9 not "
            "modified, 0 new or changed; at most one request every 2 s",
        ]
        # Everything conditional but the file that was not there (no validators to send).
        assert [
            (request.path, request.status, request.conditional) for request in site.log[first:]
        ] == [
            ("/robots.txt", 304, True),
            (f"{search}&start=0&rows=2", 304, True),
            (f"{search}&start=2&rows=2", 304, True),
            (f"{search}&start=4&rows=2", 304, True),
            (f"{search}&start=5&rows=2", 304, True),
            (f"/provider/44/{urn('barnet')}", 304, True),
            (f"/provider/44/{urn('bedford')}", 304, True),
            (f"/provider/44/{urn('bexley')}", 304, True),
            (f"/provider/44/{urn('cheshire-east')}", 304, True),
            ("/v1/file/99999999", 404, False),
            ("/v1/file/50000001", 304, True),
        ]
        assert gaps(site, first) == {2.0}

    with empty_engine.connect() as connection:
        outcomes = connection.execute(
            select(
                SitePublication.url,
                SitePublication.provider_urn,
                SitePublication.listed_date,
                SitePublication.outcome,
                SitePublication.reason,
                SitePublication.document_id,
            ).order_by(SitePublication.id)
        ).all()
    assert [tuple(row)[1:] for row in outcomes] == [
        (urn("barnet"), date(2019, 7, 1), "loaded", None, 1),
        (urn("barnet"), date(2024, 6, 1), "not-fetched", "HTTP 404 Not Found", None),
        (
            urn("barnet"),
            date(2024, 5, 2),
            "rejected",
            "the file is an HTML page, not a PDF or text document",
            None,
        ),
        (urn("bedford"), date(2025, 8, 27), "loaded", None, 2),
        (urn("bexley"), date(2023, 3, 24), "loaded", None, 3),
        (
            urn("cheshire-east"),
            date(2024, 6, 1),
            "not-fetched",
            "listed as html, not a PDF: not fetched",
            None,
        ),
        (urn("cheshire-east"), date(2024, 5, 16), "loaded", None, 4),
        (urn("cheshire-east"), date(2020, 1, 9), "loaded", None, 5),
        (urn("cheshire-east"), date(2015, 9, 15), "loaded", None, 6),
    ]
    assert (count(empty_engine, Document), count(empty_engine, Change)) == (6, 6)


# --- choosing what to sync, and what is known already -----------------------------------


def quiet_site(clock: FakeClock) -> FakeSite:
    providers = [
        FakeProvider(urn("bexley"), "Bexley", [shipped("bexley_2023-03-24.pdf")]),
        FakeProvider(
            urn("cheshire-east"),
            "Cheshire East",
            [shipped("cheshire-east_2024-05-16.pdf"), shipped("cheshire-east_2020-01-09.pdf")],
        ),
        FakeProvider(urn("hampshire"), "Hampshire", [shipped("hampshire_2014-04-22.pdf")]),
    ]
    return FakeSite(providers, clock=clock)


def test_a_dry_run_lists_what_it_would_fetch_and_changes_nothing(
    empty_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = FakeClock()
    with serving(quiet_site(clock)) as site:
        base = site.base_url
        code, lines = run_sync(
            empty_engine,
            monkeypatch,
            clock,
            "--base-url",
            base,
            "--dry-run",
            "--authority",
            "cheshire-east,hampshire",
        )
        assert code == 0
        assert lines == [
            "authorities: 156 in the register, 156 added or updated",
            "search: 3 providers on 2 pages",
            "providers: 2 pages read (0 not modified); 3 publications listed",
            f"would fetch {base}/v1/file/50247203 (cheshire-east, children's services "
            "inspection, 2024-05-16)",
            f"would fetch {base}/v1/file/50141243 (cheshire-east, children's services "
            "inspection, 2020-01-09)",
            f"would fetch {base}/v1/file/2764330 (hampshire, inspection of services for children "
            "in need of help and protection, children looked after and care leavers, "
            "2014-04-22)",
            "dry run: 3 publications listed by 2 providers: 3 to fetch, 0 unchanged, 0 "
            "rejected, 0 failed to fetch; no file fetched, nothing loaded",
            f"robots.txt of {base}: rules read",
            "requests: 5 (0 conditional, 0 not modified, 0 retried); pages: 5 read, 0 not "
            "modified, 5 new or changed; at most one request every 1 s",
        ]
        assert [request.path for request in site.log] == [
            "/robots.txt",
            "/search?q=&level_1_types=3&level_2_types%5B%5D=12&start=0&rows=100",
            "/search?q=&level_1_types=3&level_2_types%5B%5D=12&start=3&rows=100",
            f"/provider/44/{urn('cheshire-east')}",
            f"/provider/44/{urn('hampshire')}",
        ]
    for model in (SitePage, SitePublication, Document):
        assert count(empty_engine, model) == 0


def test_every_provider_is_found_however_few_a_search_page_gives(
    empty_engine: Engine, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    clock = FakeClock()
    site = quiet_site(clock)
    site.most_rows = 2  # asked for 100 a page, the site gives 2
    with serving(site):
        code, lines = run_sync(
            empty_engine, monkeypatch, clock, "--base-url", site.base_url, "--dry-run"
        )
    assert code == 0
    assert lines[1:3] == [
        "search: 3 providers on 3 pages",
        "providers: 3 pages read (0 not modified); 4 publications listed",
    ]
    search = "/search?q=&level_1_types=3&level_2_types%5B%5D=12"
    assert [request.path for request in site.log[1:4]] == [
        f"{search}&start=0&rows=100",
        f"{search}&start=2&rows=100",
        f"{search}&start=3&rows=100",
    ]
    # A search page that lists no provider at all is not an empty site: the site's pages
    # have changed, and the sync stops saying so.
    with serving(FakeSite([], clock=clock)) as empty:
        code, lines = run_sync(empty_engine, monkeypatch, clock, "--base-url", empty.base_url)
    assert (code, lines) == (2, ["authorities: 156 in the register, 0 added or updated"])
    assert capsys.readouterr().err == (
        f"error: cannot read the site's search page: {empty.base_url}{search}&start=0&rows=100 "
        "lists no providers (links to /provider/<n>/<urn>): has the site changed its pages?\n"
    )


def test_authority_limits_the_sync_to_those_providers(
    empty_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = FakeClock()
    with serving(quiet_site(clock)) as site:
        base = site.base_url
        code, lines = run_sync(
            empty_engine, monkeypatch, clock, "--base-url", base, "--authority", "hampshire"
        )
        assert code == 0
        assert lines[1:5] == [
            "search: 3 providers on 2 pages",
            "providers: 1 page read (0 not modified); 1 publication listed",
            "loaded   hampshire_2014-04-22_2764330.pdf: hampshire single-inspection 2014-02-18 "
            "(inspection 1, new); 7 judgements; 116 findings (106 narrative, 10 "
            "recommendation)",
            "sync: 1 publication listed by 1 provider: 1 new, 0 unchanged, 0 rejected, 0 "
            "failed to fetch",
        ]
        assert [request.path for request in site.log if "/v1/" in request.path] == [
            "/v1/file/2764330"
        ]
        code, lines = run_sync(
            empty_engine, monkeypatch, clock, "--base-url", base, "--authority", "barnet"
        )
        assert code == 1
        assert lines[1:5] == [
            "search: 3 providers on 2 pages",
            "providers: 0 pages read (0 not modified); 0 publications listed",
            "sync: 0 publications listed by 0 providers: 0 new, 0 unchanged, 0 rejected, 1 "
            "failed to fetch",
            "failed to fetch:",
        ]
        assert lines[5] == f"  barnet (URN {urn('barnet')}): not among the providers the site lists"

    # Hampshire 2014 prints no publication date: the date the site lists stands, and says
    # so, in the API and after a re-extraction.
    client = TestClient(create_app(empty_engine))
    [inspection] = get(client, "/inspections?authority=hampshire")["items"]
    [document] = inspection["documents"]
    assert (document["published_date"], document["published_source"], document["source_url"]) == (
        "2014-04-22",
        "site",
        f"{base}/v1/file/2764330",
    )
    code, lines = run_seed(empty_engine, monkeypatch, clock, "reparse", "--all")
    assert code == 0
    [inspection] = get(client, "/inspections?authority=hampshire")["items"]
    assert [(d["published_date"], d["published_source"]) for d in inspection["documents"]] == [
        ("2014-04-22", "site")
    ]


def test_a_file_already_loaded_from_the_same_url_is_not_fetched_again(
    empty_engine: Engine, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    clock = FakeClock()
    with serving(quiet_site(clock)) as site:
        base = site.base_url
        shutil.copy(DOCUMENTS_DIR / "bexley_2023-03-24.pdf", tmp_path / "bexley.pdf")
        (tmp_path / "manifest.csv").write_text(
            f"file,source_url,published\nbexley.pdf,{base}/v1/file/50212243,2023-03-24\n"
        )
        code, _ = run_seed(empty_engine, monkeypatch, clock, "load", str(tmp_path))
        assert code == 0
        code, lines = run_sync(
            empty_engine, monkeypatch, clock, "--base-url", base, "--authority", "bexley"
        )
        assert code == 0
        assert lines[3] == (
            "sync: 1 publication listed by 1 provider: 0 new, 1 unchanged, 0 rejected, 0 "
            "failed to fetch"
        )
        assert [request.path for request in site.log if "/v1/" in request.path] == []
    with empty_engine.connect() as connection:
        assert connection.execute(
            select(SitePublication.outcome, SitePublication.document_id)
        ).all() == [("loaded", 1)]


def test_usage_errors_say_what_to_do(
    empty_engine: Engine, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    clock = FakeClock()
    code, lines = run_sync(
        empty_engine,
        monkeypatch,
        clock,
        "--base-url",
        "http://127.0.0.1:9",
        "--authority",
        "chesire-east",
    )
    assert (code, lines) == (2, [])
    assert capsys.readouterr().err == (
        "error: unknown authority 'chesire-east'; did you mean cheshire-east? (the slugs are "
        "the register's, as GET /authorities lists them)\n"
    )
    code, lines = run_sync(empty_engine, monkeypatch, clock)
    assert (code, lines) == (2, [])
    assert capsys.readouterr().err == (
        "error: say who is asking: set SYNC_CONTACT (or --contact) to an email address or URL "
        "where the site's operators can reach you; it is sent in the User-Agent\n"
    )
    code, lines = run_sync(empty_engine, monkeypatch, clock, "--base-url", "reports.example")
    assert (code, lines) == (2, [])
    assert capsys.readouterr().err == (
        "error: the base URL must start with http:// or https://, not 'reports.example'\n"
    )
    with pytest.raises(SystemExit) as exited:
        run_sync(empty_engine, monkeypatch, clock, "--rate", "0")
    assert exited.value.code == 2
    assert "argument --rate: '0' is not a number of requests a second above 0" in (
        capsys.readouterr().err
    )
    # Nothing was asked of the real site, and the database was not even migrated.
    assert db.current_revision(empty_engine) is None


def test_on_a_terminal_a_progress_bar_is_drawn_beside_the_same_lines(
    empty_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    clock = FakeClock()
    with serving(quiet_site(clock)) as site:
        code, lines = run_sync(
            empty_engine, monkeypatch, clock, "--base-url", site.base_url, "--authority", "bexley"
        )
    assert code == 0
    assert [line.split(": ")[0] for line in lines] == [
        "authorities",
        "search",
        "providers",
        "loaded   bexley_2023-03-24_50212243.pdf",
        "sync",
        f"robots.txt of {site.base_url}",
        "requests",
    ]
    drawn = terminal.getvalue()
    assert drawn.startswith("\rprovider pages:   0%|          | 0/1 ")
    assert "\rfiles:   0%|          | 0/1 " in drawn


# --- stopped, and run again --------------------------------------------------------------

STOPPING_SITE = [
    ("cheshire-east", ["cheshire-east_2024-05-16.pdf", "cheshire-east_2020-01-09.pdf"]),
    ("bexley", ["bexley_2023-03-24.pdf"]),
    ("bedford", ["bedford_2025-08-27.pdf", "bedford_2022-01-14.pdf"]),
    ("barnet", ["barnet_2019-07-01.pdf"]),
    ("hampshire", ["hampshire_2014-04-22.pdf"]),
    ("croydon", ["croydon_2024-12-03.pdf"]),
]


def sync_job(engine: Engine, base_url: str) -> subprocess.Popen[str]:
    """`python -m seed --jobs 1 sync` in a real process, against the engine's database."""
    url = engine.url.render_as_string(hide_password=False)
    return subprocess.Popen(
        [sys.executable, "-m", "seed", "--jobs", "1", "sync", "--base-url", base_url],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": url, "PYTHONUNBUFFERED": "1", "SYNC_RATE": "1000"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        # Ctrl-C as at a terminal: a suite started in the background by a non-interactive
        # shell (`cmd &`) ignores SIGINT, and a child inherits that, so the sync would never
        # hear the Ctrl-C the test sends.
        preexec_fn=_default_sigint,
    )


def _default_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def loaded_urls(engine: Engine) -> set[str]:
    with engine.connect() as connection:
        return set(
            connection.scalars(
                select(SitePublication.url).where(SitePublication.outcome == "loaded")
            )
        )


@pytest.mark.parametrize("stop", [signal.SIGKILL, signal.SIGINT], ids=["killed", "ctrl-c"])
def test_a_sync_stopped_after_some_documents_carries_on_and_loads_each_once(
    empty_engine: Engine, stop: signal.Signals
) -> None:
    """Killed (or Ctrl-C) once three documents are loaded, while the fourth file is still
    coming (it takes three seconds): a rerun fetches only what was not committed, and every
    document is loaded once."""
    providers = [
        FakeProvider(urn(slug), slug, [shipped(name) for name in files])
        for slug, files in STOPPING_SITE
    ]
    site = FakeSite(providers)
    site.misbehave("/v1/file/" + shipped("bedford_2025-08-27.pdf").file_id, Misbehaviour(delay=3))
    with serving(site):
        every = {site.file_url(p.file_id) for pr in providers for p in pr.publications}
        first = sync_job(empty_engine, site.base_url)
        assert first.stdout is not None
        loaded = 0
        while loaded < 3:
            line = first.stdout.readline()
            assert line, first.stderr.read() if first.stderr else "the sync ended early"
            loaded += line.startswith("loaded")
        first.send_signal(stop)
        rest, _ = first.communicate(timeout=60)
        if stop == signal.SIGKILL:
            assert first.returncode == -signal.SIGKILL
        else:
            assert first.returncode == 130
            assert "interrupted: what was done before is kept" in rest.splitlines()
        done = loaded_urls(empty_engine)
        asked_first = len(site.log)
        # Whatever was committed is whole: one document and one change per loaded file.
        assert (count(empty_engine, Document), count(empty_engine, Change)) == (
            len(done),
            len(done),
        )
        assert len(done) < len(every)

        second = sync_job(empty_engine, site.base_url)
        out, err = second.communicate(timeout=120)
        assert second.returncode == 0, err
        assert out.splitlines()[-3] == (
            f"sync: 8 publications listed by 6 providers: {8 - len(done)} new, {len(done)} "
            "unchanged, 0 rejected, 0 failed to fetch"
        )
        files_asked = [
            site.base_url + request.path
            for request in site.log[asked_first:]
            if request.path.startswith("/v1/")
        ]
    # The rerun asked once for each file not loaded before, and for none of the others.
    assert sorted(files_asked) == sorted(every - done)
    assert loaded_urls(empty_engine) == every
    with empty_engine.connect() as connection:
        assert connection.scalar(select(func.count(func.distinct(Document.sha256)))) == 8
        assert Counter(connection.scalars(select(Change.action))) == {"loaded": 8}


def test_a_document_deleted_since_it_was_synced_is_not_fetched_again(
    empty_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The operator deleted it on purpose: the listing keeps its outcome, loses its
    document, and the next sync leaves it alone (`seed load` brings it back)."""
    clock = FakeClock()
    with serving(quiet_site(clock)) as site:
        run_sync(
            empty_engine, monkeypatch, clock, "--base-url", site.base_url, "--authority", "bexley"
        )
        with Session(empty_engine) as session:
            assert delete_document(session, 1) is not None
            session.commit()
        with empty_engine.connect() as connection:
            assert connection.execute(
                select(SitePublication.outcome, SitePublication.document_id)
            ).all() == [("loaded", None)]
        asked = len(site.log)
        code, lines = run_sync(
            empty_engine, monkeypatch, clock, "--base-url", site.base_url, "--authority", "bexley"
        )
        assert code == 0
        assert lines[3] == (
            "sync: 1 publication listed by 1 provider: 0 new, 1 unchanged, 0 rejected, 0 "
            "failed to fetch"
        )
        assert [request.path for request in site.log[asked:] if "/v1/" in request.path] == []
    assert count(empty_engine, Document) == 0
