"""Keyset pagination: bounded pages in a deterministic order, an opaque `next` cursor.

A cursor holds the sort key of the last row served, so the next page starts right after it
with an indexed range condition instead of an OFFSET: a page deep in a result costs what the
first page costs, and rows loaded meanwhile never shift or repeat what was already served.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Sequence
from datetime import date
from typing import Any
from urllib.parse import urlencode

import orjson
from fastapi import Query, Request
from sqlalchemy import ColumnElement, and_, or_, tuple_
from sqlalchemy.sql.elements import KeyedColumnElement

from app.errors import ErrorDetail, InvalidParameter

DEFAULT_LIMIT = 50
MAX_LIMIT = 500

LimitQuery = Query(
    DEFAULT_LIMIT,
    ge=1,
    le=MAX_LIMIT,
    description=f"Rows per page (1 to {MAX_LIMIT})",
    examples=[DEFAULT_LIMIT],
)
CursorQuery = Query(
    None,
    description="Opaque cursor from the previous page's `next`; omit for the first page",
)


def encode_cursor(values: Sequence[Any]) -> str:
    payload = orjson.dumps([v.isoformat() if isinstance(v, date) else v for v in values])
    return base64.urlsafe_b64encode(payload).decode().rstrip("=")


def decode_cursor(token: str, types: Sequence[type]) -> tuple[Any, ...]:
    """The key a cursor holds, typed; a cursor that was not made here is a 422."""
    try:
        padded = token + "=" * (-len(token) % 4)
        values = orjson.loads(base64.urlsafe_b64decode(padded.encode()))
        if not isinstance(values, list) or len(values) != len(types):
            raise ValueError("wrong shape")
        typed = tuple(
            date.fromisoformat(value) if kind is date else kind(value)
            for value, kind in zip(values, types, strict=True)
        )
    except (ValueError, TypeError, binascii.Error, orjson.JSONDecodeError) as exc:
        raise InvalidParameter(
            "cursor: not a cursor this API issued; start again without one",
            [ErrorDetail(parameter="cursor", message="invalid cursor", input=token)],
        ) from exc
    return typed


def after(columns: Sequence[KeyedColumnElement[Any]], key: Sequence[Any]) -> ColumnElement[bool]:
    """Rows strictly after `key` in ascending order of `columns`."""
    if len(columns) == 1:
        return columns[0] > key[0]
    # Written out, rather than a row-value comparison, so both SQLite and PostgreSQL can use
    # an index on the leading column.
    clauses = []
    for index in range(len(columns)):
        equal = [columns[i] == key[i] for i in range(index)]
        clauses.append(and_(*equal, columns[index] > key[index]))
    return or_(*clauses)


def next_link(request: Request, cursor: str) -> str:
    params = [(k, v) for k, v in request.query_params.multi_items() if k != "cursor"]
    params.append(("cursor", cursor))
    return f"{request.url.path}?{urlencode(params)}"


__all__ = [
    "DEFAULT_LIMIT",
    "MAX_LIMIT",
    "CursorQuery",
    "LimitQuery",
    "after",
    "decode_cursor",
    "encode_cursor",
    "next_link",
    "tuple_",
]
