"""Rule-based polarity of an inspection finding: positive, negative, mixed or neutral.

Method
------
The finding's kind settles most cases (see ``seed-expected.md``, "Polarity rules"):

* recommendations and priority actions are directives, so they are **neutral**;
* strengths are **positive**;
* weaknesses are **negative**, unless their text is favourable with nothing unfavourable in
  it (a bullet of praise filed under "Areas for development").

A narrative paragraph is read sentence by sentence, clause by clause:

1. *Cues.* Two lexicons of evaluative words and phrases: favourable ("effective", "good",
   "robust", "timely", "well", "improved" ...) and unfavourable ("inadequate", "delay",
   "inconsistent", "variable", "too slow", "lack", "not always" ...). Descriptive domain words
   ("risk", "concerns", "harm") are not cues.
2. *Negation.* A negator ("not", "no", "never", "without" ...) flips the first cue in the next
   few words ("not effective" is unfavourable, "no delay" favourable). A negator with no cue
   after it is itself unfavourable ("do not include", "Not all children have a plan"), except
   before neutral harm words ("not left at risk", "no children were found to be at risk"), which
   is mildly favourable.
3. *Concessions.* The subordinate clause of "Although/While/Whilst/Despite X, Y" and a trailing
   ", although X" counts a quarter; with "X but Y" the "X" part counts less and "Y" more; a
   sentence opening "However," carries extra weight.
4. *Discounts.* Isolated "examples of" good practice, and remedial action or self-awareness
   reported at the time of the inspection ("the council acted promptly", "is aware of this",
   "has plans in place") weigh less as favourable evidence.
5. *Judgement sentences.* "... is adequate/good/outstanding" is favourable; "inadequate",
   "requires improvement" and "is judged ... inadequate" are unfavourable (in the 2012-13
   framework "adequate" meant the service met requirements).

The favourable and unfavourable totals then decide: nothing evaluative -> neutral; both sides
substantial (the smaller at least :data:`MIXED_RATIO` of the larger and above
:data:`MIXED_FLOOR`) -> mixed; otherwise the larger side.
"""

import re
from dataclasses import dataclass

from app.vocabulary import FindingKind, Polarity

MIXED_RATIO = 0.2
MIXED_FLOOR = 1.0
NEUTRAL_FLOOR = 0.5
NEGATION_WINDOW = 4
CONCESSION_WEIGHT = 0.25
BUT_BEFORE_WEIGHT = 0.6
BUT_AFTER_WEIGHT = 1.2
HOWEVER_WEIGHT = 1.3
EXAMPLES_WEIGHT = 0.5
REMEDIAL_WEIGHT = 0.3
HEDGE_WEIGHT = 1.0
CONDITIONAL_WEIGHT = 0.3
HISTORICAL_WEIGHT = 0.3
NET_PER_SENTENCE = False

_APOS = "['’]"

# --------------------------------------------------------------------------------------------
# Lexicons. Each entry: regex (matched on a lower-cased clause) -> weight (+ favourable).
# --------------------------------------------------------------------------------------------

