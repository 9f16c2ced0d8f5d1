"""Shared query parts: the tables, typed filter parameters, and the conditions they add.

Every filter is a declared query parameter with a description; vocabularies are enums, so a
bad value is a 422 naming the valid ones. A repeated parameter is OR within that filter;
different filters combine with AND.
"""

from __future__ import annotations

import difflib
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Annotated, Any

from fastapi import Query, Request
from pydantic import BeforeValidator, Field
from sqlalchemy import ColumnElement, Connection, exists, literal_column, or_, select, true
from sqlalchemy.engine import Engine

from app.errors import ErrorDetail, InvalidParameter
from app.limits import MAX_ID
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
from app.search import SearchQuery, SearchSyntaxError, match_condition
from app.search import parse as parse_search
from app.vocabulary import (
    GRADE_SCORES,
    FindingKind,
    Grade,
    InspectionType,
    JudgementArea,
    Polarity,
    Theme,
    Timeframe,
)

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
RegionParam = Query(
    None,
    description="Region of the authority, by name (`North West`, any case) or ONS region code "
    "(`E12000002`); repeat for OR",
    examples=["North West"],
)
Year = Annotated[int, Field(ge=2000, le=2100)]
YearParam = Query(None, description="Year the inspection began; repeat for OR", examples=[2013])
YearFromParam = Query(
    None,
    ge=2000,
    le=2100,
    description="Inspections that began in this year or later",
    examples=[2012],
)
YearToParam = Query(
    None,
    ge=2000,
    le=2100,
    description="Inspections that began in this year or earlier",
    examples=[2014],
)
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_date(value: Any) -> Any:
    """A date parameter is YYYY-MM-DD: pydantic alone would also read `0` as a Unix time."""
    if isinstance(value, str) and not _ISO_DATE.fullmatch(value):
        raise ValueError("expected a date as YYYY-MM-DD")
    return value


IsoDate = Annotated[date, BeforeValidator(_iso_date)]
PublishedFromParam = Query(
    None,
    description="Published on or after this date (ISO 8601); documents without a publication "
    "date never match",
    examples=["2013-01-01"],
)
PublishedToParam = Query(
    None, description="Published on or before this date (ISO 8601)", examples=["2013-12-31"]
)
InspectionId = Annotated[int, Field(ge=1, le=MAX_ID)]
InspectionIdParam = Query(
    None, description="Inspection id (see `/inspections`); repeat for OR", examples=[4]
)
TypeParam = Query(None, description="Inspection type; repeat for OR", examples=["ilacs"])
GradeParam = Query(
    None,
    description="Inspections having a judgement of this grade (narrowed by `area` when given); "
    "repeat for OR",
    examples=["inadequate"],
)
AreaParam = Query(
    None,
    description="Inspections graded in this judgement area (with `grade`: having that grade in "
    "that area); repeat for OR",
    examples=["leadership"],
)
ThemeParam = Query(None, description="Finding theme; repeat for OR", examples=["child-in-need"])
KindParam = Query(None, description="Finding kind; repeat for OR", examples=["recommendation"])
PolarityParam = Query(None, description="Finding polarity; repeat for OR", examples=["negative"])
JudgementAreaParam = Query(
    None,
    description="The judgement area of the finding itself (the section of the report it comes "
    "from, `judgement_area` in each item), unlike `area`, which is an area the inspection "
    "graded; repeat for OR",
    examples=["care-leavers"],
)
TimeframeParam = Query(
    None,
    description="Timeframe of a recommendation; repeat for OR",
    examples=["within-3-months"],
)
SearchParam = Query(
    None,
    max_length=500,
    description="Full-text search of the findings' text. Words match whole words, any case; "
    '`supervis*` matches words that start with `supervis`; `"management oversight"` matches '
    "the words together; `AND` (or nothing), `OR`, `NOT` and parentheses combine them. "
    "Results then come most relevant first, each with a highlighted `snippet`. A query that "
    "cannot be parsed is a 422 saying why.",
    examples=['"management oversight"'],
)
CountParam = Query(
    True,
    description="`false` skips counting the matching rows (`total` is then null), which is "
    "faster on large results",
    examples=[False],
)


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


