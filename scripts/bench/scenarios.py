"""The query scenarios: the same questions, as this API's URLs and as Datasette canned queries.

Each scenario draws its parameters from the corpus itself (many distinct values, shuffled with
a fixed seed), so both servers get the same sequence of questions and no cache can answer for
the database. The canned SQL is what a Datasette user would write for the same answer on the
same file and its indexes: the same rows, columns and order as the API's 50-row page (themes
as a JSON array per row), with `limit 51` as the API reads one row more to know whether there
is a next page. Datasette's full-text query leaves out the snippet the API adds, which only
makes Datasette's side cheaper.

The API's list URLs pass `count=false`: Datasette's canned queries do not count the whole
result either.
"""

from __future__ import annotations

import itertools
import random
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

from app.listing.keyset import encode_cursor

DATABASE_NAME = "ofsted"

_ROW = """
select f.id, f.inspection_id, a.slug as authority_slug, a.name as authority_name, i.year,
  f.kind, f.section, f.judgement_area, f.timeframe, f.paragraph, f.polarity, f.text,
  f.document_id, f.source_start, f.source_end,
  (select json_group_array(json_object('id', t.theme, 'matched', json(t.matched)))
     from (select theme, matched from finding_themes
           where finding_id = f.id order by rank) as t) as themes
"""
_FROM = """
from findings f
  join inspections i on i.id = f.inspection_id
  join authorities a on a.id = f.authority_id
"""
_AUTHORITY = "f.authority_id = (select id from authorities where slug = :authority)"
_YEAR = "f.start_date between :year || '-01-01' and :year || '-12-31'"
_THEME = "exists (select 1 from finding_themes t where t.finding_id = f.id and t.theme = :theme)"
_GRADE = (
    "exists (select 1 from judgements j where j.inspection_id = f.inspection_id "
    "and j.canonical and j.grade = :grade)"
)
_AFTER = "f.start_date >= :after_date and (f.start_date > :after_date or f.id > :after_id)"
_ORDER = "order by f.start_date, f.id limit 51"

CANNED_SQL = {
    "authority": f"{_ROW} {_FROM} where {_AUTHORITY} {_ORDER}",
    "four_filters": (
        f"{_ROW} {_FROM} where {_AUTHORITY} and {_YEAR} and {_THEME} and {_GRADE} {_ORDER}"
    ),
    "search": f"""{_ROW}, m.rank as score
from (select rowid, rank from findings_fts where findings_fts match :q
      order by rank limit 51) as m
  join findings f on f.id = m.rowid
  join inspections i on i.id = f.inspection_id
  join authorities a on a.id = f.authority_id
order by m.rank, f.id""",
    "deep_page": f"{_ROW} {_FROM} where {_AUTHORITY} and {_AFTER} {_ORDER}",
    "facets": """
with m as (
  select f.id, f.inspection_id, f.kind, f.authority_id from findings f
  where f.authority_id = (select id from authorities where slug = :authority)
)
select 'total' as facet, null as value, count(*) as count from m
union all select 'theme', t.theme, count(*) from m
  join finding_themes t on t.finding_id = m.id group by t.theme
union all select 'year', i.year, count(*) from m
  join inspections i on i.id = m.inspection_id group by i.year
union all select 'kind', m.kind, count(*) from m group by m.kind
union all select 'grade', j.grade, count(distinct m.id) from m
  join judgements j on j.inspection_id = m.inspection_id and j.canonical
  and j.grade is not null group by j.grade
union all select 'area', j.area, count(distinct m.id) from m
  join judgements j on j.inspection_id = m.inspection_id and j.canonical
  and j.grade is not null group by j.area
union all select 'authority', a.slug, count(*) from m
  join authorities a on a.id = m.authority_id group by a.slug
union all select 'region', a.region, count(*) from m
  join authorities a on a.id = m.authority_id group by a.region
""",
}


@dataclass(frozen=True, slots=True)
class Scenario:
    name: str
    title: str
    api_path: Callable[[dict[str, str]], str]
    datasette_params: Callable[[dict[str, str]], dict[str, str]]
    parameters: Callable[[sqlite3.Connection, random.Random, int], list[dict[str, str]]]

    def api_paths(self, params: list[dict[str, str]]) -> list[str]:
        return [self.api_path(p) for p in params]

    def datasette_paths(self, params: list[dict[str, str]]) -> list[str]:
        return [
            f"/{DATABASE_NAME}/{self.name}.json?{urlencode(self.datasette_params(p))}"
            for p in params
        ]


def _authorities(db: sqlite3.Connection, rng: random.Random, count: int) -> list[dict[str, str]]:
    slugs = [row[0] for row in db.execute("select slug from authorities order by slug")]
    picked: list[dict[str, str]] = []
    while len(picked) < count:
        rng.shuffle(slugs)
        picked.extend({"authority": slug} for slug in slugs)
    return picked[:count]


def _random_findings(db: sqlite3.Connection, rng: random.Random, count: int) -> list[int]:
    top = db.execute("select max(id) from findings").fetchone()[0]
    return [rng.randint(1, top) for _ in range(count)]


