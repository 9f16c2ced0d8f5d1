"""Statistics: findings per theme and year, and judgements per area and grade, under the
filters of a query model, split by what the caller asks for (`by`)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection
from typing import Any

from sqlalchemy import ColumnElement, Connection, func, select

from app.params import FindingQuery, Judged, Scope
from app.store.authorities import AuthorityIndex
from app.store.filters import (
    finding_conditions,
    inspection_conditions,
    inspection_ids,
    theme_row_conditions,
    values_of,
)
from app.store.judgements import latest_judgements
from app.store.tables import authorities, finding_themes, findings, inspections, judgements
from app.vocabulary import GRADE_SCORES, Grade


def theme_counts(
    connection: Connection, index: AuthorityIndex, query: FindingQuery, splits: Collection[str]
) -> list[dict[str, Any]]:
    """Findings per year and theme (and authority, region, polarity in `splits`), in that
    order; `theme` keeps only those themes' rows."""
    columns: list[ColumnElement[Any]] = [inspections.c.year, finding_themes.c.theme]
    if "authority" in splits:
        columns.append(authorities.c.slug.label("authority"))
    if "region" in splits:
        columns.append(authorities.c.region)
    if "polarity" in splits:
        columns.append(findings.c.polarity)
    source = (
        findings.join(inspections, inspections.c.id == findings.c.inspection_id)
        .join(authorities, authorities.c.id == inspections.c.authority_id)
        .join(finding_themes, finding_themes.c.finding_id == findings.c.id)
    )
    conditions = finding_conditions(query, connection, index, themes=False)
    conditions.extend(theme_row_conditions(query))
    rows = connection.execute(
        select(*columns, func.count().label("findings"))
        .select_from(source)
        .where(*conditions)
        .group_by(*columns)
        .order_by(*columns)
    ).all()
    return [dict(row._mapping) for row in rows]


def grade_counts(
    connection: Connection,
    index: AuthorityIndex,
    scope: Scope,
    judged: Judged,
    *,
    latest: bool,
    splits: Collection[str],
) -> list[dict[str, Any]]:
    """Judgements per area and grade (and year, region, type in `splits`). `latest`: each
    authority's latest known grade in each area among the judgements `scope` allows; else
    every inspection's."""
    areas, grades = set(values_of(judged.area)), set(values_of(judged.grade))
    counts: Counter[tuple[Any, ...]] = Counter()
    if latest:
        found = latest_judgements(connection, index, scope)
        for (authority_id, judgement_area), judgement in found.items():
            if (areas and judgement_area not in areas) or (
                grades and judgement.grade not in grades
            ):
                continue
            region = index.by_id(connection, authority_id).region
            counts[(judgement_area, judgement.grade, judgement.year, region, judgement.type)] += 1
        return _grade_rows(counts, splits)
    conditions = [
        judgements.c.canonical,
        judgements.c.grade.is_not(None),
        *inspection_conditions(scope, connection, index),
        *inspection_ids(scope, judgements.c.inspection_id),
    ]
    if areas:
        conditions.append(judgements.c.area.in_(areas))
    if grades:
        conditions.append(judgements.c.grade.in_(grades))
    keys = (
        judgements.c.area,
        judgements.c.grade,
        inspections.c.year,
        authorities.c.region,
        inspections.c.type,
    )
    statement = (
        select(*keys, func.count())
        .select_from(
            judgements.join(inspections, inspections.c.id == judgements.c.inspection_id).join(
                authorities, authorities.c.id == inspections.c.authority_id
            )
        )
        .where(*conditions)
        .group_by(*keys)
    )
    for *key, count in connection.execute(statement):
        counts[tuple(key)] += count
    return _grade_rows(counts, splits)


def _grade_rows(counts: Counter[tuple[Any, ...]], splits: Collection[str]) -> list[dict[str, Any]]:
    """Counts keyed (area, grade, year, region, type), summed over what is not split by,
    as rows in order of area, split values and score."""
    summed: Counter[tuple[Any, ...]] = Counter()
    for (area, grade, year, region, type_), count in counts.items():
        summed[
            (
                area,
                year if "year" in splits else None,
                region if "region" in splits else None,
                type_ if "type" in splits else None,
                GRADE_SCORES[Grade(grade)],
                grade,
            )
        ] += count
    rows = []
    for (area, year, region, type_, score, grade), count in sorted(
        summed.items(), key=lambda item: tuple("" if v is None else str(v) for v in item[0])
    ):
        row: dict[str, Any] = {"area": area, "grade": grade, "score": score}
        for name, value in (("year", year), ("region", region), ("type", type_)):
            if name in splits:
                row[name] = value
        row["judgements"] = count
        rows.append(row)
    return rows


__all__ = ["grade_counts", "theme_counts"]
