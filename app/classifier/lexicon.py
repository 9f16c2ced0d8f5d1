"""The theme lexicon: weighted terms per theme, and where a finding uses them.

Every theme in :class:`app.vocabulary.Theme` has a small vocabulary of weighted terms
(``app.classifier.terms``, data), drawn from the theme's scope in ``vocabulary.md`` and the
standard language of English children's social care (MASH, section 47, core group, IRO, PLO,
virtual school, pathway plan ...); this module compiles them and scores a text with them.

It no longer decides a finding's themes: the learned model does (``app.classifier.model``).
It gives the model four features per theme (:func:`theme_evidence`), which measurably help it
(see the README's model card): its terms carry domain knowledge that 1,630 labelled findings
do not all show.

* A *strong* term (weight 3) names the theme's subject on its own ("child protection plan",
  "caseloads", "pathway plan"); a *medium* (2) or *weak* (1) term is supporting evidence. A
  theme's score adds the weight of each distinct term found, plus half the weight again for
  each repetition (capped at double).
* *Blockers* are phrases in which a term does not mean what it seems to: "children in need of
  help and protection" is the generic inspection wording, not child-in-need planning or child
  protection; "common assessment framework" is early help, not assessment. A term match
  overlapping a blocker of its theme is ignored (``app.classifier.blockers``).
* Some terms are *conditional*: they are ignored when their sentence shows they are about
  someone else, e.g. "training" for elected members, schools or partner agencies.

All patterns are compiled once, at import, into a :class:`PhraseIndex`
(``app.classifier.phrases``, also used by ``app.classifier.cues``): it finds the words where
some term can start with one scan of the text, and tries only those terms there, so cost
grows with the text, not the vocabulary.
"""

import re
from bisect import bisect_right
from dataclasses import dataclass

from app.classifier.blockers import BLOCKERS, phrase_source
from app.classifier.phrases import PhraseIndex, Span
from app.classifier.term_syntax import term_source
from app.classifier.terms import VOCABULARY
from app.vocabulary import Theme

# ---------------------------------------------------------------------------------------------
# Compiled form
# ---------------------------------------------------------------------------------------------

_FLAGS = re.IGNORECASE


@dataclass(frozen=True, slots=True)
class _Entry:
    """A compiled vocabulary term (``blocker`` False) or blocker phrase (True) of a theme."""

    theme: Theme
    blocker: bool
    weight: float = 0.0
    veto: re.Pattern[str] | None = None


def _compile() -> tuple[tuple[_Entry, ...], PhraseIndex]:
    entries: list[_Entry] = []
    sources: list[str] = []
    for theme in Theme:
        for term in VOCABULARY[theme]:
            veto = re.compile(term.unless, _FLAGS) if term.unless else None
            entries.append(_Entry(theme, False, term.weight, veto))
            sources.append(term_source(term))
        for phrase in BLOCKERS.get(theme, ()):
            entries.append(_Entry(theme, True))
            sources.append(phrase_source(phrase))
    return tuple(entries), PhraseIndex(sources, _FLAGS)


_ENTRIES, _INDEX = _compile()
_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+(?=[A-Z‘'\"“(])")


# ---------------------------------------------------------------------------------------------
# Scoring
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Hit:
    start: int
    end: int
    weight: float
    words: str


@dataclass(frozen=True, slots=True)
class _Scored:
    theme: Theme
    score: float
    first: int
    matched: tuple[str, ...]


def _sentence_at(text: str, pos: int) -> str:
    start = 0
    for m in _SENTENCE_END.finditer(text):
        if m.start() > pos:
            return text[start : m.start()]
        start = m.end()
    return text[start:]


def _theme_hits(text: str) -> dict[Theme, list[_Hit]]:
    """Each theme's term matches, minus those inside a blocker or vetoed by their sentence,
    keeping the longest of overlapping matches."""
    blocked: dict[Theme, list[tuple[int, int]]] = {}
    candidates: list[Span] = []
    for span in _INDEX.matches(text):
        entry = _ENTRIES[span[0]]
        if entry.blocker:
            blocked.setdefault(entry.theme, []).append(span[1:])
        else:
            candidates.append(span)
    raw: dict[Theme, list[_Hit]] = {}
    for index, start, end in candidates:
        entry = _ENTRIES[index]
        if any(bs < end and start < be for bs, be in blocked.get(entry.theme, ())):
            continue
        if entry.veto is not None and entry.veto.search(_sentence_at(text, start)):
            continue
        raw.setdefault(entry.theme, []).append(_Hit(start, end, entry.weight, text[start:end]))
    return {theme: _longest(found) for theme, found in raw.items()}


def _longest(hits: list[_Hit]) -> list[_Hit]:
    """Of overlapping hits, keep the earliest, longest one."""
    hits.sort(key=lambda h: (h.start, -(h.end - h.start)))
    kept: list[_Hit] = []
    for hit in hits:
        if not kept or hit.start >= kept[-1].end:
            kept.append(hit)
    return kept


def _score(theme: Theme, hits: list[_Hit]) -> _Scored:
    counts: dict[str, int] = {}
    weights: dict[str, float] = {}
    words: dict[str, str] = {}
    for hit in hits:
        key = " ".join(hit.words.lower().replace("-", " ").split())
        counts[key] = counts.get(key, 0) + 1
        weights[key] = max(weights.get(key, 0.0), hit.weight)
        words.setdefault(key, hit.words)
    score = sum(weights[k] * min(1.0 + 0.5 * (n - 1), 2.0) for k, n in counts.items())
    return _Scored(theme, score, hits[0].start, tuple(words.values()))


@dataclass(frozen=True, slots=True)
class ThemeEvidence:
    """What the lexicon finds of one theme in a text."""

    score: float
    """The weighted sum of the theme's distinct terms (see the module's docstring)."""
    sentence_share: float
    """The share of the text's sentences that use one of its terms."""
    in_first_sentence: bool
    distinct_terms: int
    words: tuple[str, ...]
    """The words of the text that matched, as written, in order of first appearance."""


def theme_evidence(text: str) -> dict[Theme, ThemeEvidence]:
    """Every theme with any term in ``text``, and what the lexicon finds of it."""
    sentence_ends = [m.end() for m in _SENTENCE_END.finditer(text)]
    sentences = len(sentence_ends) + 1
    evidence: dict[Theme, ThemeEvidence] = {}
    for theme, hits in _theme_hits(text).items():
        scored = _score(theme, hits)
        used = {bisect_right(sentence_ends, hit.start) for hit in hits}
        evidence[theme] = ThemeEvidence(
            scored.score, len(used) / sentences, 0 in used, len(scored.matched), scored.matched
        )
    return evidence
