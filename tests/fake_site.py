"""A recorded copy of Ofsted's reports site, served on 127.0.0.1 for the sync's tests.

Pages are built from templates of the real pages' shapes (tests/data/site/): the search
page lists providers (`/provider/44/<urn>`), paged with `start=` and `rows=` (at most 100);
each provider page lists its publications as `a.publication-link` with a `span.nonvisual`
text; files are served at `/v1/file/<id>`. The files are the shipped PDFs
(seed/documents/), listed as tests/data/site/publications.csv says (written by
`python -m scripts.make_site_fixture`).

Like a real server it answers conditional requests (ETag, Last-Modified) with 304, and it
can be told to misbehave, once or more, at any path: a status (429 with Retry-After, 500,
404...) or a slow answer. It logs every request with the time on the clock it is given, so a
test can check the gaps between requests on a fake clock without waiting.

    .venv/bin/python -m tests.fake_site [--port 8300]    # the 160-provider site, to try by hand
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import html
import threading
import time
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from string import Template
from urllib.parse import parse_qs, urlsplit

from app.extraction.authorities import AuthorityRegister
from seed import DOCUMENTS_DIR
from seed.sync.limiter import Clock, SystemClock

SITE_DIR = Path(__file__).resolve().parent / "data" / "site"
LAST_MODIFIED = "Mon, 01 Dec 2025 09:00:00 GMT"
EXTRA_PROVIDERS = 4
"""Providers beyond the register's 156 (new authorities with nothing published yet), to make
the 160 of the recorded site."""


def _template(name: str) -> Template:
    return Template((SITE_DIR / name).read_text(encoding="utf-8"))


@dataclass(frozen=True, slots=True)
class FakePublication:
    file_id: str
    listed_as: str
    content: bytes = field(repr=False)
    content_type: str = "application/pdf"
    source: str = ""
    """The shipped file it is, if one."""
    missing: bool = False
    """Listed, but not there (404)."""


@dataclass(slots=True)
class FakeProvider:
    urn: str
    name: str
    publications: list[FakePublication] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Misbehaviour:
    status: int = 200
    """200: answer as usual, after `delay`."""
    headers: tuple[tuple[str, str], ...] = ()
    delay: float = 0.0
    """Real seconds to wait before answering."""


@dataclass(frozen=True, slots=True)
class Request:
    path: str
    headers: dict[str, str]
    at: float
    status: int

    @property
    def conditional(self) -> bool:
        return "if-none-match" in self.headers or "if-modified-since" in self.headers


@dataclass
class FakeSite:
    providers: list[FakeProvider]
    robots: str = (SITE_DIR / "robots.txt").read_text(encoding="utf-8")
    clock: Clock = field(default_factory=SystemClock)
    misbehaviours: dict[str, deque[Misbehaviour]] = field(default_factory=dict)
    log: list[Request] = field(default_factory=list)
    base_url: str = ""
    most_rows: int = 100
    """Most results a search page gives, whatever `rows=` asks for."""

    def misbehave(self, path: str, *answers: Misbehaviour) -> None:
        self.misbehaviours.setdefault(path, deque()).extend(answers)

    def files(self) -> dict[str, FakePublication]:
        return {
            p.file_id: p
            for provider in self.providers
            for p in provider.publications
            if not p.missing
        }

    def file_url(self, file_id: str) -> str:
        return f"{self.base_url}/v1/file/{file_id}"

    def provider_url(self, urn: str) -> str:
        return f"{self.base_url}/provider/44/{urn}"

    # --- answers ---------------------------------------------------------------------------

    def answer(
        self, target: str, headers: dict[str, str]
    ) -> tuple[int, list[tuple[str, str]], bytes, float]:
        """(status, headers, body, delay) for a GET of `target` (path and query)."""
        queued = self.misbehaviours.get(target)
        if queued:
            misbehaviour = queued.popleft()
            if misbehaviour.status != 200:
                body = f"<html><body><h1>Error {misbehaviour.status}</h1></body></html>".encode()
                answer_headers = [
                    ("Content-Type", "text/html; charset=utf-8"),
                    *misbehaviour.headers,
                ]
                return misbehaviour.status, answer_headers, body, misbehaviour.delay
            delay = misbehaviour.delay
        else:
            delay = 0.0
        found = self._content(target)
        if found is None:
            body = b"<html><body><h1>Page not found</h1></body></html>"
            return 404, [("Content-Type", "text/html; charset=utf-8")], body, delay
        content, content_type = found
        etag = '"' + hashlib.sha256(content).hexdigest()[:20] + '"'
        answer_headers = [("ETag", etag), ("Last-Modified", LAST_MODIFIED)]
        if headers.get("if-none-match") == etag or (
            "if-none-match" not in headers and headers.get("if-modified-since") == LAST_MODIFIED
        ):
            return 304, answer_headers, b"", delay
        return 200, [("Content-Type", content_type), *answer_headers], content, delay

    def _content(self, target: str) -> tuple[bytes, str] | None:
        parts = urlsplit(target)
        path = parts.path
        if path == "/robots.txt":
            return self.robots.encode(), "text/plain"
        if path == "/search":
            query = parse_qs(parts.query, keep_blank_values=True)
            start = int(query.get("start", ["0"])[0])
            rows = min(self.most_rows, int(query.get("rows", ["10"])[0]))
            return self.search_page(start, rows).encode(), "text/html; charset=utf-8"
        segments = [segment for segment in path.split("/") if segment]
        if len(segments) == 3 and segments[:2] == ["provider", "44"]:
            provider = next((p for p in self.providers if p.urn == segments[2]), None)
            if provider is not None:
                return self.provider_page(provider).encode(), "text/html; charset=utf-8"
        if len(segments) == 3 and segments[:2] == ["v1", "file"]:
            publication = self.files().get(segments[2])
            if publication is not None:
                return publication.content, publication.content_type
        return None

    def search_page(self, start: int, rows: int) -> str:
        shown = self.providers[start : start + rows]
        result = _template("search-result.html")
        results = "\n".join(
            result.substitute(urn=provider.urn, name=html.escape(provider.name))
            for provider in shown
        )
        pages = "\n".join(
            f'      <a href="/search?q=&amp;level_1_types=3&amp;level_2_types%5B%5D=12'
            f'&amp;start={offset}&amp;rows={rows}">{offset // rows + 1}</a>'
            for offset in range(0, len(self.providers), rows)
        )
        return _template("search.html").substitute(
            count=len(self.providers), results=results, pagination=pages
        )

    def provider_page(self, provider: FakeProvider) -> str:
        item = _template("publication.html")
        publications = "\n".join(
            item.substitute(
                url=self.file_url(publication.file_id),
                listed_as=html.escape(publication.listed_as),
                shown_title=html.escape(publication.listed_as.split(" - ")[0].capitalize()),
                shown_date=html.escape(publication.listed_as.rsplit(" - ", 1)[-1].split(",")[0]),
            )
            for publication in provider.publications
        )
        return _template("provider.html").substitute(
            name=html.escape(provider.name),
            urn=provider.urn,
            publications=publications,
            empty="" if provider.publications else "There are no reports for this provider.",
        )


class FakeClock:
    """A clock that moves only when something sleeps on it: a sync at one request a second
    runs at full speed, and the times it asked at are exact."""

    def __init__(self, start: float = 0.0) -> None:
        self.time = start
        self.slept: list[float] = []

    def now(self) -> float:
        return self.time

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.time += seconds


def shipped(filename: str) -> FakePublication:
    """A shipped PDF as the recorded site lists it."""
    with (SITE_DIR / "publications.csv").open(newline="", encoding="utf-8") as handle:
        row = next(row for row in csv.DictReader(handle) if row["file"] == filename)
    return FakePublication(
        row["file_id"], row["listed_as"], (DOCUMENTS_DIR / filename).read_bytes(), source=filename
    )


def shipped_publications() -> dict[str, list[FakePublication]]:
    """The shipped PDFs as the recorded site lists them, by provider URN, newest first."""
    by_urn: dict[str, list[FakePublication]] = {}
    with (SITE_DIR / "publications.csv").open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            by_urn.setdefault(row["ofsted_urn"], []).append(
                FakePublication(
                    row["file_id"],
                    row["listed_as"],
                    (DOCUMENTS_DIR / row["file"]).read_bytes(),
                    source=row["file"],
                )
            )
    for publications in by_urn.values():
        publications.sort(key=lambda p: _listed_date(p.listed_as), reverse=True)
    return by_urn


def _listed_date(listed_as: str) -> date:
    from seed.sync.pages import parse_listing

    listed = parse_listing(listed_as)[1]
    assert listed is not None, listed_as
    return listed


def national_site(clock: Clock | None = None) -> FakeSite:
    """The recorded site of 160 providers: the register's 156 authorities, each listing its
    shipped PDFs, and four new authorities with nothing published, in name order."""
    register = AuthorityRegister.from_csv()
    publications = shipped_publications()
    providers = [
        FakeProvider(entry.ofsted_urn, entry.name, publications.get(entry.ofsted_urn, []))
        for entry in register.entries
    ]
    providers += [
        FakeProvider(str(2700001 + n), f"New authority {n + 1}") for n in range(EXTRA_PROVIDERS)
    ]
    providers.sort(key=lambda provider: provider.name)
    return FakeSite(providers, clock=clock or SystemClock())


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_GET(self) -> None:
        site = self.server.site
        headers = {name.lower(): value for name, value in self.headers.items()}
        status, answer_headers, body, delay = site.answer(self.path, headers)
        with self.server.lock:
            site.log.append(Request(self.path, headers, site.clock.now(), status))
        if delay:
            time.sleep(delay)
        try:
            self.send_response(status)
            for name, value in answer_headers:
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):  # the client gave up (a time-out)
            pass

    def log_message(self, format: str, *args: object) -> None:
        pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, site: FakeSite, port: int) -> None:
        super().__init__(("127.0.0.1", port), _Handler)
        self.site = site
        self.lock = threading.Lock()


@contextmanager
def serving(site: FakeSite, port: int = 0) -> Iterator[FakeSite]:
    """Serve `site` on 127.0.0.1 (a free port unless one is given) while in the block."""
    server = _Server(site, port)
    site.base_url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield site
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.fake_site", description=__doc__)
    parser.add_argument("--port", type=int, default=8300)
    args = parser.parse_args()
    with serving(national_site(), args.port) as site:
        print(f"the recorded site of 160 providers at {site.base_url} (Ctrl-C stops it)")
        with suppress(KeyboardInterrupt):
            threading.Event().wait()


if __name__ == "__main__":
    main()
