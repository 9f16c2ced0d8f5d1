"""findings: the theme and polarity model's scores and version

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03 02:30:00.000000

Themes and polarity now come from a learned model (app/classifier). Each finding records the
model's version (`model_version`, like `parser_version`) and its probability of the polarity
given (`polarity_score`); each theme on a finding its calibrated probability (`score`). Rows
loaded before have nulls until `python -m seed reparse` relabels them.

The columns are nullable, so both databases add them in place (on SQLite, a plain ALTER TABLE
that keeps the findings table and its FTS5 triggers). The covering index of a page's themes
gains the score.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD_INDEX = ("finding_id", "rank", "theme", "matched")


def upgrade() -> None:
    op.add_column("findings", sa.Column("polarity_score", sa.Float(), nullable=True))
    op.add_column(
        "findings", sa.Column("model_version", sqlmodel.sql.sqltypes.AutoString(), nullable=True)
    )
    op.add_column("finding_themes", sa.Column("score", sa.Float(), nullable=True))
    op.drop_index("ix_finding_themes_finding_id_rank", table_name="finding_themes")
    op.create_index("ix_finding_themes_finding_id_rank", "finding_themes", [*OLD_INDEX, "score"])


def downgrade() -> None:
    op.drop_index("ix_finding_themes_finding_id_rank", table_name="finding_themes")
    op.create_index("ix_finding_themes_finding_id_rank", "finding_themes", list(OLD_INDEX))
    op.drop_column("finding_themes", "score")
    op.drop_column("findings", "model_version")
    op.drop_column("findings", "polarity_score")
