"""Dates as Ofsted writes them: "18 August 2010", "20 and 21 July 2010", "11 - 20 March 2013",
"26th February 2024 to 8th March 2024", "14 April – 8 May 2015", "30 November 2015 to
8 January 2016", "12/09/2016 to 06/10/2016" (day first, as in the UK), "November 2019"."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sept", "sep"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_MONTH = r"(?:" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?:[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?:19|20)\d{2}"
_SEP = r"\s*(?:and|to|until|-|–|—)\s*"

DATE = re.compile(rf"\b(?P<d>{_DAY})\s+(?P<m>{_MONTH})\s*,?\s*(?P<y>{_YEAR})\b", re.IGNORECASE)
DATE_RANGE = re.compile(
    rf"\b(?P<d1>{_DAY})(?:\s+(?P<m1>{_MONTH})(?:\s*,?\s*(?P<y1>{_YEAR}))?)?"
    rf"{_SEP}"
    rf"(?P<d2>{_DAY})\s+(?P<m2>{_MONTH})\s*,?\s*(?P<y2>{_YEAR})\b",
    re.IGNORECASE,
)
NUMERIC_DATE = re.compile(
    r"(?<![\d/])(?P<d>[0-3]?\d)/(?P<m>[01]?\d)/(?P<y>(?:19|20)\d{2})(?![\d/])"
)
NUMERIC_RANGE = re.compile(
    rf"(?<![\d/])(?P<d1>[0-3]?\d)/(?P<m1>[01]?\d)/(?P<y1>{_YEAR}){_SEP}"
    rf"(?P<d2>[0-3]?\d)/(?P<m2>[01]?\d)/(?P<y2>{_YEAR})(?![\d/])"
)
INSPECTION_DATES_LINE = re.compile(r"inspection\s+dates?\s*:?", re.IGNORECASE)
"""The front page's "Inspection dates:" (or "Inspection date:") field."""
MONTH_YEAR = re.compile(rf"\b(?P<m>{_MONTH})\s+(?P<y>{_YEAR})\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class DateRange:
    start: date
    end: date
    offset: int
    """Where the range begins in the searched text."""


def _day(text: str) -> int:
    return int(re.sub(r"\D", "", text))


def month_number(text: str) -> int:
    """ "November", "Nov." -> 11."""
    return MONTHS[text.lower().rstrip(".")]


_month = month_number


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _dates(text: str) -> list[tuple[int, date]]:
    """Every full date in `text` ("18 August 2010", "12/09/2016"), with where it starts."""
    found = [
        (match.start(), _safe_date(int(match["y"]), _month(match["m"]), _day(match["d"])))
        for match in DATE.finditer(text)
    ]
    found += [
        (match.start(), _safe_date(int(match["y"]), int(match["m"]), int(match["d"])))
        for match in NUMERIC_DATE.finditer(text)
    ]
    return sorted((start, day) for start, day in found if day is not None)


def parse_date(text: str) -> date | None:
    """The first full date in `text`."""
    dates = _dates(text)
    return dates[0][1] if dates else None


def find_date_range(text: str) -> DateRange | None:
    """The first date range in `text`, or a single date as a one-day range."""
    ranges = [r for r in (_written_range(text), _numeric_range(text)) if r is not None]
    if ranges:
        return min(ranges, key=lambda found: found.offset)
    dates = _dates(text)
    if dates:
        offset, day = dates[0]
        return DateRange(day, day, offset)
    return None


def _plausible(start: date | None, end: date) -> bool:
    return start is not None and start <= end and (end - start).days <= 120


def _written_range(text: str) -> DateRange | None:
    for match in DATE_RANGE.finditer(text):
        end = _safe_date(int(match["y2"]), _month(match["m2"]), _day(match["d2"]))
        if end is None:
            continue
        month1 = _month(match["m1"]) if match["m1"] else end.month
        year1 = int(match["y1"]) if match["y1"] else end.year
        if not match["y1"] and month1 > end.month:
            year1 -= 1
        start = _safe_date(year1, month1, _day(match["d1"]))
        if start is not None and _plausible(start, end):
            return DateRange(start, _continued(text, match.end(), end), match.start())
    return None


def _numeric_range(text: str) -> DateRange | None:
    for match in NUMERIC_RANGE.finditer(text):
        end = _safe_date(int(match["y2"]), int(match["m2"]), int(match["d2"]))
        start = _safe_date(int(match["y1"]), int(match["m1"]), int(match["d1"]))
        if end is not None and start is not None and _plausible(start, end):
            return DateRange(start, end, match.start())
    return None


_CONTINUATION = re.compile(r"\s*(?:and|&|,)\s*")


def _continued(text: str, position: int, end: date) -> date:
    """A visit in two parts ("5 to 9 December 2022 and 14 to 15 February 2023") ends when
    its second part does."""
    joiner = _CONTINUATION.match(text, position)
    if not joiner:
        return end
    rest = text[joiner.end() : joiner.end() + 60]
    second = DATE_RANGE.match(rest) or DATE.match(rest)
    if second is None:
        return end
    last = second.groupdict().get("y2") and _safe_date(
        int(second["y2"]), _month(second["m2"]), _day(second["d2"])
    )
    if not last and "y" in second.groupdict():
        last = _safe_date(int(second["y"]), _month(second["m"]), _day(second["d"]))
    if last and end < last and (last - end).days <= 180:
        return last
    return end


def parse_month_year(text: str) -> tuple[int, int] | None:
    match = MONTH_YEAR.search(text)
    if not match:
        return None
    return int(match["y"]), _month(match["m"])
