"""Full-text search over findings: the `q` syntax, its translations, and highlighted snippets.

One small syntax, parsed here and never handed to the database as typed:

    supervision                words match whole words, case-insensitively
    supervis*                  a trailing * matches words starting with the letters before it
    "management oversight"     quotes match words next to each other, in that order
    a b / a AND b              both (adjacent words are ANDed)
    a OR b                     either
    a NOT b / a AND NOT b      a, without b
    ( ... )                    grouping; NOT binds tightest, then AND, then OR

The parsed query is rendered as an FTS5 MATCH expression (SQLite) or a `to_tsquery`
expression (PostgreSQL) made only of quoted alphanumeric tokens and operators, so no input
can make either database raise. What cannot be parsed is a `SearchSyntaxError`, a 422.

Both databases index the same tokens: runs of letters and digits, lowercased, without
stemming (SQLite: `unicode61`; PostgreSQL: the `simple` configuration over the text with
every other character replaced by a space). So a query matches the same findings on both;
only the relevance scores differ. Snippets are made here, in Python, so they are the same on
both.

The SQL (the FTS5 table and tsvector, the match condition, relevance) is
`app/store/search.py`.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

# --- the syntax ------------------------------------------------------------------------------

MAX_QUERY_CHARS = 500
MAX_TERMS = 16
MIN_PREFIX_CHARS = 2

_WORD = re.compile(r"[^\W_]+")
_LEXEME = re.compile(r'\s+|"[^"]*"?\*?|[()]|[^\s()"]+')


class SearchSyntaxError(ValueError):
    """A `q` that this module cannot parse; the message says why, for people."""


@dataclass(frozen=True, slots=True)
class Term:
    """Words that must appear next to each other; the last may be a prefix."""

    words: tuple[str, ...]
    prefix: bool = False


@dataclass(frozen=True, slots=True)
class Not:
    child: Node


@dataclass(frozen=True, slots=True)
class And:
    children: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Or:
    children: tuple[Node, ...]


Node = Term | Not | And | Or


def words_of(text: str) -> list[str]:
    """The tokens both databases index: runs of letters and digits, lowercased."""
    return [word.lower() for word in _WORD.findall(text)]


def _lexemes(q: str) -> Iterator[str]:
    for match in _LEXEME.finditer(q):
        lexeme = match.group()
        if lexeme.isspace():
            continue
        if lexeme.startswith('"') and (len(lexeme) == 1 or not lexeme.rstrip("*").endswith('"')):
            raise SearchSyntaxError('a quoted phrase is not closed: add the closing "')
        yield lexeme


def _term(lexeme: str) -> Term | None:
    prefix = lexeme.endswith("*")
    body = lexeme.rstrip("*")
    if body.startswith('"'):
        body = body[1:-1]
    words = tuple(words_of(body))
    if not words:
        if prefix:
            raise SearchSyntaxError("* must follow the start of a word, as in supervis*")
        return None
    if prefix and len(words[-1]) < MIN_PREFIX_CHARS:
        raise SearchSyntaxError(
            f"a prefix needs at least {MIN_PREFIX_CHARS} letters before the *: "
            f"'{words[-1]}*' is too short"
        )
    return Term(words, prefix)


class _Parser:
    def __init__(self, q: str) -> None:
        self.items: list[str | Term] = []
        for lexeme in _lexemes(q):
            if lexeme in ("AND", "OR", "NOT", "(", ")"):
                self.items.append(lexeme)
            else:
                term = _term(lexeme)
                if term is not None:  # punctuation alone is not a word: skip it
                    self.items.append(term)
        self.position = 0
        self.terms = 0

    def peek(self) -> str | Term | None:
        return self.items[self.position] if self.position < len(self.items) else None

    def take(self) -> str | Term | None:
        item = self.peek()
        self.position += 1
        return item

    def parse(self) -> Node:
        if not self.items:
            raise SearchSyntaxError("there are no words to search for")
        node = self.or_()
        if self.peek() is not None:
            raise SearchSyntaxError(f"unexpected {self.peek()!s}: a ) has no matching (")
        return node

    def or_(self) -> Node:
        children = [self.and_()]
        while self.peek() == "OR":
            self.take()
            children.append(self.and_())
        if len(children) == 1:
            return children[0]
        if any(isinstance(child, Not) for child in children):
            raise SearchSyntaxError("NOT cannot stand alone beside OR: write a NOT b")
        return Or(tuple(children))

    def and_(self) -> Node:
        children = [self.unary()]
        while True:
            item = self.peek()
            if item == "AND":
                self.take()
            elif item is None or item in ("OR", ")"):
                break
            children.append(self.unary())
        if len(children) == 1:
            return children[0]
        if all(isinstance(child, Not) for child in children):
            raise SearchSyntaxError("a query needs a word to find, not only words to exclude")
        return And(tuple(children))

    def unary(self) -> Node:
        item = self.take()
        if item == "NOT":
            child = self.unary()
            if isinstance(child, Not):
                raise SearchSyntaxError(
                    "NOT cannot apply to a NOT: write a NOT b, or a b to want both"
                )
            return Not(child)
        if item == "(":
            node = self.or_()
            if self.take() != ")":
                raise SearchSyntaxError("a ( is not closed: add the )")
            return node
        if isinstance(item, Term):
            self.terms += 1
            if self.terms > MAX_TERMS:
                raise SearchSyntaxError(f"a query may have at most {MAX_TERMS} terms")
            return item
        if item is None:
            raise SearchSyntaxError("the query ends where a word was expected")
        raise SearchSyntaxError(f"{item} needs a word or phrase after it")


@dataclass(frozen=True, slots=True)
class SearchQuery:
    text: str
    node: Node

    def fts5(self) -> str:
        """The FTS5 MATCH expression: every token quoted, so nothing in it is syntax but ours."""
        return _fts5(self.node)

    def tsquery(self) -> str:
        """The `to_tsquery('simple', ...)` expression."""
        return _tsquery(self.node)

    def ranking_tsquery(self) -> str | None:
        """The tsquery whose RUM `<=>` distance ranks this query's matches, in the order the
        RUM index returns them, or None when the index cannot. For whole words it is the
        query itself. A phrase is ranked as its words together (`'young' & 'people'` for
        "young people"): the index orders by what it sees without the positions' check, so
        the phrase's own distance disagrees with its order, while its words' distance agrees
        (the phrase still decides which findings match; measured on the bench corpus: the
        index's first 51 phrase matches for "young people" have the 51 smallest distances of
        all 50,000, in 0.35 s against more than 5 s for ts_rank_cd). A prefix (`supervis*`),
        or a phrase under a NOT, has no such order: None."""
        return _tsquery(self.node, phrases=False) if _rankable(self.node) else None

    def in_index_order(self) -> bool:
        """Whether the RUM index ranks this query's matches (`ranking_tsquery`)."""
        return self.ranking_tsquery() is not None

    def terms(self) -> list[Term]:
        """The terms a matching finding contains (those not under a NOT), for highlighting."""
        found: list[Term] = []
        _positive_terms(self.node, found)
        return found

    def snippet(self, text: str) -> str:
        return snippet(text, self.terms())


