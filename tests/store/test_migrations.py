"""The Alembic migrations and the SQLModel models describe the same schema, on every backend,
and a database loaded at an earlier revision upgrades to it."""

from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.engine import Engine

from app import db
from app.classifier import default_model
from app.extraction.authorities import AuthorityRegister
from app.models import metadata
from app.store.search import include_object
from tests.conftest import SEED_FILES, load_seed_documents


def test_migrations_match_the_models(empty_engine: Engine) -> None:
    db.migrate(empty_engine)
    with empty_engine.connect() as connection:
        # The search objects of migration 0003 (FTS5 table, tsvector column, GIN index) are
        # not models; include_object leaves out exactly those, by name.
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "include_object": include_object}
        )
        differences = compare_metadata(context, metadata)
    assert differences == []


def test_downgrade_to_base_and_up_again(empty_engine: Engine) -> None:
    db.migrate(empty_engine)
    with empty_engine.begin() as connection:
        command.downgrade(db.alembic_config(connection), "base")  # type: ignore[arg-type]
    assert set(inspect(empty_engine).get_table_names()) <= {"alembic_version"}
    db.migrate(empty_engine)
    assert db.current_revision(empty_engine) == db.head_revision()
    assert {
        "authorities",
        "inspections",
        "documents",
        "judgements",
        "findings",
        "finding_themes",
        "cited_judgements",
    } <= set(inspect(empty_engine).get_table_names())


def _downgrade(engine: Engine, revision: str) -> None:
    with engine.begin() as connection:
        command.downgrade(db.alembic_config(connection), revision)  # type: ignore[arg-type]


def _rows(engine: Engine) -> list[tuple[object, ...]]:
    with engine.connect() as connection:
        return [
            tuple(row)
            for row in connection.execute(
                text(
                    "SELECT f.id, f.polarity, f.polarity_score, f.model_version, "
                    "(SELECT count(*) FROM finding_themes t WHERE t.finding_id = f.id), "
                    "(SELECT min(t.score) FROM finding_themes t WHERE t.finding_id = f.id) "
                    "FROM findings f ORDER BY f.id"
                )
            )
        ]


def test_a_loaded_database_upgrades_from_0006_and_from_0005(
    empty_engine: Engine, register: AuthorityRegister
) -> None:
    """The chain is 0005 -> 0006 (the model's scores and version) -> 0007 (published_source)
    -> 0008 (the site record) -> 0009 (search ranked in its index) -> 0010 (embeddings):
    a database at either earlier revision, with rows, upgrades to head keeping every row;
    from 0005 its findings have no model version or scores (`seed reparse` relabels them)."""
    db.migrate(empty_engine)
    load_seed_documents(empty_engine, register, SEED_FILES[:1])
    loaded = _rows(empty_engine)
    assert len(loaded) == 19
    assert {row[3] for row in loaded} == {default_model().version}

    _downgrade(empty_engine, "0006")
    assert "published_source" not in {
        c["name"] for c in inspect(empty_engine).get_columns("documents")
    }
    db.migrate(empty_engine)
    assert db.current_revision(empty_engine) == db.head_revision() == "0010"
    assert _rows(empty_engine) == loaded
    with empty_engine.connect() as connection:
        assert connection.execute(text("SELECT published_source FROM documents")).all() == [(None,)]

    _downgrade(empty_engine, "0005")
    assert "model_version" not in {c["name"] for c in inspect(empty_engine).get_columns("findings")}
    db.migrate(empty_engine)
    assert db.current_revision(empty_engine) == "0010"
    assert [row[:2] + row[4:5] for row in _rows(empty_engine)] == [
        row[:2] + row[4:5] for row in loaded
    ]
    assert {(row[2], row[3], row[5]) for row in _rows(empty_engine)} == {(None, None, None)}
