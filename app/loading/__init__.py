"""The loader: extracted records into the database, on natural keys, so reruns are safe.

Every function takes a session and leaves the transaction to the caller: `app.pipeline`
commits once per document, so a document that fails leaves no rows behind and the rest still
load.

Records are written by key: a document by sha256, an inspection by (authority, type, start
date), and a document's judgements, cited judgements and findings by theirs
(`app.loading.rows`). Storing a re-extraction (`store_reparsed`) updates the rows that keep
their key in place, so their ids stay stable, and adds or removes the rest.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.orm import Session
from sqlmodel import SQLModel, col

from app.extraction import ExtractedDocument, ExtractionError, NotAnOfstedReport
from app.extraction.authorities import AuthorityEntry
from app.intelligence.store import store_embeddings
from app.loading.rows import sync_records
from app.models import (
    Authority,
    Change,
    CitedJudgement,
    Document,
    DocumentSource,
    Finding,
    Inspection,
    Judgement,
)
from app.vocabulary import DocumentKind, PublishedSource

# Which document's grades stand for an inspection when several grade it: a full report
# before a letter, a letter before a summary for children.
_KIND_RANK = {DocumentKind.REPORT: 0, DocumentKind.LETTER: 1, DocumentKind.SUMMARY_FOR_CHILDREN: 2}


@dataclass(frozen=True, slots=True)
class SourceFile:
    """One file to load, with what is known about it from outside its text."""

    filename: str
    data: bytes
    source_url: str | None = None
    published: date | None = None
    published_source: PublishedSource = PublishedSource.MANIFEST
    """Where `published` came from: the manifest beside the file, or the reports site."""

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


@dataclass(slots=True)
class LoadResult:
    filename: str
    status: str
    """'loaded', 'reparsed', 'skipped' (already loaded, same sha256) or 'failed'."""
    reason: str | None = None
    document_id: int | None = None
    inspection_id: int | None = None
    inspection_created: bool = False
    authority: str | None = None
    inspection_type: str | None = None
    start_date: date | None = None
    judgements: int = 0
    findings_by_kind: Counter[str] = field(default_factory=Counter)
    pages: int | None = None

    @property
    def findings(self) -> int:
        return sum(self.findings_by_kind.values())


def load_authorities(session: Session, entries: Iterable[AuthorityEntry]) -> int:
    """Insert or update the register's authorities by slug. Returns how many changed."""
    existing = {row.slug: row for row in session.scalars(select(Authority))}
    changed = 0
    for entry in entries:
        values = {
            "slug": entry.slug,
            "name": entry.name,
            "ons_code": entry.ons_code,
            "dfe_code": entry.dfe_code,
            "ofsted_urn": entry.ofsted_urn,
            "region": entry.region,
            "region_code": entry.region_code,
            "type": entry.type,
            "other_names": list(entry.other_names),
            "statistical_neighbours": list(entry.statistical_neighbours),
        }
        row = existing.get(entry.slug)
        if row is None:
            session.add(Authority.model_validate(values))
            changed += 1
        elif any(getattr(row, key) != value for key, value in values.items()):
            for key, value in values.items():
                setattr(row, key, value)
            changed += 1
    session.flush()
    return changed


def already_loaded(session: Session, sha256: str) -> int | None:
    """The id of the document with these exact bytes, if one is loaded."""
    return session.scalar(select(col(Document.id)).where(col(Document.sha256) == sha256))


def skipped(source: SourceFile, document_id: int) -> LoadResult:
    """The outcome for a file whose exact bytes (same sha256) are loaded already."""
    return LoadResult(source.filename, "skipped", reason="already loaded", document_id=document_id)


def store_document(
    session: Session, source: SourceFile, digest: str, extracted: ExtractedDocument
) -> LoadResult:
    existing = already_loaded(session, digest)
    if existing is not None:  # the same file twice in one run
        return skipped(source, existing)
    authority_id = _authority_id(session, extracted)
    inspection, created = _inspection(session, authority_id, extracted)
    assert inspection.id is not None
    document = Document(
        inspection_id=inspection.id,
        filename=source.filename,
        sha256=digest,
        source_url=source.source_url,
        loaded_at=datetime.now(UTC),
        **_document_fields(extracted, _given_date(source.published, source.published_source)),
    )
    session.add(document)
    session.flush()
    assert document.id is not None
    session.add(DocumentSource(document_id=document.id, content=source.data))
    sync_records(session, inspection, document.id, extracted)
    store_embeddings(session, document.id, extracted)
    refresh_canonical_judgements(session, inspection.id)
    record_change(session, "loaded", document.id, inspection.id)
    return _result(source.filename, "loaded", document.id, inspection, created, extracted)


