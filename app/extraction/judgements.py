"""Grades and judgement areas as Ofsted words them, across frameworks since 2009."""

from __future__ import annotations

import re
from collections.abc import Iterable

from app.extraction.dates import MONTH_YEAR
from app.extraction.dates import month_number as _month_number
from app.extraction.records import CitedJudgementRecord
from app.extraction.text import Block
from app.vocabulary import Grade, JudgementArea

_GRADE_WORDS = (
    r"requires?\s+improvement(?:\s+to\s+be\s+good)?|inadequate|outstanding|good|adequate|"
    r"satisfactory"
)
GRADE_PHRASE = re.compile(rf"\b(?:{_GRADE_WORDS})\b", re.IGNORECASE)
GRADE_ONLY = re.compile(
    rf"^\s*(?:grade\s+\d\s*\(\s*)?[*_]*(?P<label>{_GRADE_WORDS})[*_]*\s*\)?\s*\.?\s*$",
    re.IGNORECASE,
)
GRADED_HEADING = re.compile(
    rf"^(?P<label>.+?)(?:\s*[:–]\s*|\s+)"
    rf"(?:(?:is|are)(?:\s*:\s*|\s+)(?:judged\s+to\s+be\s+|that\s+it\s+(?:is\s+)?|"
    rf"that\s+they\s+are\s+)?)?"
    rf"(?P<grade>{_GRADE_WORDS})\s*\.?$",
    re.IGNORECASE,
)
"""A heading that gives a grade: "The experiences and progress of children in care: good",
"Leadership, management and governance are inadequate", "... help and protection is:
Good"."""


def is_graded_heading(text: str) -> bool:
    match = GRADED_HEADING.match(text)
    return match is not None and area_from_heading(match["label"]) is not None


_JUDGED_AS = re.compile(
    r"\b(?:judged|found|rated|graded|assessed|considered)\s+(?:overall\s+)?"
    r"(?:to\s+(?:be\s+)?|as\s+(?:being\s+)?)?"
    r"(?P<label>requires?\s+improvement(?:\s+to\s+be\s+good)?|inadequate|outstanding|good|"
    r"adequate|satisfactory)\b",
    re.IGNORECASE,
)


def grade_from_label(label: str) -> Grade | None:
    """Map a grade as written to the one scale. Adequate (2012-13) and satisfactory (before
    2012) sit with requires improvement: the third of four points on every scale."""
    key = " ".join(label.lower().replace("*", "").split()).rstrip(".")
    if key.startswith("require"):
        return Grade.REQUIRES_IMPROVEMENT
    return {
        "outstanding": Grade.OUTSTANDING,
        "good": Grade.GOOD,
        "adequate": Grade.REQUIRES_IMPROVEMENT,
        "satisfactory": Grade.REQUIRES_IMPROVEMENT,
        "inadequate": Grade.INADEQUATE,
    }.get(key)


_CLAUSE_PATTERNS: list[tuple[JudgementArea, re.Pattern[str]]] = [
    (
        JudgementArea.CHILDREN_IN_CARE,
        re.compile(r"children\s+in\s+care\s+and\s+care\s+leavers", re.IGNORECASE),
    ),
    (JudgementArea.CARE_LEAVERS, re.compile(r"\bcare\s+leavers\b", re.IGNORECASE)),
    (JudgementArea.ADOPTION, re.compile(r"\badoption\b", re.IGNORECASE)),
    (
        JudgementArea.CHILDREN_IN_CARE,
        re.compile(r"children\s+in\s+care|looked\s+after|achieving\s+permanence", re.IGNORECASE),
    ),
    (
        JudgementArea.HELP_AND_PROTECTION,
        re.compile(r"help\s+and\s+protection", re.IGNORECASE),
    ),
    (
        JudgementArea.SAFEGUARDING_BOARD,
        re.compile(r"safeguarding\s+children\s+board|\bLSCB\b", re.IGNORECASE),
    ),
    (
        JudgementArea.LEADERSHIP,
        re.compile(r"impact\s+of\s+leaders|leadership|governance", re.IGNORECASE),
    ),
    (JudgementArea.QUALITY_OF_PRACTICE, re.compile(r"quality\s+of\s+practice", re.IGNORECASE)),
    (
        JudgementArea.CAPACITY_TO_IMPROVE,
        re.compile(r"capacity\s+(?:to|for)\s+improve", re.IGNORECASE),
    ),
    (
        JudgementArea.OVERALL_EFFECTIVENESS,
        re.compile(
            r"overall\s+(?:effectiveness|judgement)|services\s+for\s+children|"
            r"children['’]s\s+services|arrangements\s+to\s+protect\s+children",
            re.IGNORECASE,
        ),
    ),
]


