"""Reports: child protection (2012-13), looked after children (2012-13), safeguarding and
looked after children (2009-12), the single inspection framework (2013-18) and ILACS (2018-),
and the summaries for children that came with the 2012-13 reports.

A report names its framework in a title line, the authority beside it and the inspection
dates, and grades in a table, under each judgement heading, or in a sentence ("Children's
services in Salford are good"). Its findings are the recommendations and priority actions
(with their timeframes), the summary paragraphs, and the paragraphs under each graded
heading. Context (contents, "About this inspection", the local authority's statistics, what
the grades mean) is not a finding."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from enum import Enum

from app.extraction.authorities import AuthorityEntry, AuthorityRegister
from app.extraction.dates import find_date_range, parse_date
from app.extraction.document import (
    FindingCollector,
    ParsedText,
    heading_text,
    is_heading,
    timeframe_heading,
)
from app.extraction.errors import NotAnOfstedReport
from app.extraction.judgements import (
    GRADE_ONLY,
    GRADED_HEADING,
    area_from_heading,
    cited_in_blocks,
    grade_from_label,
)
from app.extraction.people import lead_inspector
from app.extraction.records import ExtractedDocument, JudgementRecord
from app.extraction.text import Block, Line
from app.vocabulary import (
    DocumentKind,
    FindingKind,
    InspectionType,
    JudgementArea,
    Timeframe,
)

REPORT_TYPES: list[tuple[re.Pattern[str], InspectionType]] = [
    (
        re.compile(
            r"inspection\s+of\s+local\s+authority\s+arrangements\s+for\s+the\s+protection\s+of\s+"
            r"children|inspection\s+of\s+child\s+protection",
            re.IGNORECASE,
        ),
        InspectionType.CHILD_PROTECTION,
    ),
    (
        re.compile(r"inspection\s+of\s+safeguarding\s+and\s+looked\s+after", re.IGNORECASE),
        InspectionType.SAFEGUARDING_LOOKED_AFTER,
    ),
    (
        re.compile(r"inspection\s+of\s+looked\s+after\s+children", re.IGNORECASE),
        InspectionType.LOOKED_AFTER_CHILDREN,
    ),
    (
        re.compile(
            r"inspection\s+of\s+services\s+for\s+children\s+in\s+need\s+of\s+help\s+and\s+"
            r"protection",
            re.IGNORECASE,
        ),
        InspectionType.SINGLE_INSPECTION,
    ),
    (
        re.compile(
            r"inspection\s+of\s+(?:.{1,80}\s+)?local\s+authority\s+children['’]s\s+services|"
            r"inspection\s+of\s+children['’]s\s+social\s+care\s+services|"
            # The authority, council or trust named in the title: "Inspection of Kent County
            # Council children's services", "Inspection of Bradford Children and Families Trust".
            r"^inspection\s+of\s+(?!services\b).{1,80}?\s+children['’]s\s+services\b|"
            r"^inspection\s+of\s+.{1,80}?\s+children(?:['’]s)?(?:\s+and\s+families)?"
            r"(?:\s+services)?\s+trust\b",
            re.IGNORECASE,
        ),
        InspectionType.ILACS,
    ),
    (
        re.compile(
            r"^review\s+of\s+the\s+effectiveness\s+of\s+the\s+local\s+safeguarding\s+"
            r"children\s+board",
            re.IGNORECASE,
        ),
        InspectionType.LSCB_REVIEW,
    ),
]
_SUMMARY_DOC = re.compile(
    r"^summary\s+(?:report\s+)?for\s+children\s+and\s+young\s+people$", re.IGNORECASE
)
_DATES_LINE = re.compile(r"inspection\s+dates?\s*:?", re.IGNORECASE)
_PUBLISHED = re.compile(r"^(?:report\s+)?published\s*:?\s*(?:on\s+)?", re.IGNORECASE)

_GRADE = (
    r"requires?\s+improvement(?:\s+to\s+be\s+good)?|inadequate|outstanding|good|adequate|"
    r"satisfactory"
)
_OVERALL_SENTENCE = re.compile(
    rf"^(?:children['’]s\s+services\s+in\s+.+?\s+(?:is|are|requires?)|"
    rf"the\s+overall\s+judgement\s+is(?:\s+that\s+children['’]s\s+services\s+(?:is|are|"
    rf"requires?))?)\s+(?P<grade>{_GRADE}|improvement(?:\s+to\s+be\s+good)?)\s*\.?$",
    re.IGNORECASE,
)
_GRADE_IN_ROW = re.compile(rf"^(?P<label>.*?)[\s:]*[*_]*(?P<grade>{_GRADE})[*_]*\s*\.?$", re.I)
_GRADE_WORD_START = re.compile(
    r"^(?:requires?|improvement|to\s+be\s+good|be\s+good)\b", re.IGNORECASE
)
_TABLE_HEADER = re.compile(
    r"^(?:judgements?\s+grades?|judgements?|grades?|record\s+of\s+main\s+findings|services\s+for"
    r"\s+looked\s+after\s+children|local\s+authority\s+arrangements\s+for\s+the\s+protection\s+of"
    r"\s+children)$",
    re.IGNORECASE,
)
_ILACS_ROW = re.compile(
    r"^(?:the\s+impact\s+of\s+leaders|the\s+experiences\s+and\s+progress\s+of|overall\s+"
    r"effectiveness)\b",
    re.IGNORECASE,
)
_WORDS = re.compile(r"^[A-Z][a-z]+(?:\s+[a-z]+)+")
_SIF_ROW = re.compile(r"^\d(?:\.\d)?\.?\s+\S")
_END = re.compile(
    r"^(?:the\s+office\s+for\s+standards\s+in\s+education|ofsted\s+will\s+take\s+the\s+findings)",
    re.IGNORECASE,
)
_NONE_GIVEN = re.compile(
    r"^there\s+(?:are|were)\s+no\s+(?:areas?\s+for\s+)?(?:priority|immediate|recommendations)",
    re.IGNORECASE,
)
_LEAD_IN = re.compile(
    r"^in\s+order\s+to\s+improve|should\s+take\s+the\s+following|following\s+actions?\.?$",
    re.IGNORECASE,
)


class Part(Enum):
    CONTEXT = "context"
    SUMMARY = "summary"
    RECOMMENDATIONS = "recommendations"
    PRIORITY = "priority"
    CHILDREN = "children"
    JUDGEMENT = "judgement"


_PARTS: list[tuple[re.Pattern[str], Part]] = [
    (
        re.compile(
            r"^(?:contents|(?:section\s+\d+:?\s+)?the\s+local\s+authority$|information\s+about|"
            r"about\s+this\s+inspection|service\s+information|the\s+inspection\s+judgements\s+and|"
            r"what\s+the\s+inspection\s+judge?ments?\s+mean|previous\s+ofsted|local\s+leadership|"
            r"children\s+living\s+in|child\s+protection\s+in\s+this\s+area|children\s+looked\s+"
            r"after\s+in\s+this\s+area|other\s+(?:ofsted\s+inspections|information)|"
            r"the\s+inspection\s+team|inspection\s+judge?ments?\s+about)",
            re.IGNORECASE,
        ),
        Part.CONTEXT,
    ),
    (
        re.compile(
            r"^(?:executive\s+summary|summary\s+of\s+(?:key\s+)?findings|key\s+findings|"
            r"summary\s+of\s+the\s+lscb['’]?s?\s+|key\s+strengths\s+and\s+weaknesses|"
            r"the\s+(?:local\s+authority|lscb|board)['’]s\s+strengths|progress\s+since\s+the\s+"
            r"last\s+inspection|inspection\s+findings)",
            re.IGNORECASE,
        ),
        Part.SUMMARY,
    ),
    (
        re.compile(
            r"^(?:recommendations?|what\s+does\s+the\s+(?:local\s+authority|lscb)\s+need\s+to\s+"
            r"improve|what\s+needs\s+to\s+improve|areas?\s+for\s+improvement)",
            re.IGNORECASE,
        ),
        Part.RECOMMENDATIONS,
    ),
    (
        re.compile(
            r"^(?:areas?\s+for\s+priority\s+action|priority\s+actions?|priority\s+and\s+"
            r"immediate\s+actions?)",
            re.IGNORECASE,
        ),
        Part.PRIORITY,
    ),
    (re.compile(r"^summary\s+for\s+children\s+and\s+young\s+people", re.I), Part.CHILDREN),
]
_BOARD_SECTION = re.compile(
    r"^(?:section\s+\d+:?\s+)?(?:the\s+)?(?:review\s+of\s+)?(?:the\s+)?(?:effectiveness\s+of\s+"
    r"the\s+)?local\s+safeguarding\s+children\s+board(?:\s*\(lscb\))?$",
    re.IGNORECASE,
)
_STRENGTHS = re.compile(r"strengths?\b", re.IGNORECASE)
_WEAKNESSES = re.compile(
    r"weakness|not\s+yet\s+good\s+because|areas?\s+for\s+development|inadequate\s+because",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class ReportTitle:
    """The title that names a report's framework: its text, which may run over two
    paragraphs ("Inspection of Barking and Dagenham" / "children's services"), and where."""

    inspection_type: InspectionType
    kind: DocumentKind
    index: int
    """The index of the title's (first) block."""
    text: str


