"""A report's findings: the parts it is made of (summary, recommendations, priority actions,
a section under each graded heading, the review of the local safeguarding children board)
and the paragraphs, bullets and numbered recommendations in them, each with its kind,
section, judgement area and timeframe. Context (contents, "About this inspection", the local
authority's statistics, what the grades mean) is not a finding."""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.extraction.document import (
    FindingCollector,
    ParsedText,
    heading_text,
    is_heading,
    timeframe_heading,
)
from app.extraction.records import ExtractedDocument, JudgementRecord
from app.extraction.report_headings import headings_apart
from app.extraction.report_judgements import (
    SERVICE_GROUP,
    front_table,
    in_framework,
    in_group,
    judgement_heading,
    judgement_record,
    sentence_judgements,
    table_after,
)
from app.extraction.report_parts import BOARD_SECTION, Part, part_of
from app.extraction.tables import GRADE
from app.extraction.text import Block
from app.vocabulary import FindingKind, InspectionType, JudgementArea, Timeframe

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


_STRENGTHS = re.compile(r"strengths?\b", re.IGNORECASE)
_WEAKNESSES = re.compile(
    r"weakness|not\s+yet\s+good\s+because|areas?\s+for\s+development|inadequate\s+because",
    re.IGNORECASE,
)


@dataclass(slots=True)
class _State:
    part: Part = Part.CONTEXT
    section: str | None = None
    area: JudgementArea | None = None
    board: bool = False
    timeframe: Timeframe | None = None
    kind: FindingKind = FindingKind.NARRATIVE


def graded_report(doc: ParsedText, document: ExtractedDocument, title_index: int) -> None:
    after_title = doc.blocks[title_index + 1 :]
    blocks = doc.blocks[: title_index + 1] + [
        part
        for index, block in enumerate(after_title)
        for part in headings_apart(
            block, after_title[index + 1] if index + 1 < len(after_title) else None
        )
    ]
    table, table_end, summary_follows = front_table(
        doc, title_index, document.inspection_type is InspectionType.ILACS
    )
    judgements: dict[tuple[JudgementArea, str], JudgementRecord] = {}

    def add_judgement(record: JudgementRecord) -> JudgementRecord:
        """The first judgement of an area stands; one whose grade could not be read is
        replaced by the same area's grade where the report states it again."""
        record = in_framework(record, document.inspection_type)
        key = (record.area, record.area_label.lower() if record.area is JudgementArea.OTHER else "")
        known = judgements.get(key)
        if known is None or (known.grade is None and record.grade is not None):
            judgements[key] = record
        return record

    for record in table:
        add_judgement(record)
    for record in sentence_judgements(doc, title_index):
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
        if _CONTENTS.match(block.lines[0].text) and "\f" in doc.text:
            contents_page = block.lines[0].page  # (its first entry may run on below it)
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
            for record in table_after(doc, block, grouped):
                add_judgement(record)
            break
        if grouped and SERVICE_GROUP.match(text):
            group = text
            continue
        graded = judgement_heading(block, following)
        if graded is not None:
            record, used_next = graded
            record = add_judgement(in_group(record, group))
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
            if BOARD_SECTION.match(name):
                state = _State(Part.CONTEXT, name, JudgementArea.SAFEGUARDING_BOARD, True)
                continue
            part = part_of(name)
            if (
                part is Part.SUMMARY
                and state.part is Part.JUDGEMENT
                and (state.board or not _EXECUTIVE.match(name))
            ):
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
            # A topic within a list of strengths or weaknesses ("The LSCB is inadequate
            # because:" / "Scrutiny and assurance") keeps the list's kind.
            kind = _sub_kind(name, state.part)
            if state.part is Part.JUDGEMENT or (
                state.part is Part.SUMMARY
                and (kind is not FindingKind.NARRATIVE or state.kind is FindingKind.NARRATIVE)
            ):
                state.kind = kind
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


def summary_for_children(doc: ParsedText, document: ExtractedDocument) -> None:
    collector = FindingCollector()
    kind: FindingKind | None = None
    section: str | None = None
    rated = re.compile(rf"\brated\s+.{{1,60}}?\s+as\s+[*_]*(?P<label>{GRADE})[*_]*", re.IGNORECASE)
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
                judgement_record(
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


_CONTENTS = re.compile(r"^\s*contents\s*$", re.IGNORECASE)
_EXECUTIVE = re.compile(r"^executive\s+summary", re.IGNORECASE)
"""The report's own summary: never a part of the judgement section before it (the LSCB
review's executive summary, under the board's graded heading, is)."""
