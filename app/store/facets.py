"""Facet counts for `GET /findings/facets`: findings per value of each facet, under filters.

Three statements answer every facet, whatever how many are asked for:

1. the matching findings grouped by inspection (with the inspection's authority and start
   date, and the findings' kind, polarity and timeframe): the total, and the counts by year,
   kind, authority, region, polarity and timeframe, are sums over these groups (an
   authority's slug, name and region come from the register in memory);
2. the canonical graded judgements of those inspections: a finding counts once under each
   grade (and area) its inspection has, so a value's count is the sum of the findings of the
   inspections that have it (what `count(distinct finding)` over the join would give);
3. the matching findings' themes, grouped by theme (only those scored at least
   `theme_score_min` when it is given).

`type` reads the inspections' types by id. The statements scale with the matching findings
(one index range when filtered by authority) rather than with the number of facets.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from enum import StrEnum
from typing import Any

from sqlalchemy import Connection, bindparam, func, select

from app.params import FindingQuery
from app.store.authorities import AuthorityIndex
from app.store.filters import finding_conditions, theme_row_conditions
from app.store.tables import finding_themes, findings, inspections, judgements
from app.vocabulary import (
    FINDING_KIND_LABELS,
    GRADE_LABELS,
    INSPECTION_TYPE_LABELS,
    JUDGEMENT_AREA_LABELS,
    THEME_LABELS,
)


class Facet(StrEnum):
    THEME = "theme"
    YEAR = "year"
    KIND = "kind"
    GRADE = "grade"
    AREA = "area"
    AUTHORITY = "authority"
    REGION = "region"
    TYPE = "type"
    POLARITY = "polarity"
    TIMEFRAME = "timeframe"
    JUDGEMENT_AREA = "judgement_area"


DEFAULT_FACETS = [
    Facet.THEME,
    Facet.YEAR,
    Facet.KIND,
    Facet.GRADE,
    Facet.AREA,
    Facet.AUTHORITY,
    Facet.REGION,
]
ID_BATCH = 1000
"""Inspection ids per `IN (...)` list, well within both databases' limits on parameters."""

_GROUPS = (
    findings.c.inspection_id,
    findings.c.authority_id,
    findings.c.start_date,
    findings.c.kind,
    findings.c.polarity,
    findings.c.timeframe,
    findings.c.judgement_area,
)
_JUDGEMENTS = select(judgements.c.inspection_id, judgements.c.grade, judgements.c.area).where(
    judgements.c.canonical,
    judgements.c.grade.is_not(None),
    judgements.c.inspection_id.in_(bindparam("ids", expanding=True)),
)
_TYPES = select(inspections.c.id, inspections.c.type).where(
    inspections.c.id.in_(bindparam("ids", expanding=True))
)
_LABELS: dict[Facet, dict[Any, str]] = {
    Facet.THEME: dict(THEME_LABELS),
    Facet.KIND: dict(FINDING_KIND_LABELS),
    Facet.GRADE: dict(GRADE_LABELS),
    Facet.AREA: dict(JUDGEMENT_AREA_LABELS),
    Facet.JUDGEMENT_AREA: dict(JUDGEMENT_AREA_LABELS),
    Facet.TYPE: dict(INSPECTION_TYPE_LABELS),
}


def _batches(ids: Sequence[int]) -> Iterator[list[int]]:
    for start in range(0, len(ids), ID_BATCH):
        yield list(ids[start : start + ID_BATCH])


def _rows(connection: Connection, statement: Any, ids: Sequence[int]) -> Iterable[Any]:
    for batch in _batches(ids):
        yield from connection.execute(statement, {"ids": batch}).all()


def count_facets(
    connection: Connection,
    index: AuthorityIndex,
    filters: FindingQuery,
    facets: Sequence[Facet],
) -> tuple[int, dict[Facet, list[tuple[Any, str, int]]]]:
    """The total of matching findings, and (value, label, count) per facet, most first."""
    conditions = finding_conditions(filters, connection, index)
    source: Any = findings
    if filters.type:
        source = source.join(inspections, inspections.c.id == findings.c.inspection_id)
    groups = connection.execute(
        select(*_GROUPS, func.count()).select_from(source).where(*conditions).group_by(*_GROUPS)
    ).all()
    per_inspection: Counter[int] = Counter()
    counts: dict[Facet, Counter[Any]] = defaultdict(Counter)
    for row in groups:
        inspection_id, authority_id, start_date, kind, polarity, timeframe, own_area, count = row
        per_inspection[inspection_id] += count
        assert isinstance(start_date, date)
        counts[Facet.YEAR][start_date.year] += count
        counts[Facet.KIND][kind] += count
        counts[Facet.AUTHORITY][authority_id] += count
        counts[Facet.POLARITY][polarity] += count
        if timeframe is not None:
            counts[Facet.TIMEFRAME][timeframe] += count
        if own_area is not None:
            counts[Facet.JUDGEMENT_AREA][own_area] += count
    for authority_id, count in list(counts[Facet.AUTHORITY].items()):
        counts[Facet.REGION][index.by_id(connection, authority_id).region] += count
    ids = sorted(per_inspection)
    if Facet.GRADE in facets or Facet.AREA in facets:
        _count_judgements(connection, filters, ids, per_inspection, counts)
    if Facet.TYPE in facets:
        for inspection_id, kind in _rows(connection, _TYPES, ids):
            counts[Facet.TYPE][kind] += per_inspection[inspection_id]
    if Facet.THEME in facets:
        themed = source.join(finding_themes, finding_themes.c.finding_id == findings.c.id)
        scored = theme_row_conditions(filters, by_theme=False)
        counts[Facet.THEME].update(
            dict(
                connection.execute(
                    select(finding_themes.c.theme, func.count())
                    .select_from(themed)
                    .where(*conditions, *scored)
                    .group_by(finding_themes.c.theme)
                ).all()
            )
        )
    result: dict[Facet, list[tuple[Any, str, int]]] = {}
    for facet in facets:
        if facet is Facet.AUTHORITY:
            entries = [
                (row.slug, row.name, count)
                for row, count in (
                    (index.by_id(connection, authority_id), count)
                    for authority_id, count in counts[facet].items()
                )
            ]
        else:
            labels = _LABELS.get(facet, {})
            entries = [
                (value, labels.get(value, str(value)), count)
                for value, count in counts[facet].items()
            ]
        result[facet] = sorted(entries, key=lambda entry: (-entry[2], str(entry[0])))
    return sum(per_inspection.values()), result


def _count_judgements(
    connection: Connection,
    filters: FindingQuery,
    ids: Sequence[int],
    per_inspection: Counter[int],
    counts: dict[Facet, Counter[Any]],
) -> None:
    """Grade and area counts: the findings of each inspection, once under each grade (area)
    its canonical judgements give; the other of grade/area, when filtered, narrows which
    judgements count, as the filters of those names do."""
    areas = {area.value for area in filters.area or ()}
    grades = {grade.value for grade in filters.grade or ()}
    grades_of: dict[int, set[str]] = defaultdict(set)
    areas_of: dict[int, set[str]] = defaultdict(set)
    for inspection_id, grade, area in _rows(connection, _JUDGEMENTS, ids):
        if not areas or area in areas:
            grades_of[inspection_id].add(grade)
        if not grades or grade in grades:
            areas_of[inspection_id].add(area)
    for facet, values_of in ((Facet.GRADE, grades_of), (Facet.AREA, areas_of)):
        for inspection_id, values in values_of.items():
            for value in values:
                counts[facet][value] += per_inspection[inspection_id]


__all__ = ["DEFAULT_FACETS", "Facet", "count_facets"]
