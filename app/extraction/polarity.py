"""The parser's polarity hook: neutral at parse time.

A finding's polarity comes from the learned model (`app.classifier`), given by
`app.extraction.extract` once the parser has cut every finding (`labelling.label_findings`).
The parser still calls this hook.
"""

from app.vocabulary import FindingKind, Polarity


def classify_polarity(text: str, kind: FindingKind, section: str | None = None) -> Polarity:
    """Neutral: polarity is given after parsing, by `app.extraction.labelling`."""
    return Polarity.NEUTRAL
