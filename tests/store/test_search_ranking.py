"""Relevance ranked inside the index: SQLite's FTS5 bm25, PostgreSQL's RUM index (migration
0009, where the server has the `rum` extension) or, without it, ts_rank_cd. Whatever the
index, a search walked page by page gives every match once, in the order of a full sort by
(score, id) that the database computes without the index's help."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from alembic import command
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.engine import Engine

from app import db
from app.db import make_engine
from app.main import create_app
from app.search import parse
from app.store.search import Ranking, search_ranking
from tests.conftest import expected_ranking


def walk(client: TestClient, url: str) -> list[int]:
    found: list[int] = []
    next_url: str | None = url
    while next_url:
        response = client.get(next_url)
        assert response.status_code == 200, response.text
        page = response.json()
        found.extend(item["id"] for item in page["items"])
        next_url = page["next"]
        assert len(found) <= 20_000
    return found


def full_sort(engine: Engine, q: str, where: str = "") -> list[int]:
    """Every match of `q` in (score, id) order, sorted by the database over all matches (no
    LIMIT, so no index order): the order the pages must follow."""
    search = parse(q)
    with engine.connect() as connection:
        ranking = search_ranking(connection)
        if ranking is Ranking.BM25:
            sql = (
                "SELECT f.id FROM findings_fts JOIN findings f ON f.id = findings_fts.rowid "
                "WHERE findings_fts MATCH :q" + where + " ORDER BY bm25(findings_fts), f.id"
            )
            bound = search.fts5()
        else:
            ranked_by = search.ranking_tsquery()
            score = (
                "f.search <=> to_tsquery('simple', :ranked_by)"
                if ranking is Ranking.RUM and ranked_by is not None
                else "(-ts_rank_cd(f.search, to_tsquery('simple', :q), 2))::float8"
            )
            sql = (
                "SELECT f.id FROM findings f WHERE f.search @@ to_tsquery('simple', :q)"
                + where
                + f" ORDER BY {score}, f.id"
            )
            return [
                row[0]
                for row in connection.execute(
                    text(sql), {"q": search.tsquery(), "ranked_by": ranked_by or ""}
                )
            ]
        return [row[0] for row in connection.execute(text(sql), {"q": bound})]


def test_each_database_ranks_as_its_migrations_made_it(corpus_engine: Engine) -> None:
    with TestClient(create_app(corpus_engine)) as client:
        health = client.get("/health").json()
    assert health["search_ranking"] == expected_ranking(corpus_engine).value


@pytest.mark.parametrize(
    ("q", "matches"),
    [
        ("management oversight", 1_007),
        ('"management oversight"', 895),
        ("drift", 345),
        ("supervis*", 692),
        ("young people", 3_543),
    ],
)
# The counts, checked apart from both databases: findings whose text, cut into runs of letters
# and digits and lower-cased, holds every word (the quoted phrase: the words in a row; the
# prefix: a word starting with it).
def test_relevance_pages_follow_the_full_sort(corpus_engine: Engine, q: str, matches: int) -> None:
    whole = full_sort(corpus_engine, q)
    assert len(whole) == matches
    with TestClient(create_app(corpus_engine)) as client:
        for limit in (7, 100):
            assert walk(client, f"/findings?q={quote(q)}&limit={limit}&count=false") == whole
        first = client.get(f"/findings?q={quote(q)}&limit=3").json()
    assert first["total"] == matches
    assert [item["id"] for item in first["items"]] == whole[:3]


def test_ties_at_a_page_edge_are_neither_lost_nor_repeated(corpus_engine: Engine) -> None:
    """One common word: many findings share a score, so pages of one cut through ties."""
    whole = full_sort(corpus_engine, "partnership")
    with corpus_engine.connect() as connection:
        ranking = search_ranking(connection)
    if ranking is not Ranking.BM25:
        with corpus_engine.connect() as connection:
            score = (
                "search <=> to_tsquery('simple', 'partnership')"
                if ranking is Ranking.RUM
                else "ts_rank_cd(search, to_tsquery('simple', 'partnership'), 2)"
            )
            tied = connection.scalar(
                text(
                    f"SELECT count(*) - count(DISTINCT {score}) FROM findings "
                    "WHERE search @@ to_tsquery('simple', 'partnership')"
                )
            )
        assert tied > 100  # the walk below crosses many ties
    with TestClient(create_app(corpus_engine)) as client:
        assert walk(client, "/findings?q=partnership&limit=1&count=false")[:300] == whole[:300]
        assert walk(client, "/findings?q=partnership&limit=13") == whole


def test_filters_apply_before_the_page_is_cut(corpus_engine: Engine) -> None:
    with corpus_engine.connect() as connection:
        cheshire = connection.scalar(
            text("SELECT id FROM authorities WHERE slug = 'cheshire-east'")
        )
    whole = full_sort(corpus_engine, "supervision", f" AND f.authority_id = {int(cheshire)}")
    assert len(whole) == 17
    with TestClient(create_app(corpus_engine)) as client:
        url = "/findings?q=supervision&authority=cheshire-east&limit=4"
        assert walk(client, url) == whole


def test_without_the_rum_index_postgresql_ranks_as_before(seeded_writable_engine: Engine) -> None:
    """The schema migration 0009 leaves on a PostgreSQL server without the `rum` package (0009
    undone, then recorded as done): the GIN index of 0003, /health says ts_rank_cd, and
    searches page as before. Then 0009 again, where the server has the package: RUM. On
    SQLite 0009 changes nothing: bm25 either way."""
    postgres = seeded_writable_engine.dialect.name == "postgresql"
    url = seeded_writable_engine.url.render_as_string(hide_password=False)

    def redo(target: str, *, stamp: bool) -> Engine:
        engine = make_engine(url)
        with engine.begin() as connection:
            config = db.alembic_config(connection)
            command.downgrade(config, "0008")  # type: ignore[arg-type]
            if stamp:
                command.stamp(config, target)  # type: ignore[arg-type]
                command.upgrade(config, "head")  # type: ignore[arg-type]  # 0010 and later
            else:
                command.upgrade(config, target)  # type: ignore[arg-type]
        engine.dispose()
        return make_engine(url)  # new connections: each finds the ranking afresh

    seeded_writable_engine.dispose()
    engine = redo("0009", stamp=True)
    try:
        if postgres:
            with engine.connect() as connection:
                indexes = connection.scalars(
                    text("SELECT indexname FROM pg_indexes WHERE tablename = 'findings' "
                         "AND indexname LIKE 'ix_findings_search%'")
                ).all()  # fmt: skip
            assert indexes == ["ix_findings_search"]
        whole = full_sort(engine, "child protection")
        assert len(whole) == 44
        with TestClient(create_app(engine)) as client:
            health = client.get("/health").json()
            assert health["schema_revision"] == db.head_revision()
            assert health["search_ranking"] == ("ts_rank_cd" if postgres else "fts5-bm25")
            assert walk(client, "/findings?q=child%20protection&limit=5") == whole
    finally:
        engine.dispose()
    engine = redo("head", stamp=False)
    try:
        with TestClient(create_app(engine)) as client:
            assert client.get("/health").json()["search_ranking"] == expected_ranking(engine)
            assert walk(client, "/findings?q=child%20protection&limit=5") == full_sort(
                engine, "child protection"
            )
    finally:
        engine.dispose()
