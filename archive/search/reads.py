"""Searches answered by the search index (archive.search.engine): the words, every list filter,
relevance order, exact counts and highlighted passages, with rows read from the database.

The index answers `q=` in relevance order; a search with `ordering=` is still answered by the
database's own full-text index (archive.search.sqlite / postgres) until the index orders too.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date

import tantivy

from .engine import EPOCH, SearchIndex, database_state
from .query import MARK_END, MARK_START, SNIPPET_MAX_CHARS, SearchQuery, search_query_parse

logger = logging.getLogger(__name__)

BOOSTS = {"title": 10.0, "authors": 10.0}  # as the database's indexes weigh them
MAX_BEHIND = 20_000  # changes a request may apply before answering; more waits for a sync
PASSAGE_CHARS = 240
_readers: dict[str, SearchIndex] = {}


def reader() -> SearchIndex:
    """This process's handle on the index (one per folder: tests use one per test)."""
    from django.conf import settings

    folder = str(settings.SEARCH_INDEX_DIR)
    if folder not in _readers:
        _readers[folder] = SearchIndex(folder)
    return _readers[folder]


def caught_up(index: SearchIndex) -> bool:
    """Whether the index holds every committed change (applying the few missing first).

    No index, or one far behind (a large import not yet synced), and the database answers."""
    behind = index.behind(*database_state())  # one query, one read of the state file
    if behind is None:
        return False
    if behind == 0:
        return True
    if behind > MAX_BEHIND:
        logger.warning("search index %s changes behind: the database answers", behind)
        return False
    index.sync()
    return True


@dataclass
class Hit:
    id: int
    score: float


class EngineResults:
    """The matches of one search, sliceable for a paginator: `count()` is exact, a slice asks
    the index for that page only."""

    ordered = True

    def __init__(self, index: SearchIndex, text: SearchQuery, filters: list[tantivy.Query]):
        self.index = index
        self.text = text
        self.engine = index.index()
        self.searcher = self.engine.searcher()
        self.text_query = self._text_query(text)
        clauses = [(tantivy.Occur.Must, self.text_query)]
        clauses += [(tantivy.Occur.Must, tantivy.Query.const_score_query(f, 0.0)) for f in filters]
        self.query = tantivy.Query.boolean_query(clauses)
        self._count: int | None = None
        self._generators: dict[str, tantivy.SnippetGenerator] = {}

    def _text_query(self, text: SearchQuery) -> tantivy.Query:
        """The words as tantivy's parser reads them: each quoted (so nothing is syntax),
        all required, exclusions forbidden."""

        def quoted(words: tuple[str, ...]) -> str:
            return '"' + " ".join(words) + '"'

        parts = [quoted(p) for p in text.include] + ["-" + quoted(p) for p in text.exclude]
        return self.engine.parse_query(
            " ".join(parts),
            ["title", "authors", "body"],
            field_boosts=BOOSTS,
            conjunction_by_default=True,
        )

    def count(self) -> int:
        if self._count is None:
            self._count = self.searcher.search(self.query, limit=1, count=True).count
        return self._count

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, page: slice) -> list[Hit]:
        offset, stop = page.start or 0, page.stop
        if stop is None or stop <= offset:
            return []
        result = self.searcher.search(self.query, limit=stop - offset, offset=offset, count=True)
        self._count = result.count
        return [Hit(self.searcher.doc(address)["id"][0], score) for score, address in result.hits]

    def _passages(self, field: str) -> tantivy.SnippetGenerator:
        """One passage finder per field and search (making one weighs the query's terms)."""
        if field not in self._generators:
            generator = tantivy.SnippetGenerator.create(
                self.searcher, self.text_query, self.engine.schema, field
            )
            generator.set_max_num_chars(PASSAGE_CHARS)
            self._generators[field] = generator
        return self._generators[field]

    def passage(self, title: str, body: str) -> str:
        """A passage with the matched words between MARK_START and MARK_END: from the body's
        first SNIPPET_MAX_CHARS, else from the title (a stub, or words only in the title)."""
        for field, text in (("body", body[:SNIPPET_MAX_CHARS]), ("title", title)):
            if not text:
                continue
            snippet = self._passages(field).snippet_from_doc(tantivy.Document(**{field: text}))
            if snippet.highlighted():
                return _marked(snippet, text)
        return title


