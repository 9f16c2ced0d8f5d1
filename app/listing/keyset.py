"""Keyset pagination: bounded pages in a deterministic order, an opaque `next` cursor.

A cursor holds the name of the order and the sort key of the last row served, so the next
page starts right after it with an indexed range condition instead of an OFFSET: a page deep
in a result costs what the first page costs, and rows loaded meanwhile never shift or repeat
what was already served. The total is counted from the very statement that is paged, so the
filters are written once.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any
from urllib.parse import urlencode

import orjson
from fastapi import Request
from sqlalchemy import (
    ColumnElement,
    Connection,
    Integer,
    Select,
    and_,
    bindparam,
    func,
    or_,
    select,
)

from app.http.errors import ErrorDetail, InvalidParameter
from app.http.limits import DEFAULT_LIMIT, MAX_ID, MAX_LIMIT
from app.store.prepared import parameters, prepared


def _invalid_cursor(token: str) -> InvalidParameter:
    return InvalidParameter(
        "cursor: not a cursor this API issued; start again without one",
        [ErrorDetail(parameter="cursor", message="invalid cursor", input=token)],
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
            date.fromisoformat(value) if kind is date else _typed(value, kind)
            for value, kind in zip(values, types, strict=True)
        )
    except (ValueError, TypeError, binascii.Error, orjson.JSONDecodeError) as exc:
        raise _invalid_cursor(token) from exc
    return typed


_REAL_MAX = 3.4028234663852886e38
"""The largest finite value of PostgreSQL's `real` (an IEEE single)."""


def _typed(value: Any, kind: type) -> Any:
    if kind is float and isinstance(value, int | float) and not isinstance(value, bool):
        # Every relevance score this API issues (bm25, ts_rank_cd, the RUM distance, a `real`)
        # is finite and within a `real`'s range.
        if not abs(value) <= _REAL_MAX:
            raise ValueError("out of range")
        return float(value)
    if not isinstance(value, kind) or isinstance(value, bool):
        raise TypeError(f"expected {kind.__name__}")
    if isinstance(value, str) and "\x00" in value:  # no database text can hold one
        raise ValueError("NUL in a text")
    if isinstance(value, int) and not -MAX_ID - 1 <= value <= MAX_ID:  # beyond the columns
        raise ValueError("out of range")
    return value


@dataclass(frozen=True)
class Keyset:
    """An order with a unique key: its columns (the last one unique), all ascending or all
    descending, and the Python types of their values, for the cursor."""

    name: str
    columns: tuple[ColumnElement[Any], ...]
    types: tuple[type, ...]
    descending: bool = False
    ranked_in_index: bool = False
    """The database reads rows in the first column's order from an index (PostgreSQL's RUM
    distance) but cannot add the rest of the key to that order: a page is then the index's
    first rows in that order, with every row tied with the last, sorted by the whole key."""

    def over(self, source: Any) -> Keyset:
        """This order on the same-named columns of `source` (a subquery of the statement)."""
        return replace(self, columns=tuple(source.c[c.key] for c in self.columns),
                       ranked_in_index=False)  # fmt: skip

    def order_by(self) -> list[ColumnElement[Any]]:
        return [column.desc() if self.descending else column.asc() for column in self.columns]

    def after(self, key: Sequence[Any]) -> ColumnElement[bool]:
        """Rows strictly after `key` in this order.

        Written `a >= k AND (a > k OR (b ... ))` rather than as a row-value comparison, so
        both SQLite and PostgreSQL can range-scan an index on the leading column even when
        the columns come from different tables."""

        def beyond(column: ColumnElement[Any], value: Any) -> ColumnElement[bool]:
            condition: ColumnElement[bool] = column < value if self.descending else column > value
            return condition

        def at_or_beyond(column: ColumnElement[Any], value: Any) -> ColumnElement[bool]:
            condition: ColumnElement[bool] = column <= value if self.descending else column >= value
            return condition

        condition = beyond(self.columns[-1], key[-1])
        for column, value in zip(self.columns[-2::-1], key[-2::-1], strict=True):
            condition = and_(at_or_beyond(column, value), or_(beyond(column, value), condition))
        return condition

    def encode(self, row: Any) -> str:
        return encode_cursor([self.name, *(row._mapping[c] for c in self.columns)])

    def encode_values(self, values: Sequence[Any]) -> str:
        """The cursor after a row whose key is `values` (a date may be its ISO text)."""
        return encode_cursor([self.name, *values])

    def decode(self, token: str) -> tuple[Any, ...]:
        name, *key = decode_cursor(token, (str, *self.types))
        if name != self.name:
            raise _invalid_cursor(token)
        return tuple(key)


