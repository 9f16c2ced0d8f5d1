"""One list response, for every list: a keyset page in the envelope `{items, total, limit,
next}` with a `Link: rel="next"` header, or, with `format=csv` or `Accept: text/csv`, a CSV of
every matching row (streamed, from the cursor on when one is given), with the coverage note
(`X-Coverage`, and `coverage` in the envelope) when the list spans authorities.

A route says what its list is (`Listing`: a statement, the order to page it in, how a page
of rows becomes items, and the coverage note) and how its CSV is called (`CsvTable`); this
module answers.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from fastapi import Request
from fastapi.responses import Response
from sqlalchemy import Connection, Select

from app.http.connections import connection_of, engine_of
from app.http.responses import coverage_fields, json_response, with_coverage
from app.listing.export import OutputFormat, csv_response, representation, stream
from app.listing.keyset import Keyset, Page, paginate

if TYPE_CHECKING:
    from app.params import ListQuery
    from app.store.coverage import Coverage

Items = Callable[[Connection, Sequence[Any]], Iterable[dict[str, Any]]]
"""A page (or a CSV batch) of rows as the API's items, in as few statements as it needs."""


@dataclass(frozen=True, slots=True)
class Listing:
    """A list: its statement, the order to page it in, how a page of rows becomes items, its
    coverage note, the values of the statement's parameters, and its shape when the
    statement is built once per shape (`app.store.prepared`: a page then runs on the driver's
    connection, its SQL compiled once)."""

    statement: Select[Any]
    keyset: Keyset
    items: Items
    coverage: Coverage | None = None
    params: Mapping[str, Any] = field(default_factory=dict)
    shape: Hashable | None = None


@dataclass(frozen=True, slots=True)
class CsvTable:
    """A list's CSV: its file name, its columns, and the item as a row (flattened after)."""

    filename: str
    columns: Sequence[str]
    row: Callable[[dict[str, Any]], dict[str, Any]] = field(default=lambda item: item)


def page_response(items: list[Any], page: Page, **extra: Any) -> Response:
    """The page envelope `{items, total, limit, next}` as JSON, with a `Link: rel="next"`
    header (RFC 8288) when there is a next page."""
    response = json_response(
        {"items": items, "total": page.total, "limit": page.limit, "next": page.next, **extra}
    )
    if page.next is not None:
        response.headers["Link"] = f'<{page.next}>; rel="next"'
    return response


def list_response(
    request: Request,
    query: ListQuery,
    build: Callable[[Connection, int | None], Listing],
    csv: CsvTable | Callable[[Listing], CsvTable],
    extra: Mapping[str, Any] | None = None,
) -> Response:
    """The list `build` makes (with a connection, and the number of rows the first page
    needs when nothing else is asked for: no cursor, no total, JSON), as a page or a CSV.
    `extra`: keys the JSON envelope adds."""
    if representation(request) is OutputFormat.CSV:
        with connection_of(request) as connection:
            listing = build(connection, None)
        table = csv if isinstance(csv, CsvTable) else csv(listing)
        statement, keyset = listing.statement, listing.keyset
        if query.cursor:
            statement = statement.where(keyset.after(keyset.decode(query.cursor)))
        convert = listing.items
        row = table.row
        batches = stream(
            engine_of(request),
            statement.order_by(*keyset.order_by()),
            lambda connection, rows: [row(item) for item in convert(connection, rows)],
            listing.params,
        )
        response: Response = csv_response(table.filename, table.columns, batches)
        return with_coverage(response, listing.coverage)
    with connection_of(request) as connection:
        first_page = None if query.cursor or query.count else query.limit + 1
        listing = build(connection, first_page)
        page = paginate(
            connection,
            request,
            listing.statement,
            listing.keyset,
            query.limit,
            query.cursor,
            count=query.count,
            params=listing.params,
            shape=listing.shape,
        )
        items = list(listing.items(connection, page.rows))
    envelope = page_response(items, page, **coverage_fields(listing.coverage), **(extra or {}))
    return with_coverage(envelope, listing.coverage)


__all__ = ["CsvTable", "Items", "Listing", "list_response", "page_response"]