# Conditions are built once per distinct value list and shared: SQLAlchemy takes longer to
# build a condition than SQLite takes to check one, and a built condition is immutable. The
# caches are keyed by column names and value tuples, never by column objects (whose `==`
# builds an expression).
_CONDITIONS = 4096
_ONE: ColumnElement[int] = literal_column("1")
"""`EXISTS (SELECT 1 ...)`: an index that holds the condition's columns answers it alone."""


def _column(key: str) -> Any:
    table, column = key.split(".")
    return metadata.tables[table].c[column]


def _key(column: Any) -> str:
    return f"{column.table.name}.{column.name}"


@lru_cache(maxsize=_CONDITIONS)
def _in(column: str, values: tuple[Any, ...]) -> ColumnElement[bool]:
    return _column(column).in_(values)  # type: ignore[no-any-return]


def in_values(column: Any, values: Sequence[Any]) -> ColumnElement[bool]:
    """`column IN (values)`, shared between requests that ask for the same values."""
    return _in(_key(column), tuple(getattr(value, "value", value) for value in values))


@lru_cache(maxsize=_CONDITIONS)
def _grade_condition(
    inspection_id: str, grades: tuple[str, ...], areas: tuple[str, ...]
) -> ColumnElement[bool]:
    condition = (
        (judgements.c.inspection_id == _column(inspection_id))
        & judgements.c.canonical
        & judgements.c.grade.in_(grades)
    )
    if areas:
        condition &= judgements.c.area.in_(areas)
    # correlate_except: stays correct inside a statement that itself joins judgements
    # (the grade and area facets), where auto-correlation would leave it no FROM.
    return select(_ONE).where(condition).correlate_except(judgements).exists()


def grade_condition(
    inspection_id: Any, grades: Sequence[Grade], areas: Sequence[JudgementArea] | None = None
) -> ColumnElement[bool]:
    """The inspection has a (canonical) judgement of one of `grades`, in one of `areas`."""
    return _grade_condition(
        _key(inspection_id),
        tuple(grade.value for grade in grades),
        tuple(area.value for area in areas or ()),
    )


@lru_cache(maxsize=_CONDITIONS)
def _theme_condition(finding_id: str, themes: tuple[str, ...]) -> ColumnElement[bool]:
    return (
        select(_ONE)
        .where(
            (finding_themes.c.finding_id == _column(finding_id))
            & finding_themes.c.theme.in_(themes)
        )
        .correlate_except(finding_themes)
        .exists()
    )


def theme_condition(finding_id: Any, themes: Sequence[Theme]) -> ColumnElement[bool]:
    return _theme_condition(_key(finding_id), tuple(theme.value for theme in themes))


@lru_cache(maxsize=_CONDITIONS)
def _years(years: tuple[int, ...]) -> ColumnElement[bool]:
    return or_(
        *(findings.c.start_date.between(date(year, 1, 1), date(year, 12, 31)) for year in years)
    )


def values_of(items: Sequence[Any] | None) -> list[str]:
    return [item.value if hasattr(item, "value") else str(item) for item in items or []]


def split_commas(values: Any) -> Any:
    """For a list parameter that also takes comma-separated values: `by=a,b&by=c`. An empty
    value (`by=`, `by=a,`) is kept, for validation to reject as the enum it is not."""
    if isinstance(values, list):
        return [part.strip() for value in values for part in str(value).split(",")]
    return values


def all_of(conditions: Sequence[ColumnElement[bool]]) -> ColumnElement[bool]:
    result: ColumnElement[bool] = true()
    for condition in conditions:
        result = result & condition
    return result


