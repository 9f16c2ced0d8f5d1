"""Letters: annual unannounced inspections of contact, referral and assessment arrangements
(2009-2012), ILACS focused visits and monitoring visits (2014-), joint targeted area
inspections. A letter has a date, an addressee, a subject line (its title), and findings
under headings such as "Satisfactory practice", "Areas for development", "Main findings" and
"What needs to improve"."""

from __future__ import annotations

import re

from app.extraction.authorities import AuthorityEntry, AuthorityRegister
from app.extraction.dates import DATE, find_date_range, parse_date
from app.extraction.document import FindingCollector, ParsedText, heading_text, is_heading
from app.extraction.errors import NotAnOfstedReport
from app.extraction.judgements import cited_in_blocks
from app.extraction.people import addressee, lead_inspector, signatory, team_inspectors, unique
from app.extraction.records import ExtractedDocument
from app.extraction.text import Block
from app.vocabulary import DocumentKind, FindingKind, InspectionType

LETTER_TYPES: list[tuple[re.Pattern[str], InspectionType]] = [
    (
        re.compile(
            r"(?:annual\s+)?(?:unannounced\s+)?inspection\s+of\s+contact,?\s+referral\s+and\s+"
            r"assessment",
            re.IGNORECASE,
        ),
        InspectionType.CONTACT_REFERRAL_ASSESSMENT,
    ),
    (re.compile(r"^focused\s+visit\s+(?:to|of)\b", re.IGNORECASE), InspectionType.FOCUSED_VISIT),
    (
        re.compile(r"^monitoring\s+visit\s+(?:to|of)\b", re.IGNORECASE),
        InspectionType.MONITORING_VISIT,
    ),
    (
        re.compile(r"^joint\s+targeted\s+area\s+inspection", re.IGNORECASE),
        InspectionType.JTAI,
    ),
]

_DEAR = re.compile(r"^Dear\s+\S", re.IGNORECASE)
_SIGN_OFF = re.compile(r"^Yours\s+(?:sincerely|faithfully)", re.IGNORECASE)
_END = re.compile(
    r"^(?:Any\s+areas\s+for\s+development\s+identified\s+above|Yours\s+(?:sincerely|faithfully)|"
    r"Ofsted\s+will\s+take\s+the\s+findings|Copy:)",
    re.IGNORECASE,
)
_SERVICES = re.compile(r"\s*(?:['’]s)?\s+(?:local\s+authority\s+)?children['’]s\s+services", re.I)
_PREPOSITION = re.compile(r"\b(?:within|to|of|in|for)\s+(?:the\s+)?", re.IGNORECASE)
_SECTION_KINDS: list[tuple[re.Pattern[str], FindingKind]] = [
    (
        re.compile(
            r"^(?:satisfactory\s+practice|strengths?|good\s+practice|areas?\s+of\s+strength)$",
            re.IGNORECASE,
        ),
        FindingKind.STRENGTH,
    ),
    (
        re.compile(r"^(?:areas?\s+for\s+development|weaknesses)$", re.IGNORECASE),
        FindingKind.WEAKNESS,
    ),
    (re.compile(r"^areas?\s+for\s+priority\s+action", re.IGNORECASE), FindingKind.PRIORITY_ACTION),
    (
        re.compile(r"^(?:what\s+needs\s+to\s+improve|areas?\s+for\s+improvement)", re.IGNORECASE),
        FindingKind.RECOMMENDATION,
    ),
    (
        re.compile(
            r"^(?:headline\s+findings|main\s+findings|findings|summary\s+of\s+findings|"
            r"findings\s+and\s+(?:evaluation\s+of\s+)?progress|evaluation\s+of\s+progress|"
            r"overview|summary|key\s+findings|progress\s+since\s+the\s+last\s+inspection)$",
            re.IGNORECASE,
        ),
        FindingKind.NARRATIVE,
    ),
]
# Headings of context in letters: what the visit covered, who it met, what happens next.
_CONTEXT_SECTIONS = re.compile(
    r"^(?:areas?\s+covered|context|next\s+steps|about\s+this\s+(?:visit|inspection)|"
    r"the\s+inspection\s+team|case\s+study)",
    re.IGNORECASE,
)
_STRENGTH_LEAD_IN = re.compile(r"satisfactor|strength|effective|good\s+practice", re.IGNORECASE)
_DEVELOPMENT = re.compile(r"development|weakness|improvement|priority", re.IGNORECASE)


def letter_type(doc: ParsedText) -> InspectionType | None:
    for block in doc.head(30):
        for pattern, inspection_type in LETTER_TYPES:
            if pattern.search(block.text):
                return inspection_type
    return None


