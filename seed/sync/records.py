"""What the sync keeps of the site in the database (`site_pages`, `site_publications`).

Each function takes a session and leaves the transaction to the caller. A publication's
outcome is written by `record_outcome` in the transaction that stores its document, so the
two are never out of step, whatever stops the sync.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session
from sqlmodel import col

from app.models import Document, SitePage, SitePublication
from app.vocabulary import FetchOutcome
from seed.sync.client import CachedPage, Validators
from seed.sync.pages import Provider, Publication


def stored_page(session: Session, url: str) -> SitePage | None:
    return session.scalar(select(SitePage).where(col(SitePage.url) == url))


def save_page(session: Session, url: str, page: CachedPage, at: datetime) -> None:
    row = stored_page(session, url) or SitePage(
        url=url, sha256=page.sha256, body=page.text, fetched_at=at
    )
    row.etag, row.last_modified = page.validators.etag, page.validators.last_modified
    row.sha256, row.body, row.fetched_at = page.sha256, page.text, at
    session.add(row)


class DatabasePages:
    """The pages the sync read, kept in `site_pages` (each in its own transaction, as soon
    as it is read); in a dry run, only read from there."""

    def __init__(self, engine: Engine, *, keep: bool) -> None:
        self.engine = engine
        self.keep = keep

    def stored(self, url: str) -> CachedPage | None:
        with Session(self.engine) as session:
            row = stored_page(session, url)
            if row is None:
                return None
            return CachedPage(row.body, row.sha256, Validators(row.etag, row.last_modified))

    def store(self, url: str, page: CachedPage) -> None:
        if self.keep:
            with Session(self.engine) as session:
                save_page(session, url, page, datetime.now(UTC))
                session.commit()


def save_listing(
    session: Session, provider: Provider, publications: Iterable[Publication], at: datetime
) -> None:
    """Insert or update the publications a provider page lists, as it lists them."""
    listed = list(publications)
    existing = publications_by_url(session, [publication.url for publication in listed])
    for publication in listed:
        row = existing.get(publication.url)
        if row is None:
            row = SitePublication(
                url=publication.url,
                provider_urn=provider.urn,
                provider_name=provider.name,
                provider_url=provider.url,
                listed_as=publication.listed_as,
                title=publication.title,
                first_seen_at=at,
                last_seen_at=at,
            )
        row.provider_urn, row.provider_name = provider.urn, provider.name
        row.provider_url = provider.url
        row.listed_as, row.title = publication.listed_as, publication.title
        row.listed_date, row.listed_format = publication.listed_date, publication.listed_format
        row.last_seen_at = at
        session.add(row)


def publications_by_url(session: Session, urls: list[str]) -> dict[str, SitePublication]:
    found: dict[str, SitePublication] = {}
    for start in range(0, len(urls), 500):  # bounded IN lists
        batch = urls[start : start + 500]
        for row in session.scalars(
            select(SitePublication).where(col(SitePublication.url).in_(batch))
        ):
            found[row.url] = row
    return found


def documents_by_source_url(session: Session) -> dict[str, int]:
    """Loaded documents by the URL they came from (a manifest's, or a sync's)."""
    rows = session.execute(
        select(col(Document.source_url), col(Document.id)).where(
            col(Document.source_url).is_not(None)
        )
    )
    return {url: document_id for url, document_id in rows if url and document_id}


@dataclass(frozen=True, slots=True)
class Outcome:
    outcome: FetchOutcome
    reason: str | None = None
    document_id: int | None = None
    sha256: str | None = None
    validators: Validators = field(default_factory=Validators)
    parser_version: str | None = None


def record_outcome(session: Session, url: str, outcome: Outcome, at: datetime | None) -> None:
    """What became of a listed publication; `at` is when it was fetched (None: it was not
    requested this time)."""
    row = session.scalar(select(SitePublication).where(col(SitePublication.url) == url))
    if row is None:  # listed in a dry run, or its listing was not saved: nothing to mark
        return
    row.outcome, row.reason, row.document_id = (
        outcome.outcome.value,
        outcome.reason,
        (outcome.document_id),
    )
    row.parser_version = outcome.parser_version
    if at is not None:
        row.fetched_at = at
        row.sha256 = outcome.sha256
        row.etag, row.last_modified = outcome.validators.etag, outcome.validators.last_modified
    session.add(row)
