"""Reports: child protection (2012-13), looked after children (2012-13), the single
inspection framework (2013-18) and ILACS (2018-), and the summaries for children that came
with the 2012-13 reports.

A report names its framework in a title line, the authority beside it, the inspection dates,
and grades in a table or under each judgement heading. Its findings are the recommendations
(with their timeframes) and the paragraphs under each graded heading."""

from __future__ import annotations

import re

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
from app.extraction.judgements import GRADE_ONLY, area_from_label, grade_from_label
from app.extraction.people import lead_inspector
from app.extraction.records import ExtractedDocument, JudgementRecord
from app.extraction.text import Block
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
            r"inspection\s+of\s+children['’]s\s+social\s+care\s+services",
            re.IGNORECASE,
        ),
        InspectionType.ILACS,
    ),
]
_SUMMARY = re.compile(r"summary\s+(?:report\s+)?for\s+children\s+and\s+young\s+people", re.I)
_DATES_LINE = re.compile(r"inspection\s+dates?\s*:?", re.IGNORECASE)
_PUBLISHED = re.compile(r"(?:report\s+)?published\s*:?\s*(?:on\s+)?", re.IGNORECASE)
_RECOMMENDATIONS = re.compile(
    r"^(?:areas?\s+for\s+improvement|recommendations?|what\s+needs\s+to\s+improve)",
    re.IGNORECASE,
)
_LEAD_IN = re.compile(
    r"(?:following\s+action|in\s+order\s+to\s+improve|should\s+take\s+the\s+following|"
    r":$)",
    re.IGNORECASE,
)
_REPORT_END = re.compile(r"^record\s+of\s+main\s+findings", re.IGNORECASE)
_TABLE_ROW = re.compile(
    r"^(?P<label>\S.*?)(?:\t+|\s{2,}|\s)[*_]*(?P<grade>requires?\s+improvement(?:\s+to\s+be\s+"
    r"good)?|inadequate|outstanding|good|adequate|satisfactory)[*_]*\.?$",
    re.IGNORECASE,
)
_RATED = re.compile(
    r"\brated\s+.{1,60}?\s+as\s+[*_]*(?P<label>requires?\s+improvement(?:\s+to\s+be\s+good)?|"
    r"inadequate|outstanding|good|adequate|satisfactory)[*_]*",
    re.IGNORECASE,
)
_SUMMARY_SECTION = re.compile(r"^here\s+is\s+a\s+summary\s+of\s+the\s+things\s+we\s+found", re.I)
_SUMMARY_NEGATIVE = re.compile(r"need(?:ed|s)?\s+improv|not\s+good\s+enough|weak", re.I)
_SUMMARY_END = re.compile(
    r"^(?:the\s+full\s+inspection\s+report\s+was\s+published|if\s+you\s+would\s+like)", re.I
)


def report_type(doc: ParsedText) -> tuple[InspectionType, DocumentKind, int] | None:
    """The framework, whether this is a summary for children, and the title block's index."""
    head = doc.head(25)
    summary = any(_SUMMARY.search(block.text) for block in head)
    for index, block in enumerate(head):
        for pattern, inspection_type in REPORT_TYPES:
            if pattern.search(block.text):
                kind = DocumentKind.SUMMARY_FOR_CHILDREN if summary else DocumentKind.REPORT
                return inspection_type, kind, index
    return None


