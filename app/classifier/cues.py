"""Polarity cues: the favourable and unfavourable evidence in each sentence of a finding.

It no longer decides a finding's polarity: the learned model does (``app.classifier.model``).
It gives the model a handful of features (:func:`sentence_evidence`, summarised in
``app.classifier.features``), which measurably help it (see the README's model card): they
say whether favourable and unfavourable statements stand side by side, in which sentences,
and which way the last sentence leans.

A finding is read sentence by sentence, clause by clause:

1. *Cues.* Two lexicons of evaluative words and phrases: favourable ("effective", "good",
   "robust", "timely", "well", "improved" ...) and unfavourable ("inadequate", "delay",
   "inconsistent", "variable", "too slow", "lack", "not always" ...). Descriptive domain words
   ("risk", "concerns", "harm") are not cues, and neutral phrases that contain cue words ("areas
   for improvement", "strengths and weaknesses", "to improve") are blanked out first.
2. *Negation.* A negator ("not", "no", "never", "without" ...) flips the first cue in the next
   few words ("not effective" is unfavourable, "no delay" favourable), and favourable cues later
   in its clause are absorbed into the negated statement ("not always sufficiently well
   formed"). A negator with no cue after it is itself unfavourable ("do not include", "Not all
   children have a plan"), except before harm words ("not left at risk", "no detrimental
   impact"), where it is favourable.
3. *Concessions and conditions.* The subordinate clause of "Although/While/Despite X, Y" and a
   trailing ", although X" count a quarter; in "X but Y" the "X" part counts less and "Y" more;
   a sentence opening "However," weighs more; a "when/if ..." clause states a condition, not a
   finding, and counts less.
4. *Discounts.* Isolated "examples of" good practice, and remedial action or self-awareness
   reported at the time of the inspection ("the council acted promptly", "is aware of this",
   "has plans in place") weigh less as favourable evidence; sentences about a previous
   inspection weigh less altogether.
5. *Judgement sentences.* "... is adequate/good/outstanding." is favourable; "inadequate" and
   "requires improvement" judgements are unfavourable (in the 2012-13 framework "adequate"
   meant the service met requirements).

Cue lexicons are matched with the theme lexicon's :class:`~app.classifier.lexicon.PhraseIndex`,
once per finding, so a finding costs a handful of regex scans.
"""

import re
from bisect import bisect_left
from collections.abc import Iterator
from dataclasses import dataclass

from app.classifier.cue_words import MARKERS, NEGATIVE, NEUTRAL_PHRASES, POSITIVE
from app.classifier.phrases import PhraseIndex, lower_keeping_offsets

NEGATION_WINDOW = 4
CONCESSION_WEIGHT = 0.25
UNSPLIT_CONCESSION_WEIGHT = 0.6
BUT_BEFORE_WEIGHT = 0.6
BUT_AFTER_WEIGHT = 1.2
HOWEVER_WEIGHT = 1.3
CONDITIONAL_WEIGHT = 0.3
EXAMPLES_WEIGHT = 0.5
REMEDIAL_WEIGHT = 0.3
HISTORICAL_WEIGHT = 0.3
JUDGEMENT_WEIGHT = 1.5
NEGATED_HARM_WEIGHT = 0.5
NO_IMPACT_WEIGHT = 1.0

# --------------------------------------------------------------------------------------------
# Negation and clause structure
# --------------------------------------------------------------------------------------------

_NEGATOR = re.compile(r"\b(?:not|no|never|nor|cannot|can't|without|none|neither|nothing)\b|n't\b")
_HARM_WORDS = re.compile(r"\b(?:risk|harm|danger|detrimental|adverse|unsafe)\b")
_NO_EVIDENCE = re.compile(r"no (?:\w+ )?evidence (?:that|of)\b")
_NO_IMPACT = re.compile(r"\b(?:detrimental|adverse|negative) (?:impact|effect)")
# Unfavourable cues that govern what follows them ("not always well formed").
_SCOPING = re.compile(
    r"not .*|too (?:few|many|little)|insufficient(?:ly)?|lack(?:s|ed|ing)?|fail(?:s|ed|ing)?|"
    r"unable|limited"
)
# Where the scope of a negation ends.
_BOUNDARY = re.compile(
    r"[,;:()]|\b(?:but|which|while|whilst|whereas|so that|because|as a result)\b|"
    r"\band\b(?! (?:young|famil|carers|parents|their|children|other)\w*)"
)

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z‘'\"“(])|;\s+")