def _marked(snippet, text: str) -> str:
    """The snippet's fragment with marks around the matched words (tantivy gives UTF-8 byte
    offsets); neighbouring marks that only a space separates become one, so that a phrase
    reads as one mark."""
    fragment = snippet.fragment().encode()
    pieces, at = [], 0
    for span in sorted(snippet.highlighted(), key=lambda s: s.start):
        pieces += [fragment[at : span.start], MARK_START.encode(), fragment[span.start : span.end]]
        pieces.append(MARK_END.encode())
        at = span.end
    pieces.append(fragment[at:])
    marked = b"".join(pieces).decode("utf-8", "replace")
    for space in (" ", "\n"):
        marked = marked.replace(f"{MARK_END}{space}{MARK_START}", space)
    where = snippet.fragment_range()
    prefix = "…" if where.start > 0 else ""
    suffix = "…" if where.end < len(text.encode()) else ""
    return f"{prefix}{marked.strip()}{suffix}"


def filter_queries(data: dict, schema: tantivy.Schema) -> list[tantivy.Query]:
    """The list filters' cleaned values (ArticleFilterSet) as index queries, one per filter."""
    integer = tantivy.FieldType.Integer

    def any_of(field: str, values) -> tantivy.Query:
        return tantivy.Query.term_set_query(schema, field, sorted({int(v) for v in values}))

    def days(day: date) -> int:
        return (day - EPOCH).days

    queries = []
    for name, field in (
        ("author", "author_ids"), ("topic", "topic_ids"), ("publication", "publication"),
        ("country", "country_ids"), ("tagged_country", "tagged_ids"),
    ):  # fmt: skip
        if data.get(name):
            queries.append(any_of(field, [record.pk for record in data[name]]))
    for name, field in (
        ("author_id", "author_ids"),
        ("topic_id", "topic_ids"),
        ("publication_id", "publication"),
    ):
        if data.get(name):
            queries.append(any_of(field, data[name]))
    if data.get("year"):
        years = [
            (tantivy.Occur.Should, tantivy.Query.range_query(
                schema, "published", integer, days(date(y, 1, 1)), days(date(y, 12, 31))
            ))
            for y in sorted(set(data["year"]))
        ]  # fmt: skip
        queries.append(tantivy.Query.boolean_query(years))
    after, before = data.get("published_after"), data.get("published_before")
    if after or before:
        queries.append(
            tantivy.Query.range_query(
                schema, "published", integer,
                days(after) if after else None, days(before) if before else None,
            )
        )  # fmt: skip
    if data.get("is_stub") is not None:
        queries.append(tantivy.Query.term_query(schema, "is_stub", int(data["is_stub"])))
    if data.get("has_date") is not None:
        dated = tantivy.Query.exists_query("published")
        if data["has_date"]:
            queries.append(dated)
        else:
            undated = [
                (tantivy.Occur.Must, tantivy.Query.all_query()),
                (tantivy.Occur.MustNot, dated),
            ]
            queries.append(tantivy.Query.boolean_query(undated))
    return queries


def engine_results(data: dict) -> EngineResults | None:
    """The search the index answers for these cleaned filter values, or None when the
    database should: no words, an ordering asked for, or no index caught up."""
    if not data.get("q") or data.get("ordering"):
        return None
    index = reader()
    if not caught_up(index):
        return None
    text = search_query_parse(data["q"])
    try:
        return EngineResults(index, text, filter_queries(data, index.schema))
    except ValueError:  # tantivy refused the query: the database answers it
        logger.warning("search index refused the query %r", data["q"], exc_info=True)
        return None
