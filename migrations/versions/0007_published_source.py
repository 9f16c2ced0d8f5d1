"""documents.published_source: where the publication date came from

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 10:00:00.000000

A document's `published_date` is the date it prints ("Report published: 8 December 2017")
where it prints one, else the date in the manifest it was loaded with, else null; the new
column says which: `document` or `manifest` (null when there is no date).

Rows loaded before this revision took the manifest's date first. They are marked
`manifest` when they came with a source URL (that is, from a manifest) and `document`
otherwise; `python -m seed reparse` re-reads them and puts a printed date first.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("published_source", sqlmodel.sql.sqltypes.AutoString(), nullable=True)
        )
    op.execute(
        "UPDATE documents SET published_source = CASE WHEN source_url IS NULL "
        "THEN 'document' ELSE 'manifest' END WHERE published_date IS NOT NULL"
    )


def downgrade() -> None:
    # A plain ALTER TABLE ... DROP COLUMN on both backends (SQLite 3.35 or later, as for
    # 0006): a batch operation would copy the documents table, and SQLite refuses to drop the
    # old one once it holds rows ("database table is locked").
    op.drop_column("documents", "published_source")
