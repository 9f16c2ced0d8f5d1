"""The register of English local authorities, and resolving names as documents write them.

"Cheshire East Council", "Cheshire East Unitary Authority", "London Borough of Enfield",
"Bristol, City of", "Kingston upon Hull" and "BCP" all resolve to one register entry. The
register is data shipped with the project (`seed/local_authorities.csv`); no database.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

REGISTER_PATH = Path(__file__).resolve().parent.parent.parent / "seed" / "local_authorities.csv"

_PREFIXES = (
    "the ",
    "council of the ",
    "council of ",
    "london borough of ",
    "royal borough of ",
    "metropolitan borough of ",
    "borough of ",
    "city and county of ",
    "city of ",
    "county of ",
    "county ",
)
_SUFFIXES = (
    " local authority",
    " metropolitan borough council",
    " metropolitan borough",
    " metropolitan district",
    " metropolitan district council",
    " metropolitan council",
    " borough council",
    " city council",
    " county council",
    " district council",
    " unitary authority",
    " corporation",
    # The trusts and companies some councils run children's services through.
    " childrens services trust",
    " children and families trust",
    " local safeguarding children board",
    " safeguarding children board",
    " childrens trust",
    " children first",
    " council",
    " city of",
    " city",
    " borough",
    " county",
)


def name_key(name: str) -> str:
    """Lowercase, '&' as 'and', punctuation and hyphens as spaces, single-spaced."""
    key = name.lower().replace("&", " and ")
    key = re.sub(r"[’'`]", "", key)
    key = re.sub(r"[^a-z0-9]+", " ", key)
    key = re.sub(r"\bsaint\b", "st", key)
    return " ".join(key.split())


# Words that are left when council words are stripped but name no authority on their own.
_TOO_GENERIC = {"london", "city", "county", "borough", "council", "the"}


def _variants(name: str) -> list[str]:
    """The name's key, then the key with council words stripped, most specific first."""
    seen: list[str] = []
    pending = [name_key(name)]
    while pending:
        key = pending.pop(0)
        if not key or key in seen or (seen and key in _TOO_GENERIC):
            continue
        seen.append(key)
        for prefix in _PREFIXES:
            if key.startswith(prefix):
                pending.append(key[len(prefix) :])
        for suffix in _SUFFIXES:
            if key.endswith(suffix):
                pending.append(key[: -len(suffix)])
    return seen


def slugify(name: str) -> str:
    return name_key(name).replace(" ", "-")


@dataclass(frozen=True, slots=True)
class AuthorityEntry:
    slug: str
    name: str
    ons_code: str
    dfe_code: str
    ofsted_urn: str
    region: str
    region_code: str
    type: str | None
    other_names: tuple[str, ...]
    statistical_neighbours: tuple[str, ...]


def _split_list(value: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in value.strip().strip("[]").split(",") if part.strip())


def _display_name(row: dict[str, str]) -> str:
    upper_tier = row.get("utla23nm", "").strip()
    if upper_tier and "," not in upper_tier:
        return upper_tier
    return re.sub(r",\s*City of$", "", row["local_authority_ons_name"].strip())


def entry_from_row(row: dict[str, str]) -> AuthorityEntry:
    name = _display_name(row)
    ons_name = row["local_authority_ons_name"].strip()
    others = {ons_name, row.get("ltla23nm", "").strip(), row.get("utla23nm", "").strip()}
    others.update(_split_list(row.get("also_known_as", "")))
    others.discard("")
    others.discard(name)
    return AuthorityEntry(
        slug=slugify(name),
        name=name,
        ons_code=row["la_code_new"].strip(),
        dfe_code=row["la_code"].strip(),
        ofsted_urn=row["urn"].strip(),
        region=row["region_name"].strip(),
        region_code=row["rgn22cd"].strip(),
        type=row.get("ons_la_type", "").strip() or None,
        other_names=tuple(sorted(others)),
        statistical_neighbours=_split_list(row.get("stat_neighbours", "")),
    )


class AuthorityRegister:
    def __init__(self, entries: Iterable[AuthorityEntry]) -> None:
        self.entries = list(entries)
        self._by_key: dict[str, AuthorityEntry] = {}
        for entry in self.entries:
            for name in (entry.name, *entry.other_names):
                self._by_key.setdefault(name_key(name), entry)
        for entry in self.entries:
            for name in (entry.name, *entry.other_names):
                for variant in _variants(name)[1:]:
                    self._by_key.setdefault(variant, entry)
        self._search = re.compile(
            r"\b("
            + "|".join(
                re.escape(key).replace(r"\ ", r"[\s,.’'\-&]+")
                for key in sorted(self._by_key, key=len, reverse=True)
                if len(key) > 3
            )
            + r")\b",
            re.IGNORECASE,
        )

    @classmethod
    def from_csv(cls, path: Path = REGISTER_PATH) -> AuthorityRegister:
        with path.open(newline="", encoding="utf-8") as handle:
            return cls(entry_from_row(row) for row in csv.DictReader(handle))

    def resolve(self, name: str) -> AuthorityEntry | None:
        """The entry a name as written refers to, or None. A shortened name ("Southend",
        "Stockton", "Windsor") resolves when it begins the names of one authority only."""
        variants = _variants(name)
        for variant in variants:
            entry = self._by_key.get(variant)
            if entry is not None:
                return entry
        for variant in variants:
            if len(variant) < 4 or variant in _TOO_GENERIC:
                continue
            starting = {
                entry.slug: entry
                for key, entry in self._by_key.items()
                if key.startswith(variant + " ")
            }
            if len(starting) == 1:
                return next(iter(starting.values()))
        return None

    def search(self, text: str) -> tuple[AuthorityEntry, str] | None:
        """The first authority named anywhere in `text`, with the words that named it."""
        for match in self._search.finditer(text):
            entry = self.resolve(match.group(1))
            if entry is not None:
                return entry, match.group(1)
        return None


@lru_cache
def default_register() -> AuthorityRegister:
    return AuthorityRegister.from_csv()
