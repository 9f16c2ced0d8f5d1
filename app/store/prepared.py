"""Statements built and compiled once per shape, run on the driver's own connection.

For a list page, building a SQLAlchemy statement and having SQLAlchemy execute it cost more
CPU than the database's own work (about 0.7 ms against 0.1 for a page of one authority's
findings at 1,000,000; `python -m scripts.bench.profile`). A query's *shape* (which filters
it has, how many values each, its order, whether it starts after a cursor) decides its SQL;
only the values change from one request to the next. So a filter's values are bound
parameters with names of their own (`Bound`), the statement of a shape is built and compiled
once (`Prepared`), and each request runs that SQL on the driver's connection with its
values: the same statement SQLAlchemy would have sent, without building it again.

SQLAlchemy's `before_cursor_execute` listeners hear of each such statement (the statement
time-out starts its clock there), and a driver error is raised as SQLAlchemy raises it
(`DBAPIError`), so the error handlers and the time-out answer as on every other read.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from threading import Lock
from typing import Any, Generic, TypeVar

from sqlalchemy import BindParameter, ColumnElement, Connection, bindparam
from sqlalchemy.exc import DBAPIError
from sqlalchemy.sql import ClauseElement
from sqlalchemy.sql.compiler import SQLCompiler

T = TypeVar("T")
Group = tuple[Any, ...]
"""Some of a filter's values: one IN list, or a bound that may be absent (empty)."""


@dataclass(frozen=True, slots=True)
class Filter:
    """One filter's condition with its values as bound parameters: `condition` takes one
    list of parameters per group of values."""

    name: str
    condition: Callable[..., ColumnElement[bool]]


@dataclass(slots=True)
class Bound:
    """The filters a query has, with their values: its shape (names and counts of values,
    which decide the SQL) and its parameters (which do not)."""

    filters: list[tuple[Filter, tuple[Group, ...]]] = field(default_factory=list)
    fixed: list[ColumnElement[bool]] = field(default_factory=list)
    """Conditions with values of their own (a full-text match): a query having one has no
    shape, and is built each time."""

    def add(self, filter_: Filter, *groups: Group) -> None:
        self.filters.append((filter_, groups))

    @property
    def shape(self) -> Hashable | None:
        if self.fixed:
            return None
        return tuple((f.name, tuple(len(group) for group in groups)) for f, groups in self.filters)

    def params(self) -> dict[str, Any]:
        return {
            f"{f.name}_{g}_{i}": value
            for f, groups in self.filters
            for g, group in enumerate(groups)
            for i, value in enumerate(group)
        }

    def conditions(self) -> list[ColumnElement[bool]]:
        """The conditions, each value a parameter named as in `params`."""
        built = [
            f.condition(
                *(
                    [bindparam(f"{f.name}_{g}_{i}", value) for i, value in enumerate(group)]
                    for g, group in enumerate(groups)
                )
            )
            for f, groups in self.filters
        ]
        return [*built, *self.fixed]


def parameters(name: str, columns: Sequence[ColumnElement[Any]]) -> list[BindParameter[Any]]:
    """Parameters named `name_0`, `name_1`, ... of the columns' types (a cursor's key)."""
    return [bindparam(f"{name}_{i}", type_=column.type) for i, column in enumerate(columns)]