_POSITIVE: dict[str, float] = {
    r"effective(?:ly)?": 1.0,
    r"good": 1.0,
    r"very good|high quality|high standard|good quality": 1.5,
    r"robust(?:ly)?": 1.0,
    r"timely": 1.0,
    r"(?<!as )well(?![\s-]*being)(?! as)": 1.0,
    r"strong(?:ly)?|strengths?": 1.0,
    r"improv(?:ed|ing)": 1.0,
    r"improvements?": 0.5,
    r"appropriate(?:ly)?": 1.0,
    r"thorough(?:ly)?": 1.0,
    r"prompt(?:ly)?|swift(?:ly)?|quick(?:ly)?": 1.0,
    r"clear(?:ly)?": 1.0,
    r"comprehensive(?:ly)?": 1.0,
    r"consistent(?:ly)?": 1.0,
    r"regular(?:ly)?|routine(?:ly)?": 0.5,
    r"secure[sd]?|sound(?:ly)?": 0.5,
    r"satisfactor(?:y|ily)|adequate(?:ly)?": 1.0,
    r"positive(?:ly)?": 1.0,
    r"sensitive(?:ly)?|purposeful(?:ly)?|creative(?:ly)?|meaningful": 1.0,
    r"child[\s-]*(?:centred|focused)": 1.0,
    r"success(?:ful|fully)?": 1.0,
    r"benefit(?:s|ed|ing)? from": 1.0,
    r"helpful|supportive|well[\s-]*supported": 1.0,
    r"supported": 0.5,
    r"rigo(?:u)?r(?:ous|ously)?": 1.0,
    r"detailed|manageable|stable|stability|proactive(?:ly)?|responsive": 1.0,
    r"outstanding|excellent|impressive|exceptional": 1.5,
    r"accurate(?:ly)?|suitable|suitably|careful(?:ly)?|focused": 0.5,
    r"valued?|appreciat(?:e|es|ed)|enjoy(?:s|ed)?": 1.0,
    r"safe(?:ly)?": 0.5,
    r"ambitious|committed|determination": 0.5,
    r"well[\s-]*(?:attended|coordinated|informed|managed|planned|engaged|targeted|used)": 0.5,
    r"minimi[sz]ed|reduc(?:e|es|ed|ing) (?:risk|the risk)": 0.5,
    r"established|embedded": 0.5,
    r"increasingly": 0.5,
    r"acceptable": 1.0,
    r"(?:significant|considerable|demonstrable|steady|sustained|rapid|notable) "
    r"(?:progress|improvements?)": 1.0,
    r"helps|helped": 0.5,
    r"ensures|ensured": 1.0,
    r"(?:drift|delays?|risks?) (?:is |are |was |were )?(?:minimi[sz]ed|reduced|avoided|prevented)": 1.0,
    r"(?:prevent|prevents|preventing|avoid|avoids|avoiding) (?:drift|delays?)": 1.0,
    r"challeng(?:e|es|ing) (?:practice|drift|delays?|decisions|partners|poor)": 1.0,
}

_NEGATIVE: dict[str, float] = {
    r"inadequate(?:ly)?": 1.5,
    r"weak(?:er|ly|ness|nesses)?": 1.0,
    r"poor(?:ly|er)?": 1.0,
    r"delay(?:s|ed)?": 1.0,
    r"drift": 1.0,
    r"inconsisten(?:t|tly|cy|cies)": 1.0,
    r"variab(?:le|ility)|var(?:y|ies|ied)(?: widely| greatly| considerably)?|variation": 1.0,
    r"insufficient(?:ly)?": 1.0,
    r"lack(?:s|ed|ing)?": 1.0,
    r"limited": 1.0,
    r"under[\s-]*(?:developed|used|used|utilised|resourced)": 1.0,
    r"slow(?:er|ly|ness)?": 1.0,
    r"unclear|unassessed|unallocated": 1.0,
    r"gaps?": 1.0,
    r"fail(?:s|ed|ure|ures|ing)?": 1.0,
    r"unacceptabl[ey]|unsatisfactory|unsafe": 1.5,
    r"deficits?|deficienc(?:y|ies)|shortfalls?|shortcomings?": 1.0,
    r"too (?!early)(?!late)\w+": 1.0,
    r"too early|too late": 0.5,
    r"requires? improvement|require improvement|needs? improving|needs? to improve": 1.5,
    r"(?<!who )(?<!that )(?<!which )needs? to (?:be |)(?!be met)\w+": 1.0,
    r"more (?:work )?(?:needs to be|remains to be|to be) done|more to do|some way to go": 1.0,
    r"still (?:required|needed|to be)|remains? underdeveloped": 1.0,
    r"(?:work|more|action|improvement|further work|attention) is (?:still )?required": 1.0,
    r"brief|superficial": 1.0,
    r"premature(?:ly)?|unnecessar(?:y|ily)": 1.0,
    r"below": 1.0,
    r"(?:is|are|remains?|very|comparatively|too|relatively) low": 1.0,
    r"(?:caseloads?|workloads?) (?:are |is |remain |remains )?(?:too |very )?high|"
    r"demanding caseloads?|high caseloads?": 1.0,
    r"difficult(?:y|ies)?|unable|struggl(?:e|es|ed|ing)": 1.0,
    r"reactive|frustrat(?:ed|ing|ion)|unhappy|worse|declin(?:e|ed|ing)": 1.0,
    r"undermin(?:e|es|ed|ing)|hamper(?:s|ed)?|hinder(?:s|ed)?": 1.0,
    r"missed opportunit(?:y|ies)": 1.0,
    r"ineffective(?:ly)?|inappropriate(?:ly)?|inaccurate": 1.0,
    r"not (?:yet )?(?:always|all|consistently|routinely|sufficiently|fully|yet)": 1.0,
    r"(?:significant|serious|widespread|systemic) (?:concerns?|weakness(?:es)?|failings?)": 0.5,
}

