"""The `q` syntax: what it means in FTS5 and to_tsquery, what it refuses, and snippets.
Pure: no database (the API tests run the same queries on both backends)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.search import SearchSyntaxError, Term, parse, snippet


@pytest.mark.parametrize(
    ("q", "fts5", "tsquery"),
    [
        ("supervision", '"supervision"', "('supervision')"),
        ("Supervis*", '"supervis"*', "('supervis':*)"),
        (
            '"management oversight"',
            '"management oversight"',
            "('management' <-> 'oversight')",
        ),
        ('"management overs"*', '"management overs"*', "('management' <-> 'overs':*)"),
        ("drift delay", '("drift" AND "delay")', "(('drift') & ('delay'))"),
        ("drift AND delay", '("drift" AND "delay")', "(('drift') & ('delay'))"),
        ("drift OR delay*", '("drift" OR "delay"*)', "(('drift') | ('delay':*))"),
        ("drift NOT delay", '(("drift") NOT "delay")', "(('drift') & !('delay'))"),
        (
            "(drift OR delay) NOT \"social care\"",
            '((("drift" OR "delay")) NOT "social care")',
            "((('drift') | ('delay')) & !('social' <-> 'care'))",
        ),
        ("child-in-need", '"child in need"', "('child' <-> 'in' <-> 'need')"),
        ("children's", '"children s"', "('children' <-> 's')"),
        ("drift & delay", '("drift" AND "delay")', "(('drift') & ('delay'))"),
        ("a OR b c", '("a" OR ("b" AND "c"))', "(('a') | (('b') & ('c')))"),
        ("'; DROP TABLE findings; --", '("drop" AND "table" AND "findings")',
         "(('drop') & ('table') & ('findings'))"),
    ],
)  # fmt: skip
def test_translations(q: str, fts5: str, tsquery: str) -> None:
    query = parse(q)
    assert query.fts5() == fts5
    assert query.tsquery() == tsquery


@pytest.mark.parametrize(
    ("q", "ranking"),
    [
        ("drift", "('drift')"),
        ('"young people"', "('young' & 'people')"),
        ('drift "child protection" OR plan', "((('drift') & ('child' & 'protection')) | ('plan'))"),
        ("drift NOT delay", "(('drift') & !('delay'))"),
        # No order in the RUM index: a prefix, a phrase under a NOT.
        ("supervis*", None),
        ('drift NOT "child protection"', None),
    ],
)
def test_what_the_rum_index_ranks_by(q: str, ranking: str | None) -> None:
    """PostgreSQL's RUM index ranks a phrase as its words together (app/search.py)."""
    query = parse(q)
    assert query.ranking_tsquery() == ranking
    assert query.in_index_order() is (ranking is not None)


@pytest.mark.parametrize(
    ("q", "message"),
    [
        ('"management oversight', 'a quoted phrase is not closed: add the closing "'),
        ("", "there are no words to search for"),
        ("!!! ???", "there are no words to search for"),
        ("NOT drift", "a query needs a word to find, not only words to exclude"),
        ("drift OR NOT delay", "NOT cannot stand alone beside OR: write a NOT b"),
        ("(drift OR delay", "a ( is not closed: add the )"),
        ("drift)", "unexpected ): a ) has no matching ("),
        ("drift AND", "the query ends where a word was expected"),
        ("OR drift", "OR needs a word or phrase after it"),
        ("s*", "a prefix needs at least 2 letters before the *: 's*' is too short"),
        ("*", "* must follow the start of a word, as in supervis*"),
        (" ".join(["word"] * 17), "a query may have at most 16 terms"),
        ("x" * 501, "a query may be at most 500 characters long"),
    ],
)
def test_refusals_say_why(q: str, message: str) -> None:
    with pytest.raises(SearchSyntaxError) as caught:
        parse(q)
    assert str(caught.value) == message


@given(st.text(max_size=80))
def test_any_text_parses_or_is_refused_never_crashes(q: str) -> None:
    try:
        query = parse(q)
    except SearchSyntaxError:
        return
    fts5, tsquery = query.fts5(), query.tsquery()
    # Only quoted alphanumeric tokens and our own operators reach the databases.
    assert "'" not in fts5.replace('"', "")
    assert all(part.isalnum() for part in tsquery.split("'")[1::2])


def test_snippet_marks_phrases_and_prefixes_and_escapes_html() -> None:
    terms = [Term(("management", "oversight")), Term(("supervis",), prefix=True)]
    text = 'Supervision & "Management  oversight" <ok>; management alone; supervisors.'
    assert snippet(text, terms) == (
        '<mark>Supervision</mark> &amp; "<mark>Management  oversight</mark>" &lt;ok&gt;; '
        "management alone; <mark>supervisors</mark>."
    )
    # Words between the words of a phrase break it, as they do in both databases.
    assert (
        snippet("<b>management</b> oversight", terms) == "&lt;b&gt;management&lt;/b&gt; oversight"
    )


def test_long_snippet_is_cut_around_the_first_match() -> None:
    words = [f"w{i}" for i in range(100)]
    words[50] = "drift"
    result = snippet(" ".join(words), [Term(("drift",))])
    assert (
        result
        == "…" + " ".join(words[42:50]) + " <mark>drift</mark> " + " ".join(words[51:74]) + "…"
    )
