"""Findings intelligence: similar findings and recurring issues (the semantic and hybrid
searches are `GET /findings?mode=`).

Every finding has an embedding (app/intelligence); these routes rank by it, through
`app.store.similar`."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response

from app.http.errors import NotFound
from app.http.limits import MAX_ID
from app.http.responses import json_response
from app.http.state import authority_index_of, connection_of, vector_index_of
from app.intelligence.recurrence import measured, threshold
from app.listing.export import OutputFormat, representation, rows_csv
from app.params import Formatted, SimilarQuery
from app.schemas.documented import documented
from app.schemas.intelligence import RecurringIssues, SimilarFindings
from app.schemas.resources import FINDING_CSV_COLUMNS
from app.store.findings import with_theme_scores
from app.store.similar import authority_issues, finding_exists, findings_in_order, nearest

router = APIRouter(tags=["intelligence"])

SIMILAR_CSV_COLUMNS = ["similarity", *FINDING_CSV_COLUMNS]
SIMILAR_CSV_EXAMPLE = (
    ",".join(SIMILAR_CSV_COLUMNS) + "\r\n"
    "0.8309,10385,136,milton-keynes,Milton Keynes,2021,recommendation,What needs to improve?,"
    ",,,neutral,1.0,The consistency of the quality of assessments and plans for children in "
    "need.,child-in-need;assessment,0.9537;0.9406,137,2339,2416\r\n"
)
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
RECURRING_CSV_EXAMPLE = (
    "inspection_id,start_date,status,finding_id,finding_kind,finding_text,earlier_id,"
    "earlier_inspection_id,earlier_start_date,earlier_text,similarity\r\n"
    "4,2013-03-11,raised-again,107,narrative,The quality of practice is inadequate. ...,16,1,"
    '2010-07-20,"Although no children were found to be at risk, the quality of ...",0.7041\r\n'
)


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
    query: Annotated[SimilarQuery, Query()],
    finding_id: int = Path(ge=1, le=MAX_ID, description="The finding's id", examples=[59]),
) -> Response:
    """The findings whose meaning is nearest this one's (cosine similarity of their
    embeddings, 1 for the same words), best first, each with its `similarity` and its
    `source`; never the finding itself. Every filter of `GET /findings` applies
    (`authority=` for one authority's, `kind=weakness` for weaknesses only, `q` for those
    with those words ...). With `format=csv`, a CSV with a `similarity` column."""
    authorities = authority_index_of(request)
    with connection_of(request) as connection:
        if not finding_exists(connection, finding_id):
            raise NotFound(f"No finding with id {finding_id}")
        index = vector_index_of(request, connection)
        vector = index.vector(finding_id)
        if vector is None:
            raise NotFound(f"Finding {finding_id} has no embedding yet: run python -m seed reparse")
        ranked = nearest(
            connection, authorities, index, vector, query, query.limit, exclude=[finding_id]
        )
        similar = [(i, {"similarity": round(s, 4)}) for i, s in ranked]
        items = findings_in_order(connection, authorities, similar)
    if representation(request) is OutputFormat.CSV:
        return rows_csv(
            f"finding-{finding_id}-similar.csv",
            SIMILAR_CSV_COLUMNS,
            map(with_theme_scores, items),
        )
    model = index.models[0] if index.models else None
    return json_response({"finding_id": finding_id, "model": model, "items": items})


def _recurring_csv(blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per issue and earlier finding (an issue raised before no more: one row)."""
    rows = []
    for block in blocks:
        for entry in block["issues"]:
            for earlier in entry["earlier"] or [None]:
                later = entry["finding"] or {}
                rows.append(
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
    return rows


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
    query: Annotated[Formatted, Query()],
    key: str = Path(description="The authority's slug or ONS code", examples=["cheshire-east"]),
) -> Response:
    """For each inspection of the authority, in date order, each issue it raises (a
    weakness, recommendation, priority action, or negative or mixed narrative finding) with
    its status: `raised-again` (an earlier inspection of this authority, of any framework,
    raised the same issue: those earlier findings are given, each with its passage and
    similarity), `not-raised-before`, or, for the issues of the inspection just before,
    `raised-before-not-again` (this inspection raises it no more). Two issues are the same
    when their embeddings' similarity is at least `threshold`, chosen on labelled pairs
    (`python -m training.recurrence_threshold`, docs/intelligence.md)."""
    authorities = authority_index_of(request)
    with connection_of(request) as connection:
        authority = authorities.lookup(connection, key)
        if authority is None:
            raise NotFound(f"No authority {key!r}")
        index = vector_index_of(request, connection)
        blocks = authority_issues(connection, authorities, index, authority.id)
    if representation(request) is OutputFormat.CSV:
        rows = _recurring_csv(blocks)
        return rows_csv(f"{authority.slug}-recurring.csv", RECURRING_CSV_COLUMNS, rows)
    body = {
        "authority": {"slug": authority.slug, "name": authority.name},
        "threshold": threshold(),
        "measured": measured(),
        "inspections": blocks,
    }
    return json_response(body)


__all__ = ["router"]
