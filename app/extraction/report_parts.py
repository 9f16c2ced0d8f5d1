"""The parts a report is made of, as its headings name them: context (contents, "About this
inspection", the local authority's statistics), its summary, recommendations, priority
actions, the summary for children, and the review of the local safeguarding children board."""

from __future__ import annotations

import re
from enum import Enum


class Part(Enum):
    CONTEXT = "context"
    SUMMARY = "summary"
    RECOMMENDATIONS = "recommendations"
    PRIORITY = "priority"
    CHILDREN = "children"
    JUDGEMENT = "judgement"


PARTS: list[tuple[re.Pattern[str], Part]] = [
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
BOARD_SECTION = re.compile(
    r"^(?:section\s+\d+:?\s+)?(?:the\s+)?(?:review\s+of\s+)?(?:the\s+)?(?:effectiveness\s+of\s+"
    r"the\s+)?local\s+safeguarding\s+children\s+board(?:\s*\(lscb\))?$",
    re.IGNORECASE,
)


def part_of(name: str) -> Part | None:
    for pattern, part in PARTS:
        if pattern.search(name):
            return part
    return None
