"""Headings that text runs together, or onto a paragraph, set apart as paragraphs of their
own: text with no blank lines (pdftotext's default output) puts a section's name, its
graded heading and its first words in one run of lines."""

from __future__ import annotations

import re

from app.extraction.document import is_heading
from app.extraction.judgements import GRADE_ONLY, GRADED_HEADING, area_from_heading
from app.extraction.report_judgements import judgement_heading
from app.extraction.report_parts import BOARD_SECTION, Part, part_of
from app.extraction.tables import logical_lines
from app.extraction.text import Block, Line, join_lines, line_width

_HEADING_LINES = 8
_FULL_STOP = re.compile(r"[.!?]['’”\")]*$|\)$")


def headings_apart(block: Block, following: Block | None) -> list[Block]:
    """Headings that text with no blank lines runs together or onto a paragraph, apart: a
    paragraph of short lines is cut where a line begins a graded heading, a part of the
    report or a grade of its own ("The Local Safeguarding Children Board (LSCB)" / "The
    Local Safeguarding Children Board is good" / "Executive summary"; "Overall effectiveness
    of services for looked" / "after children and young people" / "Grade 3 (Adequate)"), or
    whose first short lines are a graded heading and the rest its text,
    and a paragraph whose last lines, after a full stop, are a graded heading or the heading
    of a part before a numbered paragraph, a bullet or a heading loses them ("... for their
    future." / "What needs to improve"; "... are appropriately supported." / "The experiences and
    progress of children in care and care leavers requires" / "improvement to be good.")."""
    lines = block.lines
    if len(lines) < 2:
        return [block]
    if judgement_heading(block, None) is not None:
        return [block]
    # The paragraph's first short lines (at most eight: headings are never longer, and the
    # work here stays in proportion to the text).
    lead = next(
        (i for i, line in enumerate(lines[:_HEADING_LINES]) if line_width(line) > 70),
        min(len(lines), _HEADING_LINES),
    )
    cuts = []
    if block.marker is None and lead:
        # The paragraph's first lines are short: headings, perhaps run together.
        for index in range(1, lead):
            if _begins_heading(lines[:lead], index):
                cuts.append(index)
                if _graded(lines[index:lead]):
                    break  # the rest is one graded heading, its grade in a column beside it
        if lead < len(lines) and _graded(lines[cuts[-1] if cuts else 0 : lead]):
            cuts.append(lead)  # a graded heading run onto the first lines of its text
        elif lead < len(lines):
            cuts = []
    if not cuts:
        cuts = _graded_tail(lines, following)
    if not cuts:
        return [block]
    parts = []
    for first, last in zip([0, *cuts], [*cuts, len(lines)], strict=True):
        line = lines[first]
        part = Block(
            lines[first:last],
            block.body_start
            if first == 0
            else line.start + len(line.text) - len(line.text.lstrip()),
            marker=block.marker if first == 0 else None,
            number=block.number if first == 0 else None,
            after_gap=block.after_gap if first == 0 else False,
        )
        part.after_page_break = block.after_page_break and first == 0
        parts.append(part)
    return parts


def _begins_heading(lines: list[Line], index: int) -> bool:
    text = lines[index].text.strip()
    if not text[:1].isupper():
        return False
    if GRADE_ONLY.match(text) or part_of(text) is not None or BOARD_SECTION.match(text):
        return True
    if _names_area(lines[:index]) and (_names_area(lines[index:]) or _graded(lines[index:])):
        return True  # a section's name, then the same name as its graded heading
    return any(
        _graded(lines[index:last]) for last in range(index + 1, min(index + 5, len(lines) + 1))
    )


def _names_area(lines: list[Line]) -> bool:
    return area_from_heading(join_lines([line.text for line in lines])) is not None


def _graded_tail(lines: list[Line], following: Block | None) -> list[int]:
    if following is None or (following.marker is None and not is_heading(following)):
        return []
    for first in range(max(1, len(lines) - 3), len(lines)):
        tail = join_lines([line.text for line in lines[first:]])
        if (
            _FULL_STOP.search(lines[first - 1].text.rstrip())
            and tail[:1].isupper()
            and (_graded(lines[first:]) or (len(tail) < 60 and _part_heading(tail)))
        ):
            return [first]
    return []


def _part_heading(text: str) -> bool:
    """A heading that opens a part of the report ("What needs to improve", "Recommendations"),
    not a sentence."""
    part = part_of(text)
    return part is not None and part is not Part.CONTEXT and not re.search(r"[.;,]$", text)


def _graded(lines: list[Line]) -> bool:
    """Do these lines make a graded heading, read as a table row where a grade sits in a
    column beside them?"""
    rows = logical_lines(lines)
    text = rows[0][0] if len(rows) == 1 else join_lines([line.text for line in lines])
    graded = GRADED_HEADING.match(text)
    return graded is not None and area_from_heading(graded["label"]) is not None
