"""Reports: child protection (2012-13), looked after children (2012-13), safeguarding and
looked after children (2009-12), the single inspection framework (2013-18) and ILACS (2018-),
and the summaries for children that came with the 2012-13 reports.

A report names its framework in a title line, the authority beside it and the inspection
dates, and grades in a table, under each judgement heading, or in a sentence ("Children's
services in Salford are good"). Its findings are the recommendations and priority actions
(with their timeframes), the summary paragraphs, and the paragraphs under each graded
heading (`app.extraction.report_sections`); its grades are read by
`app.extraction.report_judgements`."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from app.extraction.authorities import AuthorityEntry, AuthorityRegister
from app.extraction.dates import INSPECTION_DATES_LINE, find_date_range, parse_date
from app.extraction.document import ParsedText
from app.extraction.errors import NotAnOfstedReport
from app.extraction.judgements import cited_in_blocks
from app.extraction.people import lead_inspector
from app.extraction.records import ExtractedDocument
from app.extraction.report_sections import graded_report, summary_for_children
from app.extraction.text import Block, join_lines
from app.vocabulary import DocumentKind, InspectionType

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
_PUBLISHED = re.compile(r"^(?:report\s+)?published\s*:?\s*(?:on\s+)?", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class ReportTitle:
    """The title that names a report's framework: its text, which may run over two
    paragraphs ("Inspection of Barking and Dagenham" / "children's services"), and where."""

    inspection_type: InspectionType
    kind: DocumentKind
    index: int
    """The index of the title's (first) block."""
    text: str
    above: str | None = None
    """Lines of the title's paragraph before the title itself, where text with no blank
    lines runs the authority's name into it ("Blackburn with Darwen Borough" / "Council" /
    "Inspection of services for children ...")."""


_TITLE_START = re.compile(r"^(?:re-?)?(?:inspection|review)\s+of\b", re.IGNORECASE)
_TITLE_LINES = 10
_HEADER_FIELD = re.compile(
    r"^(?:inspection\s+dates?|(?:report\s+)?published|lead\s+inspector|reporting\s+inspector|"
    r"age\s+group|children['’]s\s+services\s+in\b|judgement\s+grade)",
    re.IGNORECASE,
)


def report_type(doc: ParsedText) -> ReportTitle | None:
    """The framework, whether this is a summary for children, and the title."""
    head = doc.head(25)
    summary = any(_SUMMARY_DOC.search(block.text.strip()) for block in head[:8])
    kind = DocumentKind.SUMMARY_FOR_CHILDREN if summary else DocumentKind.REPORT
    for index, block in enumerate(head):
        following = head[index + 1] if index + 1 < len(head) else None
        for first, text in _title_candidates(block, following):
            for pattern, inspection_type in REPORT_TYPES:
                if pattern.search(text):
                    above = join_lines([line.text for line in block.lines[:first]]) or None
                    return ReportTitle(inspection_type, kind, index, text, above)
    return None


def _title_candidates(block: Block, following: Block | None) -> Iterator[tuple[int, str]]:
    """Where a title may begin in a paragraph, with its text: at a line that opens with
    "Inspection of" or "Review of", then the paragraph as it is; a title stops before a
    field of the front page ("Inspection dates: ..."), and one cut short after its first
    words goes on into the next paragraph."""
    # A title begins in a paragraph's first lines and runs over a few (the work stays in
    # proportion to the text, however long a paragraph text with no blank lines makes).
    lines = [line.text.strip() for line in block.lines[:_TITLE_LINES]]
    starts = [i for i, line in enumerate(lines) if _TITLE_START.match(line)]
    for first in [*starts, 0] if 0 not in starts else starts:
        end = next(
            (i for i in range(first + 1, len(lines)) if _HEADER_FIELD.match(lines[i])), len(lines)
        )
        whole = first == 0 and end == len(block.lines)
        text = block.text if whole else join_lines(lines[first:end])
        yield first, text
        if (
            end == len(lines)
            and following is not None
            and _TITLE_START.match(text)
            and len(text) < 120
            and len(following.text) < 80
        ):
            yield first, f"{text} {following.text}"


def parse_report(
    doc: ParsedText, found: ReportTitle, register: AuthorityRegister
) -> ExtractedDocument:
    inspection_type, kind, title_index = found.inspection_type, found.kind, found.index
    head = doc.head(25)
    authority, written = _authority(head, title_index, found, register)
    header_text = "\n".join(block.text for block in head)
    dates = None
    for block in head:
        if INSPECTION_DATES_LINE.search(block.text):
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
        summary_for_children(doc, document)
    else:
        graded_report(doc, document, title_index)
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
    head: list[Block], title_index: int, found: ReportTitle, register: AuthorityRegister
) -> tuple[AuthorityEntry, str]:
    """The authority the title names ("Inspection of Leeds local authority children's
    services", "Inspection of Kent County Council children's services", "Cheshire East –
    Inspection of ...") or a line beside the title names. A name that is there but not in
    the register fails the document with that name: it is never swapped for another
    authority mentioned nearby."""
    title = found.text
    for pattern in _TITLE_NAMES:
        match = pattern.search(title)
        if match and not _NO_NAME.match(match.group("name").strip()):
            name = match.group("name").strip()
            entry = register.resolve(name)
            if entry is None:
                raise NotAnOfstedReport(f"the authority '{name}' is not in the register")
            return entry, name
    nearby: list[str] = []
    if found.above is not None and len(found.above) < 80:
        entry = register.resolve(found.above)
        if entry is not None:
            return entry, found.above
        nearby.append(found.above)
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
    searched = register.search("\n".join(block.text for block in head[lo:hi]))
    if searched is not None:
        return searched
    raise NotAnOfstedReport(f"no authority in the register is named near the title '{title[:80]}'")


_COUNCIL_WORDS = re.compile(r"\b(?:council|borough|county|city|authority)\b", re.IGNORECASE)
