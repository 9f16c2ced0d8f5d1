"""Coverage: how many of the register's current authorities the loaded reports speak for.
Reads a connection, never a request.

An authority **has data** for a set of filters when at least one of its inspections within
those filters' years, years range, publication dates and inspection types is loaded (an
inspection is loaded with its first document and removed with its last). Only the
filters that choose which reports are read count: what a report says (themes, kinds,
grades, a search) does not, so the note says whose reports were read, not whose matched.
The count is of current authorities only (`AuthorityRow.current`), out of those the `region`
filter allows: 153 with no region.
"""

from __future__ import annotations

import threading
from collections import OrderedDict, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Connection, select

from app.params import Published, Scope
from app.store.authorities import AuthorityIndex, AuthorityRow
from app.store.filters import authority_ids, period_conditions, published_condition
from app.store.tables import documents, inspections


@dataclass(frozen=True, slots=True)
class Coverage:
    authorities_with_data: int
    of: int

    def json(self) -> dict[str, int]:
        return {"authorities_with_data": self.authorities_with_data, "of": self.of}

    def header(self) -> str:
        """The `X-Coverage` header of a CSV: `authorities_with_data=47; of=153`."""
        return f"authorities_with_data={self.authorities_with_data}; of={self.of}"


def _scope(filters: Scope) -> list[ColumnElement[bool]]:
    """The inspections in the filters' years, types and publication dates."""
    conditions = period_conditions(filters)
    published = published_condition(filters, inspections.c.id, documents.c.inspection_id)
    if published is not None:
        conditions.append(published)
    return conditions


def coverage_of(connection: Connection, index: AuthorityIndex, filters: Scope) -> Coverage | None:
    """The coverage of a list's filters; None when they name authorities (the note is for
    answers that span authorities). One statement over the inspections."""
    if filters.authority:
        return None
    allowed = authority_ids(filters, connection, index)
    current = {row.id for row in index.current(connection) if allowed is None or row.id in allowed}
    with_data = connection.scalars(
        select(inspections.c.authority_id).distinct().where(*_scope(filters))
    ).all()
    return Coverage(len(current.intersection(with_data)), len(current))


_KEYED = sorted((set(Scope.model_fields) | set(Published.model_fields)) - {"authority"})
"""What a coverage note depends on: every field of the scope and the publication dates."""


def _scope_key(filters: Scope) -> tuple[Any, ...]:
    """The filters a note depends on, each list as its distinct values in any order and case."""

    def normal(value: Any) -> Any:
        if isinstance(value, list):
            return tuple(sorted({str(getattr(v, "value", v)).strip().lower() for v in value}))
        return value

    return tuple(normal(getattr(filters, name, None)) for name in _KEYED)


class CoverageCache:
    """Coverage notes by data version and filters, so a list pays for its note once per
    load and set of filters rather than on every request (the note changes only when the
    data does: `app/http/caching.py`'s data version). Bounded: the oldest note goes first."""

    def __init__(self, size: int = 1024) -> None:
        self._size = size
        self._lock = threading.Lock()
        self._notes: OrderedDict[tuple[Any, ...], Coverage] = OrderedDict()

    def note(
        self,
        connection: Connection,
        index: AuthorityIndex,
        filters: Scope,
        version: int | None,
    ) -> Coverage | None:
        """`coverage_of`, remembered for `version` (None: not remembered)."""
        if filters.authority:
            return None
        key = (version, *_scope_key(filters))
        if version is not None:
            with self._lock:
                found = self._notes.get(key)
            if found is not None:
                return found
        coverage = coverage_of(connection, index, filters)
        if version is not None and coverage is not None:
            with self._lock:
                self._notes[key] = coverage
                while len(self._notes) > self._size:
                    self._notes.popitem(last=False)
        return coverage


@dataclass(frozen=True, slots=True)
class FrameworkYear:
    type: str
    year: int
    with_data: list[AuthorityRow]
    without_data: list[AuthorityRow]


def coverage_by_framework(
    connection: Connection,
    index: AuthorityIndex,
    types: Sequence[str] = (),
    years: Sequence[int] = (),
) -> list[FrameworkYear]:
    """For each inspection type and year with at least one loaded inspection (of any
    authority), the current authorities with one loaded and those without, by slug."""
    statement = select(
        inspections.c.type, inspections.c.year, inspections.c.authority_id
    ).distinct()
    if types:
        statement = statement.where(inspections.c.type.in_(types))
    if years:
        statement = statement.where(inspections.c.year.in_(years))
    loaded: dict[tuple[str, int], set[int]] = defaultdict(set)
    for kind, year, authority_id in connection.execute(statement):
        loaded[(kind, year)].add(authority_id)
    current = index.current(connection)
    return [
        FrameworkYear(
            kind,
            year,
            [row for row in current if row.id in ids],
            [row for row in current if row.id not in ids],
        )
        for (kind, year), ids in sorted(loaded.items())
    ]


__all__ = ["Coverage", "CoverageCache", "FrameworkYear", "coverage_by_framework", "coverage_of"]