@dataclass(frozen=True)
class Prepared:
    """One statement compiled for one dialect: its SQL, the order of its parameters (for a
    driver that takes them by position) and their bind processors."""

    sql: str
    names: tuple[str, ...] | None
    processors: Mapping[str, Any]
    columns: tuple[str, ...]
    types: tuple[Any, ...]
    """Each column's SQL type."""
    dialect: Any
    constants: Mapping[str, Any]
    """The values of the statement's anonymous parameters (SQLAlchemy binds a constant such
    as SQLite's `OFFSET 0` as one): part of the shape, not of a request."""

    @classmethod
    def of(cls, statement: ClauseElement, connection: Connection) -> Prepared:
        compiled = statement.compile(dialect=connection.dialect)
        assert isinstance(compiled, SQLCompiler)
        processors = dict(compiled._bind_processors)
        names = tuple(compiled.positiontup) if compiled.positiontup is not None else None
        columns = tuple(column[0] for column in compiled._result_columns)
        types = tuple(column[3] for column in compiled._result_columns)
        constants = {
            name: value
            for name, value in compiled.params.items()
            if compiled.binds[name].unique  # anonymous: SQLAlchemy named it
        }
        dialect = connection.dialect
        return cls(compiled.string, names, processors, columns, types, dialect, constants)

    @cached_property
    def results(self) -> tuple[Callable[[Any], Any] | None, ...]:
        """Each column's result processor (SQLite's text to a date, say), for `typed_rows`
        (made when first asked for: some need the driver's type code, which a statement
        read with `rows` never asks for)."""
        return tuple(type_._cached_result_processor(self.dialect, None) for type_ in self.types)

    def arguments(self, params: Mapping[str, Any]) -> Any:
        params = {**self.constants, **params}
        processors = self.processors
        if processors:
            params = {
                key: processors[key](value) if key in processors and value is not None else value
                for key, value in params.items()
            }
        if self.names is None:
            return params
        return tuple(params[name] for name in self.names)

    def position(self, key: str) -> int:
        """Where the column named `key` is in a row."""
        return self.columns.index(key)

    def typed_rows(
        self, connection: Connection, params: Mapping[str, Any]
    ) -> list[tuple[Any, ...]]:
        """The statement's rows, each value of the Python type SQLAlchemy would give."""
        results = self.results
        return [
            tuple(
                value if read is None else read(value)
                for value, read in zip(row, results, strict=True)
            )
            for row in self.rows(connection, params)
        ]

    def rows(self, connection: Connection, params: Mapping[str, Any]) -> list[Any]:
        """The statement's rows (plain tuples, as the driver gives them: a date may be
        text)."""
        arguments = self.arguments(params)
        driver: Any = connection.connection.driver_connection
        error = connection.dialect.loaded_dbapi.Error
        cursor = driver.cursor()
        # What SQLAlchemy tells its listeners before a statement: the statement time-out
        # starts its clock there (app.http.timeouts), and a test can see what ran.
        connection.dispatch.before_cursor_execute(
            connection, cursor, self.sql, arguments, None, False
        )
        try:
            if connection.dialect.name == "postgresql" and not connection.in_transaction():
                return _autocommitted(driver, cursor, self.sql, arguments)
            return cursor.execute(self.sql, arguments).fetchall()  # type: ignore[no-any-return]
        except error as exc:
            raise DBAPIError.instance(self.sql, arguments, exc, error) from exc
        finally:
            cursor.close()


def _autocommitted(driver: Any, cursor: Any, sql: str, arguments: Any) -> list[Any]:
    """A read outside a transaction, in one round trip: psycopg would otherwise send BEGIN
    first, and the pool a ROLLBACK after."""
    if driver.autocommit or driver.info.transaction_status != _IDLE:
        return cursor.execute(sql, arguments).fetchall()  # type: ignore[no-any-return]
    driver.autocommit = True
    try:
        return cursor.execute(sql, arguments).fetchall()  # type: ignore[no-any-return]
    finally:
        driver.autocommit = False


_IDLE = 0
"""psycopg's `pq.TransactionStatus.IDLE`: no transaction open on the connection."""


class Shapes(Generic[T]):
    """Things built once per shape (a statement, its compiled form), the least recently
    used dropped past `size`: a shape is a combination of filters and value counts, so few
    in practice, but a client could make many."""

    def __init__(self, size: int = 1024) -> None:
        self.size = size
        self._entries: OrderedDict[Hashable, T] = OrderedDict()
        self._lock = Lock()

    def get(self, key: Hashable, build: Callable[[], T]) -> T:
        with self._lock:
            found = self._entries.get(key)
            if found is not None:
                self._entries.move_to_end(key)
                return found
        built = build()
        with self._lock:
            self._entries[key] = built
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)
        return built


_PREPARED: Shapes[Prepared] = Shapes()


def prepared(key: Hashable, connection: Connection, build: Callable[[], ClauseElement]) -> Prepared:
    """The statement of shape `key`, compiled for `connection`'s database (built by `build`
    the first time)."""
    return _PREPARED.get((connection.dialect.name, key), lambda: Prepared.of(build(), connection))


__all__ = ["Bound", "Filter", "Group", "Prepared", "Shapes", "parameters", "prepared"]
