"""The SQL conditions of the query models (`app.params`): each filter's condition, once.

A repeated parameter is OR within its filter (`IN`); different filters combine with AND.
Conditions are built once per distinct value list and shared: SQLAlchemy takes longer to
build a condition than SQLite takes to check one, and a built condition is immutable. The
caches are keyed by column names and value tuples, never by column objects (whose `==`
builds an expression).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from functools import lru_cache
from typing import Any

from sqlalchemy import ColumnElement, Connection, exists, literal_column, or_, select, true

from app.params import FindingQuery, InspectionQuery, Inspections, Published, Scope
from app.store.authorities import AuthorityIndex
from app.store.search import match_condition
from app.store.tables import (
    documents,
    finding_themes,
    findings,
    inspections,
    judgements,
    metadata,
)
from app.vocabulary import Grade, JudgementArea, Theme

_CONDITIONS = 4096
_ONE: ColumnElement[int] = literal_column("1")
"""`EXISTS (SELECT 1 ...)`: an index that holds the condition's columns answers it alone."""


def _column(key: str) -> Any:
    table, column = key.split(".")
    return metadata.tables[table].c[column]


def _key(column: Any) -> str:
    return f"{column.table.name}.{column.name}"


@lru_cache(maxsize=_CONDITIONS)
def _in(column: str, values: tuple[Any, ...]) -> ColumnElement[bool]:
    return _column(column).in_(values)  # type: ignore[no-any-return]


def in_values(column: Any, values: Sequence[Any]) -> ColumnElement[bool]:
    """`column IN (values)`, shared between requests that ask for the same values."""
    return _in(_key(column), tuple(getattr(value, "value", value) for value in values))


@lru_cache(maxsize=_CONDITIONS)
def _grade_condition(
    inspection_id: str, grades: tuple[str, ...], areas: tuple[str, ...]
) -> ColumnElement[bool]:
    condition = (
        (judgements.c.inspection_id == _column(inspection_id))
        & judgements.c.canonical
        & judgements.c.grade.in_(grades)
    )
    if areas:
        condition &= judgements.c.area.in_(areas)
    # correlate_except: stays correct inside a statement that itself joins judgements
    # (the grade and area facets), where auto-correlation would leave it no FROM.
    return select(_ONE).where(condition).correlate_except(judgements).exists()


def grade_condition(
    inspection_id: Any, grades: Sequence[Grade], areas: Sequence[JudgementArea] | None = None
) -> ColumnElement[bool]:
    """The inspection has a (canonical) judgement of one of `grades`, in one of `areas`."""
    return _grade_condition(
        _key(inspection_id),
        tuple(grade.value for grade in grades),
        tuple(area.value for area in areas or ()),
    )


def _theme_rows(themes: tuple[str, ...], min_score: float | None) -> ColumnElement[bool]:
    condition: ColumnElement[bool] = true()
    if themes:
        condition = finding_themes.c.theme.in_(themes)
    if min_score is not None:
        condition = condition & (finding_themes.c.score >= min_score)
    return condition


@lru_cache(maxsize=_CONDITIONS)
def _theme_condition(
    finding_id: str, themes: tuple[str, ...], min_score: float | None
) -> ColumnElement[bool]:
    return (
        select(_ONE)
        .where(
            (finding_themes.c.finding_id == _column(finding_id)) & _theme_rows(themes, min_score)
        )
        .correlate_except(finding_themes)
        .exists()
    )


def theme_condition(
    finding_id: Any, themes: Sequence[Theme] | None, min_score: float | None = None
) -> ColumnElement[bool]:
    """The finding has one of `themes` (any theme when there are none) scored at least
    `min_score` (any score when None)."""
    return _theme_condition(
        _key(finding_id), tuple(theme.value for theme in themes or ()), min_score
    )


def theme_row_conditions(
    query: FindingQuery, *, by_theme: bool = True
) -> list[ColumnElement[bool]]:
    """`theme` and `theme_score_min` on the rows of `finding_themes` joined to a statement
    (which theme rows count: the theme statistics). `by_theme=False`: the score alone (the
    theme facet, which counts a matching finding's other themes too)."""
    themes = tuple(values_of(query.theme)) if by_theme else ()
    if not themes and query.theme_score_min is None:
        return []
    return [_theme_rows(themes, query.theme_score_min)]