def parse_report(
    doc: ParsedText,
    inspection_type: InspectionType,
    kind: DocumentKind,
    title_index: int,
    register: AuthorityRegister,
) -> ExtractedDocument:
    head = doc.head(25)
    title_block = head[title_index]
    authority, written = _authority(head, title_index, register)
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
        match = _PUBLISHED.search(block.text)
        if match and block.text.lower().lstrip().startswith(("report published", "published")):
            published = parse_date(block.text[match.end() :])
            break
    lead = lead_inspector(header_text)

    document = ExtractedDocument(
        text=doc.text,
        title=_title(title_block, kind),
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
        _graded_report(doc, document)
    return document


def _title(block: Block, kind: DocumentKind) -> str:
    return block.text.replace("**", "").strip()


def _authority(
    head: list[Block], title_index: int, register: AuthorityRegister
) -> tuple[AuthorityEntry, str]:
    title = head[title_index].text
    for pattern in (
        re.compile(r"^inspection\s+of\s+(?P<name>.+?)\s+local\s+authority", re.IGNORECASE),
        re.compile(r"^(?P<name>.+?)\s+[–-]\s+inspection\s+of", re.IGNORECASE),
    ):
        match = pattern.search(title)
        if match:
            entry = register.resolve(match.group("name"))
            if entry is not None:
                return entry, match.group("name").strip()
    for offset in (1, -1, 2, -2):
        index = title_index + offset
        if 0 <= index < len(head):
            candidate = head[index].text.strip()
            entry = register.resolve(candidate) if len(candidate) < 80 else None
            if entry is not None:
                return entry, candidate
    header = "\n".join(block.text for block in head[: title_index + 4])
    found = register.search(header)
    if found is None:
        raise NotAnOfstedReport(
            f"no authority in the register is named near the title '{title[:80]}'"
        )
    return found[0], found[1]


def _graded_report(doc: ParsedText, document: ExtractedDocument) -> None:
    collector = FindingCollector()
    judgements: dict[tuple[JudgementArea, str], JudgementRecord] = {}
    blocks = doc.blocks
    section: str | None = None
    area: JudgementArea | None = None
    in_recommendations = False
    timeframe: Timeframe | None = None
    index = 0
    while index < len(blocks):
        block = blocks[index]
        if _REPORT_END.match(block.text):
            _judgement_table(doc, block, judgements)
            break
        following = blocks[index + 1] if index + 1 < len(blocks) else None
        if is_heading(block) and following is not None and GRADE_ONLY.match(following.text):
            label = heading_text(block)
            area = area_from_label(label) or JudgementArea.OTHER
            grade_label = GRADE_ONLY.match(following.text)["label"]  # type: ignore[index]
            judgements.setdefault(
                (area, label),
                JudgementRecord(
                    area=area,
                    area_label=label,
                    grade=grade_from_label(grade_label),
                    grade_label=" ".join(grade_label.split()),
                    start=block.start,
                    end=following.end,
                ),
            )
            section, in_recommendations, timeframe = label, False, None
            index += 2
            continue
        frame = timeframe_heading(block)
        if frame is not None and in_recommendations:
            timeframe = frame
        elif is_heading(block):
            name = heading_text(block)
            in_recommendations = bool(_RECOMMENDATIONS.match(name))
            section = name if in_recommendations else None
            area, timeframe = None, None
        elif in_recommendations:
            if block.marker == "bullet" and not _LEAD_IN.search(block.text[-30:]):
                collector.add(block, FindingKind.RECOMMENDATION, section, timeframe=timeframe)
        elif area is not None and section is not None:
            collector.add(
                block,
                FindingKind.NARRATIVE,
                section,
                judgement_area=area,
                paragraph=block.number,
            )
        index += 1
    document.judgements = list(judgements.values())
    document.findings = collector.findings


def _judgement_table(
    doc: ParsedText,
    heading: Block,
    judgements: dict[tuple[JudgementArea, str], JudgementRecord],
) -> None:
    """Rows of a 'Record of main findings' table that the headings did not already give."""
    known_areas = {area for area, _ in judgements}
    for line in doc.content_lines(heading.end + 1):
        row = _TABLE_ROW.match(line.text.strip())
        if not row:
            continue
        label = row["label"].strip()
        area = area_from_label(label)
        if area is None or area in known_areas:
            continue
        known_areas.add(area)
        judgements[(area, label)] = JudgementRecord(
            area=area,
            area_label=label,
            grade=grade_from_label(row["grade"]),
            grade_label=" ".join(row["grade"].split()),
            start=line.start,
            end=line.end,
        )


def _summary_for_children(doc: ParsedText, document: ExtractedDocument) -> None:
    collector = FindingCollector()
    kind: FindingKind | None = None
    section: str | None = None
    for block in doc.blocks:
        text = block.text
        if _SUMMARY_END.match(text):
            break
        rated = _RATED.search(text)
        if rated and not document.judgements:
            label = rated["label"]
            document.judgements.append(
                JudgementRecord(
                    area=JudgementArea.OVERALL_EFFECTIVENESS,
                    area_label="Overall effectiveness",
                    grade=grade_from_label(label),
                    grade_label=label,
                    start=block.start,
                    end=block.end,
                )
            )
            continue
        if _SUMMARY_SECTION.match(text):
            section = heading_text(block)
            kind = (
                FindingKind.WEAKNESS if _SUMMARY_NEGATIVE.search(section) else FindingKind.STRENGTH
            )
            continue
        if kind is not None:
            collector.add(block, kind, section)
    document.findings = collector.findings
