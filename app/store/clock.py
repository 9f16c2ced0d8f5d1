"""The inspection clock: how long since each authority's latest inspection, and when the next
ILACS inspection may be expected. Reads a connection, never a request.

Definitions (docs/query-api.md, "The inspection clock"):

* An inspection counts once it is over: its last day (`end_date`, or `start_date` where the
  end is not known) on or before `as_of`. Days since it are `as_of` minus that last day.
* Each authority's **latest inspection** is latest inspection, over, of a full inspection framework
  (`FULL_INSPECTIONS`: ILACS, the single inspection framework, and the 2009-13 child
  protection, looked after children and safeguarding and looked after children inspections),
  by last day, then start day, then id. Visits, letters, joint targeted area inspections and
  reviews of a safeguarding board alone do not reset the clock.
* **Rank**: among the current authorities with a latest inspection, by days since it,
  longest first; equal days share a rank and the next rank skips ("1, 2, 2, 4"), and equal
  ranks are listed in slug order. No latest inspection: no rank, listed last.
* **Days to publication**: from the inspection's last day to the publication date of its
  report (else its letter, else its summary for children; the earliest if several).
* **Next ILACS inspection**: an estimate from the framework's rule (`RULE`), not Ofsted's
  schedule.
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from sqlalchemy import Connection, and_, bindparam, func, select

from app.store.authorities import AuthorityIndex, AuthorityRow
from app.store.tables import documents, inspections, judgements
from app.vocabulary import GRADE_LABELS, INSPECTION_TYPE_LABELS, Grade, InspectionType

FULL_INSPECTIONS = frozenset(
    {
        InspectionType.ILACS,
        InspectionType.SINGLE_INSPECTION,
        InspectionType.CHILD_PROTECTION,
        InspectionType.LOOKED_AFTER_CHILDREN,
        InspectionType.SAFEGUARDING_LOOKED_AFTER,
    }
)
"""The frameworks whose inspections reset the clock."""
CYCLE_INSPECTIONS = frozenset({InspectionType.ILACS, InspectionType.SINGLE_INSPECTION})
"""The frameworks of the three-year cycle the next ILACS inspection is timed from."""

FRAMEWORK_URL = (
    "https://www.gov.uk/government/publications/inspecting-local-authority-childrens-services"
    "-from-2018/inspecting-local-authority-childrens-services"
)
RULE = (
    "An estimate, not Ofsted's schedule. Under Ofsted's framework for inspecting local "
    "authority children's services (ILACS, from January 2018), an authority judged good or "
    "outstanding overall has a short inspection next, and one judged requires improvement to "
    "be good a standard inspection, usually between six months before and six months after "
    "the three-year anniversary of the previous inspection: the window given here runs from "
    "30 to 42 months after the last day of the latest ILACS or single inspection framework "
    "inspection. An authority judged inadequate is monitored (monitoring visits) and "
    "re-inspected when Ofsted decides; the framework gives no anniversary for it, so no "
    "window is given. Ofsted may inspect earlier or later (risk, focused visits, pauses such "
    "as 2020's)."
)
RULE_SOURCES = (
    FRAMEWORK_URL,
    "https://www.kirkleessafeguardingchildren.co.uk/procedures-local-protocols-and-guidance/"
    "ilacs-inspection-guidance-for-professionals/",
)
WINDOW_MONTHS = (30, 42)
"""Three years, six months either side."""
_NEXT_KIND = {
    Grade.OUTSTANDING: "short",
    Grade.GOOD: "short",
    Grade.REQUIRES_IMPROVEMENT: "standard",
}
_PUBLICATION_ORDER = {"report": 0, "letter": 1, "summary-for-children": 2}


class ClockGrade(StrEnum):
    """The overall effectiveness grade of an authority's latest inspection, or why none:
    `not-graded`, it gave none; `no-inspection`, no inspection of a full framework is loaded
    (a visit or letter may be)."""

    OUTSTANDING = "outstanding"
    GOOD = "good"
    REQUIRES_IMPROVEMENT = "requires-improvement"
    INADEQUATE = "inadequate"
    NOT_GRADED = "not-graded"
    NO_INSPECTION = "no-inspection"


CLOCK_GRADE_LABELS = {
    **{ClockGrade(grade.value): label for grade, label in GRADE_LABELS.items()},
    ClockGrade.NOT_GRADED: "Latest inspection gave no overall effectiveness grade",
    ClockGrade.NO_INSPECTION: "No full inspection loaded",
}


class WindowPosition(StrEnum):
    BEFORE = "before-window"
    WITHIN = "in-window"
    AFTER = "after-window"


@dataclass(frozen=True, slots=True)
class Inspected:
    """An inspection as the clock reads it."""

    inspection_id: int
    authority_id: int
    type: str
    start_date: date
    end_date: date | None
    grade: str | None
    """Its overall effectiveness grade, where it has one."""
    grade_label: str | None
    published_date: date | None
    published_source: str | None

    @property
    def last_day(self) -> date:
        return self.end_date or self.start_date

    def order(self) -> tuple[date, date, int]:
        return (self.last_day, self.start_date, self.inspection_id)


@dataclass(frozen=True, slots=True)
class NextInspection:
    kind: str | None
    window_from: date | None
    window_to: date | None
    position: WindowPosition | None
    basis_inspection_id: int | None
    note: str


@dataclass(frozen=True, slots=True)
class Clock:
    authority: AuthorityRow
    frameworks: list[Inspected]
    """The latest inspection of each framework loaded, newest first."""
    latest: Inspected | None
    days_since: int | None
    rank: int | None
    next_inspection: NextInspection

    @property
    def grade(self) -> ClockGrade:
        if self.latest is None:
            return ClockGrade.NO_INSPECTION
        return ClockGrade(self.latest.grade) if self.latest.grade else ClockGrade.NOT_GRADED


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


def add_months(day: date, months: int) -> date:
    """The same day `months` later, or the month's last day when it has no such day."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def next_inspection(frameworks: Sequence[Inspected], as_of: date) -> NextInspection:
    """The window of the next ILACS inspection under `RULE`, from the latest inspection of
    the three-year cycle; or why there is none."""
    cycle = [item for item in frameworks if item.type in CYCLE_INSPECTIONS]
    if not cycle:
        return NextInspection(
            None, None, None, None, None,
            "No ILACS or single inspection framework inspection loaded",
        )  # fmt: skip
    basis = max(cycle, key=Inspected.order)
    if basis.grade is None:
        note = "The latest inspection gave no overall effectiveness grade, which the rule needs"
        return NextInspection(None, None, None, None, basis.inspection_id, note)
    kind = _NEXT_KIND.get(Grade(basis.grade))
    if kind is None:
        note = (
            "Judged inadequate: Ofsted monitors the authority with monitoring visits and "
            "re-inspects when it decides; the framework gives no anniversary to estimate from"
        )
        return NextInspection(None, None, None, None, basis.inspection_id, note)
    start, end = (add_months(basis.last_day, months) for months in WINDOW_MONTHS)
    position = (
        WindowPosition.BEFORE
        if as_of < start
        else WindowPosition.AFTER
        if as_of > end
        else WindowPosition.WITHIN
    )
    note = (
        f"A {kind} inspection, estimated at six months either side of the three-year "
        f"anniversary of the {basis.last_day.isoformat()} inspection (an estimate, not "
        "Ofsted's schedule)"
    )
    return NextInspection(kind, start, end, position, basis.inspection_id, note)


