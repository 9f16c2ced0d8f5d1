"""What to do with each publication a provider page lists, from what is known of it.

Pure: the listing, the sync's record of each publication and the loaded documents' URLs in;
one `Planned` action per publication out.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from app.extraction import PARSER_VERSION
from app.models import SitePublication
from app.vocabulary import FetchOutcome
from seed.sync.client import Validators
from seed.sync.report import Listed


class Action(StrEnum):
    FETCH = "fetch"
    """Never fetched, or could not be: fetch it in full."""
    ASK = "ask"
    """Rejected before by this parser version: fetch it only if it has changed."""
    KNOWN = "known"
    """Loaded before: never asked for again."""
    LINK = "link"
    """Its URL is a loaded document's (a manifest gave it): no request, only the record."""
    NOT_A_PDF = "not-a-pdf"
    """Listed as another format: not fetched, said so."""
    LISTED_BEFORE = "listed-before"
    """Not a PDF, and said so before."""


@dataclass(frozen=True, slots=True)
class Planned:
    listed: Listed
    action: Action
    validators: Validators | None = None
    document_id: int | None = None


def not_a_pdf(item: Listed) -> str:
    return f"listed as {item.publication.listed_format}, not a PDF: not fetched"


def plan(
    listed: list[Listed], records: dict[str, SitePublication], documents: dict[str, int]
) -> list[Planned]:
    planned = []
    for item in listed:
        record = records.get(item.url)
        outcome = record.outcome if record else None
        if item.publication.listed_format not in (None, "pdf"):
            said = record.reason if record and outcome == FetchOutcome.NOT_FETCHED else None
            action = Action.LISTED_BEFORE if said == not_a_pdf(item) else Action.NOT_A_PDF
            planned.append(Planned(item, action))
        elif outcome == FetchOutcome.LOADED:
            planned.append(Planned(item, Action.KNOWN))
        elif item.url in documents:
            planned.append(Planned(item, Action.LINK, document_id=documents[item.url]))
        elif (
            record is not None
            and outcome == FetchOutcome.REJECTED
            and record.parser_version == PARSER_VERSION
            and (record.etag or record.last_modified)
        ):
            validators = Validators(record.etag, record.last_modified)
            planned.append(Planned(item, Action.ASK, validators))
        else:
            planned.append(Planned(item, Action.FETCH))
    return planned