def stored_source(session: Session, document_id: int) -> bytes | None:
    """The file a loaded document was read from, as it was uploaded or seeded."""
    return session.scalar(
        select(col(DocumentSource.content)).where(col(DocumentSource.document_id) == document_id)
    )


def no_source(document_id: int) -> str:
    return f"document {document_id} has no stored source file to read"


def store_reparsed(session: Session, document_id: int, extracted: ExtractedDocument) -> LoadResult:
    """Update a loaded document's records in place from a new extraction of its file: the
    document keeps its id, and so do the judgements, cited judgements and findings whose
    keys survive."""
    document = session.get(Document, document_id)
    if document is None:
        raise NotAnOfstedReport(f"document {document_id} was deleted meanwhile")
    authority_id = _authority_id(session, extracted)
    old_inspection_id = document.inspection_id
    inspection, created = _inspection(session, authority_id, extracted)
    assert inspection.id is not None
    given = (
        _given_date(document.published_date, PublishedSource(document.published_source))
        if document.published_source in (PublishedSource.MANIFEST, PublishedSource.SITE)
        else None
    )
    for key, value in _document_fields(extracted, given).items():
        setattr(document, key, value)
    if inspection.id != old_inspection_id:
        document.inspection_id = inspection.id
        for model in (Judgement, CitedJudgement, Finding):
            table = SQLModel.metadata.tables[model.__tablename__]
            session.execute(
                update(table)
                .where(table.c.document_id == document_id)
                .values(inspection_id=inspection.id)
            )
    session.flush()
    sync_records(session, inspection, document_id, extracted)
    store_embeddings(session, document_id, extracted)
    refresh_canonical_judgements(session, inspection.id)
    if inspection.id != old_inspection_id:
        _drop_if_empty(session, old_inspection_id)
    record_change(session, "reparsed", document_id, inspection.id)
    return _result(document.filename, "reparsed", document_id, inspection, created, extracted)


def delete_document(session: Session, document_id: int) -> int | None:
    """Remove a document and what came only from it: its judgements, cited judgements and
    findings, and its inspection if no other document belongs to it. Returns the inspection
    id it belonged to, or None if there was no such document."""
    # The DELETE comes first and says whether it removed the row: of two transactions
    # deleting one document at once, the second waits for the first's lock and then finds
    # nothing, so the document is deleted, and the deletion recorded, once.
    inspection_id: int | None = session.scalar(
        delete(Document)
        .where(col(Document.id) == document_id)
        .returning(col(Document.inspection_id))
    )
    if inspection_id is None:
        return None
    if not _drop_if_empty(session, inspection_id):
        refresh_canonical_judgements(session, inspection_id)
    record_change(session, "deleted", document_id, inspection_id)
    return inspection_id


def documents_to_reparse(
    session: Session, parser_version: str, model_version: str, everything: bool
) -> list[int]:
    """Documents an older parser version read, or with findings an older model labelled
    (or every document)."""
    statement = select(col(Document.id)).order_by(col(Document.id))
    if not everything:
        stale_findings = select(col(Finding.document_id)).where(
            or_(
                col(Finding.model_version).is_(None),
                col(Finding.model_version) != model_version,
            )
        )
        statement = statement.where(
            or_(
                col(Document.parser_version) != parser_version,
                col(Document.id).in_(stale_findings),
            )
        )
    return list(session.scalars(statement))


def _authority_id(session: Session, extracted: ExtractedDocument) -> int:
    authority_id = session.scalar(
        select(col(Authority.id)).where(col(Authority.slug) == extracted.authority_slug)
    )
    if authority_id is None:
        raise NotAnOfstedReport(
            f"the authority '{extracted.authority_slug}' is not loaded; run `python -m seed` first"
        )
    return authority_id


def _given_date(
    published: date | None, source: PublishedSource
) -> tuple[date, PublishedSource] | None:
    return (published, source) if published is not None else None


