"""The authorities: the register in memory, and each authority's latest grades."""

from __future__ import annotations

import difflib
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Select, func, select

from app.http.errors import ErrorDetail, InvalidParameter, NotFound
from app.listing.keyset import Keyset
from app.store.tables import authorities, inspections


@dataclass(frozen=True, slots=True)
class AuthorityRow:
    id: int
    slug: str
    name: str
    ons_code: str
    dfe_code: str
    region: str
    region_code: str
    current: bool
    """Still an authority: the register gives current statistical neighbours for every
    authority but those replaced since 2019 (Poole, Northamptonshire, Cumbria)."""


class AuthorityIndex:
    """The register in memory (about 150 rows), reloaded when a lookup misses."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._by_key: dict[str, AuthorityRow] = {}
        self._by_id: dict[int, AuthorityRow] = {}
        self._by_dfe: dict[str, AuthorityRow] = {}
        self._by_region: dict[str, set[int]] = {}
        self._region_names: list[str] = []

    def _load(self, connection: Connection) -> None:
        rows = [
            AuthorityRow(*row[:-1], current=bool(row[-1]))
            for row in connection.execute(
                select(
                    authorities.c.id,
                    authorities.c.slug,
                    authorities.c.name,
                    authorities.c.ons_code,
                    authorities.c.dfe_code,
                    authorities.c.region,
                    authorities.c.region_code,
                    authorities.c.statistical_neighbours,
                )
            )
        ]
        with self._lock:
            self._by_key = {row.slug: row for row in rows}
            self._by_key.update({row.ons_code.lower(): row for row in rows})
            self._by_id = {row.id: row for row in rows}
            self._by_dfe = {row.dfe_code: row for row in rows}
            regions: dict[str, set[int]] = {}
            for row in rows:
                regions.setdefault(row.region.lower(), set()).add(row.id)
                regions.setdefault(row.region_code.lower(), set()).add(row.id)
            self._by_region = regions
            self._region_names = sorted({row.region for row in rows})

    def lookup(self, connection: Connection, key: str) -> AuthorityRow | None:
        found = self._by_key.get(key.lower())
        if found is None:
            self._load(connection)
            found = self._by_key.get(key.lower())
        return found

    def by_id(self, connection: Connection, authority_id: int) -> AuthorityRow:
        found = self._by_id.get(authority_id)
        if found is None:
            self._load(connection)
            found = self._by_id[authority_id]
        return found

    def by_dfe(self, connection: Connection, dfe_code: str) -> AuthorityRow | None:
        if not self._by_dfe:
            self._load(connection)
        return self._by_dfe.get(dfe_code)

    def slugs(self, connection: Connection) -> list[str]:
        if not self._by_id:
            self._load(connection)
        return sorted(row.slug for row in self._by_id.values())

    def all(self, connection: Connection) -> list[AuthorityRow]:
        if not self._by_id:
            self._load(connection)
        return sorted(self._by_id.values(), key=lambda row: row.slug)

    def current(self, connection: Connection) -> list[AuthorityRow]:
        """The authorities that are still authorities (153 in the shipped register), by slug."""
        return [row for row in self.all(connection) if row.current]

    def resolve_regions(self, connection: Connection, values: Sequence[str]) -> list[int]:
        """Authority ids in regions given by name or ONS code; an unknown one is a 422."""
        if not self._by_region:
            self._load(connection)
        ids: set[int] = set()
        for value in values:
            found = self._by_region.get(value.strip().lower())
            if found is None:
                raise InvalidParameter(
                    f"region: '{value}' is not a region name or code; valid names: "
                    f"{', '.join(self._region_names)}",
                    [ErrorDetail(parameter="region", message="unknown region", input=value)],
                )
            ids |= found
        return sorted(ids)

    def resolve(self, connection: Connection, values: Sequence[str]) -> list[int]:
        """Authority ids for slugs or ONS codes; an unknown one is a 422 naming valid values."""
        ids: list[int] = []
        for value in values:
            row = self.lookup(connection, value.strip())
            if row is None:
                slugs = self.slugs(connection)
                close = difflib.get_close_matches(value.lower(), slugs, n=3)
                hint = f" (did you mean {', '.join(close)}?)" if close else ""
                raise InvalidParameter(
                    f"authority: '{value}' is not a known authority slug or ONS code{hint}; "
                    f"valid slugs: {', '.join(slugs)}",
                    [ErrorDetail(parameter="authority", message="unknown authority", input=value)],
                )
            ids.append(row.id)
        return ids


# --- the register, as the API lists it ----------------------------------------------------

_INSPECTION_COUNT = (
    select(func.count())
    .where(inspections.c.authority_id == authorities.c.id)
    .correlate(authorities)
    .scalar_subquery()
    .label("inspections")
)


_KEYSET = Keyset("slug", (authorities.c.slug,), (str,))


def authorities_statement(
    connection: Connection, index: AuthorityIndex, regions: Sequence[str] | None, name: str | None
) -> tuple[Select[Any], Keyset]:
    """The register in the regions (any when None), named like `name`, by slug."""
    statement = select(authorities, _INSPECTION_COUNT)
    if regions:
        statement = statement.where(
            authorities.c.id.in_(index.resolve_regions(connection, regions))
        )
    if name:
        statement = statement.where(authorities.c.id.in_(_named(connection, name)))
    return statement, _KEYSET


def authority_by_id(
    connection: Connection, index: AuthorityIndex, authority_id: int
) -> dict[str, Any]:
    row = connection.execute(
        select(authorities, _INSPECTION_COUNT).where(authorities.c.id == authority_id)
    ).one()
    return authority_json(connection, index, row)


def authority_json(connection: Connection, index: AuthorityIndex, row: Any) -> dict[str, Any]:
    neighbours = [index.by_dfe(connection, code) for code in row.statistical_neighbours]
    return {
        "slug": row.slug,
        "name": row.name,
        "ons_code": row.ons_code,
        "dfe_code": row.dfe_code,
        "ofsted_urn": row.ofsted_urn,
        "region": row.region,
        "region_code": row.region_code,
        "type": row.type,
        "other_names": row.other_names,
        "statistical_neighbours": [n.slug for n in neighbours if n is not None],
        "inspections": row.inspections,
    }


def _words(text: str) -> str:
    """`text` as its words: letters and digits, lower-cased, one space between."""
    return " ".join(re.findall(r"[^\W_]+", text.lower()))


def _named(connection: Connection, name: str) -> list[int]:
    """The ids of the authorities whose name or another name holds `name`'s words."""
    wanted = _words(name)
    if not wanted:
        raise InvalidParameter(
            "name: give a letter or digit to look for",
            [ErrorDetail(parameter="name", message="no letter or digit", input=name)],
        )
    rows = connection.execute(
        select(authorities.c.id, authorities.c.name, authorities.c.other_names)
    )
    return [
        row.id
        for row in rows
        if any(wanted in _words(text) for text in [row.name, *(row.other_names or [])])
    ]


def lookup_authority(connection: Connection, index: AuthorityIndex, key: str) -> AuthorityRow:
    """The authority by slug or ONS code; a 404 when there is none."""
    found = index.lookup(connection, key)
    if found is None:
        raise NotFound(f"No authority with slug or ONS code '{key}'; see /authorities")
    return found


__all__ = [
    "AuthorityIndex",
    "AuthorityRow",
    "authorities_statement",
    "authority_by_id",
    "authority_json",
    "lookup_authority",
]
