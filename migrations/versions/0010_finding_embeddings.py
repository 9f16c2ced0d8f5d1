"""finding_embeddings: each finding's embedding, for similar findings, semantic search and
recurring issues

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03 11:30:00.000000

One row per finding: the model's version and its vector (256 float32 numbers, 1,024 bytes, as
a blob on SQLite and bytea on PostgreSQL). A table of its own rather than a column of
`findings`, so that the findings lists, which read the findings table's rows, do not read a
kilobyte more per row, and so that a new model rewrites this table only. The service reads
every vector into memory and searches them there (app/intelligence/index.py), the same way on
both databases: no extension is needed. Rows loaded before this migration have none until
`python -m seed reparse` computes them.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "finding_embeddings",
        sa.Column("finding_id", sa.Integer(), nullable=False),
        sa.Column("model", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("vector", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["finding_id"],
            ["findings.id"],
            name=op.f("fk_finding_embeddings_finding_id_findings"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("finding_id", name=op.f("pk_finding_embeddings")),
    )


def downgrade() -> None:
    op.drop_table("finding_embeddings")
