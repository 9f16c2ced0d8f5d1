"""The coverage note of the lists that span authorities (app/coverage.py): computed once per
data version and set of filters, from the version `app/caching.py` read for the request."""

from __future__ import annotations

from fastapi import Request
from sqlalchemy import Connection

from app.coverage import Coverage, CoverageCache
from app.queries import InspectionFilters, authority_index_of


def coverage_note(
    request: Request, connection: Connection, filters: InspectionFilters
) -> Coverage | None:
    """The note for `filters`; None when they name authorities."""
    cache: CoverageCache = request.app.state.coverage
    version: int | None = getattr(request.state, "data_version", None)
    return cache.note(connection, authority_index_of(request), filters, version)


__all__ = ["coverage_note"]
