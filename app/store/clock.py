"""The inspection clock as the API answers it: every inspection over by a day, read in two
statements, put through the clock's rules (`app.schedule`), and shaped as JSON and CSV.
Reads a connection, never a request.

* **Days to publication**: from the inspection's last day to the publication date of its
  report (else its letter, else its summary for children; the earliest if several).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from sqlalchemy import Connection, and_, bindparam, func, select

from app.schedule import Clock, Inspected, clock_of, ranked
from app.store.authorities import AuthorityIndex, AuthorityRow
from app.store.tables import documents, inspections, judgements
from app.vocabulary import INSPECTION_TYPE_LABELS, InspectionType

_PUBLICATION_ORDER = {"report": 0, "letter": 1, "summary-for-children": 2}

_INSPECTIONS = (
    select(
        inspections.c.id,
        inspections.c.authority_id,
        inspections.c.type,
        inspections.c.start_date,
        inspections.c.end_date,
        judgements.c.grade,
        judgements.c.grade_label,
    )
    .select_from(
        inspections.outerjoin(
            judgements,
            and_(
                judgements.c.inspection_id == inspections.c.id,
                judgements.c.canonical,
                judgements.c.area == "overall-effectiveness",
            ),
        )
    )
    .where(func.coalesce(inspections.c.end_date, inspections.c.start_date) <= bindparam("as_of"))
)
_PUBLISHED = select(
    documents.c.inspection_id,
    documents.c.kind,
    documents.c.published_date,
    documents.c.published_source,
).where(documents.c.published_date.is_not(None))


def _inspected(connection: Connection, as_of: date) -> list[Inspected]:
    """Every inspection over by `as_of`, with its overall grade and publication date: two
    statements, whatever the number of inspections."""
    published: dict[int, tuple[int, date, str | None]] = {}
    for inspection_id, kind, when, source in connection.execute(_PUBLISHED):
        key = (_PUBLICATION_ORDER.get(kind, 9), when, source)
        if inspection_id not in published or key[:2] < published[inspection_id][:2]:
            published[inspection_id] = key
    found = []
    for row in connection.execute(_INSPECTIONS, {"as_of": as_of}):
        _order, when, source = published.get(row.id, (0, None, None))
        item = Inspected(
            row.id, row.authority_id, row.type, row.start_date, row.end_date, row.grade,
            row.grade_label, when, source,
        )  # fmt: skip
        found.append(item)
    return found


def national_clock(connection: Connection, index: AuthorityIndex, as_of: date) -> list[Clock]:
    """Every current authority's clock as of `as_of`, in rank order (unranked last, by
    slug); `authority_clock` for one, former ones included."""
    by_authority: dict[int, list[Inspected]] = defaultdict(list)
    for item in _inspected(connection, as_of):
        by_authority[item.authority_id].append(item)
    clocks = [
        clock_of(authority, by_authority.get(authority.id, []), as_of)
        for authority in index.current(connection)
    ]
    return ranked(clocks)


def authority_clock(
    connection: Connection, index: AuthorityIndex, authority: AuthorityRow, as_of: date
) -> Clock:
    """One authority's clock, ranked among the current authorities (a former one: no rank)."""
    for clock in national_clock(connection, index, as_of):
        if clock.authority.id == authority.id:
            return clock
    items = [item for item in _inspected(connection, as_of) if item.authority_id == authority.id]
    return clock_of(authority, items, as_of)


# --- as JSON --------------------------------------------------------------------------------


def inspected_json(item: Inspected, as_of: date) -> dict[str, Any]:
    days_to_publication = None
    if item.published_date is None:
        note = (
            "No publication date known: the document prints none and was loaded without one "
            "(no manifest or site date)"
        )
    elif item.end_date is None:
        note = "The inspection's last day is not known"
    else:
        days_to_publication = (item.published_date - item.end_date).days
        note = None
    return {
        "inspection_id": item.inspection_id,
        "type": item.type,
        "type_label": INSPECTION_TYPE_LABELS[InspectionType(item.type)],
        "start_date": item.start_date,
        "end_date": item.end_date,
        "grade": item.grade,
        "grade_label": item.grade_label,
        "days_since": (as_of - item.last_day).days,
        "published_date": item.published_date,
        "published_source": item.published_source,
        "days_to_publication": days_to_publication,
        "publication_note": note,
    }


def clock_json(clock: Clock, as_of: date) -> dict[str, Any]:
    window = clock.next_inspection
    return {
        "slug": clock.authority.slug,
        "name": clock.authority.name,
        "region": clock.authority.region,
        "current": clock.authority.current,
        "rank": clock.rank,
        "days_since": clock.days_since,
        "grade": clock.grade.value,
        "latest": inspected_json(clock.latest, as_of) if clock.latest else None,
        "next_inspection": {
            "kind": window.kind,
            "from": window.window_from,
            "to": window.window_to,
            "position": window.position.value if window.position else None,
            "basis_inspection_id": window.basis_inspection_id,
            "estimate": True,
            "note": window.note,
        },
        "frameworks": [inspected_json(item, as_of) for item in clock.frameworks],
    }


CSV_COLUMNS = [
    "rank",
    "slug",
    "name",
    "region",
    "days_since",
    "grade",
    "latest_inspection_id",
    "latest_type",
    "latest_start_date",
    "latest_end_date",
    "latest_grade_label",
    "latest_published_date",
    "latest_days_to_publication",
    "next_inspection_kind",
    "next_inspection_from",
    "next_inspection_to",
    "next_inspection_position",
]


_LATEST_CSV = (
    "inspection_id",
    "type",
    "start_date",
    "end_date",
    "grade_label",
    "published_date",
    "days_to_publication",
)


def clock_csv(item: dict[str, Any]) -> dict[str, Any]:
    """An authority's clock as one CSV row: its latest inspection and the next window (the
    latest of each framework is in the JSON)."""
    latest = item["latest"] or {}
    window = item["next_inspection"]
    return {
        **{key: item[key] for key in ("rank", "slug", "name", "region", "days_since", "grade")},
        **{f"latest_{key}": latest.get(key) for key in _LATEST_CSV},
        **{f"next_inspection_{key}": window[key] for key in ("kind", "from", "to", "position")},
    }


__all__ = [
    "CSV_COLUMNS",
    "authority_clock",
    "clock_csv",
    "clock_json",
    "national_clock",
]
