"""Fixtures: the same tests on SQLite and, when TEST_DATABASE_URL is set, on PostgreSQL.

Every database is created empty for the run and built by the real Alembic migrations. The
read-only API tests share one seeded database per backend; tests that write get their own.
"""

from __future__ import annotations

import io
import os
import shutil
import signal
import uuid
from collections.abc import Callable, Iterator
from multiprocessing import forkserver, resource_tracker
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import Session

from app.db import make_engine, migrate, normalise_url
from app.extraction.authorities import AuthorityRegister
from app.loading import SourceFile, load_authorities
from app.main import create_app
from app.pipeline import default_jobs, load_document
from app.store.search import Ranking
from seed import DOCUMENTS_DIR
from seed.cli import load_files, prepare
from tests.processes import become_subreaper, multiprocessing_family, reap_zombies, wait_until_gone

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL")
BACKENDS = ["sqlite", *(["postgresql"] if TEST_DATABASE_URL else [])]
SEED_FILES = sorted(DOCUMENTS_DIR.glob("*.txt"))


@pytest.fixture(scope="session", autouse=True)
def no_processes_left_behind() -> Iterator[None]:
    """The suite fails if it ends with extraction workers, fork servers or resource trackers
    that were not there when it began: every worker a test starts (in this process, or in a
    seed job or server it runs and kills) must be gone. Orphans of killed subprocesses are
    re-parented to this process, so they are found here rather than lost to init."""
    me = os.getpid()
    become_subreaper()
    before = {process.pid for process in multiprocessing_family(me)}
    yield
    # This process's own fork server and resource tracker live as long as it does, and
    # exit with it; what they served must be gone.
    own = {
        getattr(forkserver._forkserver, "_forkserver_pid", None),
        getattr(resource_tracker._resource_tracker, "_pid", None),
    }
    left = [p for p in multiprocessing_family(me) if p.pid not in before and p.pid not in own]
    stuck = wait_until_gone([process.pid for process in left], seconds=15)
    reap_zombies(me)
    if stuck:
        for pid in stuck:
            os.kill(pid, signal.SIGKILL)
        reap_zombies(me)
        pytest.fail(
            "the tests left processes running: "
            + "; ".join(f"{p.pid} {p.role}: {p.command[:80]}" for p in left if p.pid in stuck)
        )


@pytest.fixture(scope="session")
def register() -> AuthorityRegister:
    return AuthorityRegister.from_csv()