@dataclass(frozen=True, slots=True)
class Page:
    rows: list[Any]
    total: int | None
    limit: int
    next: str | None


def count_of(
    connection: Connection, statement: Select[Any], params: Mapping[str, Any] | None = None
) -> int:
    """Rows of `statement`, counted by the database from that same statement."""
    total = connection.scalar(_counted(statement), dict(params or {}))
    return int(total or 0)


def _counted(statement: Select[Any]) -> Select[Any]:
    return select(func.count()).select_from(statement.order_by(None).subquery())


def paginate(
    connection: Connection,
    request: Request,
    statement: Select[Any],
    keyset: Keyset,
    limit: int,
    cursor: str | None,
    *,
    count: bool = True,
    params: Mapping[str, Any] | None = None,
    shape: Hashable | None = None,
) -> Page:
    """One page of `statement` in `keyset` order, after `cursor`, with the total of the
    whole statement (unless `count` is false) and the link to the next page. `params`: the
    values of the statement's parameters. `shape`: the statement is the one built for this
    shape, so the page's and the count's SQL are compiled once for it (`prepared`)."""
    if shape is not None and not keyset.ranked_in_index:
        return _prepared_page(connection, request, statement, keyset, limit, cursor, count,
                              params or {}, shape)  # fmt: skip
    total = count_of(connection, statement, params) if count else None
    if cursor:
        statement = statement.where(keyset.after(keyset.decode(cursor)))
    if keyset.ranked_in_index:
        # The rows with the limit + 1 smallest first values, ties included, hold the page
        # whatever the rest of the key: the index gives them without reading the others.
        leading = keyset.order_by()[0]
        ranked = statement.order_by(leading).fetch(limit + 1, with_ties=True).subquery("ranked")
        keyset = keyset.over(ranked)
        statement = select(*ranked.c)
    statement = statement.order_by(*keyset.order_by()).limit(limit + 1)
    rows = connection.execute(statement, dict(params or {})).all()
    page, more = rows[:limit], len(rows) > limit
    next_page = next_link(request, keyset.encode(page[-1])) if more else None
    return Page(list(page), total, limit, next_page)


def _prepared_page(
    connection: Connection,
    request: Request,
    statement: Select[Any],
    keyset: Keyset,
    limit: int,
    cursor: str | None,
    count: bool,
    params: Mapping[str, Any],
    shape: Hashable,
) -> Page:
    """`paginate` for a statement of a shape: the same SQL, compiled once, run on the
    driver's connection (rows as plain tuples)."""
    total = None
    if count:
        counted = prepared((shape, "count"), connection, lambda: _counted(statement))
        total = int(counted.rows(connection, params)[0][0])
    values = dict(params)
    if cursor:
        values.update((f"after_{i}", value) for i, value in enumerate(keyset.decode(cursor)))

    def page_statement() -> Select[Any]:
        paged = statement
        if cursor:
            paged = paged.where(keyset.after(parameters("after", keyset.columns)))
        return paged.order_by(*keyset.order_by()).limit(bindparam("limit", type_=Integer))

    values["limit"] = limit + 1
    page_sql = prepared((shape, keyset.name, bool(cursor)), connection, page_statement)
    rows = page_sql.rows(connection, values)
    page, more = rows[:limit], len(rows) > limit
    next_page = None
    if more:
        last = page[-1]
        key = [last[page_sql.position(str(column.key))] for column in keyset.columns]
        next_page = next_link(request, keyset.encode_values(key))
    return Page(page, total, limit, next_page)


def next_link(request: Request, cursor: str, parameter: str = "cursor") -> str:
    """The request's own path and parameters, with `parameter` set to `cursor`. The path is
    `request.url.path` without making the whole URL (a third of this function's time)."""
    params = [(k, v) for k, v in request.query_params.multi_items() if k != parameter]
    params.append((parameter, cursor))
    path = request.scope["path"].replace("?", "%3F").replace("#", "%23").replace("\\", "%5C")
    return f"{path}?{urlencode(params)}"


__all__ = [
    "DEFAULT_LIMIT",
    "MAX_LIMIT",
    "Keyset",
    "Page",
    "count_of",
    "decode_cursor",
    "encode_cursor",
    "next_link",
    "paginate",
]
