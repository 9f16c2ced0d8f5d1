"""Finding many phrases in a text at once: a phrase index, which tries each regex source only
at the words it can start with, so cost grows with the text, not the vocabulary (used by the
theme lexicon and the polarity cues)."""

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

# ---------------------------------------------------------------------------------------------
# Fast matching: a phrase index
# ---------------------------------------------------------------------------------------------
#
# Python's regex engine tries every alternative of a pattern at every position, so scanning a
# paragraph with hundreds of terms is slow. A PhraseIndex instead reads each pattern's source
# to work out the first word a match must start with ("referrals?" starts with "referral" or
# "referrals"). A text is split into words once, and at each word only the patterns that can
# start with it are tried, with ``Pattern.match``; patterns sharing a first word and a group
# (a theme) are merged into one alternation, longest first. A pattern whose first word cannot
# be worked out (it starts with a wildcard such as ``[A-Z]``) is scanned in full.

_CLASS_ALNUM = re.compile(r"\\[wdWD]|[a-zA-Z0-9]")
_MAX_STATES = 256


@dataclass(frozen=True, slots=True)
class _Node:
    """One element of a parsed regex, as far as first words are concerned. ``kind`` is "lit"
    (the character ``char``), "sep" (a non-word character), "wild" (any word character), "zero"
    (a zero-width assertion), "wordend" (a word boundary), "group" (``alternatives``) or "opt"
    (``inner``, optional)."""

    kind: str
    char: str = ""
    alternatives: tuple[tuple["_Node", ...], ...] = ()
    inner: "_Node | None" = None


# (letters of the first word so far, whether the word is complete)
_State = tuple[str, bool]


class _Unknown(Exception):
    """A pattern's first word cannot be determined."""


def _parse_alternatives(src: str, i: int) -> tuple[tuple[tuple[_Node, ...], ...], int]:
    alternatives: list[tuple[_Node, ...]] = []
    sequence: list[_Node] = []
    while i < len(src) and src[i] != ")":
        if src[i] == "|":
            alternatives.append(tuple(sequence))
            sequence = []
            i += 1
            continue
        node, i = _parse_atom(src, i)
        i, optional = _parse_quantifier(src, i)
        sequence.append(_Node("opt", inner=node) if optional else node)
    alternatives.append(tuple(sequence))
    return tuple(alternatives), i


def _parse_quantifier(src: str, i: int) -> tuple[int, bool]:
    if i >= len(src) or src[i] not in "?*+{":
        return i, False
    if src[i] == "{":
        end = src.index("}", i)
        optional = src[i + 1 : end].split(",")[0] in ("", "0")
        i = end + 1
    else:
        optional = src[i] in "?*"
        i += 1
    if i < len(src) and src[i] == "?":
        i += 1  # lazy quantifier
    return i, optional


def _parse_class(src: str, i: int) -> tuple[_Node, int]:
    j = i + 1
    if src.startswith("^", j):
        j += 1
    if src.startswith("]", j):
        j += 1
    while src[j] != "]":
        j += 2 if src[j] == "\\" else 1
    body = src[i + 1 : j]
    letters = re.sub(r"\\[^wdWD]", "", body)
    kind = "wild" if body.startswith("^") or _CLASS_ALNUM.search(letters) else "sep"
    return _Node(kind), j + 1


def _parse_group(src: str, i: int) -> tuple[_Node, int]:
    j = i + 1
    kind = "group"
    if src.startswith("?!\\w)", j):
        return _Node("wordend"), j + 5
    if src.startswith(("?=", "?!"), j):
        kind, j = "zero", j + 2
    elif src.startswith(("?<=", "?<!"), j):
        kind, j = "zero", j + 3
    elif src.startswith("?P<", j):
        j = src.index(">", j) + 1
    elif src.startswith("?", j):
        j = src.index(":", j) + 1  # (?: and scoped flags such as (?-i:
    alternatives, j = _parse_alternatives(src, j)
    return _Node(kind, alternatives=alternatives), j + 1


def _parse_atom(src: str, i: int) -> tuple[_Node, int]:
    c = src[i]
    if c == "\\":
        escaped = src[i + 1]
        if escaped == "b":
            return _Node("wordend"), i + 2
        if escaped in "BAZ":
            return _Node("zero"), i + 2
        if escaped in "sW" or not escaped.isalnum():
            return _Node("sep"), i + 2
        return _Node("wild"), i + 2
    if c == "[":
        return _parse_class(src, i)
    if c == "(":
        return _parse_group(src, i)
    if c == ".":
        return _Node("wild"), i + 1
    if c in "^$":
        return _Node("zero"), i + 1
    return _Node("lit", c), i + 1


def _advance(nodes: Sequence[_Node], states: set[_State]) -> set[_State]:
    for node in nodes:
        if all(done for _, done in states):
            break
        states = _step(node, states)
        if len(states) > _MAX_STATES:
            raise _Unknown
    return states


