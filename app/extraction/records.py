"""The typed records extraction produces. Plain data: no database, no I/O."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from app.classifier import ThemeMatch
from app.vocabulary import (
    DocumentKind,
    FindingKind,
    Grade,
    InspectionType,
    JudgementArea,
    Polarity,
    Timeframe,
)


@dataclass(frozen=True, slots=True)
class Addressee:
    name: str
    role: str | None


@dataclass(frozen=True, slots=True)
class JudgementRecord:
    area: JudgementArea
    area_label: str
    """The area as the document names it."""
    grade: Grade | None
    """None when a judgement was found but its grade could not be read: never guessed."""
    grade_label: str | None
    """The grade exactly as written ("Adequate", "Requires improvement to be good")."""
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class CitedJudgementRecord:
    """An earlier judgement the document cites, e.g. the last inspection's grade."""

    area: JudgementArea
    grade: Grade | None
    grade_label: str
    year: int
    month: int | None
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class FindingRecord:
    sequence: int
    kind: FindingKind
    section: str | None
    judgement_area: JudgementArea | None
    timeframe: Timeframe | None
    paragraph: int | None
    text: str
    start: int
    end: int
    # The labels, given once the whole document is parsed (`app.extraction.labelling`): a
    # finding as the parser cuts it has none yet.
    themes: tuple[ThemeMatch, ...] = ()
    polarity: Polarity = Polarity.NEUTRAL
    polarity_score: float = 1.0
    """The model's probability of ``polarity``."""


@dataclass(slots=True)
class ExtractedDocument:
    text: str
    """The document's full normalised text; every offset below points into it."""
    title: str
    kind: DocumentKind
    authority_name: str
    """The authority as the document names it."""
    authority_slug: str
    inspection_type: InspectionType
    start_date: date
    end_date: date | None
    letter_date: date | None = None
    published_date: date | None = None
    inspectors: list[str] = field(default_factory=list)
    addressee: Addressee | None = None
    judgements: list[JudgementRecord] = field(default_factory=list)
    cited_judgements: list[CitedJudgementRecord] = field(default_factory=list)
    findings: list[FindingRecord] = field(default_factory=list)
    pages: int | None = None
    parser_version: str = ""
    model_version: str = ""
    """The version of the theme and polarity model that labelled the findings."""
    embeddings: tuple[str, bytes] | None = None
    """The embedding model's version and the findings' vectors (float32, in order), when the
    extraction worker computed them (`app.intelligence`); else the loader computes them."""
