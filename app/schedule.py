"""The inspection clock's rules: which inspections reset the clock, how each authority's
latest inspection is chosen and ranked, and the estimated window of the next ILACS inspection.
Plain data in, plain data out: `app.store.clock` reads the inspections and shapes the answer.

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
* **Next ILACS inspection**: an estimate from the framework's rule (`RULE`), not Ofsted's
  schedule.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from app.store.authorities import AuthorityRow
from app.vocabulary import GRADE_LABELS, Grade, InspectionType

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


def clock_of(authority: AuthorityRow, items: list[Inspected], as_of: date) -> Clock:
    latest_of: dict[str, Inspected] = {}
    for item in items:
        if item.type not in latest_of or item.order() > latest_of[item.type].order():
            latest_of[item.type] = item
    frameworks = sorted(latest_of.values(), key=Inspected.order, reverse=True)
    full = [item for item in frameworks if item.type in FULL_INSPECTIONS]
    latest = full[0] if full else None
    days = (as_of - latest.last_day).days if latest else None
    return Clock(authority, frameworks, latest, days, None, next_inspection(frameworks, as_of))


def ranked(clocks: list[Clock]) -> list[Clock]:
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


__all__ = [
    "CLOCK_GRADE_LABELS",
    "CYCLE_INSPECTIONS",
    "FULL_INSPECTIONS",
    "RULE",
    "RULE_SOURCES",
    "WINDOW_MONTHS",
    "Clock",
    "ClockGrade",
    "Inspected",
    "NextInspection",
    "WindowPosition",
    "add_months",
    "clock_of",
    "next_inspection",
    "ranked",
]