def parse(q: str) -> SearchQuery:
    """Parse `q`; raises SearchSyntaxError with a message for people."""
    if len(q) > MAX_QUERY_CHARS:
        raise SearchSyntaxError(f"a query may be at most {MAX_QUERY_CHARS} characters long")
    node = _Parser(q).parse()
    if isinstance(node, Not):
        raise SearchSyntaxError("a query needs a word to find, not only words to exclude")
    search = SearchQuery(q, node)
    # Both translations are made here, in the parse step, so what either database could not
    # take is a SearchSyntaxError (a 422), never an error later on.
    search.fts5()
    search.tsquery()
    return search


def _fts5(node: Node) -> str:
    if isinstance(node, Term):
        return '"' + " ".join(node.words) + '"' + ("*" if node.prefix else "")
    if isinstance(node, Or):
        return "(" + " OR ".join(_fts5(child) for child in node.children) + ")"
    if isinstance(node, And):
        # FTS5's NOT is binary ("a NOT b"), so the excluded parts follow the wanted ones.
        wanted = [_fts5(child) for child in node.children if not isinstance(child, Not)]
        expression = "(" + " AND ".join(wanted) + ")"
        for child in node.children:
            if isinstance(child, Not):
                expression = f"({expression} NOT {_fts5(child.child)})"
        return expression
    raise SearchSyntaxError("a query needs a word to find, not only words to exclude")


def _tsquery(node: Node, *, phrases: bool = True) -> str:
    """`node` as a tsquery; `phrases=False`: a phrase's words joined by AND, not in a row."""
    if isinstance(node, Term):
        lexemes = [f"'{word}'" for word in node.words]
        if node.prefix:
            lexemes[-1] += ":*"
        return "(" + (" <-> " if phrases else " & ").join(lexemes) + ")"
    if isinstance(node, Not):
        return "!" + _tsquery(node.child)  # a NOT keeps its phrases (see _rankable)
    if isinstance(node, Or):
        return "(" + " | ".join(_tsquery(child, phrases=phrases) for child in node.children) + ")"
    return "(" + " & ".join(_tsquery(child, phrases=phrases) for child in node.children) + ")"