def _document_fields(
    extracted: ExtractedDocument, given: tuple[date, PublishedSource] | None
) -> dict[str, Any]:
    """The document row's fields from its extraction. The publication date it prints stands
    before one given with the file, by a manifest or the reports site's listing (either can
    be wrong about a file; the file is the file)."""
    published: date | None
    source: PublishedSource | None
    if extracted.published_date is not None:
        published, source = extracted.published_date, PublishedSource.DOCUMENT
    elif given is not None:
        published, source = given
    else:
        published, source = None, None
    return {
        "title": extracted.title,
        "kind": extracted.kind.value,
        "letter_date": extracted.letter_date,
        "published_date": published,
        "published_source": source.value if source else None,
        "pages": extracted.pages,
        "inspectors": extracted.inspectors,
        "addressee_name": extracted.addressee.name if extracted.addressee else None,
        "addressee_role": extracted.addressee.role if extracted.addressee else None,
        "parser_version": extracted.parser_version,
        "text": extracted.text,
    }


def _result(
    filename: str,
    status: str,
    document_id: int,
    inspection: Inspection,
    created: bool,
    extracted: ExtractedDocument,
) -> LoadResult:
    return LoadResult(
        filename,
        status,
        document_id=document_id,
        inspection_id=inspection.id,
        inspection_created=created,
        authority=extracted.authority_slug,
        inspection_type=inspection.type,
        start_date=inspection.start_date,
        judgements=len(extracted.judgements),
        findings_by_kind=Counter(finding.kind.value for finding in extracted.findings),
        pages=extracted.pages,
    )


def _inspection(
    session: Session, authority_id: int, extracted: ExtractedDocument
) -> tuple[Inspection, bool]:
    inspection = session.scalar(
        select(Inspection).where(
            col(Inspection.authority_id) == authority_id,
            col(Inspection.type) == extracted.inspection_type.value,
            col(Inspection.start_date) == extracted.start_date,
        )
    )
    if inspection is not None:
        if inspection.end_date is None and extracted.end_date is not None:
            inspection.end_date = extracted.end_date
        return inspection, False
    inspection = Inspection(
        authority_id=authority_id,
        type=extracted.inspection_type.value,
        start_date=extracted.start_date,
        end_date=extracted.end_date,
        year=extracted.start_date.year,
    )
    session.add(inspection)
    session.flush()
    return inspection, True


def _drop_if_empty(session: Session, inspection_id: int) -> bool:
    remaining = session.scalar(
        select(func.count())
        .select_from(Document)
        .where(col(Document.inspection_id) == inspection_id)
    )
    if remaining:
        return False
    session.execute(delete(Inspection).where(col(Inspection.id) == inspection_id))
    return True


def record_change(session: Session, action: str, document_id: int, inspection_id: int) -> None:
    """Append to the change log; the new row's id is the new data version."""
    session.add(
        Change(
            action=action,
            document_id=document_id,
            inspection_id=inspection_id,
            at=datetime.now(UTC),
        )
    )
    session.flush()


def refresh_canonical_judgements(session: Session, inspection_id: int) -> None:
    """Mark, per judgement area, the row that stands for the inspection: the one from the
    most complete document (report, then letter, then summary; the earliest loaded first)."""
    rows = session.execute(
        select(
            col(Judgement.id),
            col(Judgement.area),
            col(Judgement.area_label),
            col(Document.kind),
            col(Document.id),
        )
        .join(Document, col(Document.id) == col(Judgement.document_id))
        .where(col(Judgement.inspection_id) == inspection_id)
    ).all()
    best: dict[tuple[str, str], tuple[int, int, int]] = {}
    for judgement_id, area, area_label, kind, document_id in rows:
        key = (area, area_label.lower() if area == "other" else "")
        rank = (_KIND_RANK.get(DocumentKind(kind), 9), document_id or 0, judgement_id or 0)
        if key not in best or rank < best[key]:
            best[key] = rank
    canonical_ids = {rank[2] for rank in best.values()}
    session.execute(
        update(Judgement)
        .where(col(Judgement.inspection_id) == inspection_id)
        .values(canonical=col(Judgement.id).in_(canonical_ids) if canonical_ids else False)
    )


__all__ = [
    "ExtractionError",
    "LoadResult",
    "SourceFile",
    "already_loaded",
    "delete_document",
    "documents_to_reparse",
    "load_authorities",
    "no_source",
    "record_change",
    "refresh_canonical_judgements",
    "skipped",
    "store_document",
    "store_reparsed",
    "stored_source",
]
