"""A report's judgements: the table at its front (ILACS, and the numbered list of the single
inspection framework), the sentences of a SIF front page ("Children's services in Salford are
good"), the headings that give a grade, and the "Record of main findings" of 2009-13 reports,
each mapped to the vocabulary's judgement areas."""

from __future__ import annotations

import re
from dataclasses import replace

from app.extraction.dates import INSPECTION_DATES_LINE
from app.extraction.document import ParsedText, heading_text, is_heading
from app.extraction.judgements import (
    GRADE_ONLY,
    GRADED_HEADING,
    area_from_heading,
    grade_from_label,
)
from app.extraction.records import JudgementRecord
from app.extraction.tables import (
    GRADE,
    GRADE_IN_ROW,
    SIF_ROW,
    Logical,
    logical_lines,
    table_rows,
)
from app.extraction.text import Block, Line, join_lines
from app.vocabulary import InspectionType, JudgementArea

_OVERALL_SENTENCE = re.compile(
    rf"^(?:children['’]s\s+services\s+in\s+.+?\s+(?:is|are|requires?)|"
    rf"the\s+overall\s+judgement\s+is(?:\s+that\s+children['’]s\s+services\s+(?:is|are|"
    rf"requires?))?)\s+(?P<grade>{GRADE}|improvement(?:\s+to\s+be\s+good)?)\s*\.?$",
    re.IGNORECASE,
)
_ILACS_ROW = re.compile(
    r"^(?:the\s+impact\s+of\s+leaders|the\s+experiences\s+and\s+progress\s+of|overall\s+"
    r"effectiveness)\b",
    re.IGNORECASE,
)
_TABLE_START = re.compile(r"^(?:key\s+)?judgements?(?:\s+(?:judgement\s+)?grades?)?$", re.I)
SERVICE_GROUP = re.compile(
    r"^(?:safeguarding\s+services|services\s+for\s+looked\s+after\s+children(?:\s+and\s+"
    r"young\s+people)?|looked\s+after\s+children['’]?s?\s+services)$",
    re.IGNORECASE,
)
"""The two services a safeguarding and looked after children (SLAC) report grades."""


def judgement(label: str, grade_label: str | None, start: int, end: int) -> JudgementRecord | None:
    area = area_from_heading(label)
    if area is None:
        return None
    return judgement_record(area, label, grade_label, start, end)


def judgement_record(
    area: JudgementArea, label: str, grade_label: str | None, start: int, end: int
) -> JudgementRecord:
    clean = " ".join(label.replace("*", "").split()).strip(" .:")
    clean = re.sub(r"^\d+(?:\.\d+)*\.?\s+", "", clean)
    written = " ".join(grade_label.split()) if grade_label else None
    return JudgementRecord(
        area=area,
        area_label=clean,
        grade=grade_from_label(written) if written else None,
        grade_label=written,
        start=start,
        end=end,
    )


def front_table(
    doc: ParsedText, title_index: int, ilacs: bool
) -> tuple[list[JudgementRecord], int, bool]:
    """The judgement table near the start (ILACS) or the numbered list of judgements (SIF).
    Returns the judgements, the offset where the table ends (0 if there is none), and
    whether it is an ILACS table, which the report's summary paragraphs follow."""
    blocks = doc.blocks
    window = range(title_index, min(len(blocks), title_index + 12))
    header = next((i for i in window if _TABLE_START.match(blocks[i].text)), None)
    if header is None and ilacs:
        # No header row: the table starts at the first row naming an ILACS judgement.
        header = next(
            (
                i
                for i in window
                if any(
                    _ILACS_ROW.match(line.text.strip())
                    and not INSPECTION_DATES_LINE.search(line.text)
                    for line in blocks[i].lines
                )
            ),
            None,
        )
    if header is not None:
        return (*_ilacs_table(blocks, header), True)
    return (*_sif_list(blocks, title_index), False)


