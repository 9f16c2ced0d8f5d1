"""Ofsted's reports site as its pages are shaped: pure functions, page text in, records out.

The shapes are the ones the community scrapers rely on (the ILACS scrape tool and others):

- the search page `/search?q=&level_1_types=3&level_2_types[]=12` lists the local
  authorities' children's services providers, each a link to `/provider/<n>/<urn>`, paged
  with `start=` (the first result's offset) and `rows=` (at most 100);
- a provider page lists its publications (reports, letters, focused visits...) as links of
  class `publication-link` to `https://files.ofsted.gov.uk/v1/file/<id>`, each with a
  `span.nonvisual` text such as "children's services inspection - 09 may 2025, pdf".

Nothing here touches the network or the database.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from app.extraction.dates import MONTHS

SEARCH_QUERY = "q=&level_1_types=3&level_2_types%5B%5D=12"
"""Children's social care (level 1 type 3), local authority children's services (12)."""


@dataclass(frozen=True, slots=True)
class Provider:
    """A local authority's children's services, as the search page lists it."""

    urn: str
    name: str
    url: str


@dataclass(frozen=True, slots=True)
class Publication:
    """One publication as a provider page lists it."""

    url: str
    listed_as: str
    """The link's text for screen readers, as given: "children's services inspection - 09
    may 2025, pdf" (the visible text where there is none)."""
    title: str
    """What the site calls it (the framework as the site names it): "children's services
    inspection"; the whole text when it is not in the usual shape."""
    listed_date: date | None
    listed_format: str | None

    @property
    def file_id(self) -> str:
        """The last part of the file's URL (`50262542` of `.../v1/file/50262542`)."""
        return urlsplit(self.url).path.rstrip("/").rsplit("/", 1)[-1]


def search_url(base_url: str, start: int, rows: int) -> str:
    return f"{base_url.rstrip('/')}/search?{SEARCH_QUERY}&start={start}&rows={rows}"


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def robots_url(url: str) -> str:
    return origin(url) + "/robots.txt"


def host(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


def parse_search_page(text: str, page_url: str) -> list[Provider]:
    """The providers a search page lists, in its order, each once."""
    providers: dict[str, Provider] = {}
    for link in _links(text):
        url = urljoin(page_url, link.href.strip())
        segments = [segment for segment in urlsplit(url).path.split("/") if segment]
        if "provider" not in segments[:-1]:
            continue
        urn = segments[-1]
        if urn.isdigit() and urn not in providers:
            providers[urn] = Provider(urn, _squash(link.visible_text()), url)
    return list(providers.values())


def parse_provider_page(text: str, page_url: str) -> list[Publication]:
    """The publications a provider page lists, in its order, each once."""
    publications: dict[str, Publication] = {}
    for link in _links(text):
        if "publication-link" not in link.classes or not link.href.strip():
            continue
        url = urljoin(page_url, link.href.strip())
        listed_as = _squash(link.nonvisual_text()) or _squash(link.visible_text())
        title, listed_date, listed_format = parse_listing(listed_as)
        publications.setdefault(url, Publication(url, listed_as, title, listed_date, listed_format))
    return list(publications.values())


_LISTING = re.compile(
    r"(?P<title>.+?)\s+-\s+(?P<day>\d{1,2})\s+(?P<month>[a-z]+)\.?\s+(?P<year>\d{4})"
    r"(?:\s*,\s*(?P<format>[a-z0-9]+))?",
    re.IGNORECASE,
)


def parse_listing(text: str) -> tuple[str, date | None, str | None]:
    """("children's services inspection", 2025-05-09, "pdf") from "children's services
    inspection - 09 may 2025, pdf". Text in another shape is all title, with no date."""
    text = _squash(text)
    match = _LISTING.fullmatch(text)
    if match is None:
        return text, None, None
    month = MONTHS.get(match["month"].lower())
    try:
        listed = date(int(match["year"]), month, int(match["day"])) if month else None
    except ValueError:
        listed = None
    if listed is None:
        return text, None, None
    listed_format = match["format"].lower() if match["format"] else None
    return match["title"], listed, listed_format


def _squash(text: str) -> str:
    return " ".join(text.split())


@dataclass(slots=True)
class _Link:
    href: str
    classes: frozenset[str]
    parts: list[tuple[str, bool]] = field(default_factory=list)
    """(text, inside a span.nonvisual)"""

    def visible_text(self) -> str:
        return "".join(text for text, hidden in self.parts if not hidden)

    def nonvisual_text(self) -> str:
        return "".join(text for text, hidden in self.parts if hidden)


class _LinkParser(HTMLParser):
    """Every <a href> with its classes and its text, told apart inside span.nonvisual."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[_Link] = []
        self._link: _Link | None = None
        self._spans: list[bool] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        if tag == "a":
            self._close()
            if "href" in attributes:
                classes = frozenset(attributes.get("class", "").split())
                self._link = _Link(attributes["href"], classes)
        elif tag == "span" and self._link is not None:
            self._spans.append("nonvisual" in attributes.get("class", "").split())

    def handle_endtag(self, tag: str) -> None:
        if tag == "a":
            self._close()
        elif tag == "span" and self._spans:
            self._spans.pop()

    def handle_data(self, data: str) -> None:
        if self._link is not None:
            self._link.parts.append((data, any(self._spans)))

    def _close(self) -> None:
        if self._link is not None:
            self.links.append(self._link)
        self._link = None
        self._spans = []


def _links(text: str) -> list[_Link]:
    parser = _LinkParser()
    parser.feed(text)
    parser.close()
    parser._close()
    return parser.links
