"""How the theme lexicon's terms are written: a :class:`Term` (pattern, weight, optional veto),
the weights, and the helpers ``S``/``M``/``W`` (strong, medium, weak) and ``A`` (acronym) that
``app.classifier.terms`` is written with; :func:`term_source` turns a term into its regex.
"""

from dataclasses import dataclass

STRONG = 3.0
MEDIUM = 2.0
WEAK = 1.0


_SEP = r"[\s\-‐‑]+"
_OPT_SEP = r"[\s\-‐‑]*"
_APOS = r"['’]"


@dataclass(frozen=True, slots=True)
class Term:
    """A vocabulary entry: a pattern, its weight, and an optional sentence-level veto."""

    pattern: str
    weight: float
    case_sensitive: bool = False
    unless: str | None = None


def words(pattern: str) -> str:
    """Regex source for a written phrase: a space matches any run of spaces or hyphens (" ?"
    an optional one), and an apostrophe matches a straight or curly quote."""
    body = pattern.replace(" ?", _OPT_SEP).replace(" ", _SEP)
    return body.replace("'", _APOS)


def term_source(term: Term) -> str:
    """A term's regex source. It must end at a word end; :class:`PhraseIndex` only tries it
    at the start of a word."""
    body = words(term.pattern)
    if term.case_sensitive:
        body = f"(?-i:{body})"
    return rf"(?:{body})(?!\w)"


def S(pattern: str, unless: str | None = None) -> Term:
    """A strong term: enough on its own."""
    return Term(pattern, STRONG, unless=unless)


def M(pattern: str, unless: str | None = None) -> Term:
    """A medium term: needs some other evidence."""
    return Term(pattern, MEDIUM, unless=unless)


def W(pattern: str, unless: str | None = None) -> Term:
    """A weak term: supporting evidence only."""
    return Term(pattern, WEAK, unless=unless)


def A(pattern: str, weight: float = STRONG) -> Term:
    """An acronym: matched case-sensitively."""
    return Term(pattern, weight, case_sensitive=True)
