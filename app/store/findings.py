"""Findings: the one statement of a findings query (filters, search, order), a page's
themes in one more statement, and a finding as the API's item."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from typing import Any

import orjson
from sqlalchemy import (
    ARRAY,
    Connection,
    Integer,
    Select,
    Text,
    bindparam,
    cast,
    column,
    func,
    select,
)

from app.http.errors import ErrorDetail, InvalidParameter
from app.listing.keyset import Keyset
from app.params import FindingQuery, FindingSort
from app.search import SearchQuery
from app.store.authorities import AuthorityIndex, AuthorityRow
from app.store.filters import finding_conditions
from app.store.search import Ranking, scored_matches, search_ranking, top_matches
from app.store.tables import authorities, documents, finding_themes, findings, inspections

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
)
"""A finding's own columns, and its document's publication date: its authority's slug and
name come from the register in memory and its year from its start date (the inspection's),
so a page reads the findings and, by primary key, their documents. The date is a scalar
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

_THEME_COLUMNS = (
    finding_themes.c.finding_id,
    finding_themes.c.theme,
    cast(finding_themes.c.matched, Text),
    finding_themes.c.score,
)
_THEME_ORDER = (finding_themes.c.finding_id, finding_themes.c.rank)
_THEMES_OF = {
    # The page's ids as one parameter, so the statement is the same whatever the page size
    # (no IN list to expand): an array on PostgreSQL, a JSON array read by json_each on SQLite.
    "postgresql": select(*_THEME_COLUMNS)
    .where(finding_themes.c.finding_id == func.any(bindparam("ids", type_=ARRAY(Integer))))
    .order_by(*_THEME_ORDER),
    "sqlite": select(*_THEME_COLUMNS)
    .where(
        finding_themes.c.finding_id.in_(
            select(column("value", Integer)).select_from(func.json_each(bindparam("ids")))
        )
    )
    .order_by(*_THEME_ORDER),
}


def themes_for(connection: Connection, finding_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    """Themes of a page of findings, in one statement. The matched words come as JSON text
    and are read by orjson (several times faster than a JSON column's own decoding)."""
    themes: dict[int, list[dict[str, Any]]] = defaultdict(list)
    if not finding_ids:
        return themes
    dialect = connection.dialect.name
    ids: Any = finding_ids if dialect == "postgresql" else orjson.dumps(finding_ids).decode()
    loads = orjson.loads
    rows = connection.execute(_THEMES_OF[dialect], {"ids": ids}).all()
    for finding_id, theme, matched, score in rows:
        themes[finding_id].append({"id": theme, "matched": loads(matched), "score": score})
    return themes


def finding_json(
    row: Any,
    themes: list[dict[str, Any]],
    authority: AuthorityRow,
    search: SearchQuery | None = None,
) -> dict[str, Any]:
    """A row of `_COLUMNS` as the API's finding (read by position: a Row's attributes cost
    more than the rest of this function)."""
    (
        finding_id, inspection_id, _authority_id, start_date, kind, section, judgement_area,
        timeframe, paragraph, polarity, polarity_score, text, document_id, source_start,
        source_end, published_date, *_rest,
    ) = row  # fmt: skip
    item = {
        "id": finding_id,
        "inspection_id": inspection_id,
        "authority": {"slug": authority.slug, "name": authority.name},
        "year": start_date.year,
        "published_date": published_date,
        "kind": kind,
        "section": section,
        "judgement_area": judgement_area,
        "timeframe": timeframe,
        "paragraph": paragraph,
        "polarity": polarity,
        "polarity_score": polarity_score,
        "text": text,
        "themes": themes,
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
    """Findings with their themes (one more statement for the whole page)."""
    themes = themes_for(connection, [row[0] for row in rows])
    return [
        finding_json(row, themes.get(row[0], []), index.by_id(connection, row[2]), search)
        for row in rows
    ]


def with_theme_scores(item: dict[str, Any]) -> dict[str, Any]:
    """A finding for CSV: its themes' scores in a column of their own, in the themes' order."""
    item["theme_scores"] = [theme["score"] for theme in item["themes"]]
    return item


def findings_statement(
    connection: Connection,
    index: AuthorityIndex,
    filters: FindingQuery,
    sort: FindingSort | None,
    first_page: int | None = None,
) -> tuple[Select[Any], Keyset]:
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
    conditions = finding_conditions(filters, connection, index, search=not relevance)
    source: Any = findings
    statement = _SELECT_FINDINGS
    if filters.type:
        source = source.join(inspections, inspections.c.id == findings.c.inspection_id)
    if sort in (FindingSort.AUTHORITY, FindingSort.AUTHORITY_DESC):
        source = source.join(authorities, authorities.c.id == findings.c.authority_id)
        statement = statement.add_columns(authorities.c.slug)  # the sort key, for the cursor
    if not relevance:
        by_slug = sort in (FindingSort.AUTHORITY, FindingSort.AUTHORITY_DESC)
        joined = _FILTERED_FROM[(bool(filters.type), by_slug)]
        return statement.select_from(joined).where(*conditions), _KEYSETS[sort]
    assert search is not None
    ranking = search_ranking(connection)
    matches, score = scored_matches(ranking, search)
    if ranking is not Ranking.BM25:
        conditions = [*conditions, matches]
    else:
        if first_page is not None and not conditions and source is findings:
            matches = top_matches(search, first_page)
            score = matches.c.score
        source = source.join(matches, matches.c.finding_id == findings.c.id)
    statement = statement.add_columns(score).select_from(source).where(*conditions)
    keyset = Keyset("relevance", (score, findings.c.id), (float, int))
    in_index = ranking is Ranking.RUM and search.in_index_order()
    return statement, replace(keyset, ranked_in_index=in_index)


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
    "finding_by_id",
    "finding_json",
    "findings_json",
    "findings_statement",
    "themes_for",
    "with_theme_scores",
]
