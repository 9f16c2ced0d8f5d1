"""The tables. Created only by the Alembic migrations; a test checks the two agree.

Natural keys carry unique constraints, so a rerun of the seed job can never duplicate a row:
an authority by slug (and its ONS code, DfE code and Ofsted URN), a document by sha256, an
inspection by (authority, type, start date), a finding by (document, sequence).

Judgements are stored per document, with the source offsets they were read from. A report and
its summary for children both grade the same inspection; `canonical` marks the row that stands
for the inspection in each area (the one from the most complete document), so counts never
double and deleting one document never loses the other's grades.
"""

from datetime import date, datetime

from sqlalchemy import JSON, Column, Index, LargeBinary, MetaData, Text, UniqueConstraint
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field, SQLModel

SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
metadata: MetaData = SQLModel.metadata

JSONType = JSON().with_variant(JSONB(), "postgresql")


class Authority(SQLModel, table=True):
    __tablename__ = "authorities"

    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(unique=True, description="URL id, e.g. `cheshire-east`")
    name: str
    ons_code: str = Field(unique=True, description="ONS area code, e.g. E06000049")
    dfe_code: str = Field(unique=True, description="DfE local authority code, e.g. 895")
    ofsted_urn: str = Field(unique=True)
    region: str
    region_code: str
    type: str | None = None
    other_names: list[str] = Field(default_factory=list, sa_column=Column(JSONType, nullable=False))
    statistical_neighbours: list[str] = Field(
        default_factory=list,
        sa_column=Column(JSONType, nullable=False),
        description="DfE codes of the authority's statistical neighbours, in the register's order",
    )