def area_in_clause(text: str) -> JudgementArea | None:
    """The judgement area a clause of prose talks about ("when the experiences and progress
    of children who need help and protection were found to ...")."""
    for area, pattern in _CLAUSE_PATTERNS:
        if pattern.search(text):
            return area
    return None


_HEADING_PREFIX = re.compile(
    r"^(?:\d+(?:\.\d+)*\.?\s+|the\s+graded\s+judge?ments?\s+(?:for|about|on)\s+|the\s+)+",
    re.IGNORECASE,
)
_HEADING_AREAS: list[tuple[JudgementArea, re.Pattern[str]]] = [
    (JudgementArea.OVERALL_EFFECTIVENESS, re.compile(r"^overall\s+(?:effectiveness|judgement)")),
    (JudgementArea.CAPACITY_TO_IMPROVE, re.compile(r"^capacity\s+(?:to|for)\s+improve")),
    (JudgementArea.ADOPTION, re.compile(r"^adoption(?:\s+performance)?$")),
    (
        JudgementArea.CHILDREN_IN_CARE,
        re.compile(
            r"^experiences?\s+and\s+progress\s+of\s+children\s+in\s+care\s+and\s+care\s+leavers"
        ),
    ),
    (
        JudgementArea.CARE_LEAVERS,
        re.compile(r"^(?:experiences?\s+and\s+progress\s+of\s+)?(?:children\s+)?care\s+leavers$"),
    ),
    (
        JudgementArea.CHILDREN_IN_CARE,
        re.compile(
            r"^(?:experiences?\s+and\s+progress\s+of\s+)?(?:children\s+in\s+care|"
            r"children\s+looked\s+after(?:\s+and\s+achieving\s+permanence)?)$"
        ),
    ),
    (
        JudgementArea.HELP_AND_PROTECTION,
        re.compile(
            r"^(?:experiences?\s+and\s+progress\s+of\s+)?children\s+who\s+need\s+help\s+and\s+"
            r"protection$|^effectiveness\s+of\s+(?:the\s+)?help\s+and\s+protection"
        ),
    ),
    (
        JudgementArea.LEADERSHIP,
        re.compile(
            r"^impact\s+of\s+leaders|^leadership(?:,?\s+management)?(?:\s+and\s+"
            r"(?:governance|management))?$"
        ),
    ),
    (JudgementArea.QUALITY_OF_PRACTICE, re.compile(r"^quality\s+of\s+practice$")),
    (JudgementArea.QUALITY_OF_PROVISION, re.compile(r"^quality\s+of\s+provision$")),
    (
        JudgementArea.OUTCOMES_FOR_CHILDREN_IN_CARE,
        re.compile(
            r"^outcomes\s+for\s+(?:looked\s+after\s+children|children\s+looked\s+after|"
            r"children\s+in\s+care)(?:\s+and\s+(?:young\s+people|care\s+leavers))?$"
        ),
    ),
    (
        JudgementArea.SAFEGUARDING_BOARD,
        re.compile(
            r"^(?:effectiveness\s+of\s+the\s+)?local\s+safeguarding\s+children(?:\s+board)?"
            r"(?:\s+\(lscb\))?$|^(?:effectiveness\s+of\s+the\s+)?lscb$"
        ),
    ),
]


def heading_key(label: str) -> str:
    key = " ".join(label.replace("*", "").split()).strip(" .:")
    return _HEADING_PREFIX.sub("", key).lower()


def area_from_heading(label: str) -> JudgementArea | None:
    """The judgement area a heading or table row names, matched from its start: "The
    experiences and progress of children in care", "2.1 Adoption performance",
    "Leadership, management and governance". None when it names no area we know."""
    key = heading_key(label)
    for area, pattern in _HEADING_AREAS:
        if pattern.search(key):
            return area
    return None


