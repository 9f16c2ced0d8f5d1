"""Full-text search in the database: the objects migrations 0003 and 0009 make by hand, the
match condition of a parsed query (`app.search`), and relevance.

Relevance is ranked inside the index wherever the database can (`search_ranking`): SQLite's
FTS5 table ranks with bm25; PostgreSQL ranks with the RUM index's `<=>` distance when the
server has the `rum` extension (migration 0009), reading the table only for the page's rows,
and otherwise with `ts_rank_cd`, which reads every match's tsvector before the first page can
be sorted. `/health` says which.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from sqlalchemy import (
    REAL,
    ColumnElement,
    Float,
    Integer,
    TypeDecorator,
    cast,
    column,
    func,
    literal,
    select,
    table,
    text,
)
from sqlalchemy.dialects.postgresql import TSVECTOR
from sqlalchemy.engine import Connection
from sqlalchemy.sql import literal_column

from app.search import SearchQuery

# --- the database objects, which are made by migration 0003, not by the models ------------

FTS_TABLE = "findings_fts"
"""SQLite: the FTS5 external-content table over findings.text, kept in step by triggers."""
FTS_TRIGGERS = ("findings_fts_insert", "findings_fts_delete", "findings_fts_update")
SEARCH_COLUMN = "search"
"""PostgreSQL: findings.search, a stored generated tsvector."""
SEARCH_INDEX = "ix_findings_search"
"""PostgreSQL: the GIN index on findings.search (migration 0003), where there is no RUM index."""
RANKED_SEARCH_INDEX = "ix_findings_search_rum"
"""PostgreSQL: the RUM index on findings.search (migration 0009), when the server has `rum`."""


def include_object(
    obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any
) -> bool:
    """For Alembic: leave out the search objects that migrations 0003 and 0009 make by hand
    (the FTS5 table and its shadow tables, findings.search and its GIN or RUM index), and
    nothing else."""
    if type_ == "table" and name is not None and name.startswith(FTS_TABLE):
        return False
    if type_ == "column" and name == SEARCH_COLUMN and obj.table.name == "findings":
        return False
    return not (type_ == "index" and name in (SEARCH_INDEX, RANKED_SEARCH_INDEX))


# --- SQL -------------------------------------------------------------------------------------

_fts = table(FTS_TABLE, column("rowid", Integer))
_fts_name: ColumnElement[Any] = literal_column(FTS_TABLE)
search_vector = literal_column(f"findings.{SEARCH_COLUMN}", TSVECTOR)


def _tsquery_of(search: SearchQuery) -> ColumnElement[Any]:
    return func.to_tsquery(literal_column("'simple'::regconfig"), literal(search.tsquery()))


def match_text(dialect: str, search: SearchQuery) -> str:
    """The text the database matches `search` with: FTS5's query syntax (SQLite) or a
    tsquery's (PostgreSQL)."""
    return search.tsquery() if dialect == "postgresql" else search.fts5()


def match_on(dialect: str, finding_id: ColumnElement[Any], value: Any) -> Any:
    """A condition on findings: the finding matches the query `value` (`match_text`, bound
    or a parameter). Uses the FTS5 table (SQLite) or the GIN index on findings.search
    (PostgreSQL)."""
    if dialect == "postgresql":
        return search_vector.op("@@")(func.to_tsquery(literal_column("'simple'::regconfig"), value))
    return finding_id.in_(select(_fts.c.rowid).where(_fts_name.op("MATCH")(value)))


class Ranking(StrEnum):
    """How the database ranks a search by relevance."""

    BM25 = "fts5-bm25"
    """SQLite: bm25, inside the FTS5 index."""
    RUM = "rum"
    """PostgreSQL: the RUM index's distance, in relevance order from the index."""
    TS_RANK_CD = "ts_rank_cd"
    """PostgreSQL without the RUM index: every match's tsvector is read to rank it."""


class _Real(TypeDecorator[float]):
    """PostgreSQL's `real` (the RUM distance's type), compared with values bound as `real`
    too: a cursor holds the distance as PostgreSQL printed it (the shortest text that reads
    back as the same `real`), which as a double is not the same number."""

    impl = REAL
    cache_ok = True

    def bind_expression(self, bindvalue: Any) -> Any:
        return cast(bindvalue, REAL)


_RANKING = "app.search.ranking"
"""The key of a connection's `info` (kept with the database connection) holding its Ranking."""


def search_ranking(connection: Connection) -> Ranking:
    """How `connection`'s database ranks searches: looked up once per database connection."""
    if connection.dialect.name != "postgresql":
        return Ranking.BM25
    found = connection.info.get(_RANKING)
    if found is None:
        has_rum = connection.scalar(
            text("SELECT to_regclass(:name) IS NOT NULL"), {"name": RANKED_SEARCH_INDEX}
        )
        found = connection.info[_RANKING] = Ranking.RUM if has_rum else Ranking.TS_RANK_CD
    return Ranking(found)


def scored_matches(ranking: Ranking, search: SearchQuery) -> tuple[Any, ColumnElement[float]]:
    """For relevance order: (a condition or FROM item, the score; lower is more relevant).

    SQLite: a subquery of (finding_id, bm25) to join on findings.id. PostgreSQL: the @@
    condition and a score. With the RUM index and a query of whole words or phrases the
    score is the index's `<=>` distance to `SearchQuery.ranking_tsquery` (a phrase's words
    together), which the index returns in order (see `Keyset.ranked_in_index`); otherwise
    (a prefix) -ts_rank_cd, computed from every match's tsvector (the RUM index's order
    disagrees with its own distance there)."""
    ranked_by = search.ranking_tsquery() if ranking is Ranking.RUM else None
    if ranked_by is not None:
        query = _tsquery_of(search)
        order = func.to_tsquery(literal_column("'simple'::regconfig"), literal(ranked_by))
        distance = search_vector.op("<=>", return_type=_Real())(order)
        return search_vector.op("@@")(query), distance.label("score")
    if ranking in (Ranking.RUM, Ranking.TS_RANK_CD):
        query = _tsquery_of(search)
        # Cover density over the finding's length: short findings where the words stand
        # close together come first, much as bm25 orders them in SQLite.
        score = (-func.ts_rank_cd(search_vector, query, literal_column("2"))).cast(Float)
        return search_vector.op("@@")(query), score.label("score")
    matches = (
        select(
            _fts.c.rowid.label("finding_id"),
            func.bm25(_fts_name).label("score"),
        )
        .where(_fts_name.op("MATCH")(literal(search.fts5())))
        .subquery("matches")
    )
    return matches, matches.c.score


def top_matches(search: SearchQuery, limit: int) -> Any:
    """SQLite: the `limit` most relevant matches, as a subquery of (finding_id, score) in
    relevance order: for the first page of a search with no other filter, FTS5 ranks and sorts
    only (rowid, score) pairs, and the findings table is read for the page's rows alone.
    (A later page cannot do this: FTS5 cannot filter on the score, so it takes `scored_matches`.)
    """
    score = func.bm25(_fts_name)
    return (
        select(_fts.c.rowid.label("finding_id"), score.label("score"))
        .where(_fts_name.op("MATCH")(literal(search.fts5())))
        .order_by(score, _fts.c.rowid)
        .limit(limit)
        .subquery("matches")
    )


__all__ = [
    "FTS_TABLE",
    "RANKED_SEARCH_INDEX",
    "SEARCH_COLUMN",
    "SEARCH_INDEX",
    "Ranking",
    "include_object",
    "match_on",
    "match_text",
    "scored_matches",
    "search_ranking",
    "top_matches",
]
