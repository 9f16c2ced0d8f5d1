"""Vocabularies with counts: what the `theme` and `grade` filters accept, and how often."""

from __future__ import annotations

from collections import defaultdict

from anyio import CapacityLimiter, to_thread
from fastapi import APIRouter, Request
from fastapi.responses import Response

from app.http.errors import ErrorBody
from app.http.readiness import health_report
from app.http.responses import json_response
from app.http.state import connection_of
from app.schemas import GradeCount, Health, ThemeCount, examples
from app.schemas.documented import documented
from app.store.vocabularies import grade_label_counts, theme_counts
from app.vocabulary import GRADE_LABELS, GRADE_SCORES, THEME_LABELS, Grade, Theme

router = APIRouter(tags=["vocabularies"])


@router.get(
    "/themes",
    response_model=list[ThemeCount],
    summary="Themes, with finding counts",
    responses=documented(examples.THEMES),
)
def list_themes(request: Request) -> Response:
    """Every theme id the `theme` filter accepts, its label, and how many findings carry it."""
    with connection_of(request) as connection:
        counts = theme_counts(connection)
    return json_response(
        [
            {
                "id": theme.value,
                "label": THEME_LABELS[theme],
                "findings": counts.get(theme.value, 0),
            }
            for theme in Theme
        ]
    )


@router.get(
    "/grades",
    response_model=list[GradeCount],
    summary="Grades, with their labels",
    responses=documented(examples.GRADES),
)
def list_grades(request: Request) -> Response:
    """The one grade scale across frameworks, best first, with every label documents use for
    each grade ("Adequate" and "Satisfactory" map to requires-improvement) and how many
    judgements carry it."""
    with connection_of(request) as connection:
        rows = grade_label_counts(connection)
    labels: dict[str, list[dict[str, object]]] = defaultdict(list)
    for grade, label, count in rows:
        labels[grade].append({"label": label, "judgements": count})
    return json_response(
        [
            {
                "id": grade.value,
                "label": GRADE_LABELS[grade],
                "score": GRADE_SCORES[grade],
                "judgements": sum(int(item["judgements"]) for item in labels[grade.value]),  # type: ignore[call-overload]
                "labels": labels[grade.value],
            }
            for grade in Grade
        ]
    )


@router.get(
    "/health",
    response_model=Health,
    summary="Service and database health",
    responses={
        200: {
            "content": {
                "application/json": {
                    "example": {
                        "status": "ok",
                        "database": "ok",
                        "schema_revision": "0009",
                        "data_version": 5,
                        "search_ranking": "fts5-bm25",
                    }
                }
            }
        },
        422: {"model": ErrorBody, "description": "A parameter was given: it takes none"},
        503: {
            "model": Health,
            "description": "The database cannot be reached, or is not migrated to the schema "
            "this service needs (the message says what to run)",
        },
    },
)
async def health(request: Request) -> Response:
    """`ok`, with the data version, when the service can query its database and the
    database is at the schema this code needs; 503 saying what is wrong when not."""
    # Threads of its own: when every request thread is busy with heavy queries, a load
    # balancer still gets its answer at once rather than marking the server down.
    status, body = await to_thread.run_sync(health_report, request, limiter=HEALTH_THREADS)
    return json_response(body, status)


HEALTH_THREADS = CapacityLimiter(2)
"""/health's own threads, apart from the request threads (WORKER_THREADS)."""
