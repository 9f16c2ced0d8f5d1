"""CSV export: every list, facet and statistics endpoint also answers as CSV.

Ask with `format=csv` or `Accept: text/csv`. A CSV holds every row that matches the filters,
not one page: rows are read from the database in batches (a server-side cursor on
PostgreSQL) and written out as they come, so memory stays flat however many rows match.
Each CSV row is the JSON item of the same endpoint, flattened: nested objects become
`parent_key` columns and lists of ids are joined with `;`.

Every text cell that a spreadsheet could take for a formula is neutralised, as OWASP's
CSV-injection guidance advises: a cell that starts with `=`, `+`, `-`, `@`, a tab or a
carriage return gets a `'` in front (`=HYPERLINK(...)` is written `'=HYPERLINK(...)`), so
Excel, LibreOffice and Google Sheets show it as text. Numbers are written as numbers. The
one CSV writer below does this for every CSV the service writes.

Streaming (a slot per export, errors before the first byte, the trailer after it, the write
time-out) is app/http/streaming.py.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from datetime import datetime
from enum import StrEnum
from types import UnionType
from typing import Any, Union, get_args, get_origin

from fastapi import Request
from pydantic import BaseModel
from sqlalchemy import Connection, Select
from sqlalchemy.engine import Engine

from app.http.streaming import ExportResponse

CSV_MEDIA_TYPE = "text/csv; charset=utf-8"
CSV_BATCH = 1000
"""Rows fetched from the database per round trip while streaming a CSV."""


class OutputFormat(StrEnum):
    JSON = "json"
    CSV = "csv"


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


FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
"""OWASP: cells starting with these are read as formulas by spreadsheet programs."""


def neutralise(cell: Any) -> Any:
    """A text cell that a spreadsheet would take for a formula, made text: `'` in front."""
    if isinstance(cell, str) and cell.startswith(FORMULA_TRIGGERS):
        return "'" + cell
    return cell


def csv_value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ";".join(
            str(item["id"] if isinstance(item, dict) else csv_value(item)) for item in value
        )
    if isinstance(value, datetime):  # ISO 8601, as in the JSON (str() puts a space for T)
        return value.isoformat()
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


def csv_columns(
    model: type[BaseModel],
    *,
    after: Mapping[str, Sequence[str]] | None = None,
    without: Collection[str] = (),
) -> list[str]:
    """The CSV columns of a response model's items, as `flatten` makes them: a nested model's
    fields become `parent_field` columns, anything else (lists too) one column. `after`:
    columns a CSV adds after a field's; `without`: fields a CSV leaves out."""
    columns: list[str] = []
    for name, info in model.model_fields.items():
        if name in without:
            continue
        nested = _model_of(info.annotation)
        if nested is None:
            columns.append(name)
        else:
            columns.extend(f"{name}_{column}" for column in csv_columns(nested))
        columns.extend((after or {}).get(name, ()))
    return columns


def _model_of(annotation: Any) -> type[BaseModel] | None:
    """The model an annotation holds (through Optional), or None."""
    members = [a for a in get_args(annotation) if a is not type(None)]
    if get_origin(annotation) in (Union, UnionType) and len(members) == 1:
        annotation = members[0]
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    return None


def csv_lines(columns: Sequence[str], batches: Iterable[Iterable[dict[str, Any]]]) -> Iterator[str]:
    """The header, then one chunk of text per batch of flattened rows, every cell
    neutralised."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([neutralise(column) for column in columns])
    yield buffer.getvalue()
    for batch in batches:
        buffer.seek(0)
        buffer.truncate()
        for row in batch:
            writer.writerow([neutralise(row.get(column, "")) for column in columns])
        yield buffer.getvalue()


class DatabaseRows:
    """Batches of rows read from the database as they are streamed: iterating holds a
    connection (so the export needs a slot), `close` gives it back."""

    def __init__(self, batches: Iterator[list[dict[str, Any]]]) -> None:
        self._batches = batches

    def __iter__(self) -> Iterator[list[dict[str, Any]]]:
        return self._batches

    def close(self) -> None:
        close = getattr(self._batches, "close", None)
        if close is not None:
            close()


def csv_response(
    filename: str, columns: Sequence[str], batches: Iterable[Iterable[dict[str, Any]]]
) -> ExportResponse:
    """Stream flattened rows as CSV. `batches` is either rows in memory or `stream(...)`,
    which holds its database connection open until the last batch (app/http/streaming.py)."""
    holds_connection = isinstance(batches, DatabaseRows)
    return ExportResponse(
        csv_lines(columns, batches),
        filename=filename,
        holds_connection=holds_connection,
        close=batches.close if isinstance(batches, DatabaseRows) else None,
    )


def rows_csv(
    filename: str, columns: Sequence[str], items: Iterable[dict[str, Any]]
) -> ExportResponse:
    """A CSV of items already in memory (aggregates: facets, statistics, timelines)."""
    return csv_response(filename, columns, [[flatten(item) for item in items]])


def stream(
    engine: Engine,
    statement: Select[Any],
    convert: Callable[[Connection, list[Any]], Iterable[dict[str, Any]]],
    params: Mapping[str, Any] | None = None,
) -> DatabaseRows:
    """Every row of `statement`, CSV_BATCH rows per round trip on one connection (a
    server-side cursor on PostgreSQL), each batch converted (in as few statements as the
    caller needs for nested data) and flattened. The connection is closed at the end, or
    when the export ends early and closes the rows."""

    def batches() -> Iterator[list[dict[str, Any]]]:
        with engine.connect() as connection:
            options = connection.execution_options(yield_per=CSV_BATCH)
            result = options.execute(statement, dict(params or {}))
            for rows in result.partitions(CSV_BATCH):
                yield [flatten(item) for item in convert(connection, list(rows))]

    return DatabaseRows(batches())


__all__ = [
    "CSV_BATCH",
    "CSV_MEDIA_TYPE",
    "DatabaseRows",
    "OutputFormat",
    "csv_columns",
    "csv_response",
    "flatten",
    "neutralise",
    "representation",
    "rows_csv",
    "stream",
]
