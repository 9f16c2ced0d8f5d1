"""JSON responses serialised once, by orjson, straight from rows: no per-row validation."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import orjson
from fastapi.responses import Response

if TYPE_CHECKING:
    from app.store.coverage import Coverage


def json_response(content: Any, status_code: int = 200) -> Response:
    return Response(
        orjson.dumps(content, option=orjson.OPT_NON_STR_KEYS),
        status_code=status_code,
        media_type="application/json",
    )


def coverage_fields(coverage: Coverage | None) -> dict[str, Any]:
    """`{"coverage": {...}}` for a JSON body, or nothing when there is no note."""
    return {} if coverage is None else {"coverage": coverage.json()}


def with_coverage(response: Response, coverage: Coverage | None) -> Response:
    """The coverage note as the `X-Coverage` header (`authorities_with_data=47; of=153`): a
    CSV's only place for it, and beside the JSON body's `coverage` for any client."""
    if coverage is not None:
        response.headers["X-Coverage"] = coverage.header()
    return response