class InspectionFilters:
    """Filters on inspections, for every endpoint that lists inspections or what they hold.

    Each is a declared query parameter; a repeated parameter is OR within its filter, and
    different filters combine with AND."""

    def __init__(
        self,
        authority: list[str] | None = AuthorityParam,
        region: list[str] | None = RegionParam,
        year: list[Year] | None = YearParam,
        year_from: int | None = YearFromParam,
        year_to: int | None = YearToParam,
        published_from: IsoDate | None = PublishedFromParam,
        published_to: IsoDate | None = PublishedToParam,
        type: list[InspectionType] | None = TypeParam,
        grade: list[Grade] | None = GradeParam,
        area: list[JudgementArea] | None = AreaParam,
    ) -> None:
        if year_from is not None and year_to is not None and year_from > year_to:
            raise InvalidParameter(
                f"year_from: {year_from} is after year_to {year_to}",
                [ErrorDetail(parameter="year_from", message="after year_to", input=year_from)],
            )
        if published_from and published_to and published_from > published_to:
            raise InvalidParameter(
                f"published_from: {published_from} is after published_to {published_to}",
                [
                    ErrorDetail(
                        parameter="published_from",
                        message="after published_to",
                        input=published_from.isoformat(),
                    )
                ],
            )
        self.authority = authority or []
        self.region = region or []
        self.year = year or []
        self.year_from = year_from
        self.year_to = year_to
        self.published_from = published_from
        self.published_to = published_to
        self.type = values_of(type)
        self.grade = grade or []
        self.area = area or []

    def authority_ids(self, connection: Connection, index: AuthorityIndex) -> list[int] | None:
        """The authorities the filters allow, or None for any."""
        ids: set[int] | None = None
        if self.authority:
            ids = set(index.resolve(connection, self.authority))
        if self.region:
            in_region = set(index.resolve_regions(connection, self.region))
            ids = in_region if ids is None else ids & in_region
        return None if ids is None else sorted(ids)

    def published_condition(self, key: Any, document_key: Any) -> ColumnElement[bool] | None:
        """`key` is among the `document_key`s of documents published in the date range."""
        if self.published_from is None and self.published_to is None:
            return None
        wanted = select(document_key)
        if self.published_from is not None:
            wanted = wanted.where(documents.c.published_date >= self.published_from)
        if self.published_to is not None:
            wanted = wanted.where(documents.c.published_date <= self.published_to)
        return key.in_(wanted)  # type: ignore[no-any-return]

    def period_conditions(self) -> list[ColumnElement[bool]]:
        """The years and types, on a statement of `inspections`."""
        conditions: list[ColumnElement[bool]] = []
        if self.year:
            conditions.append(inspections.c.year.in_(self.year))
        if self.year_from is not None:
            conditions.append(inspections.c.year >= self.year_from)
        if self.year_to is not None:
            conditions.append(inspections.c.year <= self.year_to)
        if self.type:
            conditions.append(inspections.c.type.in_(self.type))
        return conditions

    def conditions(
        self, connection: Connection, index: AuthorityIndex, *, by_document: bool = True
    ) -> list[ColumnElement[bool]]:
        """Conditions on a statement that joins `inspections`. `by_document`: apply the
        publication dates to the inspection's documents (else the caller applies them)."""
        conditions: list[ColumnElement[bool]] = []
        ids = self.authority_ids(connection, index)
        if ids is not None:
            conditions.append(inspections.c.authority_id.in_(ids))
        conditions.extend(self.period_conditions())
        judged = self.judgement_condition(inspections.c.id)
        if judged is not None:
            conditions.append(judged)
        if by_document:
            # An inspection matches when one of its documents was published in range.
            published = self.published_condition(inspections.c.id, documents.c.inspection_id)
            if published is not None:
                conditions.append(published)
        return conditions

    def finding_conditions(
        self, connection: Connection, index: AuthorityIndex
    ) -> list[ColumnElement[bool]]:
        """The same filters as `conditions`, but `grade` and `area` (`judgement_condition`),
        on a statement of findings (joined to their inspections): the authority and the
        years on the findings' own copies of the inspection's authority and start date, so
        that the findings lists read one range of an index in date order (migration 0005); a
        year is the range of its days."""
        conditions: list[ColumnElement[bool]] = []
        ids = self.authority_ids(connection, index)
        if ids is not None:
            conditions.append(in_values(findings.c.authority_id, ids))
        if self.year:
            conditions.append(_years(tuple(sorted(set(self.year)))))
        if self.year_from is not None:
            conditions.append(findings.c.start_date >= date(self.year_from, 1, 1))
        if self.year_to is not None:
            conditions.append(findings.c.start_date <= date(self.year_to, 12, 31))
        if self.type:
            conditions.append(in_values(inspections.c.type, self.type))
        return conditions

    def judgement_condition(self, inspection_id: Any) -> ColumnElement[bool] | None:
        """`grade` and `area` on the inspection whose id is `inspection_id`, or None."""
        if self.grade:
            return grade_condition(inspection_id, self.grade, self.area)
        if self.area:
            return (
                exists()
                .where(
                    (judgements.c.inspection_id == inspection_id)
                    & judgements.c.canonical
                    & judgements.c.area.in_(values_of(self.area))
                )
                .correlate_except(judgements)
            )
        return None