def _four_filters(db: sqlite3.Connection, rng: random.Random, count: int) -> list[dict[str, str]]:
    """A drill-down that finds something: a random finding's authority, year, one of its
    themes and one of its inspection's grades (many distinct combinations)."""
    found: list[dict[str, str]] = []
    for finding_id in _random_findings(db, rng, count * 3):
        row = db.execute(
            "select a.slug, i.year, (select theme from finding_themes t where t.finding_id = f.id"
            " order by random() limit 1), (select grade from judgements j where j.inspection_id"
            " = f.inspection_id and j.canonical and j.grade is not null order by random() limit 1)"
            " from findings f join inspections i on i.id = f.inspection_id"
            " join authorities a on a.id = i.authority_id where f.id = ?",
            (finding_id,),
        ).fetchone()
        if row and row[2] and row[3]:
            found.append(
                {"authority": row[0], "year": str(row[1]), "theme": row[2], "grade": row[3]}
            )
        if len(found) == count:
            break
    return found


_STOP = frozenset(
    [
        "the",
        "and",
        "for",
        "are",
        "was",
        "were",
        "has",
        "have",
        "had",
        "that",
        "this",
        "with",
        "from",
        "their",
        "there",
        "they",
        "them",
        "been",
        "which",
        "when",
        "where",
        "what",
        "who",
        "will",
        "would",
        "could",
        "should",
        "also",
        "into",
        "than",
        "then",
        "some",
        "such",
        "more",
        "most",
        "other",
        "over",
        "only",
        "very",
        "does",
        "not",
        "all",
        "any",
        "can",
        "its",
        "our",
        "your",
        "his",
        "her",
    ]
)


def _searches(db: sqlite3.Connection, rng: random.Random, count: int) -> list[dict[str, str]]:
    """Two-word phrases a reader might search for, taken from random findings' text (words of
    four letters or more, not stop words)."""
    found: list[dict[str, str]] = []
    seen: set[str] = set()
    for finding_id in _random_findings(db, rng, count * 4):
        text = db.execute("select text from findings where id = ?", (finding_id,)).fetchone()[0]
        words = [w.strip(".,;:()'\"‘’“”").lower() for w in text.split()]
        pairs = [
            (a, b)
            for a, b in itertools.pairwise(words)
            if len(a) >= 4 and len(b) >= 4 and a.isalpha() and b.isalpha()
            and a not in _STOP and b not in _STOP
        ]  # fmt: skip
        if not pairs:
            continue
        phrase = '"{} {}"'.format(*rng.choice(pairs))
        if phrase not in seen:
            seen.add(phrase)
            found.append({"q": phrase})
        if len(found) == count:
            break
    return found


def _deep_pages(db: sqlite3.Connection, rng: random.Random, count: int) -> list[dict[str, str]]:
    """Each authority's findings from a point 60 to 95% of the way through them (the page a
    reader reaches after following `next` many times): one such point per authority, in the
    same shuffled rounds as the first-page scenario, so that the two differ only in how deep
    the page is (and not in how many distinct pages the database's caches see)."""
    deep: dict[str, dict[str, str]] = {}
    picked: list[dict[str, str]] = []
    for params in _authorities(db, rng, count):
        slug = params["authority"]
        if slug not in deep:
            total = db.execute(
                "select count(*) from findings f join authorities a on a.id = f.authority_id "
                "where a.slug = ?",
                (slug,),
            ).fetchone()[0]
            offset = int(total * rng.uniform(0.6, 0.95))
            after_date, after_id = db.execute(
                "select f.start_date, f.id from findings f join authorities a on "
                "a.id = f.authority_id where a.slug = ? order by f.start_date, f.id "
                "limit 1 offset ?",
                (slug, offset),
            ).fetchone()
            deep[slug] = {**params, "after_date": after_date, "after_id": str(after_id)}
        picked.append(deep[slug])
    return picked


def _api(path: str, **fixed: str) -> Callable[[dict[str, str]], str]:
    def build(params: dict[str, str]) -> str:
        return f"{path}?{urlencode({**params, **fixed})}"

    return build


def _deep_api(params: dict[str, str]) -> str:
    cursor = encode_cursor(["date", params["after_date"], int(params["after_id"])])
    query = {"authority": params["authority"], "count": "false", "cursor": cursor}
    return f"/findings?{urlencode(query)}"


def _same(params: dict[str, str]) -> dict[str, str]:
    return params


SCENARIOS = (
    Scenario("authority", "one filter (authority)", _api("/findings", count="false"), _same,
             _authorities),
    Scenario("four_filters", "four filters (authority, year, theme, grade)",
             _api("/findings", count="false"), _same, _four_filters),
    Scenario("search", "full-text search (q, by relevance)", _api("/findings", count="false"),
             _same, _searches),
    Scenario("deep_page", "keyset page deep in a result", _deep_api, _same, _deep_pages),
    Scenario("facets", "facets (authority; 7 facets)", _api("/findings/facets"), _same,
             _authorities),
)  # fmt: skip


def datasette_metadata() -> dict[str, object]:
    return {
        "databases": {
            DATABASE_NAME: {"queries": {name: {"sql": sql} for name, sql in CANNED_SQL.items()}}
        }
    }
