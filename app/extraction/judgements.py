"""Grades and judgement areas as Ofsted words them, across frameworks since 2009."""

from __future__ import annotations

import re

from app.extraction.dates import parse_month_year
from app.vocabulary import Grade, JudgementArea

_GRADE_WORDS = (
    r"requires?\s+improvement(?:\s+to\s+be\s+good)?|inadequate|outstanding|good|adequate|"
    r"satisfactory"
)
GRADE_PHRASE = re.compile(rf"\b(?:{_GRADE_WORDS})\b", re.IGNORECASE)
GRADE_ONLY = re.compile(rf"^\s*[*_]*(?P<label>{_GRADE_WORDS})[*_]*\s*\.?\s*$", re.IGNORECASE)
_JUDGED_AS = re.compile(
    r"\b(?:judged|found|rated|graded|assessed|considered)\s+(?:overall\s+)?"
    r"(?:to\s+(?:be\s+)?|as\s+(?:being\s+)?)"
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


_AREA_PATTERNS: list[tuple[JudgementArea, re.Pattern[str]]] = [
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


def area_from_label(label: str) -> JudgementArea | None:
    for area, pattern in _AREA_PATTERNS:
        if pattern.search(label):
            return area
    return None


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
    if not re.search(
        r"\b(?:last|previous|prior|earlier|took\s+place|was\s+inspected|inspected\s+in|"
        r"inspection\s+(?:in|of))\b",
        before,
        re.IGNORECASE,
    ):
        return None
    when = parse_month_year(sentence)
    if when is not None:
        year, month = when
    else:
        year_match = re.search(r"\b(?:in|since)\s+((?:19|20)\d{2})\b", sentence)
        if not year_match:
            return None
        year, month = int(year_match.group(1)), None
    clause = before[before.rfind(",") + 1 :] if "when" in before else before
    area = area_from_label(clause) or JudgementArea.OVERALL_EFFECTIVENESS
    return area, " ".join(judged.group("label").split()), year, month