_TITLE_START = re.compile(r"^(?:re-?)?(?:inspection|review)\s+of\b", re.IGNORECASE)


def report_type(doc: ParsedText) -> ReportTitle | None:
    """The framework, whether this is a summary for children, and the title."""
    head = doc.head(25)
    summary = any(_SUMMARY_DOC.search(block.text.strip()) for block in head[:8])
    kind = DocumentKind.SUMMARY_FOR_CHILDREN if summary else DocumentKind.REPORT
    for index, block in enumerate(head):
        candidates = [block.text]
        following = head[index + 1] if index + 1 < len(head) else None
        if (
            following is not None
            and _TITLE_START.match(block.text)
            and len(block.text) < 120
            and len(following.text) < 80
        ):
            candidates.append(f"{block.text} {following.text}")
        for text in candidates:
            for pattern, inspection_type in REPORT_TYPES:
                if pattern.search(text):
                    return ReportTitle(inspection_type, kind, index, text)
    return None


def parse_report(doc: ParsedText, found: ReportTitle, register: AuthorityRegister) -> ExtractedDocument:
    inspection_type, kind, title_index = found.inspection_type, found.kind, found.index
    head = doc.head(25)
    authority, written = _authority(head, title_index, found.text, register)
    header_text = "\n".join(block.text for block in head)
    dates = None
    for block in head:
        if _DATES_LINE.search(block.text):
            dates = find_date_range(block.text)
            if dates:
                break
    if dates is None:
        dates = find_date_range(header_text)
    if dates is None:
        raise NotAnOfstedReport("no inspection dates were found in the report")
    published = None
    for block in head:
        for line in block.lines:
            match = _PUBLISHED.search(line.text.strip())
            if match:
                published = parse_date(line.text.strip()[match.end() :])
                break
        if published:
            break
    lead = lead_inspector(header_text) or lead_inspector(doc.text)

    document = ExtractedDocument(
        text=doc.text,
        title=found.text.replace("**", "").strip(),
        kind=kind,
        authority_name=written,
        authority_slug=authority.slug,
        inspection_type=inspection_type,
        start_date=dates.start,
        end_date=dates.end,
        published_date=published,
        inspectors=[lead] if lead else [],
        pages=doc.source.pages,
    )
    if kind is DocumentKind.SUMMARY_FOR_CHILDREN:
        _summary_for_children(doc, document)
    else:
        _graded_report(doc, document, title_index)
        document.cited_judgements = cited_in_blocks(doc.blocks[title_index : title_index + 80])
    return document


