"""Inspectors and addressees, as letters and reports name them."""

from __future__ import annotations

import re
from collections.abc import Iterable

from app.extraction.records import Addressee

_NAME = r"[A-Z][A-Za-z'’\-]+(?:[ \t]+(?:[A-Z][A-Za-z'’\-]+|de|van|von|da|del|le|la))*"
_HMI_TITLE = re.compile(
    r",?\s*(?:(?:Her|His)\s+Majesty['’]?s\s+Inspector(?:\s+\(HMI\))?|\bHMI\b|"
    r"Senior\s+HMI|Ofsted\s+Inspector|Social\s+Care\s+Regulatory\s+Inspector)\s*",
)
_TEAM_SENTENCE = re.compile(
    r"(?:Her|His)\s+Majesty['’]?s\s+Inspectors?\s+for\s+this\s+(?:visit|inspection)\s+"
    r"(?:were|was)\s+(?P<names>[^.]+)\.",
)
_LEAD = re.compile(
    r"(?<![Dd]eputy )\b(?:Lead|Reporting)\s+inspector(?:\s+on\s+site)?\s*:?\s+(?P<name>"
    + _NAME
    + r")",
    re.IGNORECASE,
)
_HONORIFIC = re.compile(
    r"^(?P<name>(?:Mr|Mrs|Ms|Miss|Mx|Dr|Cllr|Councillor|Professor|Prof|Sir|Dame|Lord|Lady)\.?"
    r"\s+" + _NAME + r")"
)
_ROLE_START = re.compile(
    r"\b(?:Director|Head|Chief|Assistant|Deputy|Interim|Acting|Strategic|Corporate|Executive|"
    r"Service|Manager|Cabinet|Lead|Leader|Chair|Commissioner|Managing|Operational|Principal)\b"
)


def clean_name(raw: str) -> str:
    name = _HMI_TITLE.sub(" ", raw)
    return " ".join(name.replace("(HMI)", "").split()).strip(" ,.;")


def team_inspectors(text: str) -> list[str]:
    """'Her Majesty's Inspectors for this visit were A HMI and B HMI.' -> [A, B]."""
    match = _TEAM_SENTENCE.search(text)
    if not match:
        return []
    names = re.split(r",\s*|\s+and\s+", match.group("names"))
    return [clean_name(name) for name in names if clean_name(name)]


def lead_inspector(text: str) -> str | None:
    match = _LEAD.search(text)
    if not match:
        return None
    name = clean_name(match.group("name"))
    return name or None


def unique(names: Iterable[str]) -> list[str]:
    seen: list[str] = []
    for name in names:
        if name and name not in seen:
            seen.append(name)
    return seen


def signatory(lines_after_sign_off: list[str]) -> str | None:
    """The name under 'Yours sincerely', without the HMI title."""
    for line in lines_after_sign_off[:3]:
        name = clean_name(line)
        if re.fullmatch(_NAME, name) and len(name.split()) <= 5:
            return name
    return None


def addressee(lines: list[str], authority_words: Iterable[str] = ()) -> Addressee | None:
    """The addressee block of a letter: a name with its honorific, then the job title.

    The lines may be one per item or all on one line ('Mr John Stephens Director of
    Children and Young People's Services Cheshire West and Chester Council County Hall ...').
    """
    lines = [line.strip() for line in lines if line.strip()]
    if not lines:
        return None
    first = lines[0]
    match = _HONORIFIC.match(first)
    if match is None:
        return None
    name = match.group("name")
    rest = first[match.end() :].strip()
    role: str | None
    if rest:
        role_start = _ROLE_START.search(name)
        if role_start:
            rest = name[role_start.start() :] + " " + rest
            name = name[: role_start.start()].strip()
        role = _cut_role(rest, authority_words)
    else:
        role = _cut_role(lines[1], authority_words) if len(lines) > 1 else None
    return Addressee(name=name, role=role or None)


def _cut_role(text: str, authority_words: Iterable[str]) -> str:
    cut = len(text)
    for words in authority_words:
        position = text.find(words)
        if 0 < position < cut:
            cut = position
    if cut == len(text):
        council = re.search(r"\b[A-Z][A-Za-z ,]+\s+(?:Council|Borough|County)\b", text)
        if council and council.start() > 0:
            cut = council.start()
    return text[:cut].strip(" ,")
