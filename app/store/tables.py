"""The tables, as SQLAlchemy Core tables of the SQLModel models (`app.models`)."""

from __future__ import annotations

from app.models import (
    Authority,
    Change,
    CitedJudgement,
    Document,
    Finding,
    FindingTheme,
    Inspection,
    Judgement,
    metadata,
)

authorities = metadata.tables[Authority.__tablename__]
changes = metadata.tables[Change.__tablename__]
inspections = metadata.tables[Inspection.__tablename__]
documents = metadata.tables[Document.__tablename__]
judgements = metadata.tables[Judgement.__tablename__]
cited_judgements = metadata.tables[CitedJudgement.__tablename__]
findings = metadata.tables[Finding.__tablename__]
finding_themes = metadata.tables[FindingTheme.__tablename__]

__all__ = [
    "authorities",
    "changes",
    "cited_judgements",
    "documents",
    "finding_themes",
    "findings",
    "inspections",
    "judgements",
    "metadata",
]
