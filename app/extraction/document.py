"""What every family parser works from: the text, its lines and blocks, and shared helpers
for headings, sections and findings."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from app.extraction.judgements import is_graded_heading
from app.extraction.paragraphs import blocks, rejoin_split_paragraphs
from app.extraction.reading import SourceText
from app.extraction.records import FindingRecord
from app.extraction.text import Block, Line, mark_furniture, split_lines
from app.vocabulary import FindingKind, JudgementArea, Timeframe

_TERMINAL = re.compile(r"[.;,]['’”\")]*$")
_FOOTNOTE_NUMBER = re.compile(r"(?<=[A-Za-z?)’'])\d{1,2}$")
_CONTENTS_ENTRY = re.compile(r"(?:\t|\s{2,}|\s)\d{1,3}$")


@dataclass
class ParsedText:
    source: SourceText
    lines: list[Line] = field(init=False)
    blocks: list[Block] = field(init=False)

    def __post_init__(self) -> None:
        self.lines = split_lines(self.source.text)
        mark_furniture(self.lines, self.source.furniture, self.source.layout)
        self.blocks = rejoin_split_paragraphs(blocks(self.lines), _keeps_its_own_place)

    @property
    def text(self) -> str:
        return self.source.text

    def head(self, count: int = 40) -> list[Block]:
        return self.blocks[:count]

    def index_of(self, pattern: re.Pattern[str], start: int = 0) -> int | None:
        for index in range(start, len(self.blocks)):
            if pattern.search(self.blocks[index].text):
                return index
        return None

    def content_lines(self, start: int = 0, end: int | None = None) -> Iterator[Line]:
        for line in self.lines:
            if line.start < start or line.blank or line.furniture or line.is_page_break:
                continue
            if end is not None and line.start >= end:
                break
            yield line


def _keeps_its_own_place(block: Block) -> bool:
    return is_heading(block) or (len(block.text) < 200 and is_graded_heading(block.text))


def is_heading(block: Block, max_length: int = 130) -> bool:
    """A short line of its own, not a sentence: 'Areas for development', 'Main findings',
    'What needs to improve?'. Contents entries ('Overall effectiveness 2') are not."""
    if block.marker is not None or len(block.lines) > 4:
        return False
    text = block.text
    if not text or len(text) > max_length or not (text[0].isupper() or text[0].isdigit()):
        return False
    if _TERMINAL.search(text):
        return False
    return not _CONTENTS_ENTRY.search(block.lines[-1].text.rstrip())


def heading_text(block: Block) -> str:
    """A heading as a section name: bold markers, a footnote number glued to its end ("What
    needs to improve?1", as text from a PDF keeps a superscript) and a trailing colon
    removed."""
    return _FOOTNOTE_NUMBER.sub("", block.text.replace("**", "")).rstrip(":").strip()


_TIMEFRAMES = [
    (re.compile(r"^immediately\b", re.IGNORECASE), Timeframe.IMMEDIATELY),
    (re.compile(r"^within\s+(?:three|3)\s+months\b", re.IGNORECASE), Timeframe.WITHIN_3_MONTHS),
    (re.compile(r"^within\s+(?:six|6)\s+months\b", re.IGNORECASE), Timeframe.WITHIN_6_MONTHS),
]


def timeframe_heading(block: Block) -> Timeframe | None:
    """'Immediately:', 'Within three months:', 'Within six months:'."""
    text = block.text.strip()
    if len(text) > 40 or block.marker is not None:
        return None
    for pattern, timeframe in _TIMEFRAMES:
        if pattern.search(text):
            return timeframe
    return None


@dataclass
class FindingCollector:
    """Numbers findings in document order. Their themes and polarity are given once the
    document is parsed (`app.extraction.labelling`)."""

    findings: list[FindingRecord] = field(default_factory=list)

    def add(
        self,
        block: Block,
        kind: FindingKind,
        section: str | None,
        *,
        judgement_area: JudgementArea | None = None,
        timeframe: Timeframe | None = None,
        paragraph: int | None = None,
        text: str | None = None,
    ) -> None:
        body = text if text is not None else block.text
        if not body:
            return
        self.findings.append(
            FindingRecord(
                sequence=len(self.findings) + 1,
                kind=kind,
                section=section,
                judgement_area=judgement_area,
                timeframe=timeframe,
                paragraph=paragraph,
                text=body,
                start=block.start,
                end=block.end,
            )
        )
