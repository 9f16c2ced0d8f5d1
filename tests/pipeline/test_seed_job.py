"""The seed job: what it prints, reruns that change nothing, and bad files that load nothing."""

from __future__ import annotations

import io
import shutil
import zipfile
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from app import db
from app.extraction.authorities import AuthorityRegister
from app.loading import load_authorities
from app.main import create_app
from app.models import (
    Authority,
    CitedJudgement,
    Document,
    DocumentSource,
    Finding,
    FindingTheme,
    Inspection,
    Judgement,
)
from seed import DOCUMENTS_DIR, cli
from tests.api.helpers import get

TABLES = (
    Authority,
    Inspection,
    Document,
    DocumentSource,
    Judgement,
    CitedJudgement,
    Finding,
    FindingTheme,
)


def counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as connection:
        return {
            model.__tablename__: connection.scalar(select(func.count()).select_from(model))  # type: ignore[attr-defined]
            for model in TABLES
        }


def run(engine: Engine, monkeypatch: pytest.MonkeyPatch, *argv: str) -> tuple[int, list[str]]:
    monkeypatch.setattr(cli, "get_engine", lambda: engine)
    out = io.StringIO()
    code = cli.main(list(argv), out=out)
    return code, out.getvalue().splitlines()


SEED_LINES = [
    "loaded   000_ea24617dd7a18d2f.txt: cheshire-east contact-referral-assessment 2010-07-20 "
    "(inspection 1, new); 0 judgements; 19 findings (12 strength, 7 weakness)",
    "loaded   001_ea5071c6fb35de9d.txt: cheshire-west-and-chester contact-referral-assessment "
    "2010-03-17 (inspection 2, new); 0 judgements; 14 findings (7 strength, 7 weakness)",
    "loaded   002_840fe968f2e3c99a.txt: cheshire-east focused-visit 2021-11-03 (inspection 3, "
    "new); 0 judgements; 23 findings (20 narrative, 3 recommendation)",
    "loaded   003_428a553426a77882.txt: cheshire-east child-protection 2013-03-11 (inspection 4, "
    "new); 1 judgements; 12 findings (5 strength, 7 weakness)",
    "loaded   004_00ec88477df05a0b.txt: cheshire-east child-protection 2013-03-11 (inspection 4, "
    "joined); 4 judgements; 62 findings (46 narrative, 16 recommendation)",
]