def area_from_label(label: str) -> JudgementArea | None:
    return area_from_heading(label) or area_in_clause(label)


_EARLIER = re.compile(
    r"\b(?:last|previous|prior|earlier|took\s+place|was\s+inspected|inspected\s+in|"
    r"inspection\s+(?:in|of)|re-?inspection|since\s+(?:the\s+)?(?:local\s+authority|"
    r"council|services|children['’]s\s+services)\s+(?:was|were)|visit\s+since)\b",
    re.IGNORECASE,
)
# "Local authority children's services were judged requires improvement in 2019": the
# authority or its services, judged as a whole, in a past year.
_SERVICES_WERE = re.compile(
    r"\b(?:services|local\s+authority|council|authority)\b[^.;]{0,60}?\b(?:was|were|had\s+been)"
    r"(?:\s+(?:previously|last|first|most\s+recently|then))?\s+$",
    re.IGNORECASE,
)


_IN_YEAR = re.compile(r"\b(?:in|since)\s+((?:19|20)\d{2})\b", re.IGNORECASE)


def _nearest_date(sentence: str, position: int) -> tuple[int, int | None] | None:
    """The month and year ("November 2019"), or the year ("in 2019"), written nearest the
    grade: "the inspections of children looked after services in 2010, and child protection
    in 2013, when services were found to be adequate" cites 2013."""
    found: list[tuple[int, int, int | None]] = [
        (abs(match.start() - position), int(match["y"]), _month_number(match["m"]))
        for match in MONTH_YEAR.finditer(sentence)
    ]
    found += [
        (abs(match.start() - position), int(match.group(1)), None)
        for match in _IN_YEAR.finditer(sentence)
        if not any(year == int(match.group(1)) for _, year, _ in found)
    ]
    if not found:
        return None
    _, year, month = min(found, key=lambda item: (item[0], item[2] is None))
    return year, month


def cited_judgement(sentence: str) -> tuple[JudgementArea, str, int, int | None] | None:
    """An earlier judgement a sentence cites: area, grade as written, year, month.

    "An inspection of Cheshire East children's services took place in November 2019, when
    the experiences and progress of children who need help and protection were found to
    require improvement to be good." -> help-and-protection, "require improvement to be
    good", 2019, 11.
    """
    judged = _JUDGED_AS.search(sentence)
    if not judged:
        return None
    before = sentence[: judged.start()]
    if not (_EARLIER.search(sentence) or _SERVICES_WERE.search(before)):
        return None
    when = _nearest_date(sentence, judged.start())
    if when is None:
        return None
    year, month = when
    clause = before[before.rfind(",") + 1 :] if "when" in before else before
    area = area_in_clause(clause) or JudgementArea.OVERALL_EFFECTIVENESS
    return area, " ".join(judged.group("label").split()), year, month


_SENTENCE_SPLIT = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")


def cited_in_blocks(blocks: Iterable[Block]) -> list[CitedJudgementRecord]:
    """Earlier judgements cited in these paragraphs, each with the span of its paragraph;
    the same area and date cited twice is kept once."""
    cited: list[CitedJudgementRecord] = []
    seen: set[tuple[JudgementArea, int, int | None]] = set()
    for block in blocks:
        previous = ""
        for sentence in _SENTENCE_SPLIT.split(block.text):
            found = cited_judgement(sentence)
            if found is None and previous and _JUDGED_AS.search(sentence):
                # "The previous inspection ... was in April 2013. The local authority was
                # judged to be inadequate."
                found = cited_judgement(f"{previous} {sentence}")
            previous = sentence
            if found is None:
                continue
            area, label, year, month = found
            if (area, year, month) in seen:
                continue
            seen.add((area, year, month))
            cited.append(
                CitedJudgementRecord(
                    area=area,
                    grade=grade_from_label(label),
                    grade_label=label,
                    year=year,
                    month=month,
                    start=block.start,
                    end=block.end,
                )
            )
    # The same judgement cited with its month and, elsewhere, by its year alone: keep one.
    dated = {(c.area, c.year, c.grade) for c in cited if c.month is not None}
    return [c for c in cited if c.month is not None or (c.area, c.year, c.grade) not in dated]