# Neutral phrases that contain cue words: removed before scoring.
_NEUTRAL_PHRASES = (
    r"strengths and (?:weaknesses|areas for (?:development|improvement))",
    r"(?:areas?|scope) for (?:development|improvement)",
    r"the effectiveness of",
    r"as well as",
    r"well[\s-]*being",
    r"good practice guidance",
    r"(?:in order )?to (?:improve|strengthen|ensure|secure|reduce|support|develop|address)",
    r"quality of (?:practice|work|services?|provision|plans)",
    r"(?:child|children)(?:'s|’s)? (?:social care|services)",
    r"improvement (?:plan|board|activity|work|journey|programme)s?",
    r"(?:target|need|plans?|priority|priorities|capacity|potential) for improvement",
    r"improvement to be good",
    r"improving (?:the|their|its|outcomes)",
    r"(?:these|this|those|such) delays?",
    r"(?:weaknesses|deficits|shortfalls|gaps|areas of (?:poor|weak) practice) "
    r"(?:highlighted|identified|found)",
    r"(?:address|addressing|tackle|tackling|remedy|remedying|identify|identifying) "
    r"(?:the |these |any |known |identified )?(?:weaknesses|deficits|shortfalls|gaps)",
    r"(?:identify|identifying|share|sharing|disseminat\w+|promot\w+|learn\w* from) "
    r"(?:\w+ )?(?:good|best) practice",
)

_NEGATORS = r"not|no|never|nor|cannot|can't|without|none|neither|n't|nothing"
_HARM_WORDS = re.compile(r"\b(?:risk|harm|danger|detrimental|adverse|unsafe)\b")
_NO_EVIDENCE = re.compile(r"no (?:\w+ )?evidence (?:that|of)\b")
_NO_IMPACT = re.compile(r"\b(?:detrimental|adverse|negative) (?:impact|effect)")
# Unfavourable cues that govern what follows them ("not always well formed").
_SCOPING = re.compile(
    r"not .*|too (?:few|many|little)|insufficient(?:ly)?|lack(?:s|ed|ing)?|fail(?:s|ed|ing)?|"
    r"unable|limited"
)
_BOUNDARY = re.compile(
    r"[,;:()]|\b(?:but|which|while|whilst|whereas|so that|because|as a result)\b|"
    r"\band\b(?! (?:young|famil|carers|parents|their|children|other)\w*)"
)

# --------------------------------------------------------------------------------------------
# Clause structure
# --------------------------------------------------------------------------------------------

