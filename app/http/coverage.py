"""The coverage note of the lists that span authorities (app/store/coverage.py): computed once per
data version and set of filters, from the version `app/http/caching.py` read for the request."""

from __future__ import annotations

from fastapi import Request
from sqlalchemy import Connection

from app.http.state import authority_index_of
from app.params import Scope
from app.store.coverage import Coverage, CoverageCache


def coverage_note(request: Request, connection: Connection, filters: Scope) -> Coverage | None:
    """The note for `filters`; None when they name authorities."""
    cache: CoverageCache = request.app.state.coverage
    version: int | None = getattr(request.state, "data_version", None)
    return cache.note(connection, authority_index_of(request), filters, version)


__all__ = ["coverage_note"]