class FindingFilters:
    """Filters on findings: the inspection filters, the findings' own fields, and `q`."""

    def __init__(
        self,
        q: str | None = SearchParam,
        authority: list[str] | None = AuthorityParam,
        region: list[str] | None = RegionParam,
        inspection: list[InspectionId] | None = InspectionIdParam,
        year: list[Year] | None = YearParam,
        year_from: int | None = YearFromParam,
        year_to: int | None = YearToParam,
        published_from: IsoDate | None = PublishedFromParam,
        published_to: IsoDate | None = PublishedToParam,
        type: list[InspectionType] | None = TypeParam,
        kind: list[FindingKind] | None = KindParam,
        theme: list[Theme] | None = ThemeParam,
        polarity: list[Polarity] | None = PolarityParam,
        timeframe: list[Timeframe] | None = TimeframeParam,
        grade: list[Grade] | None = GradeParam,
        area: list[JudgementArea] | None = AreaParam,
        judgement_area: list[JudgementArea] | None = JudgementAreaParam,
    ) -> None:
        self.inspections = InspectionFilters(
            authority, region, year, year_from, year_to, published_from, published_to, type,
            grade, area,
        )  # fmt: skip
        self.search: SearchQuery | None = None
        if q is not None and q.strip():
            try:
                self.search = parse_search(q)
            except SearchSyntaxError as exc:
                raise InvalidParameter(
                    f"q: {exc}", [ErrorDetail(parameter="q", message=str(exc), input=q)]
                ) from exc
        self.inspection = inspection or []
        self.kind = values_of(kind)
        self.theme = theme or []
        self.polarity = values_of(polarity)
        self.timeframe = values_of(timeframe)
        self.judgement_area = values_of(judgement_area)

    def conditions(
        self,
        connection: Connection,
        index: AuthorityIndex,
        *,
        search: bool = True,
        themes: bool = True,
    ) -> list[ColumnElement[bool]]:
        """Conditions on a statement that joins findings and inspections. `search`: include
        the `q` match (a caller ordering by relevance joins the scored matches instead).
        `themes`: include the theme filter (a caller that joins finding_themes applies it to
        the joined rows instead)."""
        conditions = self.inspections.finding_conditions(connection, index)
        published = self.inspections.published_condition(findings.c.document_id, documents.c.id)
        if published is not None:
            conditions.append(published)
        if self.inspection:
            conditions.append(in_values(findings.c.inspection_id, self.inspection))
        if self.kind:
            conditions.append(in_values(findings.c.kind, self.kind))
        if self.polarity:
            conditions.append(in_values(findings.c.polarity, self.polarity))
        if self.timeframe:
            conditions.append(in_values(findings.c.timeframe, self.timeframe))
        if self.judgement_area:
            conditions.append(in_values(findings.c.judgement_area, self.judgement_area))
        if self.theme and themes:
            conditions.append(theme_condition(findings.c.id, self.theme))
        if search and self.search is not None:
            conditions.append(match_condition(connection.dialect.name, findings.c.id, self.search))
        # Last: SQLite checks conditions in this order, and the ones above need only the
        # index entry (the theme's is a lookup in finding_themes' key by finding id), while
        # this one reads the finding's row for its inspection id.
        judged = self.inspections.judgement_condition(findings.c.inspection_id)
        if judged is not None:
            conditions.append(judged)
        return conditions


