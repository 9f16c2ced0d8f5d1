"""A finding as the model's features: the same code for training and for use.

A finding is its text, kind, section and judgement area (:class:`FindingInput`), whatever the
parser cut. Two feature sets are read from it, each a dict of named values:

* for the themes: the text's words and two-word phrases (tf-idf weighted, L2-normalised), the
  kind, judgement area and the words of the section heading (a smaller block: context, not
  evidence), and four figures per theme from the theme lexicon (``lexicon.theme_evidence``);
* for polarity: the same words and phrases, the kind, and fourteen figures from the polarity
  cues of each sentence (``cues.sentence_evidence``).

Every word and phrase keeps where it first occurs in the text, so the model can name the words
that weighed most for a theme. Only the first :data:`MAX_CHARS` characters are read (the
longest labelled finding has 1,571), so a finding of any length is classified in bounded time.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate, pairwise

from app.classifier.cues import sentence_evidence
from app.classifier.lexicon import ThemeEvidence, theme_evidence
from app.classifier.phrases import lower_keeping_offsets
from app.vocabulary import Theme

MAX_CHARS = 20_000
CONTEXT_WEIGHT = 0.5
"""The context block's length next to the text's (whose block has length 1)."""
CUES_WEIGHT = 2.0

_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*")
_WORD_CUT = re.compile(f"({_WORD.pattern})")

THEME_LEXICON_FIGURES = ("score", "sentences", "first", "terms")
POLARITY_CUE_FIGURES = (
    "favourable",
    "unfavourable",
    "favourable-sentences",
    "unfavourable-sentences",
    "favourable-share",
    "unfavourable-share",
    "first-favourable",
    "first-unfavourable",
    "last-favourable",
    "last-unfavourable",
    "however",
    "both",
    "balance",
    "sentences",
)

Span = tuple[int, int]


@dataclass(frozen=True, slots=True)
class FindingInput:
    """What the classifier reads of a finding."""

    text: str
    kind: str
    section: str | None = None
    judgement_area: str | None = None


class Terms:
    """A text's words and two-word phrases: ``grams`` (the words, then each adjacent pair, in
    order), how often each occurs (``counts``, in order of first occurrence), and where one
    first occurs (:meth:`span`, worked out only when asked: only explanations need it)."""

    __slots__ = ("_ends", "_parts", "counts", "grams", "words")

    def __init__(self, parts: list[str]) -> None:
        self._parts = parts
        """The text cut at its words: [gap, word, gap, word, ..., gap]."""
        words = parts[1::2]
        self.words = len(words)
        self.grams = words + list(map(" ".join, pairwise(words)))
        self.counts: dict[str, int] = Counter(self.grams)
        self._ends: list[int] = []

    def span(self, gram: str) -> Span:
        """Where ``gram``, one of the text's grams, first occurs."""
        if not self._ends:
            self._ends = list(accumulate(map(len, self._parts)))
        ends = self._ends  # word k runs from ends[2k] to ends[2k + 1]
        k = self.grams.index(gram)
        if k < self.words:
            return ends[2 * k], ends[2 * k + 1]
        k -= self.words
        return ends[2 * k], ends[2 * k + 3]


def terms(text: str) -> Terms:
    """Lower-cased words (curly apostrophes straightened) and adjacent pairs of them."""
    low = lower_keeping_offsets(text[:MAX_CHARS]).replace("’", "'")  # same length
    return Terms(_WORD_CUT.split(low))


def tfidf(found: Terms, idf: dict[str, float]) -> dict[str, float]:
    """Sublinear tf times idf over the known terms, L2-normalised (as scikit-learn's
    ``TfidfVectorizer(sublinear_tf=True)``)."""
    values = {
        gram: (idf[gram] if count == 1 else (1.0 + math.log(count)) * idf[gram])
        for gram, count in found.counts.items()
        if gram in idf
    }
    return _normalised(values, 1.0)


def context_tokens(finding: FindingInput) -> list[str]:
    return _context_tokens(finding.kind, finding.judgement_area, finding.section)


@lru_cache(maxsize=4096)
def _context_tokens(kind: str, judgement_area: str | None, section: str | None) -> list[str]:
    tokens = [f"kind={kind}", f"area={judgement_area or 'none'}"]
    section = (section or "").lower().replace("’", "'")
    tokens += sorted({f"section={m.group()}" for m in _WORD.finditer(section)})
    return tokens


def context_features(finding: FindingInput) -> dict[str, float]:
    """The kind, judgement area and section words, a block of length CONTEXT_WEIGHT. (The
    same dict for every finding of one section: not to be changed.)"""
    return _context_features(finding.kind, finding.judgement_area, finding.section)


@lru_cache(maxsize=4096)
def _context_features(
    kind: str, judgement_area: str | None, section: str | None
) -> dict[str, float]:
    tokens = _context_tokens(kind, judgement_area, section)
    return _normalised({token: 1.0 for token in tokens}, CONTEXT_WEIGHT)