def _step(node: _Node, states: set[_State]) -> set[_State]:
    """The states after ``node``: letters added to the first word, or the word closed."""
    if node.kind == "zero":
        return states
    if node.kind == "wordend" and any(not letters for letters, _ in states):
        if any(letters for letters, _ in states):
            raise _Unknown
        return states  # a word boundary before the first word
    if node.kind == "opt" and node.inner is not None:
        return states | _step(node.inner, states)
    if node.kind == "group":
        out: set[_State] = set()
        for alternative in node.alternatives:
            out |= _advance(alternative, states)
        return out
    stepped: set[_State] = set()
    for letters, done in states:
        if done:
            stepped.add((letters, done))
        elif node.kind == "lit" and node.char.isalnum():
            stepped.add((letters + node.char.lower(), False))
        elif node.kind == "wild" or not letters:
            raise _Unknown  # the word could go on with any letter, or no word starts here
        else:  # a separator or the end of the word
            stepped.add((letters, True))
    return stepped


def first_words(source: str) -> frozenset[str] | None:
    """The lower-cased whole words a match of the regex ``source`` can start with, or None if
    they cannot be worked out."""
    alternatives, _ = _parse_alternatives(source, 0)
    try:
        states = _step(_Node("group", alternatives=alternatives), {("", False)})
    except _Unknown:
        return None
    if not all(done for _, done in states):
        return None  # the pattern can end inside its first word
    return frozenset(letters for letters, _ in states)


def lower_keeping_offsets(text: str) -> str:
    """``text`` lower-cased, with every character at its original offset."""
    low = text.lower()
    if len(low) != len(text):  # a few characters lower-case to two
        low = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    return low


_Trie = dict[str, Any]
"""A node: a letter to the next node, and "" to the guard of the word that ends there."""


def _trie_source(words: Mapping[str, str]) -> str:
    """A regex matching exactly the words of ``words``, factored by common prefixes so that
    the engine rejects a position after comparing a character or two; each word is followed
    by its guard (a zero-width assertion, or "")."""
    trie: _Trie = {}
    for word, guard in words.items():
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = guard  # a word ends here
    return _trie_node(trie)


def _trie_node(node: _Trie) -> str:
    branches = [re.escape(ch) + _trie_node(child) for ch, child in sorted(node.items()) if ch]
    end: str | None = node.get("")
    if not branches:
        return end or ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if end is None:
        return body
    return f"(?:{body}|{end})" if end else f"(?:{body})?"


# A match of one pattern: (pattern id, start, end).
Span = tuple[int, int, int]


class PhraseIndex:
    """Finds every match of many regex sources in a text, trying each source only at the
    words it can start with. Matches of different sources may overlap."""

    __slots__ = ("_finder", "_scan", "_words")

    def __init__(self, sources: Sequence[str], flags: int) -> None:
        by_word: dict[str, list[int]] = {}
        self._scan: list[tuple[int, re.Pattern[str]]] = []
        for pattern_id, source in enumerate(sources):
            words = first_words(source)
            if words is None:
                self._scan.append((pattern_id, re.compile(source, flags)))
                continue
            for word in words:
                by_word.setdefault(word, []).append(pattern_id)
        # For each word, one regex tries all of its sources at once, each in an optional
        # lookahead whose group records that source's match.
        self._words: dict[str, tuple[re.Pattern[str], tuple[int, ...]]] = {
            word: (re.compile("".join(f"(?=({sources[i]}))?" for i in ids), flags), tuple(ids))
            for word, ids in by_word.items()
        }
        # Finds, in the lower-cased text, every whole word that some source can start with;
        # a word no source matches on its own ("the", "social") is found only where one of
        # its sources matches, which the regex engine checks without a step of Python.
        guards = {
            word: _guard(word, [sources[i] for i in ids], self._words[word][0], flags)
            for word, ids in by_word.items()
        }
        self._finder = re.compile(rf"\b(?:{_trie_source(guards)})\b")

    def matches(self, text: str, low: str | None = None) -> list[Span]:
        """Every match found at a word of ``text`` (or anywhere, for sources that must be
        scanned in full). ``low``: ``text`` lower-cased by :func:`lower_keeping_offsets`, if
        the caller has it."""
        found: list[Span] = []
        words = self._words
        for word in self._finder.finditer(lower_keeping_offsets(text) if low is None else low):
            regex, ids = words[word.group()]
            regs = regex.match(text, word.start()).regs  # type: ignore[union-attr]
            if len(ids) == 1:
                if regs[1][0] >= 0:
                    found.append((ids[0], *regs[1]))
                continue
            found.extend(
                (pattern_id, start, end)
                for pattern_id, (start, end) in zip(ids, regs[1:], strict=True)
                if start >= 0
            )
        for pattern_id, regex in self._scan:
            found.extend((pattern_id, *m.span()) for m in regex.finditer(text))
        return found


def _guard(word: str, sources: list[str], regex: re.Pattern[str], flags: int) -> str:
    """For a word that none of its ``sources`` (``regex``: each in an optional lookahead)
    matches on its own, a zero-width assertion to place just after it: one of the sources
    matches from the word's start (a lookahead in a lookbehind as wide as the word). The
    finder reads the lower-cased text, so a word with a case-sensitive source has none."""
    alone = regex.match(word)
    if alone is not None and alone.lastindex is not None:
        return ""
    if flags & re.IGNORECASE:
        if any("(?-i:" in source for source in sources):
            return ""
        body = "(?i:" + "|".join(sources) + ")"
    elif all(source == source.lower() for source in sources):
        body = "(?:" + "|".join(sources) + ")"
    else:
        return ""
    return f"(?<=(?={body}){re.escape(word)})"
