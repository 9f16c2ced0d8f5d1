"""Judgements: the statement of a judgements query, and a judgement as the API's item."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Connection, Select, func, select

from app.listing.keyset import Keyset
from app.params import JudgementQuery, Scope
from app.store.authorities import AuthorityIndex
from app.store.filters import (
    authority_ids,
    in_range,
    inspection_conditions,
    inspection_ids,
    period_conditions,
    published_condition,
    values_of,
    year_conditions,
)
from app.store.tables import authorities, cited_judgements, documents, inspections, judgements
from app.vocabulary import GRADE_SCORES, Grade

_COLUMNS = (
    judgements.c.id,
    judgements.c.inspection_id,
    authorities.c.slug,
    authorities.c.name,
    inspections.c.year,
    inspections.c.type,
    inspections.c.start_date,
    inspections.c.authority_id,
    judgements.c.area,
    judgements.c.area_label,
    judgements.c.grade,
    judgements.c.grade_label,
    judgements.c.document_id,
    judgements.c.source_start,
    judgements.c.source_end,
)
_FROM = judgements.join(inspections, inspections.c.id == judgements.c.inspection_id).join(
    authorities, authorities.c.id == inspections.c.authority_id
)
_ORDER = (inspections.c.start_date, judgements.c.id)


_KEYSET = Keyset("date", _ORDER, (date, int))


def judgement_row_json(row: Any) -> dict[str, Any]:
    return {
        "id": row.id,
        "inspection_id": row.inspection_id,
        "authority": {"slug": row.slug, "name": row.name},
        "year": row.year,
        "inspection_type": row.type,
        "start_date": row.start_date,
        "area": row.area,
        "area_label": row.area_label,
        "grade": row.grade,
        "grade_label": row.grade_label,
        "score": GRADE_SCORES.get(row.grade) if row.grade else None,
        "source": {
            "document_id": row.document_id,
            "start": row.source_start,
            "end": row.source_end,
        },
    }


def _latest(conditions: list[Any]) -> Any:
    """The ids of the judgements, among those the `conditions` allow, that are their
    authority's latest in their area (the inspection that began last; the later id on a
    tie)."""
    rank = (
        func.row_number()
        .over(
            partition_by=(inspections.c.authority_id, judgements.c.area),
            order_by=(inspections.c.start_date.desc(), inspections.c.id.desc()),
        )
        .label("rank")
    )
    ranked = (
        select(judgements.c.id, rank)
        .select_from(judgements.join(inspections, inspections.c.id == judgements.c.inspection_id))
        .where(*conditions)
        .subquery()
    )
    return select(ranked.c.id).where(ranked.c.rank == 1)


def judgements_json(_connection: Connection, rows: Sequence[Any]) -> Iterator[dict[str, Any]]:
    return map(judgement_row_json, rows)


def judgements_statement(
    connection: Connection, index: AuthorityIndex, query: JudgementQuery
) -> tuple[Select[Any], Keyset]:
    """The judgements that stand (canonical) under the query, and the order to page them in."""
    conditions = [
        judgements.c.canonical,
        *inspection_conditions(query, connection, index),
        *inspection_ids(query, judgements.c.inspection_id),
    ]
    if query.area:
        conditions.append(judgements.c.area.in_(values_of(query.area)))
    if query.latest:
        conditions.append(judgements.c.id.in_(_latest(conditions)))
    if query.grade:
        conditions.append(judgements.c.grade.in_(values_of(query.grade)))
    return select(*_COLUMNS).select_from(_FROM).where(*conditions), _KEYSET


@dataclass(frozen=True, slots=True)
class LatestJudgement:
    authority_id: int
    area: str
    area_label: str | None
    grade: str
    grade_label: str | None
    year: int
    month: int | None
    inspection_id: int
    """The inspection that gave the judgement, or, for a cited one, the one that cites it."""
    type: str | None
    """The type of the inspection that gave it; None when it is known only from a citation."""
    cited: bool

    def json(self) -> dict[str, Any]:
        return {
            "area": self.area,
            "area_label": self.area_label,
            "grade": self.grade,
            "grade_label": self.grade_label,
            "score": GRADE_SCORES[Grade(self.grade)],
            "year": self.year,
            "month": self.month,
            "inspection_id": self.inspection_id,
            "cited": self.cited,
        }


def cited_month_conditions(query: Scope) -> list[Any]:
    """`inspected_from` and `inspected_to` on a cited judgement, to its month (all a
    citation gives; a citation without a month counts from the year's first)."""
    month = cited_judgements.c.cited_year * 100 + func.coalesce(cited_judgements.c.cited_month, 1)
    low, high = query.inspected_from, query.inspected_to
    return in_range(
        month,
        None if low is None else low.year * 100 + low.month,
        None if high is None else high.year * 100 + high.month,
    )


def latest_judgements(
    connection: Connection, index: AuthorityIndex, query: Scope
) -> dict[tuple[int, str], LatestJudgement]:
    """Each authority's latest known grade in each judgement area: from its inspections'
    own judgements, or from an earlier judgement that a later report cites when that is more
    recent (many inspections are known only that way). Only judgements the query allows
    count: its authorities and regions; its years (a cited judgement's own year), so
    `year_to` gives the latest grades as at the end of that year; its publication dates and
    inspections (of the inspection that gives or cites the judgement); its types (a cited
    judgement's type is not known, so with `type` only inspections' own count). Two
    statements, whatever the number of authorities."""
    own = (
        select(
            inspections.c.authority_id,
            judgements.c.area,
            judgements.c.area_label,
            judgements.c.grade,
            judgements.c.grade_label,
            inspections.c.start_date,
            inspections.c.id,
            inspections.c.type,
        )
        .select_from(judgements.join(inspections, inspections.c.id == judgements.c.inspection_id))
        .where(judgements.c.canonical, judgements.c.grade.is_not(None))
    )
    cited = (
        select(
            inspections.c.authority_id,
            cited_judgements.c.area,
            cited_judgements.c.grade,
            cited_judgements.c.grade_label,
            cited_judgements.c.cited_year,
            cited_judgements.c.cited_month,
            inspections.c.id,
        )
        .select_from(
            cited_judgements.join(inspections, inspections.c.id == cited_judgements.c.inspection_id)
        )
        .where(cited_judgements.c.grade.is_not(None))
    )
    shared = inspection_ids(query, inspections.c.id)
    ids = authority_ids(query, connection, index)
    if ids is not None:
        shared.append(inspections.c.authority_id.in_(ids))
    published = published_condition(query, inspections.c.id, documents.c.inspection_id)
    if published is not None:
        shared.append(published)
    own = own.where(*shared, *period_conditions(query))
    cited = cited.where(
        *shared,
        *year_conditions(query, cited_judgements.c.cited_year),
        *cited_month_conditions(query),
    )
    found: dict[tuple[int, str], tuple[tuple[int, int, int, int], LatestJudgement]] = {}

    def offer(rank: tuple[int, int, int, int], judgement: LatestJudgement) -> None:
        key = (judgement.authority_id, judgement.area)
        if key not in found or rank > found[key][0]:
            found[key] = (rank, judgement)

    for row in connection.execute(own):
        offer(
            (row.start_date.year, row.start_date.month, 1, row.id),
            LatestJudgement(
                row.authority_id, row.area, row.area_label, row.grade, row.grade_label,
                row.start_date.year, row.start_date.month, row.id, row.type, cited=False,
            ),
        )  # fmt: skip
    if not query.type:  # a cited judgement's inspection type is not known
        for ref in connection.execute(cited):
            offer(
                (ref.cited_year, ref.cited_month or 0, 0, ref.id),
                LatestJudgement(
                    ref.authority_id, ref.area, None, ref.grade, ref.grade_label,
                    ref.cited_year, ref.cited_month, ref.id, None, cited=True,
                ),
            )  # fmt: skip
    return {key: judgement for key, (_rank, judgement) in sorted(found.items())}


__all__ = [
    "LatestJudgement",
    "judgement_row_json",
    "judgements_json",
    "judgements_statement",
    "latest_judgements",
]