_TITLE_NAMES = [
    re.compile(r"^inspection\s+of\s+(?P<name>.+?)\s+local\s+authority\b", re.IGNORECASE),
    re.compile(r"^(?P<name>.+?)\s+[–-]\s+inspection\s+of", re.IGNORECASE),
    re.compile(
        r"^inspection\s+of\s+(?P<name>.+?)\s+children['’]s\s+(?:social\s+care\s+)?services\b",
        re.IGNORECASE,
    ),
    re.compile(
        r"^inspection\s+of\s+(?P<name>.+?\s+children(?:['’]s)?(?:\s+and\s+families)?"
        r"(?:\s+services)?\s+trust)\b",
        re.IGNORECASE,
    ),
]
_NO_NAME = re.compile(r"^(?:the\s+)?(?:local\s+authority|council)$", re.IGNORECASE)


def _authority(
    head: list[Block], title_index: int, title: str, register: AuthorityRegister
) -> tuple[AuthorityEntry, str]:
    """The authority the title names ("Inspection of Leeds local authority children's
    services", "Inspection of Kent County Council children's services", "Cheshire East –
    Inspection of ...") or a line beside the title names. A name that is there but not in
    the register fails the document with that name: it is never swapped for another
    authority mentioned nearby."""
    for pattern in _TITLE_NAMES:
        match = pattern.search(title)
        if match and not _NO_NAME.match(match.group("name").strip()):
            name = match.group("name").strip()
            entry = register.resolve(name)
            if entry is None:
                raise NotAnOfstedReport(f"the authority '{name}' is not in the register")
            return entry, name
    nearby: list[str] = []
    for offset in (1, -1, 2, -2):
        index = title_index + offset
        if 0 <= index < len(head):
            candidates = [head[index].text, *(line.text.strip() for line in head[index].lines)]
            for candidate in candidates:
                if len(candidate) >= 80:
                    continue
                entry = register.resolve(candidate)
                if entry is not None:
                    return entry, candidate
                nearby.append(candidate)
    named = next((c for c in nearby if _COUNCIL_WORDS.search(c)), None)
    if named:
        raise NotAnOfstedReport(f"the authority '{named}' is not in the register")
    lo, hi = max(0, title_index - 2), title_index + 3
    found = register.search("\n".join(block.text for block in head[lo:hi]))
    if found is not None:
        return found[0], found[1]
    raise NotAnOfstedReport(f"no authority in the register is named near the title '{title[:80]}'")


