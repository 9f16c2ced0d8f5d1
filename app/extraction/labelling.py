"""Themes and polarity for every finding the parser cut, from the learned model."""

from __future__ import annotations

from dataclasses import replace

from app.classifier import FindingInput, Model
from app.extraction.records import ExtractedDocument


def label_findings(document: ExtractedDocument, model: Model) -> ExtractedDocument:
    """The document with each finding's themes, polarity and scores from ``model``, and the
    model's version."""
    inputs = [
        FindingInput(
            finding.text,
            finding.kind.value,
            finding.section,
            finding.judgement_area.value if finding.judgement_area else None,
        )
        for finding in document.findings
    ]
    document.findings = [
        replace(
            finding,
            themes=labels.themes,
            polarity=labels.polarity,
            polarity_score=labels.polarity_score,
        )
        for finding, labels in zip(document.findings, model.classify_all(inputs), strict=True)
    ]
    document.model_version = model.version
    return document
