"""Parse what a user types into a search box; pure, for every engine.

Words are ANDed, `"quoted phrases"` match as phrases, `-word` or `-"a phrase"` excludes.
Anything else an engine would read as syntax (`*`, `:`, `^`, parentheses, `OR`, `NEAR`)
is only text here: a query can be useless, but never malformed.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

TOKEN = re.compile(r'(?P<neg>-?)(?:"(?P<phrase>[^"]*)"?|(?P<word>[^\s"]+))')
WORD = re.compile(r"\w+")
MAX_TERMS = 16
# Highlight markers: control characters never found in article text, turned into <mark> only
# after the rest of the snippet has been HTML-escaped.
MARK_START, MARK_END = "\x02", "\x03"
# A passage is chosen from texts up to this long: the engines' passage finders grow faster than
# the text (FTS5's snippet() took 10 s for "the" in a 500,000-character article), so longer
# texts are highlighted in their opening (PostgreSQL) or their title (SQLite) instead.
SNIPPET_MAX_CHARS = 20_000
# What a match in each field counts for, one rule for every engine: the search index's boosts,
# SQLite's bm25 column weights and PostgreSQL's ts_rank weights by label (search/postgres.py).
FIELD_WEIGHTS = {"title": 10.0, "authors": 10.0, "body": 1.0}


@dataclass(frozen=True)
class SearchQuery:
    include: tuple[tuple[str, ...], ...]  # each a phrase of one or more words
    exclude: tuple[tuple[str, ...], ...] = ()


def search_query_parse(text: str) -> SearchQuery:
    include: list[tuple[str, ...]] = []
    exclude: list[tuple[str, ...]] = []
    for match in TOKEN.finditer(text):
        words = tuple(
            WORD.findall(match["phrase"] if match["phrase"] is not None else match["word"])
        )
        if not words:
            continue
        (exclude if match["neg"] else include).append(words)
    # The same word or phrase twice asks nothing more, and each costs a pass over its matches.
    include, exclude = list(dict.fromkeys(include)), list(dict.fromkeys(exclude))
    if not include:
        raise ValueError("Give at least one word to search for (exclusions alone match nothing).")
    if len(include) + len(exclude) > MAX_TERMS:
        raise ValueError(f"At most {MAX_TERMS} words or phrases.")
    return SearchQuery(include=tuple(include), exclude=tuple(exclude))


def highlight_html(snippet: str | None) -> str | None:
    """Escape the snippet, then mark the matched words with <mark>."""
    if snippet is None:
        return None
    escaped = html.escape(snippet, quote=False)
    return escaped.replace(MARK_START, "<mark>").replace(MARK_END, "</mark>")
