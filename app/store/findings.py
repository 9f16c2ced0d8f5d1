"""Findings: the one statement of a findings query (filters, search, order), built once per
shape (`app.store.prepared`), its rows with their themes, and a finding as the API's item."""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

import orjson
from sqlalchemy import ColumnElement, Connection, Integer, Select, Text, cast, extract, select
from sqlalchemy.ext.compiler import compiles

from app.http.errors import ErrorDetail, InvalidParameter
from app.listing.keyset import Keyset
from app.params import FindingQuery, FindingSort
from app.search import SearchQuery
from app.store.authorities import AuthorityIndex, AuthorityRow
from app.store.filters import finding_filters
from app.store.prepared import Bound, Shapes
from app.store.search import Ranking, scored_matches, search_ranking, top_matches
from app.store.tables import authorities, documents, findings, inspections


class ThemesJson(ColumnElement[str]):
    """A finding's themes, most said first, as the text of a JSON array of
    `{"id", "matched", "score"}`: read with the finding, in the same statement (the covering
    index `ix_finding_themes_finding_id_rank` answers it), so a page is one round trip."""

    inherit_cache = True
    type = Text()


@compiles(ThemesJson, "sqlite")
def _themes_sqlite(_element: ThemesJson, _compiler: Any, **_kw: Any) -> str:
    return (
        "(SELECT json_group_array(json_object('id', t.theme, 'matched', json(t.matched), "
        "'score', t.score)) FROM (SELECT theme, matched, score FROM finding_themes "
        "WHERE finding_themes.finding_id = findings.id ORDER BY finding_themes.rank) AS t)"
    )


@compiles(ThemesJson, "postgresql")
def _themes_postgresql(_element: ThemesJson, _compiler: Any, **_kw: Any) -> str:
    return (
        "(SELECT coalesce(json_agg(json_build_object('id', t.theme, 'matched', t.matched, "
        "'score', t.score) ORDER BY t.rank), '[]')::text FROM finding_themes AS t "
        "WHERE t.finding_id = findings.id)"
    )


_COLUMNS = (
    findings.c.id,
    findings.c.inspection_id,
    findings.c.authority_id,
    findings.c.start_date,
    findings.c.kind,
    findings.c.section,
    findings.c.judgement_area,
    findings.c.timeframe,
    findings.c.paragraph,
    findings.c.polarity,
    findings.c.polarity_score,
    findings.c.text,
    findings.c.document_id,
    findings.c.source_start,
    findings.c.source_end,
    select(documents.c.published_date)
    .where(documents.c.id == findings.c.document_id)
    .scalar_subquery()
    .label("published_date"),
    cast(extract("year", findings.c.start_date), Integer).label("year"),
    ThemesJson().label("themes"),
)
"""A finding's own columns, its document's publication date, its year and its themes: its
authority's slug and name come from the register in memory, so a page is one statement that
reads the findings and, by primary key, their documents and themes. The date is a scalar
subquery, not a join: counting the matches then reads only the index that answers the
filters (a join made SQLite read every matching finding's row and document, 1.1 ms instead
of 0.12 for one authority's findings at 1,000,000)."""


_SELECT_FINDINGS = select(*_COLUMNS)
"""Built once: each query adds its FROM and conditions to a copy."""
SELECT_FINDINGS = _SELECT_FINDINGS.select_from(findings)
"""Findings by their own columns alone (by id, by authority)."""
_DATE = Keyset("date", (findings.c.start_date, findings.c.id), (date, int))
_KEYSETS = {
    FindingSort.DATE: _DATE,
    FindingSort.YEAR: _DATE,
    FindingSort.DATE_DESC: Keyset(
        "-date", (findings.c.start_date, findings.c.id), (date, int), descending=True
    ),
    FindingSort.AUTHORITY: Keyset(
        "authority",
        (authorities.c.slug, findings.c.start_date, findings.c.id),
        (str, date, int),
    ),
    FindingSort.AUTHORITY_DESC: Keyset(
        "-authority",
        (authorities.c.slug, findings.c.start_date, findings.c.id),
        (str, date, int),
        descending=True,
    ),
}
_KEYSETS[FindingSort.YEAR_DESC] = _KEYSETS[FindingSort.DATE_DESC]


def _filtered_from(by_type: bool, by_slug: bool) -> Any:
    source: Any = findings
    if by_type:
        source = source.join(inspections, inspections.c.id == findings.c.inspection_id)
    if by_slug:
        source = source.join(authorities, authorities.c.id == findings.c.authority_id)
    return source


_FILTERED_FROM = {
    (by_type, by_slug): _filtered_from(by_type, by_slug)
    for by_type in (False, True)
    for by_slug in (False, True)
}
"""The FROM of a list in date or authority order, by whether it filters on the inspection's
type and orders by the authority's slug: built once (a join built per request cost more
than SQLite's part of the page)."""


