"""Themes and polarity for every finding the parser cut, from the learned model."""

from __future__ import annotations

from dataclasses import replace

from app.classifier import FindingInput, Model
from app.extraction.records import ExtractedDocument, FindingRecord


def label_findings(document: ExtractedDocument, model: Model) -> ExtractedDocument:
    """The document with each finding's themes, polarity and scores from ``model``, and the
    model's version."""
    document.findings = [label_finding(finding, model) for finding in document.findings]
    document.model_version = model.version
    return document


def label_finding(finding: FindingRecord, model: Model) -> FindingRecord:
    labels = model.classify(
        FindingInput(
            finding.text,
            finding.kind.value,
            finding.section,
            finding.judgement_area.value if finding.judgement_area else None,
        )
    )
    return replace(
        finding,
        themes=labels.themes,
        polarity=labels.polarity,
        polarity_score=labels.polarity_score,
    )
