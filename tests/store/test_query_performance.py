"""The design that makes the findings queries fast at national scale (docs/performance.md):
the statements each request runs (no N+1), the indexes their SQLite plans use, and the
findings' copies of their inspection's authority and start date that those indexes need.

The benchmark itself is `make bench`; these tests pin down what it relies on.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from fastapi.testclient import TestClient
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import event, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from app.db import make_engine, migrate
from app.extraction.authorities import AuthorityRegister
from app.listing.keyset import encode_cursor
from app.main import create_app
from app.models import DocumentSource
from app.pipeline import reparse_document
from app.search import Term, _matches, _spans, parse
from tests.api.helpers import walk
from tests.conftest import SEED_FILES, load_seed_documents


@contextmanager
def statements(engine: Engine) -> Iterator[list[tuple[str, Any]]]:
    """The SQL statements (and their parameters) run on `engine` inside the block."""
    seen: list[tuple[str, Any]] = []

    def record(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_args: Any) -> None:
        seen.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


def ids_of(items: list[dict[str, Any]]) -> list[int]:
    return [item["id"] for item in items]


def engine_of(client: TestClient) -> Engine:
    engine: Engine = client.app.state.engine  # type: ignore[attr-defined]
    return engine


# --- statements per request -----------------------------------------------------------------

PAGE_STATEMENTS = [
    # (url, statements: the data version, then the query's own; a page of findings reads
    # their themes in the same statement)
    ("/findings?count=false", ["data version", "page"]),
    ("/findings", ["data version", "total", "page"]),
    ("/findings?authority=cheshire-east&count=false", ["data version", "page"]),
    ("/findings?q=supervision&count=false", ["data version", "page"]),
    (
        "/findings?authority=cheshire-east&year=2013&theme=management-oversight"
        "&grade=inadequate&count=false",
        ["data version", "page"],
    ),
    ("/findings/facets?authority=cheshire-east", ["data version", "groups", "grades", "themes"]),
    ("/findings/facets?by=kind,year", ["data version", "groups"]),
    ("/findings/facets?by=type,theme", ["data version", "groups", "types", "themes"]),
]


@pytest.mark.parametrize(("url", "expected"), PAGE_STATEMENTS)
def test_statements_per_request(client: TestClient, url: str, expected: list[str]) -> None:
    client.get("/findings?authority=cheshire-east")  # the register is in memory from here on
    client.get(url)  # and a coverage note, once per data version and filters (tested below)
    with statements(engine_of(client)) as seen:
        response = client.get(url)
    assert response.status_code == 200, response.text
    assert len(seen) == len(expected), [sql for sql, _ in seen]
    assert "changes" in seen[0][0]


@pytest.mark.parametrize(
    "url",
    [
        "/findings?count=false&limit={limit}",
        "/findings?q=child*&count=false&limit={limit}",
        "/findings?sort=authority&limit={limit}",
        "/findings?theme=assessment&sort=-date&limit={limit}",
    ],
)
def test_no_statement_per_row(client: TestClient, url: str) -> None:
    """A page of 1 finding and a page of 200 run the same statements: nothing per row."""
    counts = []
    for limit in (1, 200):
        with statements(engine_of(client)) as seen:
            body = client.get(url.format(limit=limit)).json()
        assert len(body["items"]) == min(limit, len(body["items"])) > 0
        counts.append(len(seen))
    assert counts[0] == counts[1]
    assert len(client.get(url.format(limit=200)).json()["items"]) > 1


# --- the denormalised columns ---------------------------------------------------------------


def test_findings_carry_their_inspections_authority_and_date(client: TestClient) -> None:
    with engine_of(client).connect() as connection:
        mismatched, total = connection.execute(
            text(
                "SELECT sum(CASE WHEN f.authority_id = i.authority_id "
                "AND f.start_date = i.start_date THEN 0 ELSE 1 END), count(*) "
                "FROM findings f JOIN inspections i ON i.id = f.inspection_id"
            )
        ).one()
    assert (mismatched, total) == (0, 130)


# --- the SQLite plans -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def sqlite_client(
    database_factory: Callable[[str], str], register: AuthorityRegister
) -> Iterator[TestClient]:
    """SQLite only: EXPLAIN QUERY PLAN is SQLite's. (The same database as the other tests'
    SQLite leg, without planner statistics, as the seed job leaves it.)"""
    engine = make_engine(database_factory("sqlite"))
    migrate(engine)
    load_seed_documents(engine, register, SEED_FILES)
    with TestClient(create_app(engine)) as client:
        yield client
    engine.dispose()


def plans(client: TestClient, url: str) -> list[str]:
    """The query plan of every statement a request runs, one string per statement."""
    engine = engine_of(client)
    client.get("/findings?authority=cheshire-east")
    client.get(url)  # a list's coverage note is computed once per data version and filters
    with statements(engine) as seen:
        assert client.get(url).status_code == 200
    found = []
    with engine.connect() as connection:
        for sql, parameters in seen:
            rows = connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}", parameters).all()
            found.append("\n".join(row[-1] for row in rows))
    return found


def test_a_coverage_note_runs_once_per_data_version_and_filters(
    sqlite_client: TestClient,
) -> None:
    """The coverage note of a list that spans authorities is one statement over the
    inspections, through an index, run by the first request for a set of filters;
    later ones are answered from memory (app/store/coverage.py's CoverageCache)."""
    engine = engine_of(sqlite_client)
    sqlite_client.get("/findings?authority=cheshire-east")  # the schema checked, the register read
    url = "/findings?year=2010&count=false"
    with statements(engine) as first:
        assert sqlite_client.get(url).json()["coverage"] == {"authorities_with_data": 2, "of": 153}
    with statements(engine) as again:
        assert sqlite_client.get(url).json()["coverage"] == {"authorities_with_data": 2, "of": 153}
    assert len(first) == len(again) + 1
    ((note, parameters),) = [
        item for item in first if "DISTINCT inspections.authority_id" in item[0]
    ]
    with engine.connect() as connection:
        plan = connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {note}", parameters).all()
    # The year's inspections through their index (a few hundred rows nationally), then their
    # distinct authorities.
    assert [row[-1] for row in plan] == [
        "SEARCH inspections USING INDEX ix_inspections_year (year=?)",
        "USE TEMP B-TREE FOR DISTINCT",
    ]


def _page_plan(found: list[str]) -> str:
    """With count=false a page runs: the data version, the page (with its themes)."""
    assert len(found) == 2, found
    return found[1]


CURSOR = encode_cursor(["date", "2013-01-01", 1])


@pytest.mark.parametrize(
    ("url", "index"),
    [
        ("/findings?count=false", "ix_findings_start_date_id"),
        (f"/findings?count=false&cursor={CURSOR}", "ix_findings_start_date_id (start_date>?)"),
        (
            "/findings?authority=cheshire-east&count=false",
            "ix_findings_authority_id_start_date_id (authority_id=?)",
        ),
        (
            f"/findings?authority=cheshire-east&count=false&cursor={CURSOR}",
            "ix_findings_authority_id_start_date_id (authority_id=? AND start_date>?)",
        ),
        (
            "/findings?authority=cheshire-east&year=2013&theme=management-oversight"
            "&grade=inadequate&count=false",
            "ix_findings_authority_id_start_date_id (authority_id=? AND start_date>? AND "
            "start_date<?)",
        ),
    ],
)
def test_pages_read_an_index_range_in_order(
    sqlite_client: TestClient, url: str, index: str
) -> None:
    """First and deep pages alike: one range of an index, already in the page's order (no
    sort of the whole result), so a page costs the same however deep it is."""
    page = _page_plan(plans(sqlite_client, url))
    assert f"USING INDEX {index}" in page, page
    assert "TEMP B-TREE" not in page, page


def test_four_filters_check_theme_and_grade_by_index(sqlite_client: TestClient) -> None:
    page = _page_plan(
        plans(
            sqlite_client,
            "/findings?authority=cheshire-east&year=2013&theme=management-oversight"
            "&grade=inadequate&count=false",
        )
    )
    assert "sqlite_autoindex_finding_themes_1 (finding_id=? AND theme=?)" in page, page
    assert "ix_judgements_inspection_canonical (inspection_id=? AND canonical=?)" in page, page


def test_search_reads_the_fts_index(sqlite_client: TestClient) -> None:
    page = _page_plan(plans(sqlite_client, "/findings?q=%22management+oversight%22&count=false"))
    assert re.search(r"SCAN findings_fts VIRTUAL TABLE INDEX \d+:M", page), page
    assert "SEARCH findings USING INTEGER PRIMARY KEY (rowid=?)" in page, page


def test_themes_of_a_page_from_their_covering_index(sqlite_client: TestClient) -> None:
    """Each finding's themes, in rank order, from the index that holds them all: no sort."""
    page = _page_plan(plans(sqlite_client, "/findings?authority=cheshire-east&count=false"))
    assert (
        "SEARCH finding_themes USING COVERING INDEX ix_finding_themes_finding_id_rank "
        "(finding_id=?)" in page
    ), page
    assert "TEMP B-TREE" not in page, page


def test_facets_read_the_authoritys_range(sqlite_client: TestClient) -> None:
    found = plans(sqlite_client, "/findings/facets?authority=cheshire-east")
    groups, grades, themes = found[1:]
    assert "ix_findings_authority_id_start_date_id (authority_id=?)" in groups, groups
    assert "ix_judgements_inspection_canonical (inspection_id=? AND canonical=?)" in grades, grades
    assert "ix_findings_authority_id_start_date_id (authority_id=?)" in themes, themes
    assert "sqlite_autoindex_finding_themes_1 (finding_id=?)" in themes, themes


def _cursor(next_link: str | None) -> str | None:
    if next_link is None:
        return None
    return parse_qs(urlsplit(next_link).query)["cursor"][0]


@pytest.mark.parametrize(
    "q", ["supervision", "%22management+oversight%22", "child*", "assessment+OR+plan"]
)
def test_first_page_of_a_search_is_the_same_page(client: TestClient, q: str) -> None:
    """Without a total (count=false) the first page of a search ranks the matches before
    reading any finding (SQLite); it is the page the full statement gives, cursor included,
    and the walk from it is the same walk."""
    for limit in (1, 7, 50):
        quick = client.get(f"/findings?q={q}&count=false&limit={limit}").json()
        full = client.get(f"/findings?q={q}&limit={limit}").json()
        assert quick["items"] == full["items"]
        assert _cursor(quick["next"]) == _cursor(full["next"])
    first = client.get(f"/findings?q={q}&count=false&limit=3").json()
    walked = ids_of(walk(client, f"/findings?q={q}&count=false&limit=3"))
    everything = client.get(f"/findings?q={q}&limit=500").json()
    assert walked == ids_of(everything["items"])
    assert len(walked) == everything["total"] > len(first["items"])


def test_a_reparse_that_moves_a_document_moves_its_findings_copies(
    empty_engine: Engine, register: AuthorityRegister
) -> None:
    """Re-extracting a document that now reads as another inspection (here, a year later)
    moves its findings, and their copies of the inspection's authority and start date."""
    migrate(empty_engine)
    path = SEED_FILES[0]
    load_seed_documents(empty_engine, register, [path])
    with Session(empty_engine) as session:
        source = session.get(DocumentSource, 1)
        assert source is not None
        source.content = source.content.replace(b"21 July 2010", b"21 July 2011")
        session.commit()
        result = reparse_document(session, 1, register)
        session.commit()
    assert (result.status, result.inspection_created, str(result.start_date)) == (
        "reparsed",
        True,
        "2011-07-20",
    )
    with empty_engine.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT f.inspection_id, f.start_date, f.authority_id = i.authority_id, count(*) "
                "FROM findings f JOIN inspections i ON i.id = f.inspection_id "
                "GROUP BY f.inspection_id, f.start_date, f.authority_id = i.authority_id"
            )
        ).all()
    assert [(row[0], str(row[1]), bool(row[2]), row[3]) for row in rows] == [
        (result.inspection_id, "2011-07-20", True, 19)
    ]


