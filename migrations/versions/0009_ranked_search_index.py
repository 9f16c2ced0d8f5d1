"""PostgreSQL: search ranked inside its index (RUM) where the server has the extension

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03 08:00:00.000000

Ranking a search by relevance needs each match's word positions. A GIN index does not keep
them, so `ts_rank_cd` reads every matching row's tsvector from the table before the first
page can be sorted: at a million findings a two-word search read 200,000 rows (about 3 s).
The RUM index (the `rum` extension; Debian package `postgresql-<version>-rum`) keeps the
positions in the index and answers `ORDER BY search <=> query` in relevance order from the
index alone, reading the table only for the rows of the page.

When the server has the extension, this migration creates it, builds the RUM index on
findings.search and drops the GIN index of 0003 (the RUM index answers `@@` as well). When it
does not, nothing changes: the GIN index stays and the service ranks as before, saying so in
`/health` (app/store/search.py finds out which index the database has). A server given the
extension later gets the RUM index by `alembic downgrade 0008 && alembic upgrade head`.
SQLite is untouched: its FTS5 table ranks with bm25 inside the index already.
"""

from collections.abc import Sequence

from alembic import op
from sqlalchemy import text

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Written out here rather than imported, so this migration never changes after it ships.
GIN_INDEX = "ix_findings_search"
RUM_INDEX = "ix_findings_search_rum"


def _rum_available() -> bool:
    found = (
        op.get_bind()
        .execute(text("SELECT 1 FROM pg_available_extensions WHERE name = 'rum'"))
        .first()
    )
    return found is not None


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql" or not _rum_available():
        return
    op.execute("CREATE EXTENSION IF NOT EXISTS rum")
    op.execute(
        f"CREATE INDEX IF NOT EXISTS {RUM_INDEX} ON findings USING rum (search rum_tsvector_ops)"
    )
    op.execute(f"DROP INDEX IF EXISTS {GIN_INDEX}")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(f"CREATE INDEX IF NOT EXISTS {GIN_INDEX} ON findings USING gin (search)")
    op.execute(f"DROP INDEX IF EXISTS {RUM_INDEX}")
    # The extension stays: other databases' objects may use it, and it costs nothing unused.
