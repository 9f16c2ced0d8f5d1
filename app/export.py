"""CSV export: every list, facet and statistics endpoint also answers as CSV.

Ask with `format=csv` or `Accept: text/csv`. A CSV holds every row that matches the filters,
not one page: rows are read from the database in batches (a server-side cursor on
PostgreSQL) and written out as they come, so memory stays flat however many rows match.
Each CSV row is the JSON item of the same endpoint, flattened: nested objects become
`parent_key` columns and lists of ids are joined with `;`.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator, Sequence
from enum import StrEnum
from typing import Any

from fastapi import Query, Request
from fastapi.responses import StreamingResponse
from sqlalchemy import Connection, Select
from sqlalchemy.engine import Engine

CSV_MEDIA_TYPE = "text/csv; charset=utf-8"
CSV_BATCH = 1000
"""Rows fetched from the database per round trip while streaming a CSV."""


class OutputFormat(StrEnum):
    JSON = "json"
    CSV = "csv"


FormatQuery = Query(
    None,
    description="`csv` for a CSV of every matching row (the same as `Accept: text/csv`); "
    "JSON by default",
    examples=["csv"],
)


def representation(request: Request) -> OutputFormat:
    """CSV when `format=csv`, or when no `format` is given and the Accept header prefers
    text/csv to JSON; JSON otherwise. An invalid `format` is left for validation to reject."""
    given = request.query_params.get("format")
    if given is not None:
        return OutputFormat.CSV if given == OutputFormat.CSV else OutputFormat.JSON
    accept = request.headers.get("accept", "")
    for part in accept.split(","):
        media = part.split(";", 1)[0].strip().lower()
        if media == "text/csv":
            return OutputFormat.CSV
        if media in ("application/json", "application/*"):
            return OutputFormat.JSON
    return OutputFormat.JSON


def csv_value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ";".join(
            str(item["id"] if isinstance(item, dict) else csv_value(item)) for item in value
        )
    return value if isinstance(value, int | float) else str(value)


def flatten(item: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """A JSON item as one CSV row: {"authority": {"slug": x}} -> {"authority_slug": x}."""
    row: dict[str, Any] = {}
    for key, value in item.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            row.update(flatten(value, f"{name}_"))
        else:
            row[name] = csv_value(value)
    return row


def csv_lines(columns: Sequence[str], batches: Iterable[Iterable[dict[str, Any]]]) -> Iterator[str]:
    """The header, then one chunk of text per batch of flattened rows."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns)
    yield buffer.getvalue()
    for batch in batches:
        buffer.seek(0)
        buffer.truncate()
        for row in batch:
            writer.writerow([row.get(column, "") for column in columns])
        yield buffer.getvalue()


def csv_response(
    filename: str, columns: Sequence[str], batches: Iterable[Iterable[dict[str, Any]]]
) -> StreamingResponse:
    """Stream flattened rows as CSV. `batches` is typically a generator that holds its
    database connection open until the last batch, and closes it if the client goes away."""
    return StreamingResponse(
        csv_lines(columns, batches),
        media_type=CSV_MEDIA_TYPE,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def rows_csv(
    filename: str, columns: Sequence[str], items: Iterable[dict[str, Any]]
) -> StreamingResponse:
    """A CSV of items already in memory (aggregates: facets, statistics, timelines)."""
    return csv_response(filename, columns, [[flatten(item) for item in items]])


def stream(
    engine: Engine,
    statement: Select[Any],
    convert: Callable[[Connection, list[Any]], Iterable[dict[str, Any]]],
) -> Iterator[list[dict[str, Any]]]:
    """Every row of `statement`, CSV_BATCH rows per round trip on one connection (a
    server-side cursor on PostgreSQL), each batch converted (in as few statements as the
    caller needs for nested data) and flattened. The connection is closed at the end, or
    when the client goes away and the generator is closed."""
    with engine.connect() as connection:
        result = connection.execution_options(yield_per=CSV_BATCH).execute(statement)
        for rows in result.partitions():
            yield [flatten(item) for item in convert(connection, list(rows))]


__all__ = [
    "CSV_BATCH",
    "CSV_MEDIA_TYPE",
    "FormatQuery",
    "OutputFormat",
    "csv_response",
    "flatten",
    "representation",
    "rows_csv",
    "stream",
]