def parse_letter(
    doc: ParsedText, inspection_type: InspectionType, register: AuthorityRegister
) -> ExtractedDocument:
    head = doc.head(40)
    dear = next((i for i, block in enumerate(head) if _DEAR.match(block.text)), None)
    title_index = _title_index(head, dear)
    if title_index is None:
        raise NotAnOfstedReport("the letter has no subject line naming the inspection")
    title_block = head[title_index]
    title = title_block.text
    authority, authority_words = _authority(doc, title, title_index, register)

    body = doc.blocks[title_index + 1 :]
    dates = None
    for block in body[:6]:
        dates = find_date_range(block.text)
        if dates:
            break
    if dates is None:
        raise NotAnOfstedReport("no inspection dates were found in the letter")

    letter_date, addressee_record = None, None
    for index, block in enumerate(head[: dear if dear is not None else title_index]):
        if DATE.fullmatch(block.text.strip()) or (len(block.text) < 40 and DATE.search(block.text)):
            letter_date = parse_date(block.text)
            end = head[dear].start if dear is not None else title_block.start
            lines = [line.text for line in doc.content_lines(block.end + 1, end)]
            addressee_record = addressee(lines, authority_words)
            break
        if index > 25:
            break

    body_text = "\n".join(block.text for block in body[:6])
    inspectors = team_inspectors(body_text)
    lead = lead_inspector(body_text)
    sign_off = next((b for b in body if _SIGN_OFF.match(b.text)), None)
    if sign_off is not None:
        after = [line.text for line in doc.content_lines(sign_off.end + 1)][:3]
        signer = signatory(after)
        inspectors = unique([*inspectors, *([lead] if lead else []), *([signer] if signer else [])])

    collector = FindingCollector()
    _collect_findings(body, collector)
    return ExtractedDocument(
        text=doc.text,
        title=title,
        kind=DocumentKind.LETTER,
        authority_name=authority_words[0] if authority_words else authority.name,
        authority_slug=authority.slug,
        inspection_type=inspection_type,
        start_date=dates.start,
        end_date=dates.end,
        letter_date=letter_date,
        inspectors=inspectors,
        addressee=addressee_record,
        cited_judgements=cited_in_blocks(body[:12]),
        findings=collector.findings,
        pages=doc.source.pages,
    )


def _title_index(head: list[Block], dear: int | None) -> int | None:
    start = dear + 1 if dear is not None else 0
    for index in range(start, len(head)):
        if any(pattern.search(head[index].text) for pattern, _ in LETTER_TYPES):
            return index
    return None


def _authority(
    doc: ParsedText, title: str, title_index: int, register: AuthorityRegister
) -> tuple[AuthorityEntry, list[str]]:
    """The authority the subject line names before "children's services" ("...arrangements
    within Cheshire East Council children's services", "Focused visit to Isle of Wight
    children's services"). A name there that is not in the register fails the letter with
    that name: it is never swapped for another authority mentioned nearby."""
    services = _SERVICES.search(title)
    if services:
        names = [
            title[found.end() : services.start()].strip(" ,")
            for found in _PREPOSITION.finditer(title, 0, services.start())
        ]
        for written in names:
            entry = register.resolve(written)
            if entry is not None:
                return entry, [written]
        if names:
            raise NotAnOfstedReport(f"the authority '{names[-1]}' is not in the register")
    found = register.search(title)
    if found is None:
        header = "\n".join(block.text for block in doc.blocks[: title_index + 3])
        found = register.search(header)
    if found is None:
        raise NotAnOfstedReport(f"no authority in the register is named in '{title[:80]}'")
    entry, words = found
    return entry, [words]


def _section_kind(heading: str) -> FindingKind | None:
    for pattern, kind in _SECTION_KINDS:
        if pattern.search(heading):
            return kind
    return None


def _collect_findings(body: list[Block], collector: FindingCollector) -> None:
    kind: FindingKind | None = None
    section: str | None = None
    for block in body:
        text = block.text
        if _END.match(text):
            break
        if is_heading(block):
            name = heading_text(block)
            found = _section_kind(name)
            if found is not None:
                kind, section = found, name
            elif _CONTEXT_SECTIONS.match(name) or kind is not FindingKind.NARRATIVE:
                kind, section = None, None
            # another heading inside the findings names a topic within them: keep going
            continue
        if text.endswith(":") and block.marker is None:
            if _STRENGTH_LEAD_IN.search(text) and not _DEVELOPMENT.search(text):
                kind, section = FindingKind.STRENGTH, text.rstrip(":").strip()
            else:
                kind, section = None, None
            continue
        if kind is not None:
            collector.add(block, kind, section)
