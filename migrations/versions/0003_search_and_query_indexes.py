"""full-text search on findings, and indexes for the query API

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 10:12:00.000000

Indexes: inspections in date order (overall and per authority, for keyset pagination and
timelines) and documents by publication date.

Search (app/store/search.py), made by hand per dialect because they are not SQLModel tables:

* SQLite: `findings_fts`, an FTS5 external-content table over findings.text (unicode61
  tokens, no stemming), kept in step by three triggers on findings, so every load, reparse
  or delete updates it in the same transaction. NOTE: a later batch migration that
  recreates `findings` drops these triggers: call `create_sqlite_search()` again after it.
* PostgreSQL: `findings.search`, a stored generated tsvector (`simple` configuration over
  the text with non-alphanumerics as spaces, so it holds the same tokens as FTS5), and a
  GIN index on it.

tests/store/test_migrations.py leaves exactly these objects out of the model comparison
(app.store.search.include_object).
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Written out here rather than imported, so this migration never changes after it ships;
# app/store/search.py queries these objects by the same names.
FTS_TABLE = "findings_fts"
SEARCH_COLUMN = "search"
SEARCH_INDEX = "ix_findings_search"
SEARCH_DOCUMENT_SQL = (
    "to_tsvector('simple'::regconfig, regexp_replace(text, '[^[:alnum:]]+', ' ', 'g'))"
)


def create_sqlite_search() -> None:
    op.execute(
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5("
        "text, content='findings', content_rowid='id', "
        "tokenize='unicode61 remove_diacritics 0')"
    )
    op.execute(
        f"CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_insert AFTER INSERT ON findings BEGIN "
        f"INSERT INTO {FTS_TABLE}(rowid, text) VALUES (new.id, new.text); END"
    )
    op.execute(
        f"CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_delete AFTER DELETE ON findings BEGIN "
        f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, text) VALUES ('delete', old.id, old.text); "
        "END"
    )
    op.execute(
        f"CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_update AFTER UPDATE OF text ON findings "
        f"BEGIN INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, text) "
        "VALUES ('delete', old.id, old.text); "
        f"INSERT INTO {FTS_TABLE}(rowid, text) VALUES (new.id, new.text); END"
    )
    op.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')")


def upgrade() -> None:
    with op.batch_alter_table("inspections", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_inspections_authority_id"))
        batch_op.create_index(
            "ix_inspections_authority_id_start_date_id",
            ["authority_id", "start_date", "id"],
            unique=False,
        )
        batch_op.create_index("ix_inspections_start_date_id", ["start_date", "id"], unique=False)
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_documents_published_date"), ["published_date"], unique=False
        )

    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        create_sqlite_search()
    elif dialect == "postgresql":
        op.execute(
            f"ALTER TABLE findings ADD COLUMN {SEARCH_COLUMN} tsvector "
            f"GENERATED ALWAYS AS ({SEARCH_DOCUMENT_SQL}) STORED"
        )
        op.execute(f"CREATE INDEX {SEARCH_INDEX} ON findings USING gin ({SEARCH_COLUMN})")


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for suffix in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER IF EXISTS {FTS_TABLE}_{suffix}")
        op.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")
    elif dialect == "postgresql":
        op.execute(f"DROP INDEX IF EXISTS {SEARCH_INDEX}")
        op.execute(f"ALTER TABLE findings DROP COLUMN IF EXISTS {SEARCH_COLUMN}")

    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_documents_published_date"))
    with op.batch_alter_table("inspections", schema=None) as batch_op:
        batch_op.drop_index("ix_inspections_start_date_id")
        batch_op.drop_index("ix_inspections_authority_id_start_date_id")
        batch_op.create_index(
            batch_op.f("ix_inspections_authority_id"), ["authority_id"], unique=False
        )