@pytest.fixture(scope="session")
def database_factory(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[[str], str]]:
    """Makes an empty database on a backend and returns its URL; drops them all at the end."""
    created: list[str] = []

    def create(backend: str) -> str:
        if backend == "sqlite":
            path = tmp_path_factory.mktemp("db") / "test.sqlite3"
            return f"sqlite:///{path}"
        assert TEST_DATABASE_URL is not None
        name = f"ofsted_test_{uuid.uuid4().hex[:12]}"
        admin = make_engine(TEST_DATABASE_URL).execution_options(isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        admin.dispose()
        created.append(name)
        return (
            make_url(normalise_url(TEST_DATABASE_URL))
            .set(database=name)
            .render_as_string(hide_password=False)
        )

    yield create
    if created and TEST_DATABASE_URL:
        admin = make_engine(TEST_DATABASE_URL).execution_options(isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            for name in created:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def expected_ranking(engine: Engine) -> Ranking:
    """What the migrations give this database: RUM on a PostgreSQL server that has the
    extension (.ci/run installs Debian's package), ts_rank_cd on one that has not."""
    if engine.dialect.name != "postgresql":
        return Ranking.BM25
    with engine.connect() as connection:
        available = connection.scalar(
            text("SELECT count(*) FROM pg_available_extensions WHERE name = 'rum'")
        )
    return Ranking.RUM if available else Ranking.TS_RANK_CD


def load_seed_documents(engine: Engine, register: AuthorityRegister, files: list[Path]) -> None:
    with Session(engine) as session:
        load_authorities(session, register.entries)
        session.commit()
    for path in files:
        with Session(engine) as session:
            load_document(session, SourceFile(path.name, path.read_bytes()), register)
            session.commit()


@pytest.fixture(scope="session", params=BACKENDS)
def seeded_engine(
    request: pytest.FixtureRequest,
    database_factory: Callable[[str], str],
    register: AuthorityRegister,
) -> Iterator[Engine]:
    """A database with the register and the five seed documents, for read-only tests."""
    engine = make_engine(database_factory(request.param))
    migrate(engine)
    load_seed_documents(engine, register, SEED_FILES)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def client(seeded_engine: Engine) -> Iterator[TestClient]:
    with TestClient(create_app(seeded_engine)) as test_client:
        yield test_client


@pytest.fixture(params=BACKENDS)
def empty_engine(
    request: pytest.FixtureRequest, database_factory: Callable[[str], str]
) -> Iterator[Engine]:
    """A new, empty database (not migrated) for a test that writes."""
    engine = make_engine(database_factory(request.param))
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def seeded_copies(
    database_factory: Callable[[str], str], register: AuthorityRegister
) -> Iterator[Callable[[str], str]]:
    """Makes a new database holding the register and the five seed documents, by copying
    one seeded once per backend (a file copy; CREATE DATABASE ... TEMPLATE)."""
    templates: dict[str, str] = {}
    copies: list[str] = []

    def copy(backend: str) -> str:
        if backend not in templates:
            url = database_factory(backend)
            engine = make_engine(url)
            migrate(engine)
            load_seed_documents(engine, register, SEED_FILES)
            engine.dispose()
            templates[backend] = url
        template = make_url(templates[backend])
        if backend == "sqlite":
            assert template.database is not None
            target = Path(template.database).with_name(f"copy-{uuid.uuid4().hex[:8]}.sqlite3")
            shutil.copyfile(template.database, target)
            return f"sqlite:///{target}"
        assert TEST_DATABASE_URL is not None
        name = f"ofsted_test_{uuid.uuid4().hex[:12]}"
        admin = make_engine(TEST_DATABASE_URL).execution_options(isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template.database}"'))
        admin.dispose()
        copies.append(name)
        return template.set(database=name).render_as_string(hide_password=False)

    yield copy
    if copies and TEST_DATABASE_URL:
        admin = make_engine(TEST_DATABASE_URL).execution_options(isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            for name in copies:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def corpus_database(
    database_factory: Callable[[str], str], register: AuthorityRegister
) -> Callable[[str], str]:
    """The URL of a database of a backend with the whole shipped corpus, loaded by the seed
    job's own code, made once per backend; for read-only tests against live servers."""
    made: dict[str, str] = {}

    def corpus(backend: str) -> str:
        if backend not in made:
            url = database_factory(backend)
            engine = make_engine(url)
            out = io.StringIO()
            prepare(engine, register, out)
            results = load_files(engine, [DOCUMENTS_DIR], register, out, jobs=default_jobs())
            engine.dispose()
            failed = [result.filename for result in results if result.status == "failed"]
            # The HTML error page saved as .pdf is refused on purpose (seed/documents/README.md).
            assert failed == ["birmingham_2012-10-19.pdf"], out.getvalue()
            made[backend] = url
        return made[backend]

    return corpus


@pytest.fixture(params=BACKENDS)
def seeded_writable_engine(
    request: pytest.FixtureRequest, seeded_copies: Callable[[str], str]
) -> Iterator[Engine]:
    """A new database with the register and the five seed documents, for a test that
    changes it (uploads, deletes, faults)."""
    engine = make_engine(seeded_copies(request.param))
    yield engine
    engine.dispose()


@pytest.fixture(scope="session", params=BACKENDS)
def corpus_engine(
    request: pytest.FixtureRequest, corpus_database: Callable[[str], str]
) -> Iterator[Engine]:
    """An engine on the database of the whole shipped corpus (read only)."""
    engine = make_engine(corpus_database(request.param))
    yield engine
    engine.dispose()