def finding_json(
    row: Any,
    authority: AuthorityRow,
    search: SearchQuery | None = None,
) -> dict[str, Any]:
    """A row of `_COLUMNS` as the API's finding (read by position: a Row's attributes cost
    more than the rest of this function). The row is SQLAlchemy's or the driver's own
    (`app.store.prepared`): the dates may be text, and are written as they are."""
    (
        finding_id, inspection_id, _authority_id, _start_date, kind, section, judgement_area,
        timeframe, paragraph, polarity, polarity_score, text, document_id, source_start,
        source_end, published_date, year, themes, *_rest,
    ) = row  # fmt: skip
    item = {
        "id": finding_id,
        "inspection_id": inspection_id,
        "authority": {"slug": authority.slug, "name": authority.name},
        "year": year,
        "published_date": published_date,
        "kind": kind,
        "section": section,
        "judgement_area": judgement_area,
        "timeframe": timeframe,
        "paragraph": paragraph,
        "polarity": polarity,
        "polarity_score": polarity_score,
        "text": text,
        "themes": orjson.loads(themes),
        "source": {"document_id": document_id, "start": source_start, "end": source_end},
    }
    if search is not None:
        item["snippet"] = search.snippet(text)
    return item


def findings_json(
    connection: Connection,
    index: AuthorityIndex,
    rows: Sequence[Any],
    search: SearchQuery | None,
) -> list[dict[str, Any]]:
    """Findings as the API's items."""
    by_id = index.by_id
    return [finding_json(row, by_id(connection, row[2]), search) for row in rows]


def with_theme_scores(item: dict[str, Any]) -> dict[str, Any]:
    """A finding for CSV: its themes' scores in a column of their own, in the themes' order."""
    item["theme_scores"] = [theme["score"] for theme in item["themes"]]
    return item


@dataclass(frozen=True, slots=True)
class FindingsSelect:
    """The statement of a findings query, the order to page it in, the values of its
    parameters, and its shape (None: a statement of this query's own, built for it)."""

    statement: Select[Any]
    keyset: Keyset
    params: dict[str, Any]
    shape: Hashable | None


_STATEMENTS: Shapes[Select[Any]] = Shapes()
"""The findings statements of the shapes asked for: a statement is built once per shape.
Its parameters hold the values of the request that built it: every reader passes its own
(`FindingsSelect.params`)."""


def findings_statement(
    connection: Connection,
    index: AuthorityIndex,
    filters: FindingQuery,
    sort: FindingSort | None,
    first_page: int | None = None,
) -> FindingsSelect:
    """The one statement for a findings query, and the order to page it in. `first_page`:
    the statement is for the first `first_page` rows only (no cursor), which lets a search
    with no other filter rank its matches before reading any finding (SQLite)."""
    search = filters.search
    sort = sort or (FindingSort.RELEVANCE if search is not None else FindingSort.DATE)
    if sort is FindingSort.RELEVANCE and search is None:
        raise InvalidParameter(
            "sort: relevance needs a search: add q",
            [ErrorDetail(parameter="sort", message="relevance needs q", input=sort.value)],
        )
    relevance = sort is FindingSort.RELEVANCE
    bound = finding_filters(filters, connection, index, search=not relevance)
    if not relevance:
        shape = ("findings", connection.dialect.name, sort, bound.shape)
        by_type = bool(filters.type)
        statement = _STATEMENTS.get(shape, lambda: _in_order(bound, sort, by_type))
        return FindingsSelect(statement, _KEYSETS[sort], bound.params(), shape)
    assert search is not None
    conditions = bound.conditions()
    source: Any = findings
    if filters.type:
        source = source.join(inspections, inspections.c.id == findings.c.inspection_id)
    ranking = search_ranking(connection)
    matches, score = scored_matches(ranking, search)
    if ranking is not Ranking.BM25:
        conditions = [*conditions, matches]
    else:
        if first_page is not None and not conditions and source is findings:
            matches = top_matches(search, first_page)
            score = matches.c.score
        source = source.join(matches, matches.c.finding_id == findings.c.id)
    statement = _SELECT_FINDINGS.add_columns(score).select_from(source).where(*conditions)
    keyset = Keyset("relevance", (score, findings.c.id), (float, int))
    in_index = ranking is Ranking.RUM and search.in_index_order()
    return FindingsSelect(statement, replace(keyset, ranked_in_index=in_index), {}, None)


def _in_order(bound: Bound, sort: FindingSort, by_type: bool) -> Select[Any]:
    """The statement of a list in date or authority order (`bound`'s values its defaults)."""
    by_slug = sort in (FindingSort.AUTHORITY, FindingSort.AUTHORITY_DESC)
    statement = _SELECT_FINDINGS
    if by_slug:
        statement = statement.add_columns(authorities.c.slug)  # the sort key, for the cursor
    return statement.select_from(_FILTERED_FROM[(by_type, by_slug)]).where(*bound.conditions())


def finding_by_id(
    connection: Connection, index: AuthorityIndex, finding_id: int
) -> dict[str, Any] | None:
    """One finding as the API's item, or None."""
    row = connection.execute(SELECT_FINDINGS.where(findings.c.id == finding_id)).first()
    if row is None:
        return None
    return findings_json(connection, index, [row], None)[0]


__all__ = [
    "SELECT_FINDINGS",
    "FindingsSelect",
    "finding_by_id",
    "finding_json",
    "findings_json",
    "findings_statement",
    "with_theme_scores",
]