@lru_cache(maxsize=_CONDITIONS)
def _years(years: tuple[int, ...]) -> ColumnElement[bool]:
    return or_(
        *(findings.c.start_date.between(date(year, 1, 1), date(year, 12, 31)) for year in years)
    )


def values_of(items: Sequence[Any] | None) -> list[str]:
    return [item.value if hasattr(item, "value") else str(item) for item in items or []]


def all_of(conditions: Sequence[ColumnElement[bool]]) -> ColumnElement[bool]:
    result: ColumnElement[bool] = true()
    for condition in conditions:
        result = result & condition
    return result


# --- inspections --------------------------------------------------------------------------


def authority_ids(query: Scope, connection: Connection, index: AuthorityIndex) -> list[int] | None:
    """The authorities `authority` and `region` allow, or None for any."""
    ids: set[int] | None = None
    if query.authority:
        ids = set(index.resolve(connection, query.authority))
    if query.region:
        in_region = set(index.resolve_regions(connection, query.region))
        ids = in_region if ids is None else ids & in_region
    return None if ids is None else sorted(ids)


def published_range(query: Scope) -> tuple[date | None, date | None]:
    """`published_from` and `published_to`, for a query that has them."""
    if isinstance(query, Published):
        return query.published_from, query.published_to
    return None, None


def published_condition(query: Scope, key: Any, document_key: Any) -> ColumnElement[bool] | None:
    """`key` is among the `document_key`s of documents published in the date range."""
    published_from, published_to = published_range(query)
    if published_from is None and published_to is None:
        return None
    wanted = select(document_key)
    if published_from is not None:
        wanted = wanted.where(documents.c.published_date >= published_from)
    if published_to is not None:
        wanted = wanted.where(documents.c.published_date <= published_to)
    return key.in_(wanted)  # type: ignore[no-any-return]


def in_range(column: Any, low: Any, high: Any) -> list[ColumnElement[bool]]:
    """`column` at least `low` and at most `high`, either bound left out when None."""
    conditions: list[ColumnElement[bool]] = []
    if low is not None:
        conditions.append(column >= low)
    if high is not None:
        conditions.append(column <= high)
    return conditions


def year_conditions(query: Scope, year: Any) -> list[ColumnElement[bool]]:
    """`year`, `year_from` and `year_to` on the column `year` (an inspection's year, or the
    year a cited judgement was given)."""
    conditions = [year.in_(query.year)] if query.year else []
    return conditions + in_range(year, query.year_from, query.year_to)


def start_conditions(query: Scope, start_date: Any) -> list[ColumnElement[bool]]:
    """`inspected_from` and `inspected_to` on the column `start_date` (an inspection's first
    day, or a finding's copy of it)."""
    return in_range(start_date, query.inspected_from, query.inspected_to)


def inspection_ids(query: Scope, inspection_id: Any) -> list[ColumnElement[bool]]:
    """`inspection`, for a query that has it, on the column `inspection_id`."""
    if isinstance(query, Inspections) and query.inspection:
        return [in_values(inspection_id, query.inspection)]
    return []


def period_conditions(query: Scope) -> list[ColumnElement[bool]]:
    """The years and types, on a statement of `inspections`."""
    conditions = year_conditions(query, inspections.c.year)
    conditions.extend(start_conditions(query, inspections.c.start_date))
    if query.type:
        conditions.append(inspections.c.type.in_(values_of(query.type)))
    return conditions


def judgement_condition(query: Scope, inspection_id: Any) -> ColumnElement[bool] | None:
    """An `InspectionQuery`'s `grade` and `area` on the inspection whose id is
    `inspection_id`, or None."""
    if not isinstance(query, InspectionQuery):
        return None
    if query.grade:
        return grade_condition(inspection_id, query.grade, query.area)
    if query.area:
        return (
            exists()
            .where(
                (judgements.c.inspection_id == inspection_id)
                & judgements.c.canonical
                & judgements.c.area.in_(values_of(query.area))
            )
            .correlate_except(judgements)
        )
    return None


