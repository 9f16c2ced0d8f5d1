"""A document's records as rows: its judgements, cited judgements, findings and their themes,
written by key so that a re-extraction updates in place the rows whose key survives (their ids
stay stable), adds the new ones and deletes the rest. A judgement's key is (area, label), a
cited judgement's (area, year, month), a finding's its sequence in the document."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, TypeVar

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session
from sqlmodel import SQLModel, col

from app.extraction import ExtractedDocument
from app.models import CitedJudgement, Finding, FindingTheme, Inspection, Judgement


def _sync(
    session: Session,
    model: Any,
    document_id: int,
    key_columns: Sequence[str],
    rows: list[dict[str, Any]],
) -> list[int]:
    """Make the document's rows of `model` exactly `rows`, matching on `key_columns`: rows
    whose key exists are updated in place (same id), new keys inserted, missing ones
    deleted. Returns the ids in the order of `rows`."""
    table = model.__table__
    existing = {
        tuple(row[:-1]): row[-1]
        for row in session.execute(
            select(*(table.c[name] for name in key_columns), table.c.id).where(
                table.c.document_id == document_id
            )
        )
    }
    ids: list[int | None] = []
    updates: list[dict[str, Any]] = []
    for row in rows:
        row_id = existing.pop(tuple(row[name] for name in key_columns), None)
        ids.append(row_id)
        if row_id is not None:
            updates.append({"id": row_id, **row})
    if existing:
        session.execute(delete(table).where(table.c.id.in_(list(existing.values()))))
    for values in updates:
        session.execute(update(table).where(table.c.id == values["id"]).values(**values))
    new_rows = [row for row, row_id in zip(rows, ids, strict=True) if row_id is None]
    if new_rows:
        # One executemany, then the new ids read back by key: RETURNING with a guaranteed
        # order would make SQLite insert one row at a time.
        session.execute(insert(table), new_rows)
        keyed = {
            tuple(row[:-1]): row[-1]
            for row in session.execute(
                select(*(table.c[name] for name in key_columns), table.c.id).where(
                    table.c.document_id == document_id
                )
            )
        }
        ids = [
            row_id if row_id is not None else keyed[tuple(row[name] for name in key_columns)]
            for row, row_id in zip(rows, ids, strict=True)
        ]
    return [row_id for row_id in ids if row_id is not None]


def sync_records(
    session: Session, inspection: Inspection, document_id: int, extracted: ExtractedDocument
) -> None:
    if extracted.findings and not extracted.model_version:
        # A parse whose findings `app.extraction.labelling` never labelled: storing it would
        # record every finding as neutral with no theme, and no model would relabel it.
        raise ValueError("the document's findings have no themes or polarity yet")
    version = extracted.parser_version
    common = {"inspection_id": inspection.id, "document_id": document_id, "parser_version": version}
    _sync(
        session,
        Judgement,
        document_id,
        ("area", "area_label"),
        [
            {
                **common,
                "area": judgement.area.value,
                "area_label": judgement.area_label,
                "grade": judgement.grade.value if judgement.grade else None,
                "grade_label": judgement.grade_label,
                "canonical": False,
                "source_start": judgement.start,
                "source_end": judgement.end,
            }
            for judgement in _unique(extracted.judgements, lambda j: (j.area, j.area_label))
        ],
    )
    _sync(
        session,
        CitedJudgement,
        document_id,
        ("area", "cited_year", "cited_month"),
        [
            {
                **common,
                "area": cited.area.value,
                "grade": cited.grade.value if cited.grade else None,
                "grade_label": cited.grade_label,
                "cited_year": cited.year,
                "cited_month": cited.month,
                "source_start": cited.start,
                "source_end": cited.end,
            }
            for cited in _unique(extracted.cited_judgements, lambda c: (c.area, c.year, c.month))
        ],
    )
    finding_ids = _sync(
        session,
        Finding,
        document_id,
        ("sequence",),
        [
            {
                **common,
                # The inspection's, repeated for the findings lists' indexes (migration 0005).
                "authority_id": inspection.authority_id,
                "start_date": inspection.start_date,
                "sequence": finding.sequence,
                "kind": finding.kind.value,
                "section": finding.section,
                "judgement_area": finding.judgement_area.value if finding.judgement_area else None,
                "timeframe": finding.timeframe.value if finding.timeframe else None,
                "paragraph": finding.paragraph,
                "polarity": finding.polarity.value,
                "polarity_score": finding.polarity_score,
                "model_version": extracted.model_version,
                "text": finding.text,
                "source_start": finding.start,
                "source_end": finding.end,
            }
            for finding in extracted.findings
        ],
    )
    if finding_ids:
        session.execute(delete(FindingTheme).where(col(FindingTheme.finding_id).in_(finding_ids)))
    theme_rows = [
        {
            "finding_id": finding_id,
            "theme": match.theme.value,
            "matched": list(match.matched),
            "score": match.score,
            "rank": rank,
        }
        for finding_id, finding in zip(finding_ids, extracted.findings, strict=True)
        for rank, match in enumerate(finding.themes, start=1)
    ]
    if theme_rows:
        session.execute(insert(SQLModel.metadata.tables[FindingTheme.__tablename__]), theme_rows)


T = TypeVar("T")


def _unique(items: Iterable[T], key: Any) -> list[T]:
    seen: set[Any] = set()
    unique: list[T] = []
    for item in items:
        if key(item) not in seen:
            seen.add(key(item))
            unique.append(item)
    return unique


__all__ = ["sync_records"]