# --------------------------------------------------------------------------------------------
# Compiled lexicons
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Entry:
    """What a lexicon pattern is: a cue (with its signed ``weight``), a neutral phrase, or a
    marker of ``category``."""

    kind: str  # "cue", "neutral" or "marker"
    weight: float = 0.0
    category: str = ""


def _compile() -> tuple[PhraseIndex, tuple[_Entry, ...]]:
    """One index for cues, neutral phrases and markers, so a finding is scanned once."""
    entries: list[tuple[str, _Entry]] = []
    entries += [(src, _Entry("cue", w)) for src, w in POSITIVE.items()]
    entries += [(src, _Entry("cue", -w)) for src, w in NEGATIVE.items()]
    entries += [(src, _Entry("neutral")) for src in NEUTRAL_PHRASES]
    entries += [(src, _Entry("marker", category=c)) for c, srcs in MARKERS.items() for src in srcs]
    index = PhraseIndex([rf"(?:{src})\b" for src, _ in entries], 0)
    return index, tuple(entry for _, entry in entries)


_INDEX, _ENTRIES = _compile()


@dataclass(frozen=True, slots=True)
class _Cue:
    start: int
    end: int
    weight: float  # > 0 favourable, < 0 unfavourable


@dataclass(frozen=True, slots=True)
class _Doc:
    """A finding prepared for scoring: whitespace collapsed (``text``), lower-cased with neutral
    phrases blanked (``low``), its cues and negators in order, and its markers by category."""

    text: str
    low: str
    cues: tuple[_Cue, ...]
    cue_starts: tuple[int, ...]
    negators: tuple[tuple[int, int], ...]
    markers: dict[str, list[tuple[int, int]]]

    def marker(self, category: str, start: int, end: int) -> tuple[int, int] | None:
        """The first marker of ``category`` starting in [start, end)."""
        for span in self.markers.get(category, ()):
            if start <= span[0] < end:
                return span
        return None


def _prepare(text: str) -> _Doc:
    norm = " ".join(text.split())
    low = lower_keeping_offsets(norm)
    markers: dict[str, list[tuple[int, int]]] = {}
    neutral: list[tuple[int, int]] = []
    found: list[tuple[int, int, float]] = []
    for index, start, end in _INDEX.matches(low, low):
        entry = _ENTRIES[index]
        if entry.kind == "cue":
            found.append((start, end, entry.weight))
        elif entry.kind == "neutral":
            neutral.append((start, end))
        else:
            markers.setdefault(entry.category, []).append((start, end))
    for spans in markers.values():
        spans.sort()
    cues: list[_Cue] = []
    for start, end, weight in sorted(found, key=lambda f: (f[0], f[0] - f[1])):
        if cues and start < cues[-1].end:
            continue  # overlaps a longer or earlier cue
        if neutral and any(ns < end and start < ne for ns, ne in neutral):
            continue  # part of a neutral phrase ("areas for improvement")
        cues.append(_Cue(start, end, weight))
    if neutral:
        chars = list(low)
        for start, end in neutral:
            chars[start:end] = " " * (end - start)
        low = "".join(chars)
    negators = tuple(m.span() for m in _NEGATOR.finditer(low))
    return _Doc(norm, low, tuple(cues), tuple(c.start for c in cues), negators, markers)


# --------------------------------------------------------------------------------------------
# Clauses
# --------------------------------------------------------------------------------------------


def _score_clause(doc: _Doc, start: int, end: int) -> tuple[float, float]:
    """(favourable, unfavourable) evidence in ``doc.text[start:end]``, after negation."""
    low = doc.low
    first = bisect_left(doc.cue_starts, start)
    last = bisect_left(doc.cue_starts, end)
    cues = doc.cues[first:last]
    weights = [c.weight for c in cues]
    flipped: set[int] = set()
    pos = neg = 0.0
    for n_start, n_end in doc.negators:
        if n_start < start or n_start >= end:
            continue
        if any(c.start <= n_start < c.end for c in cues):
            continue  # part of a cue such as "not always"
        scope_end = _scope_end(low, n_end, end)
        in_scope = [i for i, c in enumerate(cues) if n_end <= c.start < scope_end]
        window = scope_end if _NO_EVIDENCE.match(low, n_start) else None
        target = next(
            (
                i
                for i in in_scope
                if i not in flipped
                and (
                    cues[i].start < window
                    if window is not None
                    else len(low[n_end : cues[i].start].split()) < NEGATION_WINDOW
                )
            ),
            None,
        )
        if target is not None:
            flipped.add(target)
            weights[target] = -weights[target]
        elif _HARM_WORDS.search(low, n_end, scope_end):
            no_impact = _NO_IMPACT.search(low, n_end, scope_end)
            pos += NO_IMPACT_WEIGHT if no_impact else NEGATED_HARM_WEIGHT
        else:
            neg += 1.0
        for i in in_scope:
            if i != target and i not in flipped and weights[i] > 0:
                weights[i] = 0.0
    for i, c in enumerate(cues):
        if c.weight < 0 and i not in flipped and _SCOPING.fullmatch(low, c.start, c.end):
            scope_end = _scope_end(low, c.end, end)
            for j, other in enumerate(cues):
                if c.end <= other.start < scope_end and weights[j] > 0:
                    weights[j] = 0.0
    pos += sum(w for w in weights if w > 0)
    neg -= sum(w for w in weights if w < 0)
    return pos, neg


