"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-22 09:39:01.093804
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "authorities",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("ons_code", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("dfe_code", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("ofsted_urn", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("region", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("region_code", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("type", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column(
            "other_names",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column(
            "statistical_neighbours",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_authorities")),
        sa.UniqueConstraint("dfe_code", name=op.f("uq_authorities_dfe_code")),
        sa.UniqueConstraint("ofsted_urn", name=op.f("uq_authorities_ofsted_urn")),
        sa.UniqueConstraint("ons_code", name=op.f("uq_authorities_ons_code")),
        sa.UniqueConstraint("slug", name=op.f("uq_authorities_slug")),
    )
    op.create_table(
        "inspections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("authority_id", sa.Integer(), nullable=False),
        sa.Column("type", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["authority_id"],
            ["authorities.id"],
            name=op.f("fk_inspections_authority_id_authorities"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inspections")),
        sa.UniqueConstraint(
            "authority_id",
            "type",
            "start_date",
            name=op.f("uq_inspections_authority_id_type_start_date"),
        ),
    )
    with op.batch_alter_table("inspections", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_inspections_authority_id"), ["authority_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_inspections_year"), ["year"], unique=False)

    op.create_table(
        "documents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("inspection_id", sa.Integer(), nullable=False),
        sa.Column("filename", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("sha256", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("letter_date", sa.Date(), nullable=True),
        sa.Column("published_date", sa.Date(), nullable=True),
        sa.Column("source_url", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("pages", sa.Integer(), nullable=True),
        sa.Column(
            "inspectors",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("addressee_name", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("addressee_role", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("parser_version", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("loaded_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["inspection_id"],
            ["inspections.id"],
            name=op.f("fk_documents_inspection_id_inspections"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_documents")),
        sa.UniqueConstraint("sha256", name=op.f("uq_documents_sha256")),
    )
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_documents_inspection_id"), ["inspection_id"], unique=False
        )

    op.create_table(
        "cited_judgements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("inspection_id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("area", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("grade", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("grade_label", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("cited_year", sa.Integer(), nullable=False),
        sa.Column("cited_month", sa.Integer(), nullable=True),
        sa.Column("source_start", sa.Integer(), nullable=False),
        sa.Column("source_end", sa.Integer(), nullable=False),
        sa.Column("parser_version", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents.id"],
            name=op.f("fk_cited_judgements_document_id_documents"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["inspection_id"],
            ["inspections.id"],
            name=op.f("fk_cited_judgements_inspection_id_inspections"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cited_judgements")),
        sa.UniqueConstraint(
            "document_id",
            "area",
            "cited_year",
            "cited_month",
            name=op.f("uq_cited_judgements_document_id_area_cited_year_cited_month"),
        ),
    )
    with op.batch_alter_table("cited_judgements", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_cited_judgements_document_id"), ["document_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_cited_judgements_inspection_id"), ["inspection_id"], unique=False
        )

    op.create_table(
        "findings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("inspection_id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("section", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("judgement_area", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("timeframe", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("paragraph", sa.Integer(), nullable=True),
        sa.Column("polarity", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("source_start", sa.Integer(), nullable=False),
        sa.Column("source_end", sa.Integer(), nullable=False),
        sa.Column("parser_version", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents.id"],
            name=op.f("fk_findings_document_id_documents"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["inspection_id"],
            ["inspections.id"],
            name=op.f("fk_findings_inspection_id_inspections"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_findings")),
        sa.UniqueConstraint(
            "document_id", "sequence", name=op.f("uq_findings_document_id_sequence")
        ),
    )
    with op.batch_alter_table("findings", schema=None) as batch_op:
        batch_op.create_index("ix_findings_inspection_id_id", ["inspection_id", "id"], unique=False)
        batch_op.create_index(batch_op.f("ix_findings_kind"), ["kind"], unique=False)

    op.create_table(
        "judgements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("inspection_id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("area", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("area_label", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("grade", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("grade_label", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("canonical", sa.Boolean(), nullable=False),
        sa.Column("source_start", sa.Integer(), nullable=False),
        sa.Column("source_end", sa.Integer(), nullable=False),
        sa.Column("parser_version", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents.id"],
            name=op.f("fk_judgements_document_id_documents"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["inspection_id"],
            ["inspections.id"],
            name=op.f("fk_judgements_inspection_id_inspections"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_judgements")),
        sa.UniqueConstraint(
            "document_id",
            "area",
            "area_label",
            name=op.f("uq_judgements_document_id_area_area_label"),
        ),
    )
    with op.batch_alter_table("judgements", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_judgements_document_id"), ["document_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_judgements_grade"), ["grade"], unique=False)
        batch_op.create_index(
            "ix_judgements_inspection_canonical", ["inspection_id", "canonical"], unique=False
        )

    op.create_table(
        "finding_themes",
        sa.Column("finding_id", sa.Integer(), nullable=False),
        sa.Column("theme", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("rank", sa.Integer(), nullable=False),
        sa.Column(
            "matched",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["finding_id"],
            ["findings.id"],
            name=op.f("fk_finding_themes_finding_id_findings"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("finding_id", "theme", name=op.f("pk_finding_themes")),
    )
    with op.batch_alter_table("finding_themes", schema=None) as batch_op:
        batch_op.create_index(
            "ix_finding_themes_theme_finding_id", ["theme", "finding_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("finding_themes", schema=None) as batch_op:
        batch_op.drop_index("ix_finding_themes_theme_finding_id")

    op.drop_table("finding_themes")
    with op.batch_alter_table("judgements", schema=None) as batch_op:
        batch_op.drop_index("ix_judgements_inspection_canonical")
        batch_op.drop_index(batch_op.f("ix_judgements_grade"))
        batch_op.drop_index(batch_op.f("ix_judgements_document_id"))

    op.drop_table("judgements")
    with op.batch_alter_table("findings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_findings_kind"))
        batch_op.drop_index("ix_findings_inspection_id_id")

    op.drop_table("findings")
    with op.batch_alter_table("cited_judgements", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cited_judgements_inspection_id"))
        batch_op.drop_index(batch_op.f("ix_cited_judgements_document_id"))

    op.drop_table("cited_judgements")
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_documents_inspection_id"))

    op.drop_table("documents")
    with op.batch_alter_table("inspections", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_inspections_year"))
        batch_op.drop_index(batch_op.f("ix_inspections_authority_id"))

    op.drop_table("inspections")
    op.drop_table("authorities")