class Inspection(SQLModel, table=True):
    __tablename__ = "inspections"
    __table_args__ = (
        UniqueConstraint("authority_id", "type", "start_date"),
        # Lists in date order, overall and per authority (keyset pagination on both).
        Index("ix_inspections_start_date_id", "start_date", "id"),
        Index("ix_inspections_authority_id_start_date_id", "authority_id", "start_date", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    authority_id: int = Field(foreign_key="authorities.id", ondelete="RESTRICT")
    type: str
    start_date: date
    end_date: date | None = None
    year: int = Field(index=True)


class Document(SQLModel, table=True):
    __tablename__ = "documents"

    id: int | None = Field(default=None, primary_key=True)
    inspection_id: int = Field(foreign_key="inspections.id", ondelete="CASCADE", index=True)
    filename: str
    sha256: str = Field(unique=True, max_length=64)
    title: str
    kind: str
    letter_date: date | None = None
    published_date: date | None = Field(default=None, index=True)
    published_source: str | None = Field(
        default=None,
        description="Where `published_date` came from: `document` (printed in it), "
        "`manifest` (the manifest.csv it was loaded with) or `site` (the date Ofsted's "
        "reports site lists beside it, for a document `python -m seed sync` fetched); null "
        "with no date",
    )
    source_url: str | None = None
    pages: int | None = None
    inspectors: list[str] = Field(default_factory=list, sa_column=Column(JSONType, nullable=False))
    addressee_name: str | None = None
    addressee_role: str | None = None
    parser_version: str
    loaded_at: datetime
    text: str = Field(sa_column=Column(Text, nullable=False))


class DocumentSource(SQLModel, table=True):
    """The file a document was read from, byte for byte, so that a later parser version can
    read it again (`python -m seed reparse`) and anyone can check the text against it."""

    __tablename__ = "document_sources"

    document_id: int = Field(foreign_key="documents.id", ondelete="CASCADE", primary_key=True)
    content: bytes = Field(sa_column=Column(LargeBinary, nullable=False))


class Judgement(SQLModel, table=True):
    __tablename__ = "judgements"
    __table_args__ = (
        UniqueConstraint("document_id", "area", "area_label"),
        Index("ix_judgements_inspection_canonical", "inspection_id", "canonical"),
    )

    id: int | None = Field(default=None, primary_key=True)
    inspection_id: int = Field(foreign_key="inspections.id", ondelete="CASCADE")
    document_id: int = Field(foreign_key="documents.id", ondelete="CASCADE", index=True)
    area: str
    area_label: str
    grade: str | None = Field(default=None, index=True)
    grade_label: str | None = None
    canonical: bool = True
    source_start: int
    source_end: int
    parser_version: str


class CitedJudgement(SQLModel, table=True):
    """An earlier judgement that a document cites ("...found to require improvement to be good
    in November 2019"). A reference of the inspection that cites it, never an inspection."""

    __tablename__ = "cited_judgements"
    __table_args__ = (UniqueConstraint("document_id", "area", "cited_year", "cited_month"),)

    id: int | None = Field(default=None, primary_key=True)
    inspection_id: int = Field(foreign_key="inspections.id", ondelete="CASCADE", index=True)
    document_id: int = Field(foreign_key="documents.id", ondelete="CASCADE", index=True)
    area: str
    grade: str | None = None
    grade_label: str
    cited_year: int
    cited_month: int | None = None
    source_start: int
    source_end: int
    parser_version: str


class Finding(SQLModel, table=True):
    """A finding. Its text is searchable: migration 0003 adds, outside the models, an FTS5
    table with triggers (SQLite) or a generated tsvector column with a GIN index
    (PostgreSQL); see app/store/search.py.

    `authority_id` and `start_date` repeat the inspection's (the loader keeps them in step;
    an inspection's authority and start date are part of its natural key, so they never
    change under it): the findings lists filter by authority and page in date order, and with
    the columns here one index range answers both, however deep the page (migration 0005)."""

    __tablename__ = "findings"
    __table_args__ = (
        UniqueConstraint("document_id", "sequence"),
        Index("ix_findings_inspection_id_id", "inspection_id", "id"),
        Index("ix_findings_start_date_id", "start_date", "id"),
        Index("ix_findings_authority_id_start_date_id", "authority_id", "start_date", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    inspection_id: int = Field(foreign_key="inspections.id", ondelete="CASCADE")
    authority_id: int = Field(
        foreign_key="authorities.id",
        ondelete="RESTRICT",
        description="The inspection's authority, repeated for the findings lists' index",
    )
    start_date: date = Field(
        description="The inspection's first day, repeated for the findings lists' index"
    )
    document_id: int = Field(foreign_key="documents.id", ondelete="CASCADE")
    sequence: int = Field(description="1-based position of the finding in its document")
    kind: str = Field(index=True)
    section: str | None = None
    judgement_area: str | None = None
    timeframe: str | None = None
    paragraph: int | None = None
    polarity: str
    polarity_score: float | None = Field(
        default=None,
        description="The model's probability of `polarity` (null: labelled before the model)",
    )
    text: str = Field(sa_column=Column(Text, nullable=False))
    source_start: int
    source_end: int
    parser_version: str
    model_version: str | None = Field(
        default=None,
        description="The theme and polarity model that labelled the finding (null: the word "
        "lists before it); `python -m seed reparse` relabels findings of an older model",
    )


class FindingTheme(SQLModel, table=True):
    __tablename__ = "finding_themes"
    __table_args__ = (
        Index("ix_finding_themes_theme_finding_id", "theme", "finding_id"),
        # Covers the themes of a page of findings, in rank order (migration 0005).
        Index(
            "ix_finding_themes_finding_id_rank", "finding_id", "rank", "theme", "matched", "score"
        ),
    )

    finding_id: int = Field(foreign_key="findings.id", ondelete="CASCADE", primary_key=True)
    theme: str = Field(primary_key=True)
    rank: int = Field(description="1 for the theme the finding says most about")
    matched: list[str] = Field(
        default_factory=list,
        sa_column=Column(JSONType, nullable=False),
        description="The words of the finding that weighed most for this theme",
    )
    score: float | None = Field(
        default=None,
        description="The model's calibrated probability that the finding has this theme",
    )


class Change(SQLModel, table=True):
    """The change log: one row per document loaded, re-extracted or deleted.

    Its id is the data version: it grows with every change, so `max(id)` tells a client (or
    an HTTP cache) whether anything changed, and `GET /changes?since=` what did. Rows keep
    their ids after the document is gone, so they carry no foreign keys."""

    __tablename__ = "changes"

    id: int | None = Field(default=None, primary_key=True)
    action: str = Field(description="loaded, reparsed or deleted")
    document_id: int = Field(index=True)
    inspection_id: int = Field(index=True)
    at: datetime


class SitePage(SQLModel, table=True):
    """A page of Ofsted's reports site as `python -m seed sync` last read it (a search page,
    a provider page, a robots.txt): its validators, so the next sync asks only whether it
    changed (If-None-Match / If-Modified-Since), and its text, read again when it has not."""

    __tablename__ = "site_pages"

    id: int | None = Field(default=None, primary_key=True)
    url: str = Field(sa_column=Column(Text, nullable=False, unique=True))
    etag: str | None = None
    last_modified: str | None = None
    sha256: str = Field(max_length=64)
    body: str = Field(sa_column=Column(Text, nullable=False))
    fetched_at: datetime


class SitePublication(SQLModel, table=True):
    """A publication Ofsted's reports site lists on a local authority's children's services
    provider page (an inspection report, a letter, a focused visit...), as the site lists
    it, and what became of it: the document it loaded as, or why it is not loaded.

    Written by `python -m seed sync`; the document's row and its publication's outcome are
    written in one transaction, so a sync stopped at any point never fetches a loaded file
    again nor loses the validators of one it did not load."""

    __tablename__ = "site_publications"

    id: int | None = Field(default=None, primary_key=True)
    url: str = Field(
        sa_column=Column(Text, nullable=False, unique=True),
        description="The file's URL as the site links it (files.ofsted.gov.uk/v1/file/<id>)",
    )
    provider_urn: str = Field(index=True, description="Ofsted's URN of the provider page")
    provider_name: str
    provider_url: str = Field(sa_column=Column(Text, nullable=False))
    listed_as: str = Field(
        description="The link's text as the site gives it, e.g. \"children's services "
        'inspection - 09 may 2025, pdf"'
    )
    title: str = Field(
        description="What the site calls the publication (the framework as the site names "
        'it), e.g. "children\'s services inspection"'
    )
    listed_date: date | None = Field(default=None, description="The date the site lists")
    listed_format: str | None = Field(default=None, description="e.g. `pdf`")
    first_seen_at: datetime
    last_seen_at: datetime
    outcome: str | None = Field(
        default=None, description="loaded, rejected or not-fetched; null until first tried"
    )
    reason: str | None = None
    document_id: int | None = Field(
        default=None, foreign_key="documents.id", ondelete="SET NULL", index=True
    )
    sha256: str | None = Field(default=None, max_length=64)
    etag: str | None = None
    last_modified: str | None = None
    fetched_at: datetime | None = None
    parser_version: str | None = Field(
        default=None, description="The parser version that rejected it, for a rejection"
    )


class FindingEmbedding(SQLModel, table=True):
    """A finding's embedding (app/intelligence): 256 float32 numbers, little-endian, unit
    length, from the model named in `model`. Written with the finding, in the same
    transaction (migration 0010); `python -m seed reparse` recomputes those of another model."""

    __tablename__ = "finding_embeddings"

    finding_id: int = Field(foreign_key="findings.id", ondelete="CASCADE", primary_key=True)
    model: str = Field(description="The embedding model's version")
    vector: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
