"""Judgement tables as text: rows of a label and its grade, however the text lays them out.

A PDF's own text gives a row as "Overall effectiveness Requires improvement to be good" or
its label and grade on lines of their own, and sometimes every label before every grade (a
table drawn a column at a time). `pdftotext -layout` keeps the two columns side by side,
with the grade level with the middle of its label ("2. Children looked after and achieving"
/ "                 Good" / "   permanence"), or split around it ("Requires" / "1. Children
who need help and protection" / "Improvement"). Each is read back into rows here.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from app.extraction.judgements import GRADE_ONLY, area_from_heading
from app.extraction.text import Line

GRADE = (
    r"requires?\s+improvement(?:\s+to\s+be\s+good)?|inadequate|outstanding|good|adequate|"
    r"satisfactory"
)
GRADE_IN_ROW = re.compile(rf"^(?P<label>.*?)[\s:]*[*_]*(?P<grade>{GRADE})[*_]*\s*\.?$", re.I)
SIF_ROW = re.compile(r"^\d(?:\.\d)?\.?\s+\S")
"""A numbered row of the single inspection framework's list: "1. Children who need help and
protection", "2.1 Adoption performance"."""

_GRADE_WORD_START = re.compile(
    r"^(?:requires?|improvement|to\s+be\s+good|be\s+good)\b", re.IGNORECASE
)
_GRADE_PIECE = re.compile(
    r"^(?:requires?(?:\s+improvement)?(?:\s+to)?(?:\s+be\s+good)?|improvement(?:\s+to)?"
    r"(?:\s+be\s+good)?|to\s+be\s+good|be\s+good|good|outstanding|inadequate|adequate|"
    r"satisfactory|grade\s+\d(?:\s*\(\w+\))?)\.?$",
    re.IGNORECASE,
)
"""A grade, or a piece of one, as it sits alone in a table's grade column."""
_TABLE_HEADER = re.compile(
    r"^(?:judgements?\s+grades?|judgements?|grades?|key\s+judgement\s+judgement\s+grade|"
    r"record\s+of\s+main\s+findings|services\s+for\s+looked\s+after\s+children|local\s+"
    r"authority\s+arrangements\s+for\s+the\s+protection\s+of\s+children)$",
    re.IGNORECASE,
)
_WORDS = re.compile(r"^[A-Z][a-z]+(?:\s+[a-z]+)+")
_CELL = re.compile(r"\S+(?: \S+)*")
"""A cell of a line laid out in columns: words with single spaces, two or more around it."""
_GRADE_COLUMN = 30
"""A grade set this many characters or more from the left margin sits in a grade column."""

Logical = tuple[str, int, int]
"""A row's text as one line, with the start and end of the lines it came from."""


@dataclass(slots=True)
class Row:
    label: str
    grade_label: str | None
    start: int
    end: int


def logical_lines(lines: Sequence[Line]) -> list[Logical]:
    """Lines as a table's rows: a group of adjacent lines laid out in two columns read back
    as "label grade" rows, and grades split over two lines ("Requires improvement" / "to be
    good", "Requires" / "Improvement") joined again."""
    rows: list[Logical] = []
    for group in _adjacent(lines):
        rows.extend(
            _in_columns(group) or [(line.text.strip(), line.start, line.end) for line in group]
        )
    merged: list[Logical] = []
    for text, start, end in rows:
        if (
            merged
            and _GRADE_WORD_START.match(text)
            and re.search(
                r"\brequires?(?:\s+improvement(?:\s+to)?)?$", merged[-1][0], re.IGNORECASE
            )
            and (not text.lower().startswith("be") or merged[-1][0].lower().endswith("to"))
        ):
            previous, first, _ = merged[-1]
            merged[-1] = (f"{previous} {text}", first, end)
        else:
            merged.append((text, start, end))
    return merged


def _adjacent(lines: Sequence[Line]) -> list[list[Line]]:
    """Runs of lines with nothing (no blank line, no page furniture) between them."""
    groups: list[list[Line]] = []
    for line in lines:
        if not line.text.strip():
            continue
        if groups and line.start == groups[-1][-1].end + 1:
            groups[-1].append(line)
        else:
            groups.append([line])
    return groups


