"""Findings by meaning: the nearest findings under the findings filters (the vector index
ranks, the database filters), the semantic and hybrid rankings of `q`, an authority's issues.

The index (app/intelligence/index.py) ranks every finding; the filters of `GET /findings`
(`FindingQuery`, every one of them, as `app.store.filters` makes them conditions) are
applied by the database to the best candidates, a batch at a time, in rank order, until
enough pass. A filter that few findings pass (one authority, one inspection) may leave too
few among the best candidates: then the database lists every finding that passes and those
are ranked exactly. Either way the answer is the exact top of the filtered findings, up to
the index's own approximation past a size (`EXACT_LIMIT`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from sqlalchemy import Connection, select

from app.intelligence.embedding import Vectors, embedding_model
from app.intelligence.index import VectorIndex
from app.intelligence.modes import WINDOW, SearchMode
from app.intelligence.recurrence import IssueFinding, raises_issue, recurring
from app.params import FindingQuery, FindingSort
from app.store.authorities import AuthorityIndex
from app.store.filters import finding_conditions
from app.store.findings import SELECT_FINDINGS, findings_json, findings_statement
from app.store.tables import findings, inspections

CANDIDATES = 2048
"""Best-ranked findings offered to the filters before every passing finding is ranked."""
FILTER_BATCH = 512
RRF_K = 60
"""Reciprocal rank fusion's constant (Cormack, Clarke and Büttcher, 2009): a finding's
hybrid score is the sum over the two rankings of 1 / (60 + its rank)."""


def _filtered_source(query: FindingQuery) -> Any:
    source: Any = findings
    if query.type:
        source = source.join(inspections, inspections.c.id == findings.c.inspection_id)
    return source


def nearest(
    connection: Connection,
    authorities: AuthorityIndex,
    index: VectorIndex,
    vector: Vectors,
    query: FindingQuery,
    k: int,
    *,
    exclude: Sequence[int] = (),
    keyword_filter: bool = True,
) -> list[tuple[int, float]]:
    """The `k` findings passing the `query`'s filters most similar to `vector`, best first,
    as (id, similarity). `keyword_filter`: whether `q` filters too (for similar findings it
    does; for a semantic search `q` is the query itself)."""
    conditions = finding_conditions(query, connection, authorities, search=keyword_filter)
    excluded = set(exclude)
    wanted = k + len(excluded)
    if not conditions:
        rows, scores = index.top(vector, wanted)
        pairs = [(int(index.ids[r]), float(s)) for r, s in zip(rows, scores, strict=True)]
        return [pair for pair in pairs if pair[0] not in excluded][:k]
    source = _filtered_source(query)
    rows, scores = index.top(vector, max(CANDIDATES, wanted))
    found: list[tuple[int, float]] = []
    for first in range(0, len(rows), FILTER_BATCH):
        batch_ids = [int(i) for i in index.ids[rows[first : first + FILTER_BATCH]]]
        batch_scores = scores[first : first + FILTER_BATCH]
        passing = set(
            connection.scalars(
                select(findings.c.id)
                .select_from(source)
                .where(findings.c.id.in_(batch_ids), *conditions)
            )
        )
        found.extend(
            (i, float(s))
            for i, s in zip(batch_ids, batch_scores, strict=True)
            if i in passing and i not in excluded
        )
        if len(found) >= k:
            return found[:k]
    if len(rows) >= len(index):
        return found[:k]
    # Too few among the best: rank every finding that passes, exactly.
    passing_ids = np.fromiter(
        connection.scalars(select(findings.c.id).select_from(source).where(*conditions)),
        dtype=np.int64,
    )
    ranked_rows, ranked_scores = index.rank_rows(index.positions(passing_ids), vector, wanted)
    pairs = [(int(index.ids[r]), float(s)) for r, s in zip(ranked_rows, ranked_scores, strict=True)]
    return [pair for pair in pairs if pair[0] not in excluded][:k]


def _keyword_ids(
    connection: Connection, authorities: AuthorityIndex, query: FindingQuery
) -> list[int]:
    found = findings_statement(
        connection, authorities, query, FindingSort.RELEVANCE, first_page=WINDOW
    )
    statement = found.statement.order_by(*found.keyset.order_by()).limit(WINDOW)
    return [row[0] for row in connection.execute(statement, found.params)]


def ranked_search(
    connection: Connection,
    authorities: AuthorityIndex,
    index: VectorIndex,
    query: FindingQuery,
    text: str,
    mode: SearchMode,
) -> list[tuple[int, dict[str, Any]]]:
    """`GET /findings?q=...&mode=semantic|hybrid`: the best `WINDOW` findings nearest `text`
    in meaning, or that ranking and the keyword ranking merged, every other filter applied;
    each (id, {rank, score, similarity}), best first."""
    vector = embedding_model().embed_one(text)
    semantic = nearest(connection, authorities, index, vector, query, WINDOW, keyword_filter=False)
    similarity = dict(semantic)
    if mode is SearchMode.SEMANTIC:
        ranking = list(semantic)
    else:
        keyword = _keyword_ids(connection, authorities, query)
        fused: dict[int, float] = {}
        for ranks in (keyword, [i for i, _ in semantic]):
            for rank, finding_id in enumerate(ranks, start=1):
                fused[finding_id] = fused.get(finding_id, 0.0) + 1.0 / (RRF_K + rank)
        ranking = sorted(fused.items(), key=lambda pair: (-pair[1], pair[0]))[:WINDOW]
    return [
        (
            finding_id,
            {
                "rank": rank,
                "score": round(score, 6),
                "similarity": (
                    None if finding_id not in similarity else round(similarity[finding_id], 4)
                ),
            },
        )
        for rank, (finding_id, score) in enumerate(ranking, start=1)
    ]


def findings_in_order(
    connection: Connection,
    authorities: AuthorityIndex,
    ranked: Sequence[tuple[int, dict[str, Any]]],
) -> list[dict[str, Any]]:
    """The findings given, in the order given, as the API's items, each with the extra keys
    given first (a finding since deleted is left out)."""
    ids = [finding_id for finding_id, _ in ranked]
    rows = {}
    if ids:
        statement = SELECT_FINDINGS.where(findings.c.id.in_(ids))
        rows = {row[0]: row for row in connection.execute(statement).all()}
    present = [(rows[i], extra) for i, extra in ranked if i in rows]
    items = findings_json(connection, authorities, [row for row, _ in present], None)
    return [{**extra, **item} for item, (_, extra) in zip(items, present, strict=True)]


def finding_exists(connection: Connection, finding_id: int) -> bool:
    statement = select(findings.c.id).where(findings.c.id == finding_id)
    return connection.execute(statement).first() is not None


RECURRENCE_STATUSES = ("raised-again", "not-raised-before", "raised-before-not-again")


def authority_issues(
    connection: Connection, authorities: AuthorityIndex, index: VectorIndex, authority_id: int
) -> list[dict[str, Any]]:
    """An authority's inspections in date order, each with the issues it raises and their
    status (`app.intelligence.recurrence`), each finding with its passage."""
    rows = connection.execute(
        SELECT_FINDINGS.where(findings.c.authority_id == authority_id).order_by(
            findings.c.start_date, findings.c.id
        )
    ).all()
    issues = [
        IssueFinding(row[0], row[1], row[3], row[4], row[9])
        for row in rows
        if raises_issue(row[4], row[9])
    ]
    positions = index.positions([issue.id for issue in issues])
    found = {int(index.ids[p]): p for p in positions}
    issues = [issue for issue in issues if issue.id in found]
    vectors = np.asarray(
        index.vectors[[found[issue.id] for issue in issues]], dtype=np.float32
    ).reshape(len(issues), -1)
    result = recurring(issues, vectors)
    items = findings_json(connection, authorities, list(rows), None)
    item_of = {item["id"]: item for item in items}
    dates = {row[1]: row[3] for row in rows}

    def brief(finding_id: int) -> dict[str, Any]:
        item = item_of[finding_id]
        return {
            "id": finding_id,
            "inspection_id": item["inspection_id"],
            "start_date": dates[item["inspection_id"]].isoformat(),
            "kind": item["kind"],
            "polarity": item["polarity"],
            "text": item["text"],
            "source": item["source"],
        }

    inspections_out = []
    for block in result:
        entries = []
        for entry in block["entries"]:
            later = None if entry["finding_id"] is None else brief(entry["finding_id"])
            earlier = [
                {**brief(finding_id), "similarity": similarity}
                for finding_id, similarity in entry["earlier"]
            ]
            entries.append({"status": entry["status"], "finding": later, "earlier": earlier})
        inspections_out.append(
            {
                "inspection_id": block["inspection_id"],
                "start_date": dates[block["inspection_id"]].isoformat(),
                "counts": {
                    status: sum(1 for e in entries if e["status"] == status)
                    for status in RECURRENCE_STATUSES
                },
                "issues": entries,
            }
        )
    return inspections_out


__all__ = [
    "CANDIDATES",
    "RECURRENCE_STATUSES",
    "authority_issues",
    "finding_exists",
    "findings_in_order",
    "nearest",
    "ranked_search",
]