@dataclass(frozen=True, slots=True)
class LatestJudgement:
    authority_id: int
    area: str
    area_label: str | None
    grade: str
    grade_label: str | None
    year: int
    month: int | None
    inspection_id: int
    """The inspection that gave the judgement, or, for a cited one, the one that cites it."""
    type: str | None
    """The type of the inspection that gave it; None when it is known only from a citation."""
    cited: bool

    def json(self) -> dict[str, Any]:
        return {
            "area": self.area,
            "area_label": self.area_label,
            "grade": self.grade,
            "grade_label": self.grade_label,
            "score": GRADE_SCORES[Grade(self.grade)],
            "year": self.year,
            "month": self.month,
            "inspection_id": self.inspection_id,
            "cited": self.cited,
        }


def latest_judgements(
    connection: Connection,
    authority_ids: Sequence[int] | None,
    *,
    years: Sequence[int] = (),
    year_from: int | None = None,
    year_to: int | None = None,
    types: Sequence[str] = (),
) -> dict[tuple[int, str], LatestJudgement]:
    """Each authority's latest known grade in each judgement area: from its inspections'
    own judgements, or from an earlier judgement that a later report cites when that is more
    recent (many inspections are known only that way). Only judgements within the year and
    type filters count, so `year_to` gives the latest grades as at the end of that year. Two
    statements, whatever the number of authorities."""
    own = (
        select(
            inspections.c.authority_id,
            judgements.c.area,
            judgements.c.area_label,
            judgements.c.grade,
            judgements.c.grade_label,
            inspections.c.start_date,
            inspections.c.id,
            inspections.c.type,
        )
        .select_from(judgements.join(inspections, inspections.c.id == judgements.c.inspection_id))
        .where(judgements.c.canonical, judgements.c.grade.is_not(None))
    )
    cited = (
        select(
            inspections.c.authority_id,
            cited_judgements.c.area,
            cited_judgements.c.grade,
            cited_judgements.c.grade_label,
            cited_judgements.c.cited_year,
            cited_judgements.c.cited_month,
            inspections.c.id,
        )
        .select_from(
            cited_judgements.join(inspections, inspections.c.id == cited_judgements.c.inspection_id)
        )
        .where(cited_judgements.c.grade.is_not(None))
    )
    if authority_ids is not None:
        own = own.where(inspections.c.authority_id.in_(authority_ids))
        cited = cited.where(inspections.c.authority_id.in_(authority_ids))
    year, cited_year = inspections.c.year, cited_judgements.c.cited_year
    if years:
        own, cited = own.where(year.in_(years)), cited.where(cited_year.in_(years))
    if year_from is not None:
        own, cited = own.where(year >= year_from), cited.where(cited_year >= year_from)
    if year_to is not None:
        own, cited = own.where(year <= year_to), cited.where(cited_year <= year_to)
    found: dict[tuple[int, str], tuple[tuple[int, int, int, int], LatestJudgement]] = {}

    def offer(rank: tuple[int, int, int, int], judgement: LatestJudgement) -> None:
        key = (judgement.authority_id, judgement.area)
        if key not in found or rank > found[key][0]:
            found[key] = (rank, judgement)

    if types:
        own = own.where(inspections.c.type.in_(types))
    for row in connection.execute(own):
        offer(
            (row.start_date.year, row.start_date.month, 1, row.id),
            LatestJudgement(
                row.authority_id, row.area, row.area_label, row.grade, row.grade_label,
                row.start_date.year, row.start_date.month, row.id, row.type, cited=False,
            ),
        )  # fmt: skip
    if not types:  # a cited judgement's inspection type is not known
        for ref in connection.execute(cited):
            offer(
                (ref.cited_year, ref.cited_month or 0, 0, ref.id),
                LatestJudgement(
                    ref.authority_id, ref.area, None, ref.grade, ref.grade_label,
                    ref.cited_year, ref.cited_month, ref.id, None, cited=True,
                ),
            )  # fmt: skip
    return {key: judgement for key, (_rank, judgement) in sorted(found.items())}


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
