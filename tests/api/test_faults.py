"""Faults: the seed job killed with SIGKILL in the middle of writing a document; reads while
a load is writing; the service starting on an empty database and on one at an older
migration. On every backend."""

from __future__ import annotations

import logging
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from app.db import migrate
from app.extraction import extract
from app.extraction.authorities import AuthorityRegister
from app.extraction.reading import read_bytes
from app.http import readiness
from app.loading import SourceFile
from app.main import create_app
from app.models import Change, CitedJudgement, Document, Finding, FindingTheme, Judgement
from app.pipeline import load_document
from seed import DOCUMENTS_DIR
from tests.conftest import SEED_FILES, expected_ranking

ROOT = Path(__file__).resolve().parents[2]
MIGRATE = "`alembic upgrade head` (or `python -m seed`, which migrates first)"


def database_url(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=False)


def seed_job(engine: Engine, *paths: Path) -> subprocess.Popen[str]:
    """`python -m seed load PATH...` in a real process, against the engine's database."""
    env = {**os.environ, "DATABASE_URL": database_url(engine), "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen(
        [sys.executable, "-m", "seed", "load", *map(str, paths)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def hold_the_third_commit(engine: Engine) -> None:
    """A trigger that keeps the transaction writing the third change-log row (the third
    document's, written after its findings, judgements and themes) busy for minutes, so
    the job can be killed while that document is half written. Test-only DDL."""
    with engine.begin() as connection:
        if engine.dialect.name == "sqlite":
            connection.execute(text("CREATE TABLE pad (n INTEGER)"))
            connection.execute(
                text(
                    "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r "
                    "WHERE n < 1000) INSERT INTO pad SELECT n FROM r"
                )
            )
            connection.execute(
                text(
                    "CREATE TRIGGER hold_third AFTER INSERT ON changes WHEN NEW.id = 3 "
                    "BEGIN SELECT count(*) FROM pad a, pad b, pad c; END"
                )
            )
        else:
            connection.execute(
                text(
                    "CREATE FUNCTION hold() RETURNS trigger LANGUAGE plpgsql AS "
                    "$$ BEGIN PERFORM pg_sleep(120); RETURN NEW; END $$"
                )
            )
            connection.execute(
                text(
                    "CREATE TRIGGER hold_third AFTER INSERT ON changes FOR EACH ROW "
                    "WHEN (NEW.id = 3) EXECUTE FUNCTION hold()"
                )
            )
            # Let the server notice a dead client during a long statement and roll back.
            database = engine.url.database
            connection.execute(
                text(f'ALTER DATABASE "{database}" SET client_connection_check_interval = 200')
            )


def release_the_hold(engine: Engine) -> None:
    on_table = " ON changes" if engine.dialect.name == "postgresql" else ""
    with engine.begin() as connection:
        connection.execute(text(f"DROP TRIGGER hold_third{on_table}"))


def the_third_document_is_being_written(engine: Engine) -> bool:
    if engine.dialect.name == "sqlite":
        assert engine.url.database is not None
        probe = sqlite3.connect(engine.url.database, timeout=0)
        try:
            probe.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:  # the job holds the write lock
            return "locked" in str(exc)
        finally:
            probe.close()
        return False
    with engine.connect() as connection:
        return bool(
            connection.scalar(
                text(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                    "AND wait_event = 'PgSleep'"
                )
            )
        )


def wait_for(condition: object, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {condition}")


def contents(engine: Engine) -> dict[str, object]:
    """What the database holds, per document, and whether anything is left dangling."""
    with engine.connect() as connection:
        per_document = {
            name: (findings, judgements)
            for name, findings, judgements in connection.execute(
                select(
                    Document.filename,
                    select(func.count())
                    .where(Finding.document_id == Document.id)
                    .scalar_subquery(),
                    select(func.count())
                    .where(Judgement.document_id == Document.id)
                    .scalar_subquery(),
                ).order_by(Document.filename)
            )
        }
        orphans = sum(
            connection.scalar(
                select(func.count())
                .select_from(model)
                .where(model.document_id.not_in(select(Document.id)))  # type: ignore[attr-defined]
            )
            or 0
            for model in (Finding, Judgement, CitedJudgement)
        )
        orphans += (
            connection.scalar(
                select(func.count())
                .select_from(FindingTheme)
                .where(FindingTheme.finding_id.not_in(select(Finding.id)))  # type: ignore[attr-defined]
            )
            or 0
        )
        return {
            "documents": per_document,
            "distinct_sha256": connection.scalar(select(func.count(Document.sha256.distinct()))),
            "changes": connection.scalar(select(func.count()).select_from(Change)),
            "orphans": orphans,
        }


def expected_counts(paths: list[Path], register: AuthorityRegister) -> dict[str, object]:
    """Findings and judgements per document, from extracting the files afresh."""
    counts = {}
    for path in paths:
        document = extract(read_bytes(path.read_bytes()), register)
        judgements = {(j.area, j.area_label) for j in document.judgements}
        counts[path.name] = (len(document.findings), len(judgements))
    return counts


def test_a_load_killed_mid_document_leaves_no_part_of_it_and_a_rerun_completes(
    empty_engine: Engine, register: AuthorityRegister
) -> None:
    migrate(empty_engine)
    hold_the_third_commit(empty_engine)
    job = seed_job(empty_engine, *SEED_FILES)
    assert job.stdout is not None
    loaded: list[str] = []
    while len(loaded) < 2:
        line = job.stdout.readline()
        assert line, job.stderr.read() if job.stderr else "the job ended early"
        if line.startswith("loaded"):
            loaded.append(line)
    wait_for(lambda: the_third_document_is_being_written(empty_engine))
    time.sleep(0.5)
    assert job.poll() is None
    job.send_signal(signal.SIGKILL)
    assert job.wait(timeout=30) == -signal.SIGKILL
    if empty_engine.dialect.name == "postgresql":  # the server rolls the dead session back
        wait_for(lambda: not the_third_document_is_being_written(empty_engine))

    assert contents(empty_engine) == {
        "documents": expected_counts(SEED_FILES[:2], register),
        "distinct_sha256": 2,
        "changes": 2,
        "orphans": 0,
    }

    release_the_hold(empty_engine)
    rerun = seed_job(empty_engine, *SEED_FILES)
    out, err = rerun.communicate(timeout=120)
    assert rerun.returncode == 0, err
    statuses = [line.split()[0] + " " + line.split()[1] for line in out.splitlines()[1:-1]]
    assert statuses == [
        "skipped 000_ea24617dd7a18d2f.txt:",
        "skipped 001_ea5071c6fb35de9d.txt:",
        "loaded 002_840fe968f2e3c99a.txt:",
        "loaded 003_428a553426a77882.txt:",
        "loaded 004_00ec88477df05a0b.txt:",
    ]
    assert contents(empty_engine) == {
        "documents": expected_counts(SEED_FILES, register),
        "distinct_sha256": 5,
        "changes": 5,
        "orphans": 0,
    }


# --- reads while a load writes ---------------------------------------------------------------


READ_PATHS = [
    "/findings?limit=5",
    "/findings?q=child*",
    "/findings/facets?by=kind",
    "/inspections",
    "/stats/themes",
    "/changes",
    "/health",
]


def test_reads_keep_working_while_a_load_is_writing(
    seeded_writable_engine: Engine, register: AuthorityRegister
) -> None:
    if seeded_writable_engine.dialect.name == "sqlite":
        with seeded_writable_engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    report = DOCUMENTS_DIR / "milton-keynes_2021-12-17.pdf"
    with TestClient(create_app(seeded_writable_engine)) as client:

        def read_everything() -> list[tuple[int, object]]:
            answers = []
            for path in READ_PATHS:
                response = client.get(path)
                answers.append((response.status_code, response.json()))
            return answers

        before = read_everything()
        with Session(seeded_writable_engine) as session:
            load_document(session, SourceFile(report.name, report.read_bytes()), register)
            session.flush()  # written, not committed: the writer holds its locks
            with ThreadPoolExecutor(max_workers=8) as pool:
                during = list(pool.map(lambda _: read_everything(), range(8)))
            session.commit()
        after = read_everything()

    assert all(status == 200 for status, _body in before)
    for answers in during:  # every reader answered, and saw the data as it was
        assert answers == before
    assert [status for status, _body in after] == [200] * len(READ_PATHS)
    assert after[0][1]["total"] == 190  # type: ignore[index]
    assert after[-1][1]["data_version"] == 6  # type: ignore[index]


# --- starting on a database that is not ready ---------------------------------------------------


@pytest.fixture
def startup_log(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    caplog.set_level(logging.INFO, logger="app")
    yield caplog


def readiness_messages(caplog: pytest.LogCaptureFixture) -> list[tuple[str, str]]:
    return [
        (record.levelname, record.getMessage())
        for record in caplog.records
        if record.name == "app.readiness"
    ]


def test_the_service_starts_on_an_empty_database_and_says_what_to_run(
    empty_engine: Engine, startup_log: pytest.LogCaptureFixture
) -> None:
    message = f"The database is empty (no migrations applied): run {MIGRATE}"
    with TestClient(create_app(empty_engine)) as client:
        assert readiness_messages(startup_log) == [("WARNING", message)]
        health = client.get("/health")
        assert (health.status_code, health.json()) == (
            503,
            {
                "status": "migration_needed",
                "database": "ok",
                "schema_revision": None,
                "data_version": None,
                "search_ranking": None,
                "message": message,
            },
        )
        findings = client.get("/findings", headers={"X-Request-ID": "empty-1"})
        assert (findings.status_code, findings.json()) == (
            503,
            {
                "status": 503,
                "error": "unavailable",
                "message": message,
                "details": [],
                "request_id": "empty-1",
            },
        )
        # Migrated while it runs: it serves at once, without a restart.
        migrate(empty_engine)
        assert client.get("/findings").json() == {
            "items": [],
            "total": 0,
            "limit": 50,
            "next": None,
            # Not even the register is loaded yet: no authority of none.
            "coverage": {"authorities_with_data": 0, "of": 0},
        }
        assert client.get("/health").json() == {
            "status": "ok",
            "database": "ok",
            "schema_revision": "0010",
            "data_version": 0,
            "search_ranking": expected_ranking(empty_engine).value,
        }


def test_the_service_starts_on_an_older_migration_and_says_what_to_run(
    empty_engine: Engine, startup_log: pytest.LogCaptureFixture
) -> None:
    migrate(empty_engine, "0002")
    message = f"The database schema is at migration 0002; this service needs 0010: run {MIGRATE}"
    with TestClient(create_app(empty_engine)) as client:
        assert readiness_messages(startup_log) == [("WARNING", message)]
        health = client.get("/health")
        assert health.status_code == 503
        assert health.json()["status"] == "migration_needed"
        assert health.json()["schema_revision"] == "0002"
        for path in ("/inspections", "/findings?q=child", "/documents/1", "/themes"):
            response = client.get(path)
            assert response.status_code == 503, path
            assert response.json()["message"] == message
        migrate(empty_engine)
        assert client.get("/inspections").status_code == 200


def test_a_ready_database_is_logged_at_startup(
    seeded_engine: Engine, startup_log: pytest.LogCaptureFixture
) -> None:
    with TestClient(create_app(seeded_engine)):
        pass
    assert readiness_messages(startup_log) == [("INFO", "database ready")]


def test_a_current_schema_is_not_checked_again(
    seeded_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[Engine] = []
    check = readiness.check

    def counted(engine: Engine) -> readiness.Readiness:
        calls.append(engine)
        return check(engine)

    monkeypatch.setattr(readiness, "check", counted)
    with TestClient(create_app(seeded_engine)) as client:
        for _ in range(3):
            assert client.get("/themes").status_code == 200
    assert calls == [seeded_engine, seeded_engine]  # at startup, and by the first request