def _rankable(node: Node) -> bool:
    """No prefix anywhere, and no phrase under a NOT (`ranking_tsquery`)."""
    if isinstance(node, Term):
        return not node.prefix
    if isinstance(node, Not):
        return _rankable(node.child) and all(len(term.words) == 1 for term in _terms_of(node))
    return all(_rankable(child) for child in node.children)


def _terms_of(node: Node) -> list[Term]:
    if isinstance(node, Term):
        return [node]
    if isinstance(node, Not):
        return _terms_of(node.child)
    return [term for child in node.children for term in _terms_of(child)]


def _positive_terms(node: Node, found: list[Term]) -> None:
    if isinstance(node, Term):
        found.append(node)
    elif isinstance(node, And | Or):
        for child in node.children:
            _positive_terms(child, found)


# --- snippets --------------------------------------------------------------------------------

SNIPPET_WHOLE_CHARS = 240
"""A finding up to this long is shown whole; a longer one is cut around its first match."""
SNIPPET_WORDS_BEFORE = 8
SNIPPET_WORDS = 32
MARK_OPEN, MARK_CLOSE = "<mark>", "</mark>"


Span = tuple[int, int, str]
"""A word of a text: its start, its end, and the word lowercased."""


def _spans(text: str) -> list[Span]:
    return [(m.start(), m.end(), m.group().lower()) for m in _WORD.finditer(text)]


def _matches(spans: Sequence[Span], terms: Sequence[Term]) -> list[tuple[int, int, int, int]]:
    """(first word index, last word index, start, end) of every match, left to right: at each
    word, the longest term that matches there, then on after it.

    A term's words before its last must be the text's words exactly, so the terms that can
    start at a word are looked up by that word; only a one-word prefix term is tried at every
    word."""
    by_first: dict[str, list[Term]] = {}
    prefix_list: list[str] = []
    for term in terms:
        if len(term.words) == 1 and term.prefix:
            prefix_list.append(term.words[0])
        else:
            by_first.setdefault(term.words[0], []).append(term)
    prefixes = tuple(prefix_list)
    found: list[tuple[int, int, int, int]] = []
    count = len(spans)
    index = 0
    while index < count:
        word = spans[index][2]
        best = 1 if prefixes and word.startswith(prefixes) else 0
        candidates = by_first.get(word)
        for term in candidates or ():
            size = len(term.words)
            if size <= best or index + size > count:
                continue
            if any(spans[index + i][2] != term.words[i] for i in range(1, size - 1)):
                continue
            last, wanted = spans[index + size - 1][2], term.words[-1]
            if size == 1 or last == wanted or (term.prefix and last.startswith(wanted)):
                best = size
        if best:
            found.append((index, index + best - 1, spans[index][0], spans[index + best - 1][1]))
            index += best
        else:
            index += 1
    return found


def snippet(text: str, terms: Sequence[Term]) -> str:
    """The text, HTML-escaped, with each match in <mark>...</mark>; a long text is cut to
    about SNIPPET_WORDS words around its first match, with … where it was cut."""
    spans = _spans(text)
    matches = _matches(spans, terms)
    start, end = 0, len(text)
    if len(text) > SNIPPET_WHOLE_CHARS:
        first = max(0, (matches[0][0] if matches else 0) - SNIPPET_WORDS_BEFORE)
        last = min(len(spans), first + SNIPPET_WORDS) - 1
        start = 0 if first == 0 else spans[first][0]
        end = len(text) if last == len(spans) - 1 else spans[last][1]
    pieces = ["…"] if start > 0 else []
    position = start
    for _first, _last, match_start, match_end in matches:
        if match_start < start or match_end > end:
            continue
        pieces.append(html.escape(text[position:match_start], quote=False))
        pieces.append(
            MARK_OPEN + html.escape(text[match_start:match_end], quote=False) + MARK_CLOSE
        )
        position = match_end
    pieces.append(html.escape(text[position:end], quote=False))
    if end < len(text):
        pieces.append("…")
    return "".join(pieces)


__all__ = [
    "SearchQuery",
    "SearchSyntaxError",
    "Term",
    "parse",
    "snippet",
    "words_of",
]