def theme_features(
    finding: FindingInput, words: dict[str, float], evidence: dict[Theme, ThemeEvidence]
) -> dict[str, float]:
    """``words``: the text's :func:`tfidf`."""
    values = dict(words)
    values.update(context_features(finding))
    values.update(lexicon_features(evidence))
    return values


def lexicon_evidence(finding: FindingInput) -> dict[Theme, ThemeEvidence]:
    return theme_evidence(finding.text[:MAX_CHARS])


def lexicon_features(evidence: dict[Theme, ThemeEvidence]) -> dict[str, float]:
    """Four figures per theme the lexicon finds, each about 0 to 1: the log of its score, the
    share of sentences using its terms, whether the first does, and the log of the number of
    distinct terms."""
    values: dict[str, float] = {}
    for theme, found in evidence.items():
        figures = (
            math.log1p(found.score) / 4.0,
            found.sentence_share,
            1.0 if found.in_first_sentence else 0.0,
            math.log1p(found.distinct_terms) / 2.5,
        )
        for name, value in zip(_LEXICON_NAMES[theme], figures, strict=True):
            if value:
                values[name] = value
    return values


def lexicon_feature(theme: Theme, figure: str) -> str:
    return f"lexicon={theme.value}:{figure}"


_LEXICON_NAMES = {
    theme: tuple(lexicon_feature(theme, figure) for figure in THEME_LEXICON_FIGURES)
    for theme in Theme
}


def polarity_features(finding: FindingInput, words: dict[str, float]) -> dict[str, float]:
    """``words``: the text's :func:`tfidf`."""
    values = dict(words)
    values[f"kind={finding.kind}"] = CONTEXT_WEIGHT
    values.update(cue_features(finding.text))
    return values


def cue_features(text: str) -> dict[str, float]:
    """Twenty figures, each about 0 to 1, from the favourable and unfavourable evidence of
    each sentence: totals, how many sentences lean each way and their share, the first and
    last sentences, "however", both sides present, the smaller side over the larger, the
    number of sentences, and how the leaning sentences follow each other (:func:`_leanings`)."""
    low = text[:MAX_CHARS].lower()
    sentences = sentence_evidence(text[:MAX_CHARS]) or [(0.0, 0.0)]
    favourable = [p > n and p >= 0.5 for p, n in sentences]
    unfavourable = [n > p and n >= 0.5 for p, n in sentences]
    total_pos = sum(p for p, _ in sentences)
    total_neg = sum(n for _, n in sentences)
    count = len(sentences)
    figures = (
        math.log1p(total_pos) / 3.0,
        math.log1p(total_neg) / 3.0,
        min(sum(favourable), 10) / 10.0,
        min(sum(unfavourable), 10) / 10.0,
        sum(favourable) / count,
        sum(unfavourable) / count,
        math.log1p(sentences[0][0]) / 2.0,
        math.log1p(sentences[0][1]) / 2.0,
        math.log1p(sentences[-1][0]) / 2.0,
        math.log1p(sentences[-1][1]) / 2.0,
        1.0 if low.startswith("however") or " however" in low else 0.0,
        1.0 if any(favourable) and any(unfavourable) else 0.0,
        min(total_pos, total_neg) / max(total_pos, total_neg, 1e-9),
        math.log1p(count) / 3.0,
    )
    values = {
        f"cues={name}": value * CUES_WEIGHT
        for name, value in zip(POLARITY_CUE_FIGURES, figures, strict=True)
        if value
    }
    values.update(_leanings(sentences, favourable, unfavourable, total_pos, total_neg))
    return values


def _leanings(
    sentences: list[tuple[float, float]],
    favourable: list[bool],
    unfavourable: list[bool],
    total_pos: float,
    total_neg: float,
) -> dict[str, float]:
    """How the sentences that lean one way follow each other: how often the leaning changes,
    the most evenly balanced sentence, the favourable share of all evidence, and which way
    the first and the last leaning sentences lean (a contrast the analysts call mixed when
    both sides stand as main statements)."""
    leaning = [
        "favourable" if up else "unfavourable"
        for up, down in zip(favourable, unfavourable, strict=True)
        if up or down
    ]
    first, last = (leaning[0], leaning[-1]) if leaning else ("none", "none")
    figures = {
        "cues=leaning-changes": min(sum(a != b for a, b in pairwise(leaning)), 3) / 3,
        "cues=balanced-sentence": math.log1p(max(min(p, n) for p, n in sentences)),
        "cues=favourable-part": total_pos / (total_pos + total_neg)
        if total_pos + total_neg
        else 0.5,
        f"cues=first-leaning:{first}": 1.0,
        f"cues=last-leaning:{last}": 1.0,
        f"cues=first-and-last-leaning:{first}:{last}": 1.0,
    }
    return {name: value for name, value in figures.items() if value}


def _normalised(values: dict[str, float], length: float) -> dict[str, float]:
    norm = math.sqrt(sum(v * v for v in values.values()))
    if not norm:
        return {}
    return {name: length * value / norm for name, value in values.items()}