def national_clock(connection: Connection, index: AuthorityIndex, as_of: date) -> list[Clock]:
    """Every current authority's clock as of `as_of`, in rank order (unranked last, by
    slug); `authority_clock` for one, former ones included."""
    by_authority: dict[int, list[Inspected]] = defaultdict(list)
    for item in _inspected(connection, as_of):
        by_authority[item.authority_id].append(item)
    clocks = [
        _clock(authority, by_authority.get(authority.id, []), as_of)
        for authority in index.current(connection)
    ]
    return _ranked(clocks)


def authority_clock(
    connection: Connection, index: AuthorityIndex, authority: AuthorityRow, as_of: date
) -> Clock:
    """One authority's clock, ranked among the current authorities (a former one: no rank)."""
    for clock in national_clock(connection, index, as_of):
        if clock.authority.id == authority.id:
            return clock
    items = [item for item in _inspected(connection, as_of) if item.authority_id == authority.id]
    return _clock(authority, items, as_of)


def _clock(authority: AuthorityRow, items: list[Inspected], as_of: date) -> Clock:
    latest_of: dict[str, Inspected] = {}
    for item in items:
        if item.type not in latest_of or item.order() > latest_of[item.type].order():
            latest_of[item.type] = item
    frameworks = sorted(latest_of.values(), key=Inspected.order, reverse=True)
    full = [item for item in frameworks if item.type in FULL_INSPECTIONS]
    latest = full[0] if full else None
    days = (as_of - latest.last_day).days if latest else None
    return Clock(authority, frameworks, latest, days, None, next_inspection(frameworks, as_of))


def _ranked(clocks: list[Clock]) -> list[Clock]:
    timed = sorted(
        (clock for clock in clocks if clock.days_since is not None),
        key=lambda clock: (-(clock.days_since or 0), clock.authority.slug),
    )
    ranked: list[Clock] = []
    for position, clock in enumerate(timed, start=1):
        tied = ranked and ranked[-1].days_since == clock.days_since
        rank = ranked[-1].rank if tied else position
        ranked.append(
            Clock(clock.authority, clock.frameworks, clock.latest, clock.days_since, rank,
                  clock.next_inspection)
        )  # fmt: skip
    unranked = sorted(
        (clock for clock in clocks if clock.days_since is None),
        key=lambda clock: clock.authority.slug,
    )
    return ranked + unranked


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
    "CLOCK_GRADE_LABELS",
    "CSV_COLUMNS",
    "FULL_INSPECTIONS",
    "RULE",
    "RULE_SOURCES",
    "Clock",
    "ClockGrade",
    "authority_clock",
    "clock_csv",
    "clock_json",
    "national_clock",
    "next_inspection",
]
