"""The SQL conditions of the query models (`app.params`): each filter's condition, once.

A repeated parameter is OR within its filter (`IN`); different filters combine with AND.
Conditions are built once per distinct value list and shared: SQLAlchemy takes longer to
build a condition than SQLite takes to check one, and a built condition is immutable. The
caches are keyed by column names and value tuples, never by column objects (whose `==`
builds an expression).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from functools import lru_cache
from typing import Any

from sqlalchemy import ColumnElement, Connection, false, literal_column, or_, select, true

from app.params import FindingQuery, InspectionQuery, Inspections, Published, Scope
from app.store.authorities import AuthorityIndex
from app.store.prepared import Bound, Filter
from app.store.search import match_on, match_text
from app.store.tables import (
    documents,
    finding_themes,
    findings,
    inspections,
    judgements,
    metadata,
)
from app.vocabulary import Grade, JudgementArea

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


def judged_on(
    inspection_id: Any, grades: Sequence[Any], areas: Sequence[Any]
) -> ColumnElement[bool]:
    """The inspection whose id is `inspection_id` has a (canonical) judgement of one of
    `grades` (any grade when none), in one of `areas` (any area when none)."""
    condition = (judgements.c.inspection_id == inspection_id) & judgements.c.canonical
    if grades:
        condition &= judgements.c.grade.in_(grades)
    if areas:
        condition &= judgements.c.area.in_(areas)
    # correlate_except: stays correct inside a statement that itself joins judgements
    # (the grade and area facets), where auto-correlation would leave it no FROM.
    return select(_ONE).where(condition).correlate_except(judgements).exists()


@lru_cache(maxsize=_CONDITIONS)
def _grade_condition(
    inspection_id: str, grades: tuple[str, ...], areas: tuple[str, ...]
) -> ColumnElement[bool]:
    return judged_on(_column(inspection_id), grades, areas)


def grade_condition(
    inspection_id: Any, grades: Sequence[Grade], areas: Sequence[JudgementArea] | None = None
) -> ColumnElement[bool]:
    """The inspection has a (canonical) judgement of one of `grades`, in one of `areas`."""
    return _grade_condition(
        _key(inspection_id),
        tuple(grade.value for grade in grades),
        tuple(area.value for area in areas or ()),
    )


def _theme_rows(themes: Sequence[Any], min_score: Any | None) -> ColumnElement[bool]:
    condition: ColumnElement[bool] = true()
    if themes:
        condition = finding_themes.c.theme.in_(themes)
    if min_score is not None:
        condition = condition & (finding_themes.c.score >= min_score)
    return condition


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
    return published_in(key, document_key, published_from, published_to)


def published_in(key: Any, document_key: Any, low: Any, high: Any) -> ColumnElement[bool]:
    """`key` is among the `document_key`s of documents published from `low` to `high`
    (either left out when None)."""
    wanted = select(document_key).where(*in_range(documents.c.published_date, low, high))
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
        return judged_on(inspection_id, (), values_of(query.area))
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


def _one_of(column: Any) -> Callable[[list[Any]], ColumnElement[bool]]:
    def condition(values: list[Any]) -> ColumnElement[bool]:
        return column.in_(values) if values else false()

    return condition


def _years_of(bounds: list[Any]) -> ColumnElement[bool]:
    """Years as ranges of days: the first and last day of each, in pairs."""
    pairs = zip(bounds[::2], bounds[1::2], strict=True)
    return or_(*(findings.c.start_date.between(first, last) for first, last in pairs))


def _published(after: list[Any], before: list[Any]) -> ColumnElement[bool]:
    return published_in(
        findings.c.document_id, documents.c.id, after[0] if after else None,
        before[0] if before else None,
    )  # fmt: skip


def _themed(themes: list[Any], min_score: list[Any]) -> ColumnElement[bool]:
    rows = _theme_rows(themes, min_score[0] if min_score else None)
    condition = (finding_themes.c.finding_id == findings.c.id) & rows
    return select(_ONE).where(condition).correlate_except(finding_themes).exists()


def _judged(grades: list[Any], areas: list[Any]) -> ColumnElement[bool]:
    return judged_on(findings.c.inspection_id, grades, areas)


_CONDITIONS_OF: dict[str, Callable[..., ColumnElement[bool]]] = {
    "authority": _one_of(findings.c.authority_id),
    "year": _years_of,
    "year_from": lambda value: findings.c.start_date >= value[0],
    "year_to": lambda value: findings.c.start_date <= value[0],
    "inspected_from": lambda value: findings.c.start_date >= value[0],
    "inspected_to": lambda value: findings.c.start_date <= value[0],
    "type": _one_of(inspections.c.type),
    "published": _published,
    "inspection": _one_of(findings.c.inspection_id),
    "kind": _one_of(findings.c.kind),
    "polarity": _one_of(findings.c.polarity),
    "timeframe": _one_of(findings.c.timeframe),
    "judgement_area": _one_of(findings.c.judgement_area),
    "theme": _themed,
    "judged": _judged,
}
_F = {name: Filter(name, condition) for name, condition in _CONDITIONS_OF.items()}
"""The findings lists' filters, each with its condition on a statement of findings (joined
to their inspections for `type`): the authority and the dates on the findings' own copies
of the inspection's authority and start date, so that a list reads one range of an index in
date order (migration 0005); a year is the range of its days."""
_MATCH = {
    dialect: Filter("q", lambda value, dialect=dialect: match_on(dialect, findings.c.id, value[0]))
    for dialect in ("sqlite", "postgresql")
}


def _optional(value: Any) -> tuple[Any, ...]:
    return () if value is None else (value,)


def finding_filters(
    query: FindingQuery,
    connection: Connection,
    index: AuthorityIndex,
    *,
    search: bool = True,
    themes: bool = True,
) -> Bound:
    """The filters of a findings query with their values (`app.store.prepared`). `search`:
    include the `q` match (a caller ordering by relevance joins the scored matches instead).
    `themes`: include the theme filter (a caller that joins finding_themes applies it to
    the joined rows instead)."""
    bound = Bound()
    ids = authority_ids(query, connection, index)
    if ids is not None:
        bound.add(_F["authority"], tuple(ids))
    if query.year:
        years = sorted(set(query.year))
        bound.add(_F["year"], tuple(d for y in years for d in (date(y, 1, 1), date(y, 12, 31))))
    if query.year_from is not None:
        bound.add(_F["year_from"], (date(query.year_from, 1, 1),))
    if query.year_to is not None:
        bound.add(_F["year_to"], (date(query.year_to, 12, 31),))
    if query.inspected_from is not None:
        bound.add(_F["inspected_from"], (query.inspected_from,))
    if query.inspected_to is not None:
        bound.add(_F["inspected_to"], (query.inspected_to,))
    if query.type:
        bound.add(_F["type"], tuple(values_of(query.type)))
    published_from, published_to = published_range(query)
    if published_from is not None or published_to is not None:
        bound.add(_F["published"], _optional(published_from), _optional(published_to))
    if isinstance(query, Inspections) and query.inspection:
        bound.add(_F["inspection"], tuple(query.inspection))
    for name in ("kind", "polarity", "timeframe", "judgement_area"):
        values = getattr(query, name)
        if values:
            bound.add(_F[name], tuple(values_of(values)))
    if themes and (query.theme or query.theme_score_min is not None):
        bound.add(_F["theme"], tuple(values_of(query.theme)), _optional(query.theme_score_min))
    if search and query.search is not None:
        dialect = connection.dialect.name
        bound.add(_MATCH[dialect], (match_text(dialect, query.search),))
    # Last: SQLite checks conditions in this order, and the ones above need only the
    # index entry (the theme's is a lookup in finding_themes' key by finding id), while
    # this one reads the finding's row for its inspection id.
    if query.grade or query.area:
        bound.add(_F["judged"], tuple(values_of(query.grade)), tuple(values_of(query.area)))
    return bound


def finding_conditions(
    query: FindingQuery,
    connection: Connection,
    index: AuthorityIndex,
    *,
    search: bool = True,
    themes: bool = True,
) -> list[ColumnElement[bool]]:
    """The conditions of `finding_filters`, on a statement that joins findings and
    inspections."""
    return finding_filters(query, connection, index, search=search, themes=themes).conditions()


__all__ = [
    "all_of",
    "authority_ids",
    "finding_conditions",
    "finding_filters",
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
    "theme_row_conditions",
    "values_of",
    "year_conditions",
]
