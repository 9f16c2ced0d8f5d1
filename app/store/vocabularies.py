"""How often each value of a vocabulary occurs: themes on findings, grade labels on
judgements."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, func, select

from app.store.tables import finding_themes, judgements


def theme_counts(connection: Connection) -> dict[str, int]:
    """Findings per theme id."""
    rows = connection.execute(
        select(finding_themes.c.theme, func.count()).group_by(finding_themes.c.theme)
    ).all()
    return {theme: count for theme, count in rows}


def grade_label_counts(connection: Connection) -> list[Any]:
    """(grade, label as written, judgements) for every label the standing judgements use."""
    return list(
        connection.execute(
            select(judgements.c.grade, judgements.c.grade_label, func.count())
            .where(judgements.c.canonical, judgements.c.grade.is_not(None))
            .group_by(judgements.c.grade, judgements.c.grade_label)
            .order_by(judgements.c.grade_label)
        ).all()
    )


__all__ = ["grade_label_counts", "theme_counts"]
