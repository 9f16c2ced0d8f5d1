"""A list ranked in memory (the semantic and hybrid searches of `GET /findings`): the same
envelope `{items, total, limit, next}` and `Link` header as every list, paged by position in
the ranking (the cursor names the ranking it belongs to), or, as CSV, every ranked row."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from fastapi import Request
from fastapi.responses import Response

from app.http.errors import ErrorDetail, InvalidParameter
from app.listing import CsvTable, page_response
from app.listing.export import OutputFormat, representation, rows_csv
from app.listing.keyset import Page, decode_cursor, encode_cursor, next_link

Ranked = Sequence[tuple[int, dict[str, Any]]]
"""Ids, best first, each with the keys its item gains (rank, score ...)."""


def ranked_offset(name: str, cursor: str | None) -> int:
    """Where a page of the ranking called `name` starts: 0, or the cursor's position (a
    cursor of another ranking, or of none, is a 422)."""
    if not cursor:
        return 0
    (given, offset) = decode_cursor(cursor, (str, int))
    if given != name or offset < 0:
        raise InvalidParameter(
            "cursor: not a cursor of this search",
            [ErrorDetail(parameter="cursor", message="not of this search", input=cursor)],
        )
    return int(offset)


def ranked_response(
    request: Request,
    name: str,
    ranking: Ranked,
    items: Callable[[Ranked], list[dict[str, Any]]],
    *,
    limit: int,
    offset: int,
    csv: CsvTable,
    extra: Mapping[str, Any] | None = None,
) -> Response:
    """A page of `ranking` from `offset` (`items` makes the page's items), or its CSV."""
    if representation(request) is OutputFormat.CSV:
        return rows_csv(csv.filename, csv.columns, map(csv.row, items(ranking)))
    following = offset + limit
    more = following < len(ranking)
    next_page = next_link(request, encode_cursor([name, following])) if more else None
    page = Page(list(ranking[offset:following]), len(ranking), limit, next_page)
    return page_response(items(page.rows), page, **(extra or {}))


__all__ = ["Ranked", "ranked_offset", "ranked_response"]