# --- snippets ---------------------------------------------------------------------------------


def reference_matches(text: str, terms: list[Term]) -> list[tuple[int, int, int, int]]:
    """The plain definition the fast one must agree with: at each word, try every term."""
    spans = [(m.start(), m.end(), m.group().lower()) for m in re.finditer(r"[^\W_]+", text)]
    found, index = [], 0
    while index < len(spans):
        best = 0
        for term in terms:
            size = len(term.words)
            if index + size > len(spans):
                continue
            words = [spans[index + i][2] for i in range(size)]
            if words[:-1] != list(term.words[:-1]):
                continue
            if words[-1] == term.words[-1] or (
                term.prefix and words[-1].startswith(term.words[-1])
            ):
                best = max(best, size)
        if best:
            found.append((index, index + best - 1, spans[index][0], spans[index + best - 1][1]))
            index += best
        else:
            index += 1
    return found


WORDS = st.sampled_from(["care", "leavers", "car", "Care", "plan", "plans", "x", "É", "caré"])
TEXTS = st.lists(
    st.one_of(WORDS, st.sampled_from([" ", ", ", ". ", "-", "_", "’s "])), max_size=60
).map("".join)
QUERIES = st.lists(
    st.tuples(st.lists(WORDS, min_size=1, max_size=3), st.booleans()), min_size=1, max_size=4
)


@settings(max_examples=400, deadline=None)
@given(text=TEXTS, query=QUERIES)
def test_snippet_matches_are_the_plain_definitions(
    text: str, query: list[tuple[list[str], bool]]
) -> None:
    terms = [
        Term(tuple(w.lower() for w in words), prefix and len(words[-1]) >= 2)
        for words, prefix in query
    ]
    assert _matches(_spans(text), terms) == reference_matches(text, terms)


def test_a_long_snippet_is_cut_around_its_first_match() -> None:
    text = " ".join(f"w{i}" for i in range(60)) + " care leavers " + "end " * 40
    assert parse('"care leavers"').snippet(text) == (
        "…w52 w53 w54 w55 w56 w57 w58 w59 <mark>care leavers</mark> " + "end " * 21 + "end…"
    )