def inspection_conditions(
    query: Scope, connection: Connection, index: AuthorityIndex, *, by_document: bool = True
) -> list[ColumnElement[bool]]:
    """Conditions on a statement that joins `inspections`. `by_document`: apply the
    publication dates to the inspection's documents (else the caller applies them)."""
    conditions: list[ColumnElement[bool]] = []
    ids = authority_ids(query, connection, index)
    if ids is not None:
        conditions.append(inspections.c.authority_id.in_(ids))
    conditions.extend(period_conditions(query))
    judged = judgement_condition(query, inspections.c.id)
    if judged is not None:
        conditions.append(judged)
    if by_document:
        # An inspection matches when one of its documents was published in range.
        published = published_condition(query, inspections.c.id, documents.c.inspection_id)
        if published is not None:
            conditions.append(published)
    return conditions


# --- findings -----------------------------------------------------------------------------


def _scope_on_findings(
    query: Scope, connection: Connection, index: AuthorityIndex
) -> list[ColumnElement[bool]]:
    """The scope on a statement of findings (joined to their inspections for `type`): the
    authority and the years on the findings' own copies of the inspection's authority and
    start date, so that the findings lists read one range of an index in date order
    (migration 0005); a year is the range of its days."""
    conditions: list[ColumnElement[bool]] = []
    ids = authority_ids(query, connection, index)
    if ids is not None:
        conditions.append(in_values(findings.c.authority_id, ids))
    if query.year:
        conditions.append(_years(tuple(sorted(set(query.year)))))
    if query.year_from is not None:
        conditions.append(findings.c.start_date >= date(query.year_from, 1, 1))
    if query.year_to is not None:
        conditions.append(findings.c.start_date <= date(query.year_to, 12, 31))
    conditions.extend(start_conditions(query, findings.c.start_date))
    if query.type:
        conditions.append(in_values(inspections.c.type, query.type))
    return conditions


def finding_conditions(
    query: FindingQuery,
    connection: Connection,
    index: AuthorityIndex,
    *,
    search: bool = True,
    themes: bool = True,
) -> list[ColumnElement[bool]]:
    """Conditions on a statement that joins findings and inspections. `search`: include
    the `q` match (a caller ordering by relevance joins the scored matches instead).
    `themes`: include the theme filter (a caller that joins finding_themes applies it to
    the joined rows instead)."""
    conditions = _scope_on_findings(query, connection, index)
    published = published_condition(query, findings.c.document_id, documents.c.id)
    if published is not None:
        conditions.append(published)
    conditions.extend(inspection_ids(query, findings.c.inspection_id))
    if query.kind:
        conditions.append(in_values(findings.c.kind, query.kind))
    if query.polarity:
        conditions.append(in_values(findings.c.polarity, query.polarity))
    if query.timeframe:
        conditions.append(in_values(findings.c.timeframe, query.timeframe))
    if query.judgement_area:
        conditions.append(in_values(findings.c.judgement_area, query.judgement_area))
    if themes and (query.theme or query.theme_score_min is not None):
        conditions.append(theme_condition(findings.c.id, query.theme, query.theme_score_min))
    if search and query.search is not None:
        conditions.append(match_condition(connection.dialect.name, findings.c.id, query.search))
    # Last: SQLite checks conditions in this order, and the ones above need only the
    # index entry (the theme's is a lookup in finding_themes' key by finding id), while
    # this one reads the finding's row for its inspection id.
    judged = judgement_condition(query, findings.c.inspection_id)
    if judged is not None:
        conditions.append(judged)
    return conditions


__all__ = [
    "all_of",
    "authority_ids",
    "finding_conditions",
    "grade_condition",
    "in_range",
    "in_values",
    "inspection_conditions",
    "inspection_ids",
    "judgement_condition",
    "period_conditions",
    "published_condition",
    "published_range",
    "start_conditions",
    "theme_condition",
    "theme_row_conditions",
    "values_of",
    "year_conditions",
]
