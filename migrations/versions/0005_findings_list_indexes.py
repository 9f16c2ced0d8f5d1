"""findings: the inspection's authority and start date, for the findings lists' indexes

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-24 10:30:00.000000

`findings.authority_id` and `findings.start_date` repeat the inspection's, so that the
findings lists (filtered by authority and/or year, in date order, paged by a keyset cursor)
read one index range, `(authority_id, start_date, id)` or `(start_date, id)`, and stop after
one page, instead of joining every finding of the authority's inspections and sorting them.
The loader (app/loading.py) fills them; here they are filled from the inspections.

`ix_finding_themes_finding_id_rank` covers the themes of a page of findings in rank order,
so they are read from the index alone, already sorted.

SQLite: making the new columns NOT NULL recreates the findings table, which drops the FTS5
triggers of migration 0003: they are created again here (the FTS5 table itself keeps its
rows, as the table copy keeps every finding's id).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Written out here rather than imported, so this migration never changes after it ships;
# they are migration 0003's triggers, word for word.
FTS_TABLE = "findings_fts"
FTS_TRIGGERS = (
    f"CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_insert AFTER INSERT ON findings BEGIN "
    f"INSERT INTO {FTS_TABLE}(rowid, text) VALUES (new.id, new.text); END",
    f"CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_delete AFTER DELETE ON findings BEGIN "
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, text) VALUES ('delete', old.id, old.text); "
    "END",
    f"CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_update AFTER UPDATE OF text ON findings "
    f"BEGIN INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, text) "
    "VALUES ('delete', old.id, old.text); "
    f"INSERT INTO {FTS_TABLE}(rowid, text) VALUES (new.id, new.text); END",
)


def _restore_sqlite_triggers() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for statement in FTS_TRIGGERS:
            op.execute(statement)


def upgrade() -> None:
    with op.batch_alter_table("findings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("authority_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("start_date", sa.Date(), nullable=True))
    op.execute(
        "UPDATE findings SET "
        "authority_id = (SELECT authority_id FROM inspections "
        "WHERE inspections.id = findings.inspection_id), "
        "start_date = (SELECT start_date FROM inspections "
        "WHERE inspections.id = findings.inspection_id)"
    )
    with op.batch_alter_table("findings", schema=None) as batch_op:
        batch_op.alter_column("authority_id", existing_type=sa.Integer(), nullable=False)
        batch_op.alter_column("start_date", existing_type=sa.Date(), nullable=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_findings_authority_id_authorities"),
            "authorities",
            ["authority_id"],
            ["id"],
            ondelete="RESTRICT",
        )
        batch_op.create_index(
            "ix_findings_authority_id_start_date_id",
            ["authority_id", "start_date", "id"],
            unique=False,
        )
        batch_op.create_index("ix_findings_start_date_id", ["start_date", "id"], unique=False)
    _restore_sqlite_triggers()
    with op.batch_alter_table("finding_themes", schema=None) as batch_op:
        batch_op.create_index(
            "ix_finding_themes_finding_id_rank",
            ["finding_id", "rank", "theme", "matched"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("finding_themes", schema=None) as batch_op:
        batch_op.drop_index("ix_finding_themes_finding_id_rank")
    with op.batch_alter_table("findings", schema=None) as batch_op:
        batch_op.drop_index("ix_findings_start_date_id")
        batch_op.drop_index("ix_findings_authority_id_start_date_id")
        batch_op.drop_constraint(
            batch_op.f("fk_findings_authority_id_authorities"), type_="foreignkey"
        )
        batch_op.drop_column("start_date")
        batch_op.drop_column("authority_id")
    _restore_sqlite_triggers()