def _ilacs_table(blocks: list[Block], header: int) -> tuple[list[JudgementRecord], int]:
    lines: list[Line] = []
    end = blocks[header].end
    for offset, block in enumerate(blocks[header : header + 20]):
        short_lines = all(len(line.text.strip()) <= 80 for line in block.lines)
        graded = (len(block.text) < 160 and GRADE_IN_ROW.match(block.text)) or (
            short_lines and any(GRADE_ONLY.match(line.text) for line in block.lines)
        )
        after = blocks[header + offset + 1] if header + offset + 1 < len(blocks) else None
        label_of_next = len(block.text) < 160 and after is not None and GRADE_ONLY.match(after.text)
        prose = not graded and (
            len(block.text) > 160 or (re.search(r"[.!?]$", block.text) and not label_of_next)
        )
        if prose and block is not blocks[header]:
            break
        lines.extend(block.lines)
        end = block.end
    records = [
        found
        for row in table_rows(logical_lines(lines))
        if (found := judgement(row.label, row.grade_label, row.start, row.end))
    ]
    return records, end


def _sif_list(blocks: list[Block], title_index: int) -> tuple[list[JudgementRecord], int]:
    """The numbered judgements of a SIF front page ("1. Children who need help and
    protection Requires improvement"), each row's label and grade over one or more lines."""
    lines: list[Line] = []
    for block in blocks[title_index : title_index + 40]:
        if re.match(r"^contents\b", block.text, re.IGNORECASE):
            break
        lines.extend(block.lines)
    logical = logical_lines(lines)
    rows: list[Logical] = []
    in_row = False
    for index, (text, start, end) in enumerate(logical):
        following = logical[index + 1][0] if index + 1 < len(logical) else ""
        if SIF_ROW.match(text) and (
            _names_area(text) or (len(following) < 60 and _names_area(f"{text} {following}"))
        ):
            in_row = True
            rows.append((text, start, end))
        elif in_row and len(text) < 60 and not text.endswith(".") and _completes(rows, text):
            rows.append((text, start, end))  # the rest of a row's label, or its grade
        else:
            in_row = False
    records = [
        found
        for row in table_rows(rows, numbered=True)
        if (found := judgement(row.label, row.grade_label, row.start, row.end))
    ]
    return records, max((end for _, _, end in rows), default=0)


def _names_area(text: str) -> bool:
    label = re.sub(r"\s+(?:requires?\b|" + GRADE + r").*$", "", text, flags=re.IGNORECASE)
    return area_from_heading(label) is not None


def _completes(rows: list[Logical], text: str) -> bool:
    """Is `text` more of the SIF row above it: its grade, or the rest of a label that names
    no area yet ("2. Children looked after and achieving" / "permanence")?"""
    if GRADE_ONLY.match(text) or GRADE_IN_ROW.match(text) or text[:1].islower():
        return True
    since = rows[-3:]  # a label runs over three lines at most
    while since and not SIF_ROW.match(since[0][0]):
        since = since[1:]
    return bool(since) and not _names_area(" ".join(row for row, _, _ in since))


def sentence_judgements(doc: ParsedText, title_index: int) -> list[JudgementRecord]:
    """Judgements given as sentences on the front pages of SIF reports: "Children's services
    in Salford are good", "The overall judgement is Inadequate", "The effectiveness of the
    Local Safeguarding Children Board (LSCB) is inadequate". A sentence may begin at any
    line of its paragraph and run over up to three lines (text with no blank lines runs it
    into the lines around it)."""
    found: list[JudgementRecord] = []
    for block in doc.blocks[title_index : title_index + 30]:
        if block.marker is not None:
            continue
        for text, start, end in _line_runs(block):
            overall = _OVERALL_SENTENCE.match(text)
            if overall:
                found.append(
                    judgement_record(
                        JudgementArea.OVERALL_EFFECTIVENESS,
                        "Overall effectiveness",
                        _written_grade(text, overall["grade"]),
                        start,
                        end,
                    )
                )
                break
            heading = GRADED_HEADING.match(text)
            if heading and area_from_heading(heading["label"]) is JudgementArea.SAFEGUARDING_BOARD:
                found.append(
                    judgement_record(
                        JudgementArea.SAFEGUARDING_BOARD,
                        heading["label"],
                        heading["grade"],
                        start,
                        end,
                    )
                )
                break
    return found


def _line_runs(block: Block) -> list[Logical]:
    """Runs of one to three lines of a paragraph, from each line, longest first (a grade
    "require improvement" / "to be good" is read whole), with a footnote number at the end
    left out."""
    lines = block.lines
    runs: list[Logical] = []
    for first in range(len(lines)):
        for last in reversed(range(first, min(first + 3, len(lines)))):
            text = join_lines([line.text for line in lines[first : last + 1]])
            indent = len(lines[first].text) - len(lines[first].text.lstrip())
            runs.append(
                (text.rstrip("0123456789").strip(), lines[first].start + indent, lines[last].end)
            )
    return runs


