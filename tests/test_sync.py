"""`python -m seed sync` against the recorded site on 127.0.0.1, on every backend.

The targets of issue 15: a first sync of the 160-provider site finds and loads every
report; a second makes only conditional requests and loads nothing; a sync killed after N
documents and run again loads each document once; requests never come faster than the
setting (checked on a fake clock, so no test waits a second for it).
"""

from __future__ import annotations

import io
from collections import Counter

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from app.config import Settings
from app.main import create_app
from app.models import Change, Document, SitePage, SitePublication
from seed import cli
from seed.sync import job
from tests.fake_site import FakeClock, FakeSite, national_site, serving
from tests.test_api import get


def run_sync(
    engine: Engine,
    monkeypatch: pytest.MonkeyPatch,
    clock: FakeClock,
    *argv: str,
    **settings: object,
) -> tuple[int, list[str]]:
    monkeypatch.setattr(cli, "get_engine", lambda: engine)
    monkeypatch.setattr(cli, "get_settings", lambda: Settings(**settings))  # type: ignore[arg-type]
    monkeypatch.setattr(job, "default_clock", lambda: clock)
    out = io.StringIO()
    code = cli.main(["--jobs", "2", "sync", *argv], out=out)
    return code, out.getvalue().splitlines()


def count(engine: Engine, model: type) -> int:
    with engine.connect() as connection:
        return int(connection.scalar(select(func.count()).select_from(model)) or 0)


def gaps(site: FakeSite, start: int = 0) -> set[float]:
    times = [request.at for request in site.log[start:]]
    return {later - earlier for earlier, later in zip(times, times[1:], strict=False)}


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
            "search: 160 providers on 2 pages",
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
            "requests: 401 (0 conditional, 0 not modified, 0 retried); pages: 163 read, 0 not "
            "modified, 163 new or changed; at most one request every 1 s",
        ]
        # robots.txt, 2 search pages, 160 provider pages, 238 files: one a second, exactly.
        assert first == 401
        assert [request.at for request in site.log] == [float(n) for n in range(401)]

        code, lines = run_sync(empty_engine, monkeypatch, clock, "--base-url", site.base_url)
        assert code == 0
        assert lines == [
            "authorities: 156 in the register, 0 added or updated",
            "search: 160 providers on 2 pages",
            "providers: 160 pages read (160 not modified); 238 publications listed",
            "sync: 238 publications listed by 160 providers: 0 new, 238 unchanged, 0 rejected, "
            "0 failed to fetch",
            "not loaded: 1 publication an earlier sync could not load, unchanged since",
            f"robots.txt of {site.base_url}: rules read",
            "requests: 164 (164 conditional, 164 not modified, 0 retried); pages: 163 read, "
            "163 not modified, 0 new or changed; at most one request every 1 s",
        ]
        second = site.log[first:]
        # Only conditional requests: robots.txt, the pages, and the one rejected file.
        assert len(second) == 164
        assert all(request.conditional and request.status == 304 for request in second)
        assert [request.path for request in second if request.path.startswith("/v1")] == [
            "/v1/file/50004190"
        ]
        assert gaps(site, first) == {1.0}

    assert (count(empty_engine, Document), count(empty_engine, Change)) == (237, 237)
    assert count(empty_engine, SitePage) == 163
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
