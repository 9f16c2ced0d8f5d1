"""Shared query parts: the tables, typed filter parameters, and the conditions they add.

Every filter is a declared query parameter with a description; vocabularies are enums, so a
bad value is a 422 naming the valid ones. A repeated parameter is OR within that filter;
different filters combine with AND.
"""

from __future__ import annotations

import difflib
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Query, Request
from pydantic import Field
from sqlalchemy import ColumnElement, Connection, exists, select, true
from sqlalchemy.engine import Engine

from app.errors import ErrorDetail, InvalidParameter
from app.models import (
    Authority,
    CitedJudgement,
    Document,
    Finding,
    FindingTheme,
    Inspection,
    Judgement,
    metadata,
)
from app.vocabulary import FindingKind, Grade, InspectionType, JudgementArea, Theme

authorities = metadata.tables[Authority.__tablename__]
inspections = metadata.tables[Inspection.__tablename__]
documents = metadata.tables[Document.__tablename__]
judgements = metadata.tables[Judgement.__tablename__]
cited_judgements = metadata.tables[CitedJudgement.__tablename__]
findings = metadata.tables[Finding.__tablename__]
finding_themes = metadata.tables[FindingTheme.__tablename__]


def engine_of(request: Request) -> Engine:
    engine: Engine = request.app.state.engine
    return engine


def authority_index_of(request: Request) -> AuthorityIndex:
    index: AuthorityIndex = request.app.state.authority_index
    return index


AuthorityParam = Query(
    None,
    description="Authority slug (`cheshire-east`) or ONS code (`E06000049`); repeat for OR",
    examples=["cheshire-east"],
)
Year = Annotated[int, Field(ge=2000, le=2100)]
YearParam = Query(None, description="Year the inspection began; repeat for OR", examples=[2013])
TypeParam = Query(None, description="Inspection type; repeat for OR", examples=["ilacs"])
GradeParam = Query(
    None,
    description="Inspections having a judgement of this grade (narrowed by `area` when given); "
    "repeat for OR",
    examples=["inadequate"],
)
AreaParam = Query(None, description="Judgement area; repeat for OR", examples=["leadership"])
ThemeParam = Query(None, description="Finding theme; repeat for OR", examples=["child-in-need"])
KindParam = Query(None, description="Finding kind; repeat for OR", examples=["recommendation"])


@dataclass(frozen=True, slots=True)
class AuthorityRow:
    id: int
    slug: str
    name: str
    ons_code: str
    dfe_code: str


class AuthorityIndex:
    """The register in memory (about 150 rows), reloaded when a lookup misses."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._by_key: dict[str, AuthorityRow] = {}
        self._by_id: dict[int, AuthorityRow] = {}
        self._by_dfe: dict[str, AuthorityRow] = {}

    def _load(self, connection: Connection) -> None:
        rows = [
            AuthorityRow(*row)
            for row in connection.execute(
                select(
                    authorities.c.id,
                    authorities.c.slug,
                    authorities.c.name,
                    authorities.c.ons_code,
                    authorities.c.dfe_code,
                )
            )
        ]
        with self._lock:
            self._by_key = {row.slug: row for row in rows}
            self._by_key.update({row.ons_code.lower(): row for row in rows})
            self._by_id = {row.id: row for row in rows}
            self._by_dfe = {row.dfe_code: row for row in rows}

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


def grade_condition(
    inspection_id: Any, grades: Sequence[Grade], areas: Sequence[JudgementArea] | None = None
) -> ColumnElement[bool]:
    """The inspection has a (canonical) judgement of one of `grades`, in one of `areas`."""
    condition = (
        (judgements.c.inspection_id == inspection_id)
        & judgements.c.canonical
        & judgements.c.grade.in_([grade.value for grade in grades])
    )
    if areas:
        condition &= judgements.c.area.in_([area.value for area in areas])
    return exists().where(condition)


def theme_condition(finding_id: Any, themes: Sequence[Theme]) -> ColumnElement[bool]:
    return exists().where(
        (finding_themes.c.finding_id == finding_id)
        & finding_themes.c.theme.in_([theme.value for theme in themes])
    )


def values_of(items: Sequence[Any] | None) -> list[str]:
    return [item.value if hasattr(item, "value") else str(item) for item in items or []]


def all_of(conditions: Sequence[ColumnElement[bool]]) -> ColumnElement[bool]:
    result: ColumnElement[bool] = true()
    for condition in conditions:
        result = result & condition
    return result


__all__ = [
    "AreaParam",
    "AuthorityIndex",
    "AuthorityParam",
    "FindingKind",
    "GradeParam",
    "InspectionType",
    "KindParam",
    "ThemeParam",
    "TypeParam",
    "Year",
    "YearParam",
]