_COUNCIL_WORDS = re.compile(r"\b(?:council|borough|county|city|authority)\b", re.IGNORECASE)


# --- judgements --------------------------------------------------------------------------


@dataclass(slots=True)
class _Row:
    label: str
    grade_label: str | None
    start: int
    end: int


def _logical_lines(lines: list[Line]) -> list[tuple[str, int, int]]:
    """Lines with a grade split over two ("Requires improvement" / "to be good",
    "Requires improvement to" / "be good", "Requires" / "Improvement") joined again."""
    merged: list[tuple[str, int, int]] = []
    for line in lines:
        text = line.text.strip()
        if (
            merged
            and _GRADE_WORD_START.match(text)
            and re.search(
                r"\brequires?(?:\s+improvement(?:\s+to)?)?$", merged[-1][0], re.IGNORECASE
            )
            and (not text.lower().startswith("be") or merged[-1][0].lower().endswith("to"))
        ):
            previous, start, _ = merged[-1]
            merged[-1] = (f"{previous} {text}", start, line.end)
        else:
            merged.append((text, line.start, line.end))
    return merged


def _table_rows(lines: list[Line], *, numbered: bool = False) -> list[_Row]:
    """Rows of a judgement table: a label over one or more lines, its grade at the end of the
    last line or on a line of its own. A label with no readable grade is kept, grade None."""
    logical = [
        (text, start, end)
        for text, start, end in _logical_lines(lines)
        if text and not _TABLE_HEADER.match(text)
    ]
    columns = _column_rows(logical)
    if columns is not None:
        return columns
    rows: list[_Row] = []
    pending: list[tuple[str, int, int]] = []

    def flush_unreadable() -> None:
        if pending:
            label = " ".join(text for text, _, _ in pending)
            if area_from_heading(label) is not None:
                rows.append(_Row(label, None, pending[0][1], pending[-1][2]))
            pending.clear()

    for text, start, end in logical:
        if numbered and _SIF_ROW.match(text):
            flush_unreadable()
        only = GRADE_ONLY.match(text)
        if only and pending:
            label = " ".join(part for part, _, _ in pending)
            rows.append(_Row(label, only["label"], pending[0][1], end))
            pending.clear()
            continue
        row = _GRADE_IN_ROW.match(text)
        if row and row["label"].strip():
            own = row["label"].strip()
            joined = " ".join([*(part for part, _, _ in pending), own])
            if pending and area_from_heading(joined) is not None:
                rows.append(_Row(joined, row["grade"], pending[0][1], end))
                pending.clear()
            elif area_from_heading(own) is not None or not pending:
                flush_unreadable()
                rows.append(_Row(own, row["grade"], start, end))
            else:
                rows.append(_Row(joined, row["grade"], pending[0][1], end))
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


def _column_rows(logical: list[tuple[str, int, int]]) -> list[_Row] | None:
    """A table a PDF draws a column at a time: every label, then every grade. The grades
    pair with the labels in order only when there are as many of each; otherwise every
    label is kept with no grade, since a grade must never be guessed. None when the table is
    drawn row by row (no two grades follow each other)."""
    grades = [GRADE_ONLY.match(text) for text, _, _ in logical]
    if not any(grades[i] and grades[i + 1] for i in range(len(grades) - 1)):
        return None
    labels: list[list[tuple[str, int, int]]] = []
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
        return [_Row(label, None, start, end) for label, start, end in named]
    return [
        _Row(label, grade, start, end)
        for (label, start, end), grade in zip(named, found, strict=True)
    ]


