"""Data quality: every record knows the parser version that made it, `python -m seed reparse`
re-extracts older ones in place with stable ids, a grade that cannot be read is recorded as
unreadable (never guessed), and every document keeps the URL it came from."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import delete, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from app.classifier import default_model
from app.db import migrate
from app.extraction import PARSER_VERSION, extract
from app.extraction.authorities import AuthorityRegister
from app.loading import SourceFile, load_authorities
from app.main import create_app
from app.models import Change, Document, DocumentSource, Finding, FindingTheme, Judgement
from app.pipeline import load_document
from seed import DOCUMENTS_DIR, cli
from tests.api.helpers import get
from tests.conftest import SEED_FILES, load_seed_documents

UNREADABLE = """Inspection of Leeds local authority children’s services

Inspection dates: 1 to 5 May 2023

Lead inspector: Ann Example, His Majesty’s Inspector

Judgement Grade

The impact of leaders on social work
practice with children and families
Good

The experiences and progress of
children who need help and protection
G o o d

The experiences and progress of
children in care
Good

Overall effectiveness Good

Children in Leeds are well served. Leaders know their services well.

What needs to improve?

• The timeliness of assessments.
"""


def run_cli(engine: Engine, monkeypatch: pytest.MonkeyPatch, *argv: str) -> tuple[int, list[str]]:
    monkeypatch.setattr(cli, "get_engine", lambda: engine)
    out = io.StringIO()
    code = cli.main(["--jobs", "1", *argv], out=out)
    return code, out.getvalue().splitlines()


def test_a_grade_that_cannot_be_read_is_recorded_as_unreadable(
    empty_engine: Engine, register: AuthorityRegister
) -> None:
    document = extract(UNREADABLE)
    assert [(j.area.value, j.grade, j.grade_label) for j in document.judgements] == [
        ("leadership", "good", "Good"),
        ("help-and-protection", None, None),
        ("children-in-care", "good", "Good"),
        ("overall-effectiveness", "good", "Good"),
    ]
    migrate(empty_engine)
    with Session(empty_engine) as session:
        load_authorities(session, register.entries)
        result = load_document(session, SourceFile("leeds.txt", UNREADABLE.encode()), register)
        session.commit()
    client = TestClient(create_app(empty_engine))
    detail = get(client, f"/inspections/{result.inspection_id}")
    unreadable = [j for j in detail["judgements"] if j["area"] == "help-and-protection"]
    assert [(j["grade"], j["grade_label"]) for j in unreadable] == [(None, None)]
    assert get(client, "/inspections?grade=good&area=help-and-protection")["total"] == 0


def test_every_record_carries_the_parser_version(
    empty_engine: Engine, register: AuthorityRegister
) -> None:
    migrate(empty_engine)
    load_seed_documents(empty_engine, register, SEED_FILES)
    with empty_engine.connect() as connection:
        for model in (Document, Judgement, Finding):
            versions = set(connection.scalars(select(model.parser_version)))  # type: ignore[attr-defined]
            assert versions == {PARSER_VERSION}


def test_reparse_updates_older_documents_in_place(
    empty_engine: Engine, register: AuthorityRegister, monkeypatch: pytest.MonkeyPatch
) -> None:
    migrate(empty_engine)
    load_seed_documents(empty_engine, register, SEED_FILES)
    with Session(empty_engine) as session:
        before = list(
            session.execute(
                select(Finding.id, Finding.document_id, Finding.sequence).order_by(Finding.id)
            )
        )
        session.execute(update(Document).where(Document.id == 5).values(parser_version="0.9.0"))
        session.execute(update(Finding).where(Finding.document_id == 5).values(text="stale"))
        session.commit()

    code, lines = run_cli(empty_engine, monkeypatch, "reparse")
    assert code == 0
    assert lines[1:] == [
        "reparsed 004_00ec88477df05a0b.txt: document 5, inspection 4; 4 judgements; "
        "62 findings (46 narrative, 16 recommendation)",
        "total: 1 documents: 0 loaded, 1 reparsed, 0 skipped, 0 failed; 4 judgements, 62 findings",
    ]
    with Session(empty_engine) as session:
        after = list(
            session.execute(
                select(Finding.id, Finding.document_id, Finding.sequence).order_by(Finding.id)
            )
        )
        assert after == before  # the same rows, the same ids
        assert session.scalar(select(Finding.text).where(Finding.id == before[-1].id)) != "stale"
        assert set(session.scalars(select(Document.parser_version))) == {PARSER_VERSION}
        assert [c.action for c in session.scalars(select(Change).order_by(Change.id))][-1] == (
            "reparsed"
        )

    code, lines = run_cli(empty_engine, monkeypatch, "reparse")
    assert lines[1:] == [
        "total: 0 documents: 0 loaded, 0 skipped, 0 failed; 0 judgements, 0 findings"
    ]
    code, lines = run_cli(empty_engine, monkeypatch, "reparse", "--all")
    assert code == 0
    assert sum(line.startswith("reparsed") for line in lines) == 5


def test_reparse_relabels_what_an_older_model_labelled_with_the_same_ids(
    empty_engine: Engine, register: AuthorityRegister, monkeypatch: pytest.MonkeyPatch
) -> None:
    migrate(empty_engine)
    load_seed_documents(empty_engine, register, SEED_FILES)
    version = default_model().version
    with Session(empty_engine) as session:
        assert set(session.scalars(select(Finding.model_version))) == {version}
        before = list(session.execute(select(Finding.id, Finding.polarity).order_by(Finding.id)))
        themes_before = list(
            session.execute(select(FindingTheme.finding_id, FindingTheme.theme, FindingTheme.score))
        )
        # Document 2 (001) as the word lists before the model left it: no scores, no version.
        session.execute(
            update(Finding)
            .where(Finding.document_id == 2)
            .values(model_version=None, polarity_score=None, polarity="neutral")
        )
        session.execute(
            delete(FindingTheme).where(
                FindingTheme.finding_id.in_(select(Finding.id).where(Finding.document_id == 2))
            )
        )
        session.commit()

    code, lines = run_cli(empty_engine, monkeypatch, "reparse")
    assert code == 0
    assert lines[1:] == [
        "reparsed 001_ea5071c6fb35de9d.txt: document 2, inspection 2; 0 judgements; "
        "14 findings (7 strength, 7 weakness)",
        "total: 1 documents: 0 loaded, 1 reparsed, 0 skipped, 0 failed; 0 judgements, 14 findings",
    ]
    with Session(empty_engine) as session:
        assert list(session.execute(select(Finding.id, Finding.polarity).order_by(Finding.id))) == (
            before
        )
        assert sorted(
            session.execute(select(FindingTheme.finding_id, FindingTheme.theme, FindingTheme.score))
        ) == sorted(themes_before)
        assert set(session.scalars(select(Finding.model_version))) == {version}


def test_reparse_of_a_changed_file_keeps_surviving_ids(
    empty_engine: Engine, register: AuthorityRegister, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A re-extraction that yields one finding fewer updates the rest in place and removes
    the last; a document that no longer extracts keeps its old records."""
    migrate(empty_engine)
    load_seed_documents(empty_engine, register, SEED_FILES[2:3])
    text = (DOCUMENTS_DIR / SEED_FILES[2].name).read_text(encoding="utf-8")
    without_last_paragraph = text.rsplit("\nSocial workers are able", 1)[0]
    with Session(empty_engine) as session:
        ids = list(session.scalars(select(Finding.id).order_by(Finding.sequence)))
        session.execute(update(DocumentSource).values(content=without_last_paragraph.encode()))
        session.execute(update(Document).values(parser_version="0.9.0"))
        session.commit()
    code, lines = run_cli(empty_engine, monkeypatch, "reparse")
    assert code == 0
    assert lines[1].startswith("reparsed 002_840fe968f2e3c99a.txt: document 1, inspection 1; ")
    with Session(empty_engine) as session:
        after = list(session.scalars(select(Finding.id).order_by(Finding.sequence)))
    assert after == ids[:-1]

    with Session(empty_engine) as session:
        session.execute(update(DocumentSource).values(content=b"not a report at all"))
        session.execute(update(Document).values(parser_version="0.9.0"))
        session.commit()
    code, lines = run_cli(empty_engine, monkeypatch, "reparse")
    assert code == 1
    assert lines[1] == (
        "failed   002_840fe968f2e3c99a.txt: no Ofsted children's services inspection title "
        "was found in the first pages"
    )
    with Session(empty_engine) as session:
        assert list(session.scalars(select(Finding.id).order_by(Finding.sequence))) == ids[:-1]


def test_documents_keep_their_source_url(
    empty_engine: Engine, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    for name in ("cheshire-east_2024-05-16.pdf", "manifest.csv"):
        shutil.copy(DOCUMENTS_DIR / name, tmp_path / name)
    code, _ = run_cli(empty_engine, monkeypatch, "load", str(tmp_path))
    assert code == 0
    client = TestClient(create_app(empty_engine))
    (inspection,) = get(client, "/inspections?authority=cheshire-east")["items"]
    assert [(d["source_url"], d["published_date"]) for d in inspection["documents"]] == [
        ("https://files.ofsted.gov.uk/v1/file/50247203", "2024-05-16")
    ]
