"""site_pages and site_publications: what `python -m seed sync` read from Ofsted's reports site

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03 04:14:54.191080

`site_pages` keeps each page the sync read (search pages, provider pages, robots.txt) with
its validators (ETag, Last-Modified), so the next sync asks only whether it changed.
`site_publications` keeps each publication a provider page lists, as the site lists it (its
URL, the provider's URN, the site's name for it and the date it gives), and what became of
it: the document it loaded as (set to null if that document is deleted), or why not.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "site_pages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("etag", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("last_modified", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("sha256", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("fetched_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_site_pages")),
        sa.UniqueConstraint("url", name=op.f("uq_site_pages_url")),
    )
    op.create_table(
        "site_publications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("provider_urn", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("provider_name", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("provider_url", sa.Text(), nullable=False),
        sa.Column("listed_as", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("listed_date", sa.Date(), nullable=True),
        sa.Column("listed_format", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("first_seen_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("last_seen_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("outcome", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("reason", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("document_id", sa.Integer(), nullable=True),
        sa.Column("sha256", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("etag", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("last_modified", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("fetched_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("parser_version", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents.id"],
            name=op.f("fk_site_publications_document_id_documents"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_site_publications")),
        sa.UniqueConstraint("url", name=op.f("uq_site_publications_url")),
    )
    with op.batch_alter_table("site_publications", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_site_publications_document_id"), ["document_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_site_publications_provider_urn"), ["provider_urn"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("site_publications", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_site_publications_provider_urn"))
        batch_op.drop_index(batch_op.f("ix_site_publications_document_id"))

    op.drop_table("site_publications")
    op.drop_table("site_pages")