_SENTENCE_SPLIT = re.compile(r"(?<=[.!?])\s+(?=[A-Z‘'\"“(])|;\s+")
_LEADING_CONCESSION = re.compile(
    r"^(?:although|though|while|whilst|despite|in spite of|notwithstanding|even though|"
    r"even if|albeit)\b",
    re.IGNORECASE,
)
_TRAILING_CONCESSION = re.compile(r",?\s+\b(?:although|though|albeit|even though)\b", re.I)
_BUT = re.compile(r",?\s+\bbut\b\s+", re.IGNORECASE)
_CONDITIONAL = re.compile(r"\b(?:when|if|unless|should)\b", re.IGNORECASE)
_HOWEVER = re.compile(r"^(?:however|nevertheless|nonetheless|despite this|in contrast)\b", re.I)
_EXAMPLES = re.compile(
    r"\b(?:examples? (?:of|where|in which)|instances? of|pockets? of)\b", re.IGNORECASE
)
_REMEDIAL = re.compile(
    r"\b(?:at the (?:time|point) of (?:the |this )?inspection|(?:is|are|was|were) aware|"
    r"recogni[sz]es|acknowledg(?:e|es|ed)|(?:has|have|had) (?:been )?recogni[sz]ed|"
    r"plans? (?:are |is )?in place|(?:has|have) plans|(?:is|are) planned|"
    r"(?:acted|responded) (?:promptly|swiftly|quickly)|funds have been|has been secured|"
    r"(?:action|work) (?:was|has been) (?:taken|commenced|started) (?:during|following))\b",
    re.IGNORECASE,
)
_HEDGE = re.compile(
    r"\b(?:some|a few|a small number|a (?:small |very small )?minority|isolated|individual|"
    r"occasionally|pockets)\b",
    re.IGNORECASE,
)
_HISTORICAL = re.compile(
    r"\b(?:previous|last|earlier|prior) inspection|\btook place in\b|"
    r"\b(?:was|were) (?:judged|found) to (?:be|require)",
    re.IGNORECASE,
)
_JUDGEMENT_POSITIVE = re.compile(
    r"\b(?:is|are|was|were|be|been|remains?)\s+(?:judged\s+(?:to\s+be\s+|as\s+)?)?"
    r"(?:overall\s+)?(?:adequate|good|outstanding)\b(?:\s+overall)?\s*\.?\s*$",
    re.IGNORECASE,
)
_JUDGEMENT_NEGATIVE = re.compile(
    r"\b(?:is|are|was|were|be|been|remains?)\s+(?:judged\s+(?:to\s+be\s+|as\s+)?)?"
    r"(?:overall\s+(?:as\s+)?)?(?:inadequate|requir\w*\s+improvement)",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class _Cue:
    start: int
    end: int
    weight: float  # signed: > 0 favourable, < 0 unfavourable


def _lexicon(entries: dict[str, float], sign: float) -> list[tuple[re.Pattern[str], float]]:
    return [(re.compile(rf"\b(?:{src})\b"), sign * w) for src, w in entries.items()]


_CUE_PATTERNS = _lexicon(_POSITIVE, 1.0) + _lexicon(_NEGATIVE, -1.0)
_NEUTRAL = re.compile("|".join(rf"\b(?:{p})\b" for p in _NEUTRAL_PHRASES))
_NEGATOR = re.compile(rf"\b(?:{_NEGATORS})\b|n't\b")
_WORD = re.compile(r"[\w’']+")


def _blank(text: str, pattern: re.Pattern[str]) -> str:
    """Replace every match of ``pattern`` with spaces, keeping offsets."""
    return pattern.sub(lambda m: " " * len(m.group(0)), text)


def _cues(clause: str) -> list[_Cue]:
    """Evaluative cues in a lower-cased clause, longest match first, non-overlapping."""
    found: list[_Cue] = []
    taken: list[tuple[int, int]] = []
    candidates = [
        (m.start(), m.end(), w) for pattern, w in _CUE_PATTERNS for m in pattern.finditer(clause)
    ]
    candidates.sort(key=lambda c: (c[0], -(c[1] - c[0])))
    for start, end, weight in candidates:
        if any(s < end and start < e for s, e in taken):
            continue
        taken.append((start, end))
        found.append(_Cue(start, end, weight))
    return found


def _words_between(clause: str, start: int, end: int) -> int:
    return len(_WORD.findall(clause[start:end]))


def _scope_end(text: str, start: int) -> int:
    """Where a negation starting at ``start`` stops: the next clause boundary."""
    m = _BOUNDARY.search(text, start)
    return m.start() if m else len(text)


def _score_clause(clause: str) -> tuple[float, float]:
    """(favourable, unfavourable) evidence in one clause, after negation.

    A bare negator flips the first cue within :data:`NEGATION_WINDOW` words; favourable cues
    later in its scope (to the next clause boundary) are absorbed into the negated statement,
    as are favourable cues in the scope of a scoping unfavourable cue ("not always", "too few",
    "insufficiently", "lack of", "unable to").
    """
    text = _blank(clause.lower(), _NEUTRAL)
    cues = _cues(text)
    weights = [c.weight for c in cues]
    flipped: set[int] = set()
    extra_pos = extra_neg = 0.0
    for m in _NEGATOR.finditer(text):
        if any(c.start <= m.start() < c.end for c in cues):
            continue  # part of a cue such as "not always"
        end = _scope_end(text, m.end())
        in_scope = [i for i, c in enumerate(cues) if m.end() <= c.start < end]
        window = len(text) if _NO_EVIDENCE.match(text, m.start()) else NEGATION_WINDOW
        first = next(
            (
                i
                for i in in_scope
                if i not in flipped and _words_between(text, m.end(), cues[i].start) < window
            ),
            None,
        )
        if first is not None:
            flipped.add(first)
            weights[first] = -weights[first]
        elif _HARM_WORDS.search(text, m.end(), end):
            extra_pos += 1.0 if _NO_IMPACT.search(text, m.end(), end) else 0.5
        else:
            extra_neg += 1.0
        for i in in_scope:
            if i != first and weights[i] > 0 and i not in flipped:
                weights[i] = 0.0
    for i, c in enumerate(cues):
        if c.weight < 0 and _SCOPING.fullmatch(text[c.start : c.end]) and i not in flipped:
            end = _scope_end(text, c.end)
            for j, other in enumerate(cues):
                if c.end <= other.start < end and weights[j] > 0:
                    weights[j] = 0.0
    pos = extra_pos + sum(w for w in weights if w > 0)
    neg = extra_neg - sum(w for w in weights if w < 0)
    return pos, neg


@dataclass(frozen=True, slots=True)
class _Part:
    text: str
    weight: float


def _split_concession(sentence: str) -> list[_Part]:
    """Split a sentence into weighted parts: concessions count less than main clauses."""
    stripped = sentence.strip()
    if _LEADING_CONCESSION.match(stripped):
        comma = stripped.find(",")
        if comma > 0:
            return [
                _Part(stripped[:comma], CONCESSION_WEIGHT),
                *_split_concession(stripped[comma + 1 :]),
            ]
        return [_Part(stripped, 0.6)]
    m = _TRAILING_CONCESSION.search(stripped)
    if m and m.start() > 0:
        tail = stripped[m.end() :]
        comma = tail.find(",")
        concession = tail if comma < 0 else tail[:comma]
        rest = "" if comma < 0 else tail[comma + 1 :]
        parts = [*_split_but(stripped[: m.start()]), _Part(concession, CONCESSION_WEIGHT)]
        return parts + (_split_concession(rest) if rest.strip() else [])
    return _split_but(stripped)


def _split_but(text: str) -> list[_Part]:
    m = _BUT.search(text)
    if not m or m.start() == 0:
        return _split_conditional(text, 1.0)
    return [
        *_split_conditional(text[: m.start()], BUT_BEFORE_WEIGHT),
        *_split_conditional(text[m.end() :], BUT_AFTER_WEIGHT),
    ]


def _split_conditional(text: str, weight: float) -> list[_Part]:
    """A "when ..." / "if ..." clause states a condition, not a finding: it counts less."""
    m = _CONDITIONAL.search(text)
    if not m:
        return [_Part(text, weight)]
    head, tail = text[: m.start()], text[m.start() :]
    comma = tail.find(",")
    if comma < 0:
        return [_Part(head, weight), _Part(tail, weight * CONDITIONAL_WEIGHT)]
    return [
        _Part(head, weight),
        _Part(tail[:comma], weight * CONDITIONAL_WEIGHT),
        *_split_conditional(tail[comma + 1 :], weight),
    ]


def _sentence_weight(sentence: str) -> float:
    return HOWEVER_WEIGHT if _HOWEVER.match(sentence.strip()) else 1.0


def _score_sentence(sentence: str) -> tuple[float, float]:
    """(favourable, unfavourable) evidence in one sentence."""
    base = _sentence_weight(sentence)
    pos_factor = 1.0
    if _EXAMPLES.search(sentence):
        pos_factor *= EXAMPLES_WEIGHT
    if _REMEDIAL.search(sentence):
        pos_factor *= REMEDIAL_WEIGHT
    pos = neg = 0.0
    for part in _split_concession(sentence):
        p, n = _score_clause(part.text)
        hedge = HEDGE_WEIGHT if _HEDGE.search(part.text) else 1.0
        pos += p * part.weight * base * pos_factor * hedge
        neg += n * part.weight * base * hedge
    if _JUDGEMENT_NEGATIVE.search(sentence):
        neg += 1.5
    elif _JUDGEMENT_POSITIVE.search(sentence):
        pos += 1.5
    if _HISTORICAL.search(sentence):
        pos, neg = pos * HISTORICAL_WEIGHT, neg * HISTORICAL_WEIGHT
    return pos, neg


def sentences(text: str) -> list[str]:
    """Split a finding into sentences (and semicolon clauses)."""
    return [s for s in _SENTENCE_SPLIT.split(" ".join(text.split())) if s.strip()]


def evaluate(text: str) -> tuple[float, float]:
    """Total (favourable, unfavourable) evidence in ``text``.

    Each sentence contributes its net balance, so a sentence that both praises and qualifies
    ("not always sufficiently well formed") counts once, on its dominant side.
    """
    pos = neg = 0.0
    for sentence in sentences(text):
        p, n = _score_sentence(sentence)
        if NET_PER_SENTENCE:
            p, n = max(p - n, 0.0), max(n - p, 0.0)
        pos += p
        neg += n
    return pos, neg


def _decide(pos: float, neg: float) -> Polarity:
    if max(pos, neg) < NEUTRAL_FLOOR:
        return Polarity.NEUTRAL
    small, large = min(pos, neg), max(pos, neg)
    if small >= MIXED_FLOOR and small >= MIXED_RATIO * large:
        return Polarity.MIXED
    return Polarity.POSITIVE if pos > neg else Polarity.NEGATIVE


def classify_polarity(text: str, kind: FindingKind, section: str | None = None) -> Polarity:
    """The polarity of a finding, from its kind and, for weaknesses and narrative, its text.

    ``section`` (the heading the finding sits under) is accepted for context; the kind already
    carries what the heading says about strengths and weaknesses.
    """
    if kind in (FindingKind.RECOMMENDATION, FindingKind.PRIORITY_ACTION):
        return Polarity.NEUTRAL
    if kind == FindingKind.STRENGTH:
        return Polarity.POSITIVE
    pos, neg = evaluate(text)
    if kind == FindingKind.WEAKNESS:
        return Polarity.POSITIVE if pos >= MIXED_FLOOR and neg == 0 else Polarity.NEGATIVE
    return _decide(pos, neg)
