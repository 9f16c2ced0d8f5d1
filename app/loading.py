"""The loader: extracted records into the database, on natural keys, so reruns are safe.

Every function takes a session and leaves the transaction to the caller: the seed job commits
once per document, so a document that fails leaves no rows behind and the rest still load.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy
from sqlalchemy import insert, update
from sqlalchemy.orm import Session
from sqlmodel import col, select

from app.extraction import (
    ExtractedDocument,
    ExtractionError,
    NotAnOfstedReport,
    extract,
)
from app.extraction.authorities import AuthorityEntry, AuthorityRegister
from app.extraction.reading import read_bytes
from app.models import (
    Authority,
    Change,
    CitedJudgement,
    Document,
    Finding,
    FindingTheme,
    Inspection,
    Judgement,
)
from app.vocabulary import DocumentKind

# Which document's grades stand for an inspection when several grade it: a full report
# before a letter, a letter before a summary for children.
_KIND_RANK = {DocumentKind.REPORT: 0, DocumentKind.LETTER: 1, DocumentKind.SUMMARY_FOR_CHILDREN: 2}


@dataclass(frozen=True, slots=True)
class DocumentSource:
    """One file to load, with what is known about it from outside its text."""

    filename: str
    data: bytes
    source_url: str | None = None
    published: date | None = None

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


@dataclass(slots=True)
class LoadResult:
    filename: str
    status: str
    """'loaded', 'skipped' (already loaded, same sha256) or 'failed'."""
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


def load_document(
    session: Session, source: DocumentSource, register: AuthorityRegister
) -> LoadResult:
    """Read, extract and store one document. Raises ExtractionError when the document cannot
    be read or understood; the caller rolls back and reports the reason."""
    digest = source.sha256
    existing = session.scalar(select(Document.id).where(col(Document.sha256) == digest))
    if existing is not None:
        return LoadResult(source.filename, "skipped", reason="already loaded", document_id=existing)
    text = read_bytes(source.data)
    extracted = extract(text, register)
    return store_document(session, source, digest, extracted)


def store_document(
    session: Session, source: DocumentSource, digest: str, extracted: ExtractedDocument
) -> LoadResult:
    authority = session.scalar(
        select(Authority).where(col(Authority.slug) == extracted.authority_slug)
    )
    if authority is None or authority.id is None:
        raise NotAnOfstedReport(
            f"the authority '{extracted.authority_slug}' is not loaded; run `python -m seed` first"
        )
    inspection, created = _inspection(session, authority.id, extracted)
    assert inspection.id is not None
    document = Document(
        inspection_id=inspection.id,
        filename=source.filename,
        sha256=digest,
        title=extracted.title,
        kind=extracted.kind.value,
        letter_date=extracted.letter_date,
        published_date=source.published or extracted.published_date,
        source_url=source.source_url,
        pages=extracted.pages,
        inspectors=extracted.inspectors,
        addressee_name=extracted.addressee.name if extracted.addressee else None,
        addressee_role=extracted.addressee.role if extracted.addressee else None,
        parser_version=extracted.parser_version,
        loaded_at=datetime.now(UTC),
        text=extracted.text,
    )
    session.add(document)
    session.flush()
    assert document.id is not None
    _store_records(session, inspection.id, document.id, extracted)
    refresh_canonical_judgements(session, inspection.id)
    record_change(session, "loaded", document.id, inspection.id)
    result = LoadResult(
        source.filename,
        "loaded",
        document_id=document.id,
        inspection_id=inspection.id,
        inspection_created=created,
        authority=authority.slug,
        inspection_type=inspection.type,
        start_date=inspection.start_date,
        judgements=len(extracted.judgements),
        findings_by_kind=Counter(finding.kind.value for finding in extracted.findings),
        pages=extracted.pages,
    )
    return result


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


def _store_records(
    session: Session, inspection_id: int, document_id: int, extracted: ExtractedDocument
) -> None:
    version = extracted.parser_version
    if extracted.judgements:
        session.execute(
            insert(Judgement),
            [
                {
                    "inspection_id": inspection_id,
                    "document_id": document_id,
                    "area": judgement.area.value,
                    "area_label": judgement.area_label,
                    "grade": judgement.grade.value if judgement.grade else None,
                    "grade_label": judgement.grade_label,
                    "canonical": False,
                    "source_start": judgement.start,
                    "source_end": judgement.end,
                    "parser_version": version,
                }
                for judgement in extracted.judgements
            ],
        )
    if extracted.cited_judgements:
        session.execute(
            insert(CitedJudgement),
            [
                {
                    "inspection_id": inspection_id,
                    "document_id": document_id,
                    "area": cited.area.value,
                    "grade": cited.grade.value if cited.grade else None,
                    "grade_label": cited.grade_label,
                    "cited_year": cited.year,
                    "cited_month": cited.month,
                    "source_start": cited.start,
                    "source_end": cited.end,
                    "parser_version": version,
                }
                for cited in _unique_cited(extracted)
            ],
        )
    if not extracted.findings:
        return
    finding_ids = session.scalars(
        insert(Finding).returning(col(Finding.id), sort_by_parameter_order=True),
        [
            {
                "inspection_id": inspection_id,
                "document_id": document_id,
                "sequence": finding.sequence,
                "kind": finding.kind.value,
                "section": finding.section,
                "judgement_area": finding.judgement_area.value if finding.judgement_area else None,
                "timeframe": finding.timeframe.value if finding.timeframe else None,
                "paragraph": finding.paragraph,
                "polarity": finding.polarity.value,
                "text": finding.text,
                "source_start": finding.start,
                "source_end": finding.end,
                "parser_version": version,
            }
            for finding in extracted.findings
        ],
    ).all()
    theme_rows = [
        {
            "finding_id": finding_id,
            "theme": match.theme.value,
            "matched": list(match.matched),
            "rank": rank,
        }
        for finding_id, finding in zip(finding_ids, extracted.findings, strict=True)
        for rank, match in enumerate(finding.themes, start=1)
    ]
    if theme_rows:
        session.execute(insert(FindingTheme), theme_rows)


def _unique_cited(extracted: ExtractedDocument) -> list:  # type: ignore[type-arg]
    seen: set[tuple[str, int, int | None]] = set()
    unique = []
    for cited in extracted.cited_judgements:
        key = (cited.area.value, cited.year, cited.month)
        if key not in seen:
            seen.add(key)
            unique.append(cited)
    return unique


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
        sqlalchemy.select(
            col(Judgement.id),
            col(Judgement.area),
            col(Judgement.area_label),
            col(Document.kind),
            col(Document.id),
        )
        .join(Document, col(Document.id) == Judgement.document_id)
        .where(col(Judgement.inspection_id) == inspection_id)
    ).all()
    best: dict[tuple[str, str], tuple[int, Any, Any]] = {}
    for judgement_id, area, area_label, kind, document_id in rows:
        key = (area, area_label.lower() if area == "other" else "")
        rank = (_KIND_RANK.get(DocumentKind(kind), 9), document_id, judgement_id)
        if key not in best or rank < best[key]:
            best[key] = rank
    canonical_ids = {rank[2] for rank in best.values()}
    session.execute(
        update(Judgement)
        .where(col(Judgement.inspection_id) == inspection_id)
        .values(canonical=col(Judgement.id).in_(canonical_ids) if canonical_ids else False)
    )


__all__ = [
    "DocumentSource",
    "ExtractionError",
    "LoadResult",
    "load_authorities",
    "load_document",
    "record_change",
    "refresh_canonical_judgements",
    "store_document",
]