def _written_grade(text: str, grade: str) -> str:
    """ "...children's services require improvement": the grade as written."""
    if grade.lower().startswith("improvement"):
        written = re.search(r"requires?\s+" + re.escape(grade), text, re.IGNORECASE)
        return written.group() if written else "requires " + grade
    return grade


def table_after(doc: ParsedText, block: Block, grouped: bool) -> list[JudgementRecord]:
    """A 'Record of main findings' table (2009-13 reports). In a safeguarding and looked
    after children report it has a group of rows for each of the two services."""
    records = []
    segments: list[tuple[str | None, list[Line]]] = [(None, [])]
    for line in doc.content_lines(block.end + 1):
        text = line.text.strip()
        if len(text) > 100:
            break
        if grouped and SERVICE_GROUP.match(text):
            segments.append((text, []))
        else:
            segments[-1][1].append(line)
    for group, lines in segments:
        for row in table_rows(logical_lines(lines)):
            area = area_from_heading(row.label) or JudgementArea.OTHER
            if row.grade_label is None and area is JudgementArea.OTHER:
                continue
            found = judgement_record(area, row.label, row.grade_label, row.start, row.end)
            records.append(in_group(found, group))
    return records


def in_group(found: JudgementRecord, group: str | None) -> JudgementRecord:
    """A safeguarding and looked after children inspection (2009-12) grades two services.
    The safeguarding service's grades keep their areas; the looked after children service's
    overall effectiveness is the children-in-care judgement, and its other grades are kept,
    named with their service, under `other`."""
    if group is None or not re.search(r"looked\s+after", group, re.IGNORECASE):
        return found
    area = (
        JudgementArea.CHILDREN_IN_CARE
        if found.area in (JudgementArea.OVERALL_EFFECTIVENESS, JudgementArea.CHILDREN_IN_CARE)
        else JudgementArea.OTHER
    )
    return replace(found, area=area, area_label=f"{group}: {found.area_label}")


def in_framework(found: JudgementRecord, inspection_type: InspectionType) -> JudgementRecord:
    """The looked after children inspection (2012-13) grades the services for looked after
    children alone: its overall effectiveness is their judgement, children-in-care (as the
    looked after children service's is in a SLAC report), never the whole-service overall
    effectiveness that statistics compare across frameworks."""
    if (
        inspection_type is InspectionType.LOOKED_AFTER_CHILDREN
        and found.area is JudgementArea.OVERALL_EFFECTIVENESS
    ):
        return replace(found, area=JudgementArea.CHILDREN_IN_CARE)
    return found


def judgement_heading(block: Block, following: Block | None) -> tuple[JudgementRecord, bool] | None:
    """A heading that gives a grade: "The experiences and progress of children in care: good",
    "Leadership, management and governance are inadequate", or a heading followed by a grade
    on its own ("Inadequate", "Grade 3 (Adequate)"). Returns the judgement and whether the
    following block was its grade."""
    if block.marker is not None or len(block.lines) > 6 or len(block.text) > 170:
        return None
    for text, start in _heading_endings(block):
        match = GRADED_HEADING.match(text.replace("**", ""))
        if match:
            found = judgement(match["label"], match["grade"], start, block.end)
            if found is not None:
                return found, False
    if following is not None and is_heading(block):
        only = GRADE_ONLY.match(following.text)
        if only:
            label = heading_text(block)
            area = area_from_heading(label) or JudgementArea.OTHER
            return judgement_record(area, label, only["label"], block.start, following.end), True
    return None


def _heading_endings(block: Block) -> list[tuple[str, int]]:
    """The heading, then its last lines from each line on: text with no blank lines runs a
    section's name into its graded heading ("The Local Safeguarding Children Board (LSCB)" /
    "The Local Safeguarding Children Board is good")."""
    endings = [(block.text, block.start)]
    rows = logical_lines(block.lines)
    if rows and rows[0][0] != block.text:
        endings.insert(0, (rows[0][0], block.start))  # a grade in a column beside the heading
    for first in range(1, len(block.lines)):
        line = block.lines[first]
        indent = len(line.text) - len(line.text.lstrip())
        endings.append(
            (join_lines([part.text for part in block.lines[first:]]), line.start + indent)
        )
    return endings