def _scope_end(low: str, start: int, end: int) -> int:
    """Where a negation starting at ``start`` stops: the next clause boundary."""
    m = _BOUNDARY.search(low, start, end)
    return m.start() if m else end


# A part of a sentence: (start, end, weight).
_Part = tuple[int, int, float]


def _parts(doc: _Doc, start: int, end: int) -> Iterator[_Part]:
    """Split a sentence into weighted parts: concessions and conditions count less."""
    text = doc.text
    while start < end and text[start] == " ":
        start += 1
    if doc.marker("leading-concession", start, start + 1):
        comma = text.find(",", start, end)
        if comma < 0:
            yield start, end, UNSPLIT_CONCESSION_WEIGHT
            return
        yield start, comma, CONCESSION_WEIGHT
        yield from _parts(doc, comma + 1, end)
        return
    trailing = doc.marker("trailing-concession", start + 1, end)
    if trailing:
        yield from _but_parts(doc, start, trailing[0])
        comma = text.find(",", trailing[1], end)
        if comma < 0:
            yield trailing[1], end, CONCESSION_WEIGHT
            return
        yield trailing[1], comma, CONCESSION_WEIGHT
        yield from _parts(doc, comma + 1, end)
        return
    yield from _but_parts(doc, start, end)


def _but_parts(doc: _Doc, start: int, end: int) -> Iterator[_Part]:
    but = doc.marker("but", start + 1, end)
    if not but:
        yield from _conditional_parts(doc, start, end, 1.0)
        return
    yield from _conditional_parts(doc, start, but[0], BUT_BEFORE_WEIGHT)
    yield from _conditional_parts(doc, but[1], end, BUT_AFTER_WEIGHT)


def _conditional_parts(doc: _Doc, start: int, end: int, weight: float) -> Iterator[_Part]:
    """A "when ..." / "if ..." clause states a condition, not a finding."""
    while start < end:
        condition = doc.marker("conditional", start, end)
        if not condition:
            yield start, end, weight
            return
        yield start, condition[0], weight
        comma = doc.text.find(",", condition[0], end)
        stop = end if comma < 0 else comma
        yield condition[0], stop, weight * CONDITIONAL_WEIGHT
        start = stop + 1


# --------------------------------------------------------------------------------------------
# Sentences and findings
# --------------------------------------------------------------------------------------------


def _sentence_spans(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        spans.append((start, m.start()))
        start = m.end()
    spans.append((start, len(text)))
    return [(s, e) for s, e in spans if e > s]


def _score_sentence(doc: _Doc, start: int, end: int) -> tuple[float, float]:
    """(favourable, unfavourable) evidence in one sentence."""
    base = HOWEVER_WEIGHT if doc.marker("however", start, start + 1) else 1.0
    pos_factor = 1.0
    if doc.marker("examples", start, end):
        pos_factor *= EXAMPLES_WEIGHT
    if doc.marker("remedial", start, end):
        pos_factor *= REMEDIAL_WEIGHT
    pos = neg = 0.0
    for p_start, p_end, weight in _parts(doc, start, end):
        p, n = _score_clause(doc, p_start, p_end)
        pos += p * weight * base * pos_factor
        neg += n * weight * base
    if doc.marker("judgement-negative", start, end):
        neg += JUDGEMENT_WEIGHT
    else:
        judgement = doc.marker("judgement-positive", start, end)
        if judgement and not doc.text[judgement[1] : end].strip(" .!?;"):
            pos += JUDGEMENT_WEIGHT  # the judgement ends the sentence
    if doc.marker("historical", start, end):
        pos, neg = pos * HISTORICAL_WEIGHT, neg * HISTORICAL_WEIGHT
    return pos, neg


def sentence_evidence(text: str) -> list[tuple[float, float]]:
    """(favourable, unfavourable) evidence in each sentence of ``text``, in order."""
    doc = _prepare(text)
    return [_score_sentence(doc, start, end) for start, end in _sentence_spans(doc.text)]