def _judgement(label: str, grade_label: str | None, start: int, end: int) -> JudgementRecord | None:
    area = area_from_heading(label)
    if area is None:
        return None
    return _record(area, label, grade_label, start, end)


def _record(
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


def _front_table(
    doc: ParsedText, title_index: int, ilacs: bool
) -> tuple[list[JudgementRecord], int, bool]:
    """The judgement table near the start (ILACS) or the numbered list of judgements (SIF).
    Returns the judgements, the offset where the table ends (0 if there is none), and
    whether it is an ILACS table, which the report's summary paragraphs follow."""
    blocks = doc.blocks
    window = range(title_index, min(len(blocks), title_index + 12))
    header = next(
        (i for i in window if re.match(r"^judgements?(?:\s+grades?)?$", blocks[i].text, re.I)),
        None,
    )
    if header is None and ilacs:
        # No header row: the table starts at the first row naming an ILACS judgement.
        header = next(
            (
                i
                for i in window
                if _ILACS_ROW.match(blocks[i].text) and not _DATES_LINE.search(blocks[i].text)
            ),
            None,
        )
    if header is not None:
        lines: list[Line] = []
        end = blocks[header].end
        for offset, block in enumerate(blocks[header : header + 20]):
            short_lines = all(len(line.text.strip()) <= 80 for line in block.lines)
            graded = (len(block.text) < 160 and _GRADE_IN_ROW.match(block.text)) or (
                short_lines and any(GRADE_ONLY.match(line.text) for line in block.lines)
            )
            after = blocks[header + offset + 1] if header + offset + 1 < len(blocks) else None
            label_of_next = (
                len(block.text) < 160 and after is not None and GRADE_ONLY.match(after.text)
            )
            prose = not graded and (
                len(block.text) > 160 or (re.search(r"[.!?]$", block.text) and not label_of_next)
            )
            if prose and block is not blocks[header]:
                break
            lines.extend(block.lines)
            end = block.end
        records = [
            r
            for row in _table_rows(lines)
            if (r := _judgement(row.label, row.grade_label, row.start, row.end))
        ]
        return records, end, True
    lines = []
    for block in blocks[title_index : title_index + 40]:
        if re.match(r"^contents\b", block.text, re.IGNORECASE):
            break
        lines.extend(line for line in block.lines if True)
    rows: list[Line] = []
    in_row = False
    for line in lines:
        text = line.text.strip()
        if (
            _SIF_ROW.match(text)
            and area_from_heading(
                re.sub(r"\s+(?:requires?\b|" + _GRADE + r").*$", "", text, flags=re.I)
            )
            is not None
        ):
            in_row = True
            rows.append(line)
        elif in_row and len(text) < 60 and not text.endswith(".") and _part_of(text) is None:
            rows.append(line)  # the rest of a row's label, or its grade
        else:
            in_row = False
    records = [
        r
        for row in _table_rows(rows, numbered=True)
        if (r := _judgement(row.label, row.grade_label, row.start, row.end))
    ]
    return records, max((row.end for row in rows), default=0), False


def _sentence_judgements(doc: ParsedText, title_index: int) -> list[JudgementRecord]:
    """Judgements given as sentences on the front pages of SIF reports: "Children's services
    in Salford are good", "The overall judgement is Inadequate", "The effectiveness of the
    Local Safeguarding Children Board (LSCB) is inadequate"."""
    found: list[JudgementRecord] = []
    for block in doc.blocks[title_index : title_index + 30]:
        if len(block.lines) > 3 or len(block.text) > 200:
            continue
        text = block.text.rstrip("0123456789").strip()
        overall = _OVERALL_SENTENCE.match(text)
        if overall:
            grade = overall["grade"]
            if grade.lower().startswith("improvement"):
                grade = "requires " + grade
                written = re.search(r"requires?\s+" + re.escape(overall["grade"]), text, re.I)
                grade = written.group() if written else grade
            found.append(
                _record(
                    JudgementArea.OVERALL_EFFECTIVENESS,
                    "Overall effectiveness",
                    grade,
                    block.start,
                    block.end,
                )
            )
            continue
        heading = GRADED_HEADING.match(text)
        if heading and area_from_heading(heading["label"]) is JudgementArea.SAFEGUARDING_BOARD:
            found.append(
                _record(
                    JudgementArea.SAFEGUARDING_BOARD,
                    heading["label"],
                    heading["grade"],
                    block.start,
                    block.end,
                )
            )
    return found


def _table_after(doc: ParsedText, block: Block, grouped: bool) -> list[JudgementRecord]:
    """A 'Record of main findings' table (2009-13 reports). In a safeguarding and looked
    after children report it has a group of rows for each of the two services."""
    records = []
    segments: list[tuple[str | None, list[Line]]] = [(None, [])]
    for line in doc.content_lines(block.end + 1):
        text = line.text.strip()
        if len(text) > 100:
            break
        if grouped and _SERVICE_GROUP.match(text):
            segments.append((text, []))
        else:
            segments[-1][1].append(line)
    for group, lines in segments:
        for row in _table_rows(lines):
            area = area_from_heading(row.label) or JudgementArea.OTHER
            if row.grade_label is None and area is JudgementArea.OTHER:
                continue
            record = _record(area, row.label, row.grade_label, row.start, row.end)
            records.append(_in_group(record, group))
    return records


_SERVICE_GROUP = re.compile(
    r"^(?:safeguarding\s+services|services\s+for\s+looked\s+after\s+children(?:\s+and\s+"
    r"young\s+people)?|looked\s+after\s+children['’]?s?\s+services)$",
    re.IGNORECASE,
)


def _in_group(record: JudgementRecord, group: str | None) -> JudgementRecord:
    """A safeguarding and looked after children inspection (2009-12) grades two services.
    The safeguarding service's grades keep their areas; the looked after children service's
    overall effectiveness is the children-in-care judgement, and its other grades are kept,
    named with their service, under `other`."""
    if group is None or not re.search(r"looked\s+after", group, re.IGNORECASE):
        return record
    area = (
        JudgementArea.CHILDREN_IN_CARE
        if record.area in (JudgementArea.OVERALL_EFFECTIVENESS, JudgementArea.CHILDREN_IN_CARE)
        else JudgementArea.OTHER
    )
    return JudgementRecord(
        area=area,
        area_label=f"{group}: {record.area_label}",
        grade=record.grade,
        grade_label=record.grade_label,
        start=record.start,
        end=record.end,
    )


def _in_framework(record: JudgementRecord, inspection_type: InspectionType) -> JudgementRecord:
    """The looked after children inspection (2012-13) grades the services for looked after
    children alone: its overall effectiveness is their judgement, children-in-care (as the
    looked after children service's is in a SLAC report), never the whole-service overall
    effectiveness that statistics compare across frameworks."""
    if (
        inspection_type is InspectionType.LOOKED_AFTER_CHILDREN
        and record.area is JudgementArea.OVERALL_EFFECTIVENESS
    ):
        return replace(record, area=JudgementArea.CHILDREN_IN_CARE)
    return record


def _judgement_heading(
    block: Block, following: Block | None
) -> tuple[JudgementRecord, bool] | None:
    """A heading that gives a grade: "The experiences and progress of children in care: good",
    "Leadership, management and governance are inadequate", or a heading followed by a grade
    on its own ("Inadequate", "Grade 3 (Adequate)"). Returns the judgement and whether the
    following block was its grade."""
    if block.marker is not None or len(block.lines) > 6 or len(block.text) > 170:
        return None
    text = block.text.replace("**", "")
    match = GRADED_HEADING.match(text)
    if match:
        record = _judgement(match["label"], match["grade"], block.start, block.end)
        if record is not None:
            return record, False
    if following is not None and is_heading(block):
        only = GRADE_ONLY.match(following.text)
        if only:
            label = heading_text(block)
            area = area_from_heading(label) or JudgementArea.OTHER
            return _record(area, label, only["label"], block.start, following.end), True
    return None


# --- findings ----------------------------------------------------------------------------


@dataclass(slots=True)
class _State:
    part: Part = Part.CONTEXT
    section: str | None = None
    area: JudgementArea | None = None
    board: bool = False
    timeframe: Timeframe | None = None
    kind: FindingKind = FindingKind.NARRATIVE


def _part_of(name: str) -> Part | None:
    for pattern, part in _PARTS:
        if pattern.search(name):
            return part
    return None


def _graded_report(doc: ParsedText, document: ExtractedDocument, title_index: int) -> None:
    blocks = doc.blocks
    table, table_end, summary_follows = _front_table(
        doc, title_index, document.inspection_type is InspectionType.ILACS
    )
    judgements: dict[tuple[JudgementArea, str], JudgementRecord] = {}

    def add_judgement(record: JudgementRecord) -> JudgementRecord:
        """The first judgement of an area stands; one whose grade could not be read is
        replaced by the same area's grade where the report states it again."""
        record = _in_framework(record, document.inspection_type)
        key = (record.area, record.area_label.lower() if record.area is JudgementArea.OTHER else "")
        known = judgements.get(key)
        if known is None or (known.grade is None and record.grade is not None):
            judgements[key] = record
        return record

    for record in table:
        add_judgement(record)
    for record in _sentence_judgements(doc, title_index):
        add_judgement(record)

    collector = FindingCollector()
    state = _State()
    has_overall = any(area is JudgementArea.OVERALL_EFFECTIVENESS for area, _ in judgements)
    if summary_follows:
        state = _State(
            Part.SUMMARY,
            None,
            JudgementArea.OVERALL_EFFECTIVENESS if has_overall else None,
        )
    contents_page: int | None = None
    grouped = document.inspection_type is InspectionType.SAFEGUARDING_LOOKED_AFTER
    group: str | None = None
    index = title_index + 1
    while index < len(blocks):
        block = blocks[index]
        following = blocks[index + 1] if index + 1 < len(blocks) else None
        index += 1
        if block.end <= table_end:
            continue
        text = block.text
        if re.match(r"^contents$", text, re.IGNORECASE) and "\f" in doc.text:
            contents_page = block.lines[0].page
            continue
        if contents_page is not None:
            # The rest of a contents page: entries, with or without their page numbers.
            numbered_lines = sum(1 for line in block.lines if re.search(r"\s\d{1,3}$", line.text))
            if block.lines[0].page == contents_page and (
                len(text) < 150 or numbered_lines * 2 >= len(block.lines)
            ):
                continue
            contents_page = None
        if _END.match(text):
            break
        if re.match(r"^record\s+of\s+main\s+findings$", text, re.IGNORECASE):
            for record in _table_after(doc, block, grouped):
                add_judgement(record)
            break
        if grouped and _SERVICE_GROUP.match(text):
            group = text
            continue
        graded = _judgement_heading(block, following)
        if graded is not None:
            record, used_next = graded
            record = add_judgement(_in_group(record, group))
            if used_next:
                index += 1
            state = _State(Part.JUDGEMENT, record.area_label, record.area, state.board)
            if record.area is JudgementArea.SAFEGUARDING_BOARD:
                state.board = True
            continue
        frame = timeframe_heading(block)
        if frame is not None and state.part in (Part.RECOMMENDATIONS, Part.PRIORITY):
            state.timeframe = frame
            continue
        if is_heading(block) or (
            block.marker is None
            and len(text) < 90
            and text.endswith(":")
            and len(block.lines) == 1
            and state.part is not Part.JUDGEMENT
        ):
            name = heading_text(block)
            if _BOARD_SECTION.match(name):
                state = _State(Part.CONTEXT, name, JudgementArea.SAFEGUARDING_BOARD, True)
                continue
            part = _part_of(name)
            if part is Part.SUMMARY and state.part is Part.JUDGEMENT:
                state.kind = _sub_kind(name, state.part)  # "Summary", "Inspection findings"
                continue
            if part is not None:
                area = None
                if state.board and part in (Part.SUMMARY, Part.RECOMMENDATIONS, Part.PRIORITY):
                    area = JudgementArea.SAFEGUARDING_BOARD
                elif part is Part.SUMMARY and has_overall:
                    area = JudgementArea.OVERALL_EFFECTIVENESS
                state = _State(part, name, area, state.board and part is not Part.CONTEXT)
                state.kind = _sub_kind(name, part) if part is Part.SUMMARY else state.kind
                continue
            # Any other heading names a group within the part it is in ("Care leavers"
            # among the recommendations, "Inspection findings" under a judgement).
            if state.part is Part.SUMMARY or state.part is Part.JUDGEMENT:
                state.kind = _sub_kind(name, state.part)
            continue
        if state.part is Part.CONTEXT:
            continue
        if state.part in (Part.RECOMMENDATIONS, Part.PRIORITY):
            kind = (
                FindingKind.PRIORITY_ACTION
                if state.part is Part.PRIORITY
                else FindingKind.RECOMMENDATION
            )
            if _NONE_GIVEN.match(text):
                continue
            if (
                following is not None
                and following.marker == "bullet"
                and block.marker != "bullet"
                and len(text) < 100
                and not re.search(r"[.;:)]$", text)
            ):
                continue  # the name of a group of recommendations
            if block.marker is None and _LEAD_IN.search(text) and not block.number:
                continue
            if block.marker == "number" and _LEAD_IN.search(text):
                continue
            _add_with_bullets(collector, blocks, index - 1, kind, state, timeframe=state.timeframe)
            index = _skip_bullets(blocks, index - 1)
            continue
        kind = state.kind
        if (
            _OPENS_LIST.search(text)
            and block.marker != "bullet"
            and following is not None
            and following.marker == "bullet"
        ):
            _add_with_bullets(collector, blocks, index - 1, kind, state)
            index = _skip_bullets(blocks, index - 1)
            continue
        collector.add(
            block,
            kind,
            state.section,
            judgement_area=state.area,
            paragraph=block.number,
        )
    document.judgements = sorted(judgements.values(), key=lambda record: record.start)
    document.findings = collector.findings


def _sub_kind(name: str, part: Part) -> FindingKind:
    """Within a summary, "...has the following strengths" gives strengths and "...is not yet
    good because" weaknesses; "Key strengths and weaknesses" gives neither."""
    if part is Part.SUMMARY:
        weaknesses, strengths = _WEAKNESSES.search(name), _STRENGTHS.search(name)
        if weaknesses and not strengths:
            return FindingKind.WEAKNESS
        if strengths and not weaknesses:
            return FindingKind.STRENGTH
    return FindingKind.NARRATIVE


_OPENS_LIST = re.compile(r":\s*(?:\([^)]*\))?\.?$")


def _skip_bullets(blocks: list[Block], index: int) -> int:
    """The index after a block and, when it ends with a colon, the bullets that complete it."""
    if not _OPENS_LIST.search(blocks[index].text):
        return index + 1
    after = index + 1
    while after < len(blocks) and blocks[after].marker == "bullet":
        after += 1
    return after


def _add_with_bullets(
    collector: FindingCollector,
    blocks: list[Block],
    index: int,
    kind: FindingKind,
    state: _State,
    timeframe: Timeframe | None = None,
) -> None:
    block = blocks[index]
    end = _skip_bullets(blocks, index)
    parts = [blocks[i].text for i in range(index, end)]
    text = " ".join(parts)
    merged = Block(
        lines=[line for i in range(index, end) for line in blocks[i].lines],
        body_start=block.body_start,
        marker=block.marker,
        number=block.number,
    )
    collector.add(
        merged,
        kind,
        state.section,
        judgement_area=state.area
        if kind is not FindingKind.RECOMMENDATION
        else (JudgementArea.SAFEGUARDING_BOARD if state.board else None),
        timeframe=timeframe,
        paragraph=block.number if kind is not FindingKind.RECOMMENDATION or block.number else None,
        text=text,
    )


def _summary_for_children(doc: ParsedText, document: ExtractedDocument) -> None:
    collector = FindingCollector()
    kind: FindingKind | None = None
    section: str | None = None
    rated = re.compile(rf"\brated\s+.{{1,60}}?\s+as\s+[*_]*(?P<label>{_GRADE})[*_]*", re.IGNORECASE)
    summary_section = re.compile(r"^here\s+is\s+a\s+summary\s+of\s+the\s+things\s+we\s+found", re.I)
    negative = re.compile(r"need(?:ed|s)?\s+improv|not\s+good\s+enough|weak", re.I)
    end = re.compile(
        r"^(?:the\s+full\s+inspection\s+report\s+was\s+published|if\s+you\s+would\s+like)", re.I
    )
    for block in doc.blocks:
        text = block.text
        if end.match(text):
            break
        grade = rated.search(text)
        if grade and not document.judgements:
            document.judgements.append(
                _record(
                    JudgementArea.OVERALL_EFFECTIVENESS,
                    "Overall effectiveness",
                    grade["label"],
                    block.start,
                    block.end,
                )
            )
            continue
        if summary_section.match(text):
            section = heading_text(block)
            kind = FindingKind.WEAKNESS if negative.search(section) else FindingKind.STRENGTH
            continue
        if kind is not None:
            collector.add(block, kind, section)
    document.findings = collector.findings