def _in_columns(group: list[Line]) -> list[Logical] | None:
    """A group laid out as a label column and a grade column, read row by row: the label's
    pieces joined, then its grade's. A numbered label ("2. Children looked after ...") starts
    a new row, and so does a label after a grade. None when no grade sits in a column or on
    a line of its own."""
    cells = [
        [(match.start(), match.group()) for match in _CELL.finditer(line.text)] for line in group
    ]
    alone = len(group) > 1

    def is_grade(column: int, text: str, line_cells: list[tuple[int, str]]) -> bool:
        """A grade in the grade column, or a line that is only a grade (pdftotext's
        default output sets the grade between the lines of its label)."""
        return bool(_GRADE_PIECE.match(text)) and (
            column >= _GRADE_COLUMN or (alone and len(line_cells) == 1)
        )

    if not any(
        is_grade(column, text, line_cells) for line_cells in cells for column, text in line_cells
    ):
        return None
    whole = [
        len(line_cells) == 1 and bool(GRADE_ONLY.match(line_cells[0][1])) for line_cells in cells
    ]
    if any(whole[i] and whole[i + 1] for i in range(len(whole) - 1)):
        return None  # every grade after every label: a table drawn a column at a time
    rows: list[Logical] = []
    labels: list[str] = []
    grades: list[str] = []
    start = end = group[0].start

    def flush() -> None:
        if labels or grades:
            label, grade = _grade_apart(" ".join(labels), " ".join(grades))
            rows.append((f"{label} {grade}".strip(), start, end))
        labels.clear()
        grades.clear()

    for line, line_cells in zip(group, cells, strict=True):
        left = " ".join(
            text for column, text in line_cells if not is_grade(column, text, line_cells)
        )
        right = [text for column, text in line_cells if is_grade(column, text, line_cells)]
        if left and labels and (SIF_ROW.match(left) or (grades and not left[:1].islower())):
            flush()
        if not labels and not grades:
            start = line.start
        if left:
            labels.append(left)
        grades.extend(right)
        end = line.end
    flush()
    return rows


_GRADE_END = re.compile(r"\s(improvement(?:\s+to\s+be\s+good)?|to\s+be\s+good|be\s+good)$", re.I)
_GRADE_OPENING = re.compile(r"^requires?(?:\s+improvement)?(?:\s+to)?$", re.IGNORECASE)


def _grade_apart(label: str, grade: str) -> tuple[str, str]:
    """The rest of a grade that sits at the end of the label's last line, a space away
    ("Requires" / "children who need help and protection improvement"), moved to it."""
    rest = _GRADE_END.search(label)
    if rest and _GRADE_OPENING.match(grade):
        return label[: rest.start()], f"{grade} {rest.group(1)}"
    return label, grade


def table_rows(logical: list[Logical], *, numbered: bool = False) -> list[Row]:
    """Rows of a judgement table: a label over one or more lines, its grade at the end of the
    last line or on a line of its own. A label with no readable grade is kept, grade None."""
    logical = [row for row in logical if row[0] and not _TABLE_HEADER.match(row[0])]
    columns = _column_rows(logical)
    if columns is not None:
        return columns
    rows: list[Row] = []
    pending: list[Logical] = []

    def flush_unreadable() -> None:
        if pending:
            label = " ".join(text for text, _, _ in pending)
            if area_from_heading(label) is not None:
                rows.append(Row(label, None, pending[0][1], pending[-1][2]))
            pending.clear()

    for text, start, end in logical:
        if numbered and SIF_ROW.match(text):
            flush_unreadable()
        only = GRADE_ONLY.match(text)
        if only and pending:
            label = " ".join(part for part, _, _ in pending)
            rows.append(Row(label, only["label"], pending[0][1], end))
            pending.clear()
            continue
        row = GRADE_IN_ROW.match(text)
        if row and row["label"].strip():
            own = row["label"].strip()
            joined = " ".join([*(part for part, _, _ in pending), own])
            if pending and area_from_heading(joined) is not None:
                rows.append(Row(joined, row["grade"], pending[0][1], end))
                pending.clear()
            elif area_from_heading(own) is not None or not pending:
                flush_unreadable()
                rows.append(Row(own, row["grade"], start, end))
            else:
                rows.append(Row(joined, row["grade"], pending[0][1], end))
                pending.clear()
            continue
        if pending and not text[:1].islower():
            label = " ".join(part for part, _, _ in pending)
            if area_from_heading(label) is not None:
                # The label is whole and this line is not its grade: the grade cannot be
                # read. Keep the judgement without one; a line that is not words is dropped.
                flush_unreadable()
                if not _WORDS.match(text):
                    continue
        pending.append((text, start, end))
        if len(pending) > 4:
            pending.pop(0)
    flush_unreadable()
    return rows


def _column_rows(logical: list[Logical]) -> list[Row] | None:
    """A table a PDF draws a column at a time: every label, then every grade. The grades
    pair with the labels in order only when there are as many of each; otherwise every
    label is kept with no grade, since a grade must never be guessed. None when the table is
    drawn row by row (no two grades follow each other)."""
    grades = [GRADE_ONLY.match(text) for text, _, _ in logical]
    if not any(grades[i] and grades[i + 1] for i in range(len(grades) - 1)):
        return None
    labels: list[list[Logical]] = []
    found: list[str] = []
    for (text, start, end), grade in zip(logical, grades, strict=True):
        if grade:
            found.append(grade["label"])
        elif labels and (
            text[:1].islower() or area_from_heading(" ".join(t for t, _, _ in labels[-1])) is None
        ):
            labels[-1].append((text, start, end))
        else:
            labels.append([(text, start, end)])
    named = [
        (" ".join(t for t, _, _ in parts), parts[0][1], parts[-1][2])
        for parts in labels
        if area_from_heading(" ".join(t for t, _, _ in parts)) is not None
    ]
    if len(named) != len(found):
        return [Row(label, None, start, end) for label, start, end in named]
    return [
        Row(label, grade, start, end)
        for (label, start, end), grade in zip(named, found, strict=True)
    ]
