"""The parser's theme hook: no themes at parse time.

A finding's themes come from the learned model (`app.classifier`), which reads its section
and judgement area as well as its text, so `app.extraction.extract` gives them once the
parser has cut every finding (`labelling.label_findings`). The parser still calls this hook.
"""

from app.classifier import ThemeMatch


def classify_themes(text: str) -> tuple[ThemeMatch, ...]:
    """None: themes are given after parsing, by `app.extraction.labelling`."""
    return ()
