"""The Alembic migrations and the SQLModel models describe the same schema, on every backend."""

from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect
from sqlalchemy.engine import Engine

from app import db
from app.models import metadata
from app.search import include_object


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
