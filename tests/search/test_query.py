"""Parsing search-box text; no database."""

from __future__ import annotations

import pytest

from archive.search.postgres import websearch_text
from archive.search.query import SearchQuery, highlight_html, search_query_parse
from archive.search.sqlite import match_expression


def test_words_phrases_and_exclusions():
    assert search_query_parse('drones "Revolutionary Guards" -Ukraine') == SearchQuery(
        include=(("drones",), ("Revolutionary", "Guards")), exclude=(("Ukraine",),)
    )


def test_unbalanced_quote_runs_to_the_end():
    assert search_query_parse('"suicide drones').include == (("suicide", "drones"),)


@pytest.mark.parametrize(
    "text", ["", "   ", "-iran", '-"a b"', "* : ^ ( ) \" '", "AND OR NOT"[:0], '""']
)
def test_nothing_to_search_for_is_an_error(text):
    with pytest.raises(ValueError):
        search_query_parse(text)


@pytest.mark.parametrize("text", ["title:iran", "iran*", "(iran OR NEAR(x y))", "a'b", "^iran"])
def test_engine_syntax_is_only_text(text):
    query = search_query_parse(text)
    expression = match_expression(query)
    # every word is inside double quotes: no FTS5 operator survives outside a string
    outside = "".join(expression.split('"')[::2])
    assert set(outside) <= set("() ANDNOT")
    assert all(w.isalnum() or "_" in w for p in query.include for w in p)


def test_engine_expressions():
    query = search_query_parse('iran "suicide drones" -ukraine')
    assert match_expression(query) == '("iran" AND "suicide drones") NOT ("ukraine")'
    assert websearch_text(query) == 'iran "suicide drones" -ukraine'


def test_too_many_terms_is_an_error():
    with pytest.raises(ValueError, match="At most"):
        search_query_parse(" ".join(f"w{i}" for i in range(40)))


def test_highlight_escapes_text_and_marks_matches():
    assert highlight_html("a <b> \x02drone\x03") == "a &lt;b&gt; <mark>drone</mark>"
    assert highlight_html(None) is None