def test_seed_loads_the_shipped_corpus_and_a_rerun_changes_nothing(
    empty_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    code, lines = run(empty_engine, monkeypatch)
    assert code == 1  # the one HTML page saved as .pdf is rejected; everything else loads
    assert lines[0] == "authorities: 156 in the register, 156 added or updated"
    assert lines[1:6] == SEED_LINES
    failed = [line for line in lines if line.startswith("failed")]
    assert failed == [
        "failed   birmingham_2012-10-19.pdf: the file is an HTML page, not a PDF or text document"
    ]
    assert sum(line.startswith("loaded") for line in lines) == 242
    assert lines[-1] == (
        "total: 243 documents: 242 loaded, 0 skipped, 1 failed; 1157 judgements, 18502 findings"
    )
    assert db.current_revision(empty_engine) == db.head_revision()
    first = counts(empty_engine)
    assert first["authorities"] == 156
    assert first["inspections"] == 241
    assert first["documents"] == 242
    assert first["judgements"] == 1157

    client = TestClient(create_app(empty_engine))
    inspections = get(client, "/inspections?authority=cheshire-east")["items"]
    assert [(i["type"], i["start_date"]) for i in inspections] == [
        ("contact-referral-assessment", "2010-07-20"),
        ("child-protection", "2013-03-11"),
        ("single-inspection", "2015-07-06"),
        ("ilacs", "2019-11-18"),
        ("focused-visit", "2021-11-03"),
        ("ilacs", "2024-02-26"),
    ]
    assert [
        [(j["area"], j["grade"]) for j in i["judgements"] if j["area"] == "overall-effectiveness"]
        for i in inspections
    ] == [
        [],
        [("overall-effectiveness", "inadequate")],
        [("overall-effectiveness", "requires-improvement")],
        [("overall-effectiveness", "requires-improvement")],
        [],
        [("overall-effectiveness", "inadequate")],
    ]

    code, lines = run(empty_engine, monkeypatch)
    assert code == 1
    assert lines[0] == "authorities: 156 in the register, 0 added or updated"
    assert lines[1] == "skipped  000_ea24617dd7a18d2f.txt: already loaded as document 1"
    assert (
        lines[-1]
        == "total: 243 documents: 0 loaded, 242 skipped, 1 failed; 0 judgements, 0 findings"
    )
    assert counts(empty_engine) == first


def test_bad_files_fail_alone_and_load_nothing(
    empty_engine: Engine, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    folder = tmp_path / "incoming"
    folder.mkdir()
    (folder / "a_error_page.pdf").write_text(
        "<!DOCTYPE html><html><head><title>404</title></head><body>Not found</body></html>"
    )
    (folder / "b_empty.txt").write_bytes(b"")
    (folder / "c_minutes.txt").write_text("Minutes of the parish council meeting, 3 May 2021.\n")
    (folder / "d_truncated.pdf").write_bytes(b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog")
    shutil.copy(DOCUMENTS_DIR / "000_ea24617dd7a18d2f.txt", folder / "e_letter.txt")
    text = (DOCUMENTS_DIR / "002_840fe968f2e3c99a.txt").read_text(encoding="utf-8")
    (folder / "f_unknown_authority.txt").write_text(
        text.replace("Cheshire East", "Atlantis"), encoding="utf-8"
    )

    code, lines = run(empty_engine, monkeypatch, "load", str(folder), str(tmp_path / "missing"))
    assert code == 1
    assert lines[1:] == [
        "failed   a_error_page.pdf: the file is an HTML page, not a PDF or text document",
        "failed   b_empty.txt: the file is empty",
        "failed   c_minutes.txt: no Ofsted children's services inspection title was found in the "
        "first pages",
        "failed   d_truncated.pdf: the PDF is truncated: it stops before its end (an "
        "interrupted download?)",
        "loaded   e_letter.txt: cheshire-east contact-referral-assessment 2010-07-20 "
        "(inspection 1, new); 0 judgements; 19 findings (12 strength, 7 weakness)",
        "failed   f_unknown_authority.txt: the authority 'Atlantis' is not in the register",
        f"failed   {tmp_path / 'missing'}: no such file or folder",
        "total: 7 documents: 1 loaded, 0 skipped, 6 failed; 0 judgements, 19 findings",
    ]
    after = counts(empty_engine)
    assert (after["inspections"], after["documents"], after["document_sources"]) == (1, 1, 1)
    assert (after["judgements"], after["cited_judgements"], after["findings"]) == (0, 0, 19)


def test_a_failure_mid_load_leaves_no_partial_rows(
    empty_engine: Engine, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A database error after the document row is written rolls the whole document back."""
    from app import loading

    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(loading, "refresh_canonical_judgements", broken)
    code, lines = run(
        empty_engine, monkeypatch, "load", str(DOCUMENTS_DIR / "004_00ec88477df05a0b.txt")
    )
    assert code == 1
    assert lines[1] == "failed   004_00ec88477df05a0b.txt: internal error: RuntimeError: disk full"
    after = counts(empty_engine)
    assert {key: value for key, value in after.items() if key != "authorities"} == {
        "inspections": 0,
        "documents": 0,
        "document_sources": 0,
        "judgements": 0,
        "cited_judgements": 0,
        "findings": 0,
        "finding_themes": 0,
    }


def test_manifest_supplies_source_url_and_publication_date(
    empty_engine: Engine, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    shutil.copy(DOCUMENTS_DIR / "002_840fe968f2e3c99a.txt", tmp_path / "visit.txt")
    (tmp_path / "manifest.csv").write_text(
        "file,source_url,published\nvisit.txt,https://files.ofsted.gov.uk/v1/file/50175000,2021-12-08\n"
    )
    code, _ = run(empty_engine, monkeypatch, "load", str(tmp_path))
    assert code == 0
    with empty_engine.connect() as connection:
        row = connection.execute(
            select(Document.source_url, Document.published_date, Document.published_source)
        ).one()
    assert row.source_url == "https://files.ofsted.gov.uk/v1/file/50175000"
    assert (str(row.published_date), row.published_source) == ("2021-12-08", "manifest")


def test_a_printed_publication_date_stands_before_the_manifest_s(
    empty_engine: Engine, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Manchester 2014 prints "Report published: 01 September 2014"; its download is dated
    3 September 2014. A report that prints no date (Hampshire 2014) takes the manifest's; a
    file with neither has none."""
    for name in ("manchester_2014-09-03.pdf", "hampshire_2014-04-22.pdf"):
        shutil.copy(DOCUMENTS_DIR / name, tmp_path / name)
    shutil.copy(DOCUMENTS_DIR / "002_840fe968f2e3c99a.txt", tmp_path / "visit.txt")
    (tmp_path / "manifest.csv").write_text(
        "file,source_url,published\n"
        "manchester_2014-09-03.pdf,https://files.ofsted.gov.uk/v1/file/50004281,2014-09-03\n"
        "hampshire_2014-04-22.pdf,https://files.ofsted.gov.uk/v1/file/2764330,2014-04-22\n"
    )
    code, _ = run(empty_engine, monkeypatch, "load", str(tmp_path))
    assert code == 0
    client = TestClient(create_app(empty_engine))
    documents = [
        document
        for inspection in get(client, "/inspections?limit=10")["items"]
        for document in inspection["documents"]
    ]
    assert sorted(
        (d["filename"], d["published_date"], d["published_source"]) for d in documents
    ) == [
        ("hampshire_2014-04-22.pdf", "2014-04-22", "manifest"),
        ("manchester_2014-09-03.pdf", "2014-09-01", "document"),
        ("visit.txt", None, None),
    ]


def test_office_files_and_an_empty_folder_say_what_they_are(
    empty_engine: Engine, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A report saved from Word and named .pdf or .docx is rejected as a Word document,
    never read as text; a folder with nothing to load says so. One line each."""
    folder = tmp_path / "incoming"
    folder.mkdir()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document>Inspection of Leeds</w:document>")
    (folder / "a_report.docx").write_bytes(buffer.getvalue())
    (folder / "b_report.pdf").write_bytes(buffer.getvalue())
    (folder / "c_old_report.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512))
    (folder / "notes.md").write_text("not a document to load\n")
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "manifest.csv").write_text("file,source_url,published\n")

    code, lines = run(empty_engine, monkeypatch, "load", str(folder), str(empty))
    assert code == 1
    assert lines[1:] == [
        "failed   a_report.docx: the file is a Word document (.docx), not a PDF or text document",
        "failed   b_report.pdf: the file is a Word document (.docx), not a PDF or text document",
        "failed   c_old_report.doc: the file is an older Microsoft Office document (.doc, .xls "
        "or .ppt), not a PDF or text document",
        f"failed   {empty}: nothing to load: the folder has no .pdf or .txt documents",
        "total: 4 documents: 0 loaded, 0 skipped, 4 failed; 0 judgements, 0 findings",
    ]
    assert counts(empty_engine)["documents"] == 0


def test_load_files_reads_with_the_register_it_is_given(
    empty_engine: Engine, register: AuthorityRegister
) -> None:
    """The register handed to `load_files` is the one the documents' authorities are named
    from, in the worker processes too: without Cheshire East, its focused visit letter is
    rejected, though the shipped register and the database both have the authority."""
    db.migrate(empty_engine)
    with Session(empty_engine) as session:
        load_authorities(session, register.entries)
        session.commit()
    without = AuthorityRegister(e for e in register.entries if e.slug != "cheshire-east")
    out = io.StringIO()
    results = cli.load_files(
        empty_engine, [DOCUMENTS_DIR / "002_840fe968f2e3c99a.txt"], without, out, jobs=1
    )
    assert [(result.status, result.reason) for result in results] == [
        ("failed", "the authority 'Cheshire East' is not in the register")
    ]
    assert counts(empty_engine)["documents"] == 0
