"""Findings intelligence: similar findings, semantic and hybrid search, recurring issues.

Every finding has an embedding (app/intelligence); these routes rank by it."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

import numpy as np
from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import Response
from sqlalchemy import Connection, select

from app.errors import ErrorDetail, InvalidParameter, NotFound
from app.export import (
    FormatQuery,
    OutputFormat,
    csv_response,
    flatten,
    representation,
    rows_csv,
)
from app.intelligence.embedding import embedding_model
from app.intelligence.modes import WINDOW, SearchMode
from app.intelligence.recurrence import IssueFinding, measured, raises_issue, recurring, threshold
from app.intelligence.schemas import RecurringIssues, SimilarFindings
from app.intelligence.search import nearest, vector_index
from app.limits import MAX_ID
from app.pagination import decode_cursor, encode_cursor
from app.queries import FindingFilters, authority_index_of, engine_of, findings
from app.responses import json_response
from app.routes.docs import documented
from app.routes.findings import (
    _COLUMNS,
    CSV_COLUMNS,
    FindingSort,
    findings_json,
    findings_statement,
    with_theme_scores,
)

router = APIRouter(tags=["intelligence"])

SIMILAR_CSV_COLUMNS = ["similarity", *CSV_COLUMNS]
SIMILAR_CSV_EXAMPLE = (
    ",".join(SIMILAR_CSV_COLUMNS) + "\r\n"
    "0.8309,10385,136,milton-keynes,Milton Keynes,2021,recommendation,What needs to improve?,"
    ",,,neutral,1.0,The consistency of the quality of assessments and plans for children in "
    "need.,child-in-need;assessment,0.9537;0.9406,137,2339,2416\r\n"
)
RECURRING_CSV_EXAMPLE = (
    "inspection_id,start_date,status,finding_id,finding_kind,finding_text,earlier_id,"
    "earlier_inspection_id,earlier_start_date,earlier_text,similarity\r\n"
    "4,2013-03-11,raised-again,107,narrative,The quality of practice is inadequate. ...,16,1,"
    '2010-07-20,"Although no children were found to be at risk, the quality of ...",0.7041\r\n'
)
SEARCH_CSV_COLUMNS = ["rank", "score", "similarity", *CSV_COLUMNS]
RRF_K = 60
"""Reciprocal rank fusion's constant (Cormack, Clarke and Büttcher, 2009): a finding's
hybrid score is the sum over the two rankings of 1 / (60 + its rank)."""


def _rows_by_id(connection: Connection, ids: list[int]) -> dict[int, Any]:
    if not ids:
        return {}
    rows = connection.execute(select(*_COLUMNS).where(findings.c.id.in_(ids))).all()
    return {row[0]: row for row in rows}


def _items(
    connection: Connection, request: Request, ranked: list[tuple[int, dict[str, Any]]]
) -> list[dict[str, Any]]:
    """Findings in the order given, each with the extra keys given."""
    rows = _rows_by_id(connection, [finding_id for finding_id, _ in ranked])
    present = [(rows[i], extra) for i, extra in ranked if i in rows]
    items = findings_json(connection, authority_index_of(request), [r for r, _ in present], None)
    return [{**extra, **item} for item, (_, extra) in zip(items, present, strict=True)]


@router.get(
    "/findings/{finding_id}/similar",
    response_model=SimilarFindings,
    summary="The findings most like this one, across authorities",
    responses=documented(
        {"finding_id": 59, "model": None, "items": []}, csv=SIMILAR_CSV_EXAMPLE, not_found=True
    ),
)
def similar_findings(
    request: Request,
    filters: Annotated[FindingFilters, Depends()],
    finding_id: int = Path(ge=1, le=MAX_ID, description="The finding's id", examples=[59]),
    limit: int = Query(10, ge=1, le=100, description="How many (1 to 100)", examples=[10]),
    format: OutputFormat | None = FormatQuery,
) -> Response:
    """The findings whose meaning is nearest this one's (cosine similarity of their
    embeddings, 1 for the same words), best first, each with its `similarity` and its
    `source`; never the finding itself. Every filter of `GET /findings` applies
    (`authority=` for one authority's, `kind=weakness` for weaknesses only, `q` for those
    with those words ...). With `format=csv`, a CSV with a `similarity` column."""
    engine = engine_of(request)
    with engine.connect() as connection:
        row = connection.execute(select(*_COLUMNS).where(findings.c.id == finding_id)).first()
        if row is None:
            raise NotFound(f"No finding with id {finding_id}")
        index = vector_index(request, connection)
        vector = index.vector(finding_id)
        if vector is None:
            raise NotFound(f"Finding {finding_id} has no embedding yet: run python -m seed reparse")
        ranked = nearest(connection, request, index, vector, filters, limit, exclude=[finding_id])
        items = _items(connection, request, [(i, {"similarity": round(s, 4)}) for i, s in ranked])
    if representation(request) is OutputFormat.CSV:
        return csv_response(
            f"finding-{finding_id}-similar.csv",
            SIMILAR_CSV_COLUMNS,
            [[flatten(with_theme_scores(item)) for item in items]],
        )
    return json_response(
        {
            "finding_id": finding_id,
            "model": index.models[0] if index.models else None,
            "items": items,
        }
    )


def _keyword_ids(connection: Connection, request: Request, filters: FindingFilters) -> list[int]:
    statement, keyset = findings_statement(
        connection, request, filters, FindingSort.RELEVANCE, first_page=WINDOW
    )
    statement = statement.order_by(*keyset.order_by()).limit(WINDOW)
    return [row[0] for row in connection.execute(statement)]


def ranked_search(
    request: Request,
    filters: FindingFilters,
    mode: SearchMode,
    limit: int,
    cursor: str | None,
) -> Response:
    """`GET /findings?q=...&mode=semantic|hybrid`: the findings nearest `q` in meaning, or
    that ranking and the keyword ranking merged; every other filter applies."""
    search = filters.search
    if search is None:
        raise InvalidParameter(
            f"mode: {mode.value} needs a search: add q",
            [ErrorDetail(parameter="mode", message="needs q", input=mode.value)],
        )
    offset = 0
    if cursor:
        (name, offset) = decode_cursor(cursor, (str, int))
        if name != mode.value or offset < 0:
            raise InvalidParameter(
                "cursor: not a cursor of this search",
                [ErrorDetail(parameter="cursor", message="not of this search", input=cursor)],
            )
    query_text = request.query_params.get("q", "")
    engine = engine_of(request)
    with engine.connect() as connection:
        index = vector_index(request, connection)
        vector = embedding_model().embed_one(query_text)
        semantic = nearest(
            connection, request, index, vector, filters, WINDOW, keyword_filter=False
        )
        similarity = dict(semantic)
        if mode is SearchMode.SEMANTIC:
            ranking = [(i, s) for i, s in semantic]
        else:
            keyword = _keyword_ids(connection, request, filters)
            fused: dict[int, float] = {}
            for ranks in (keyword, [i for i, _ in semantic]):
                for rank, finding_id in enumerate(ranks, start=1):
                    fused[finding_id] = fused.get(finding_id, 0.0) + 1.0 / (RRF_K + rank)
            ranking = sorted(fused.items(), key=lambda pair: (-pair[1], pair[0]))[:WINDOW]

        def extra(rank: int, finding_id: int, score: float) -> dict[str, Any]:
            known = similarity.get(finding_id)
            return {
                "rank": rank,
                "score": round(score, 6),
                "similarity": None if known is None else round(known, 4),
            }

        if representation(request) is OutputFormat.CSV:
            every = [(f, extra(n + 1, f, s)) for n, (f, s) in enumerate(ranking)]
            rows = [flatten(with_theme_scores(i)) for i in _items(connection, request, every)]
            return csv_response("findings.csv", SEARCH_CSV_COLUMNS, [rows])
        page = ranking[offset : offset + limit]
        extras = [(f, extra(offset + n + 1, f, s)) for n, (f, s) in enumerate(page)]
        items = _items(connection, request, extras)
    following = offset + limit
    next_link = None
    if following < len(ranking):
        params = [(k, v) for k, v in request.query_params.multi_items() if k != "cursor"]
        params.append(("cursor", encode_cursor([mode.value, following])))
        next_link = f"{request.url.path}?{urlencode(params)}"
    response = json_response(
        {
            "items": items,
            "total": len(ranking),
            "limit": limit,
            "next": next_link,
            "mode": mode.value,
        }
    )
    if next_link is not None:
        response.headers["Link"] = f'<{next_link}>; rel="next"'
    return response


__all__ = ["ranked_search", "router"]


@router.get(
    "/authorities/{key}/recurring",
    response_model=RecurringIssues,
    summary="An authority's recurring issues: what earlier inspections had already raised",
    responses=documented(
        {
            "authority": {"slug": "cheshire-east", "name": "Cheshire East"},
            "threshold": 0.65,
            "measured": {
                "precision": 0.6875,
                "recall": 0.2558,
                "judged_pairs": 175,
                "target_precision": 0.9,
                "method": "docs/intelligence.md: pairs judged by a reader, threshold chosen on "
                "other pairs",
            },
            "inspections": [],
        },
        csv=RECURRING_CSV_EXAMPLE,
        not_found=True,
    ),
)
def recurring_issues(
    request: Request,
    key: str = Path(description="The authority's slug or ONS code", examples=["cheshire-east"]),
    format: OutputFormat | None = FormatQuery,
) -> Response:
    """For each inspection of the authority, in date order, each issue it raises (a
    weakness, recommendation, priority action, or negative or mixed narrative finding) with
    its status: `raised-again` (an earlier inspection of this authority, of any framework,
    raised the same issue: those earlier findings are given, each with its passage and
    similarity), `not-raised-before`, or, for the issues of the inspection just before,
    `raised-before-not-again` (this inspection raises it no more). Two issues are the same
    when their embeddings' similarity is at least `threshold`, chosen on labelled pairs
    (`python -m training.recurrence_threshold`, docs/intelligence.md)."""
    with engine_of(request).connect() as connection:
        authority = authority_index_of(request).lookup(connection, key)
        if authority is None:
            raise NotFound(f"No authority {key!r}")
        index = vector_index(request, connection)
        rows = connection.execute(
            select(*_COLUMNS)
            .where(findings.c.authority_id == authority.id)
            .order_by(findings.c.start_date, findings.c.id)
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
        items = findings_json(connection, authority_index_of(request), list(rows), None)
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
    if representation(request) is OutputFormat.CSV:
        rows_out = []
        for block in inspections_out:
            for entry in block["issues"]:
                for earlier in entry["earlier"] or [None]:
                    later = entry["finding"] or {}
                    rows_out.append(
                        {
                            "inspection_id": block["inspection_id"],
                            "start_date": block["start_date"],
                            "status": entry["status"],
                            "finding_id": later.get("id"),
                            "finding_kind": later.get("kind"),
                            "finding_text": later.get("text"),
                            "earlier_id": earlier and earlier["id"],
                            "earlier_inspection_id": earlier and earlier["inspection_id"],
                            "earlier_start_date": earlier and earlier["start_date"],
                            "earlier_text": earlier and earlier["text"],
                            "similarity": earlier and earlier["similarity"],
                        }
                    )
        return rows_csv(f"{authority.slug}-recurring.csv", RECURRING_CSV_COLUMNS, rows_out)
    return json_response(
        {
            "authority": {"slug": authority.slug, "name": authority.name},
            "threshold": threshold(),
            "measured": measured(),
            "inspections": inspections_out,
        }
    )


RECURRENCE_STATUSES = ("raised-again", "not-raised-before", "raised-before-not-again")
RECURRING_CSV_COLUMNS = [
    "inspection_id",
    "start_date",
    "status",
    "finding_id",
    "finding_kind",
    "finding_text",
    "earlier_id",
    "earlier_inspection_id",
    "earlier_start_date",
    "earlier_text",
    "similarity",
]
