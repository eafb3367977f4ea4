"""Article lists answered by the search index (archive.search.engine): the words, every list
filter, the order (relevance, or one sort key), exact counts, facet counts and highlighted
passages; the page's rows are then read from the database by id.

The database answers instead when the index cannot: none built yet, one far behind (a large
import not yet synced), or an ordering by several keys (the index sorts by one).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

import tantivy

from archive.keyset import NOT_A_CURSOR, PAST_THE_END, RANK, Cursor, CursorError
from archive.models.dimensions import RECORDS
from archive.search.engine import (
    ID_BITS,
    SORT_KEYS,
    STEP_WIDTHS,
    SearchIndex,
    SortKey,
    database_state,
    day_of,
    index_day,
)
from archive.search.kept import Kept
from archive.search.query import (
    FIELD_WEIGHTS,
    MARK_END,
    MARK_START,
    SNIPPET_MAX_CHARS,
    SearchQuery,
    search_query_parse,
)

logger = logging.getLogger(__name__)
T = TypeVar("T")

BOOSTS = {field: weight for field, weight in FIELD_WEIGHTS.items() if weight != 1.0}
MAX_BEHIND = 20_000  # changes a request may apply before answering; more waits for a sync
BUILD_MAX = 5_000  # changes in a database small enough for a request to build its index
PASSAGE_CHARS = 240
ASCENDING, DESCENDING = tantivy.Order.Asc, tantivy.Order.Desc
# The API's orderings the index answers, as (sort key, direction); see Entry.sort_keys. By
# title, the database orders (a text sort key cost the index a second for a deep page).
DEFAULT_ORDER = ("order_date", DESCENDING)
ORDERS = {
    "-published_on": DEFAULT_ORDER,
    "published_on": ("order_date", ASCENDING),
    "word_count": ("order_words", ASCENDING),
    "-word_count": ("order_words", DESCENDING),
}
DEEP = 2_000  # an offset past which a page is found through the steps
# A first page of a filtered list is looked for first among the archive's newest (or first)
# FRONT_SHARE × page-size articles: a filter keeping one article in 50 still fills it there.
FRONT_SHARE = 50
ID_BLOCK = 4_096  # ids per step among the articles without a value in the bucketed field
# (commit, what) -> the whole archive's answer; room for 200,000 values (counts, cells)
_per_commit = Kept(room=200_000)
# Facet counts: an id field of the index per facet; buckets enough for every value (exact).
FACET_FIELDS = {**{name: d.index_field for name, d in RECORDS.items()}, "year": "year"}
FACET_BUCKETS = 60_000  # per facet, within tantivy's 65,000 per request
_readers: dict[str, SearchIndex] = {}


def reader() -> SearchIndex:
    """This process's handle on the index (one per folder: tests use one per test)."""
    from django.conf import settings

    folder = str(settings.SEARCH_INDEX_DIR)
    if folder not in _readers:
        _readers[folder] = SearchIndex(folder)
    return _readers[folder]


def caught_up(index: SearchIndex) -> bool:
    """Whether the index holds every committed change (applying the few missing first, or
    building it for a small database that has none yet).

    No index for a large database, or one far behind (a large import not yet synced), and the
    database answers until `manage.py search_index sync` has run."""
    last, token, pruned = database_state()  # one query, one read of the state file
    behind = index.behind(last, token, pruned)
    if behind is None and last > BUILD_MAX:
        logger.warning("no search index for this database: the database answers")
        return False
    if behind is not None and behind > MAX_BEHIND:
        logger.warning("search index %s changes behind: the database answers", behind)
        return False
    if behind != 0:
        index.sync(record=False)  # the few changes missing, or a small database's whole index
    return True


@dataclass
class Hit:
    id: int
    score: float | None  # relevance, when the page is in relevance order
    key: int | None = None  # the sort key, when the page is in a sort key's order


class EngineResults:
    """The matches of one list or search, sliceable for a paginator: `count()` is exact, a
    slice asks the index for that page only. `order` is a sort key and direction; None is
    relevance (a search only)."""

    ordered = True
    reader = "index"  # who ranked a search, for a cursor (archive.keyset.Cursor)

    def __init__(
        self,
        index: SearchIndex,
        text: SearchQuery | None,
        filters: list[tantivy.Query],
        order: tuple[str, tantivy.Order] | None = None,
        *,
        opened: tuple[tantivy.Index, tantivy.Searcher, str | None] | None = None,
    ):
        self.index = index
        self.text = text
        self.order = order or (None if text else DEFAULT_ORDER)  # relevance needs words
        # `opened`: another list's searcher, for answers about the same commit
        self.opened = opened or index.searcher()
        self.engine, self.searcher, self.commit = self.opened
        self.text_query = self._text_query(text) if text else tantivy.Query.all_query()
        clauses = [(tantivy.Occur.Must, self.text_query)]
        clauses += [(tantivy.Occur.Must, tantivy.Query.const_score_query(f, 0.0)) for f in filters]
        self.query = tantivy.Query.boolean_query(clauses)
        self.filters = filters
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
        """Exact; the whole archive's counted once per commit (tantivy counts by visiting every
        match: 8.7 ms a request at a million articles)."""
        if self._count is None:
            self._count = self.per_commit(
                "count", lambda: self.searcher.search(self.query, limit=1, count=True).count
            )
        return self._count

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, page: slice) -> list[Hit]:
        offset, stop = page.start or 0, page.stop
        if stop is None or stop <= offset:
            return []
        limit = stop - offset
        if self.order is not None:
            return self._sorted(offset, limit)
        return self._ranked(offset, limit)

    def _ranked(self, offset: int, limit: int) -> list[Hit]:
        """A page in relevance order, equal scores by id, as the database orders them (tantivy
        leaves ties in the order of its segments, which a rebuild changes)."""
        want = offset + limit
        return self._best(want, lambda hit: True, fetch=want + 1)[offset:want]

    def _best(self, want: int, wanted, *, fetch: int, after: Hit | None = None) -> list[Hit]:
        """The first `want` hits that are `wanted`, best first, equal scores by id; `after` is
        a cursor's item, which `wanted` excludes with everything before it.

        The engine gives the best `fetch` hits by score. When the last one read may tie with
        hits beyond them, the equal scores' order by id is not known yet: a small tie is read
        whole by fetching more; a large one (a word in many titles, every match scoring the
        same) is read in id order from the engine, only as far as the page needs
        (_tied_ids). The cut between the two is where their costs meet: a fetch reads the
        whole tie, a walk in id order reads about need × matches / tie hits."""
        fetch = max(fetch, want + 1)
        probed = False
        while True:
            result = self.searcher.search(self.query, limit=fetch, count=True)
            self._count = count = result.count
            hits = self._hits(result.hits)
            if len(hits) < fetch:  # every match read
                return [hit for hit in hits if wanted(hit)]
            edge = result.hits[-1][0]  # the lowest score read: hits beyond may tie with it
            above = [hit for hit in hits if hit.score > edge and wanted(hit)]
            need = want - len(above)
            if need <= 0:
                return above
            tied = sum(1 for hit in hits if hit.score == edge)
            stale = after is not None and edge > after.score  # the list grew above the cursor
            # A tie still there after one doubling is tried in id order, one block; a walk
            # past that waits until the tie is large enough to pay for it.
            walk = tied * tied >= need * count
            probe = not probed and fetch > 2 * want
            if stale or not (walk or probe):
                fetch *= 2
                continue
            probed = True
            start = after.id if after is not None and after.score == edge else 0
            ids = self._tied_ids(edge, need, start, blocks=None if walk else 1)
            if ids is not None and len(ids) == need:
                return above + [Hit(pk, edge) for pk in ids]
            if ids is None:  # one block held too few: the tie is small, fetch on
                fetch *= 2
                continue
            # The page runs past the end of a large tie: what follows is read by score.
            fetch = max(fetch * 2, len(hits) - tied + len(ids) + need + 1)

    def _hits(self, hits: list) -> list[Hit]:
        """The engine's (score, address) pairs as hits, best first, equal scores by id."""
        ids = self.searcher.fast_field_values("id", [address for _, address in hits])
        ranked = [Hit(pk, score) for pk, (score, _) in zip(ids, hits, strict=True)]
        ranked.sort(key=lambda hit: (-hit.score, hit.id))
        return ranked

    def _tied_ids(self, score: float, need: int, start: int, blocks: int | None) -> list | None:
        """The first `need` ids above `start` of the matches scoring exactly `score`, read
        from the engine in id order a block at a time (each block scored by a second search
        over its ids); fewer when the tie ends before; None when `blocks` were read first."""
        schema, found, block = self.engine.schema, [], max(4 * need, 64)
        while True:
            beyond = tantivy.Query.range_query(
                schema, "id", tantivy.FieldType.Integer, start + 1, (1 << ID_BITS) - 1
            )
            window = tantivy.Query.boolean_query(
                [(tantivy.Occur.Must, self.query), (tantivy.Occur.Must, beyond)]
            )
            ordered = self.searcher.search(
                window, block, count=False, order_by_field="id", order=ASCENDING
            ).hits
            ids = [pk for pk, _ in ordered]
            if ids:
                these = tantivy.Query.term_set_query(schema, "id", ids)
                scoring = tantivy.Query.boolean_query(
                    [(tantivy.Occur.Must, self.query),
                     (tantivy.Occur.Must, tantivy.Query.const_score_query(these, 0.0))]
                )  # fmt: skip
                scored = self.searcher.search(scoring, len(ids), count=False).hits
                at = set(self.searcher.fast_field_values(
                    "id", [address for s, address in scored if s == score]
                ))  # fmt: skip
                found += [pk for pk in ids if pk in at]
            if len(found) >= need or len(ids) < block:
                return found[:need]
            if blocks is not None:
                blocks -= 1
                if blocks == 0:
                    return None
            start, block = ids[-1], block * 4

    # Cursors (archive.keyset): the walk resumes after the last item's sort key, or after its
    # (score, id) in a search, so that a page does not move when articles are added before it.

    @property
    def order_labels(self) -> tuple[str, ...]:
        """The order as the database's keys name it (archive.keyset.Key.label)."""
        if self.order is None:
            return ("-" + RANK, "pk")
        [name] = [name for name, order in ORDERS.items() if order == self.order]
        return (name, "-pk" if name.startswith("-") else "pk")

    def after(self, cursor: Cursor, limit: int) -> list[Hit]:
        """Up to `limit` matches after the cursor's item, in this list's order."""
        if cursor.order != self.order_labels:
            raise CursorError("This cursor was made for another ordering; start again.")
        if self.order is None:
            score, last = _score(cursor.values)
            if cursor.position > self.count():  # the engine reads `position` hits to resume
                raise CursorError(PAST_THE_END)
            if cursor.reader != self.reader:  # scored by the database: resume by position
                return self[cursor.position : cursor.position + limit]
            score = self._score_now(last, score)
            wanted = lambda hit: (-hit.score, hit.id) > (-score, last)  # noqa: E731
            fetch = cursor.position + limit + 1
            return self._best(limit, wanted, fetch=fetch, after=Hit(last, score))[:limit]
        field, direction = self.order
        key = _sort_key(field, cursor.values)
        if direction == DESCENDING:
            low, high = 0, key  # [low, high)
        else:
            low, high = key + 1, 1 << 63
        if self.whole_archive and self.count() > DEEP:  # its steps are kept per commit
            low, high = self._steps_after(field, direction, key, limit, low, high)
        return self._by_key(self._narrowed(field, low, high), field, direction, 0, limit)

    def _score_now(self, pk: int, then: float) -> float:
        """The article's score for this search now: an import since the cursor was made
        changes every score (the words' weights), not the order. Its score then, if it is gone."""
        this = tantivy.Query.term_query(self.engine.schema, "id", pk)
        query = tantivy.Query.boolean_query(
            [(tantivy.Occur.Must, self.query),
             (tantivy.Occur.Must, tantivy.Query.const_score_query(this, 0.0))]
        )  # fmt: skip
        hits = self.searcher.search(query, limit=1, count=False).hits
        return hits[0][0] if hits else then

    def sort_values(self, cursor: Cursor | None, limit: int) -> list[tuple]:
        """As after() (the first hits without a cursor), each hit as its cursor's values."""
        hits = self[0:limit] if cursor is None else self.after(cursor, limit)
        return [self.cursor_at(hit, 0).values for hit in hits]

    def cursor_at(self, hit: Hit, position: int) -> Cursor:
        """A cursor resuming after this hit, the `position`th of the list."""
        if self.order is None:
            return Cursor(self.order_labels, (hit.score, hit.id), position, self.reader)
        field, _ = self.order
        value = SORT_KEYS[field].value(hit.key)
        if field == "order_date":
            value = day_of(value).isoformat() if value is not None else None
        return Cursor(self.order_labels, (value, hit.id), position)

    def _steps_after(self, field, direction, key, limit, low, high) -> tuple[int, int]:
        """[low, high) narrowed to the steps holding the `limit` matches after `key`: the
        step holding `key` and whole steps beyond it until they hold `limit`."""
        steps = self._steps(field, self.count())
        beyond = 0
        if direction == DESCENDING:
            for start, end, n in reversed(steps):
                if start < key:
                    low = start
                    beyond += n if end <= key else 0
                    if beyond >= limit:
                        break
        else:
            for start, end, n in steps:
                if end > key + 1:
                    high = end
                    beyond += n if start > key else 0
                    if beyond >= limit:
                        break
        return low, high

    def _sorted(self, offset: int, limit: int) -> list[Hit]:
        """A page in a sort key's order. tantivy keeps offset + limit hits on the way to a
        page, so a deep page is found in two steps: the number of matches per bucket of the
        key (a week, 25 words: an aggregation, cached per commit for the whole archive),
        then the page within the buckets it falls in. Past the middle, from the other end."""
        field, direction = self.order
        if offset + limit <= DEEP and not self.whole_archive and self._count is None:
            # A first page of a filtered list needs no count (a feed's, the home page's):
            # counting visits every match, as long as the page's own search.
            front = self._within_archive_front(field, direction, offset + limit)
            if front is not None:
                hits = self._by_key(front, field, direction, offset, limit)
                if len(hits) == limit:  # else the page reaches past the front
                    return hits
            return self._by_key(self.query, field, direction, offset, limit)
        count = self.count()
        reverse = offset > count // 2
        if reverse:
            offset, limit = max(0, count - offset - limit), min(limit, count - offset)
            direction = ASCENDING if direction == DESCENDING else DESCENDING
        if limit <= 0:
            return []
        query = self.query
        # The whole archive's steps are kept per commit: its first pages take them too, rather
        # than a walk over every article for the newest 20 (4.8 ms at a million).
        if offset > DEEP or (count > DEEP and self.whole_archive):
            query, offset = self._within_steps(field, direction, offset, limit, count)
        hits = self._by_key(query, field, direction, offset, limit)
        return hits[::-1] if reverse else hits

    def _by_key(self, query: tantivy.Query, field: str, direction, offset: int, limit: int):
        """Up to `limit` matches of `query` after the first `offset`, in the key's order."""
        result = self.searcher.search(
            query, limit, count=False, order_by_field=field, offset=offset, order=direction
        )
        return [Hit(SortKey.id(key), None, key) for key, _ in result.hits]

    def _within_archive_front(self, field: str, direction, wanted: int) -> tantivy.Query | None:
        """This list within the whole archive's first buckets of the key in this order that
        hold FRONT_SHARE × `wanted` articles (the archive's steps are kept per commit), or None
        when they are the whole archive. Every match outside them sorts after every match
        inside, so a page found whole inside them is the list's page: the newest of 990,000
        published articles without visiting each (the home page at a million)."""
        whole = EngineResults(self.index, None, [], self.order, opened=self.opened)
        if not whole.whole_archive:  # no commit to keep the archive's steps under
            return None
        steps = whole._steps(field, whole.count())
        low, high, covered = None, None, 0
        for start, end, n in steps[::-1] if direction == DESCENDING else steps:
            low = start if low is None else min(low, start)
            high = end if high is None else max(high, end)
            covered += n
            if covered >= FRONT_SHARE * wanted:
                return self._narrowed(field, low, high)
        return None

    def _within_steps(self, field, direction, offset, limit, count) -> tuple[tantivy.Query, int]:
        """The query narrowed to the key range holding positions offset…offset + limit, and
        the offset within it."""
        steps = self._steps(field, count)
        if direction == DESCENDING:
            steps = steps[::-1]
        before, low, high, within = 0, None, None, offset
        for start, end, n in steps:
            if low is None and before + n > offset:  # the page's first bucket
                low, high, within = start, end, offset - before
            elif low is not None:
                low, high = min(low, start), max(high, end)
            before += n
            if low is not None and before >= offset + limit:  # and its last
                break
        if low is None:
            return self.query, offset
        return self._narrowed(field, low, high), within

    def _narrowed(self, field: str, low: int, high: int) -> tantivy.Query:
        """The query within the sort keys [low, high)."""
        narrowed = tantivy.Query.range_query(
            self.engine.schema, field, tantivy.FieldType.Integer, low, high - 1
        )
        clauses = [(tantivy.Occur.Must, self.query), (tantivy.Occur.Must, narrowed)]
        key = SORT_KEYS[field]
        bucketed = key.bucketed
        if key.value(low) is not None:  # buckets of values, not the undated's blocks of ids
            width = STEP_WIDTHS[bucketed]
            first, last = key.value(low) // width, key.value(high - 1) // width
            steps = tantivy.Query.range_query(
                self.engine.schema, f"{bucketed}_step", tantivy.FieldType.Integer, first, last
            )
            clauses.append((tantivy.Occur.Must, steps))  # the inverted index: a few buckets
        return tantivy.Query.boolean_query(clauses)

    @property
    def whole_archive(self) -> bool:
        """No words, no filters, and a commit to name the answers kept for it."""
        return self.text is None and not self.filters and bool(self.commit)

    def per_commit(self, name: Hashable, compute: Callable[[], T]) -> T:
        """compute(), kept for the index's commit when this is the whole archive: until the
        next commit it is the same answer (archive.search.kept)."""
        if not self.whole_archive:
            return compute()
        return _per_commit.get((self.commit, name), compute)

    def _steps(self, field: str, count: int) -> list[tuple[int, int, int]]:
        """(first key, last key + 1, matches) per bucket of the sort key, ascending."""
        return self.per_commit(field, lambda: self._steps_counted(field, count))

    def _steps_counted(self, field: str, count: int) -> list[tuple[int, int, int]]:
        key = SORT_KEYS[field]
        width = STEP_WIDTHS[key.bucketed]
        request = {
            "s": {"histogram": {"field": key.bucketed, "interval": width, "min_doc_count": 1}}
        }
        buckets = self.searcher.aggregate(self.query, request)["s"]["buckets"]
        steps = [
            (key.first(int(b["key"])), key.first(int(b["key"]) + width), b["doc_count"])
            for b in buckets
        ]
        if count > sum(n for _, _, n in steps):  # no value in the bucketed field (undated)
            steps[:0] = self._steps_by_id(field)
        return steps

    def _steps_by_id(self, field: str) -> list[tuple[int, int, int]]:
        """The keys below 1 << ID_BITS, the articles without a value (undated: key 0 and the
        id), in blocks of ids, so that a page among them is found within its block rather than
        by walking past the undated before it (300,000 of a million). Not measured apart: on its
        own it left the list at a million where it was (18-19 ms, bound by the count and the
        range scan then)."""
        undated = tantivy.Query.range_query(
            self.engine.schema, field, tantivy.FieldType.Integer, 0, (1 << ID_BITS) - 1
        )
        query = tantivy.Query.boolean_query(
            [(tantivy.Occur.Must, self.query), (tantivy.Occur.Must, undated)]
        )
        request = {"s": {"histogram": {"field": field, "interval": ID_BLOCK, "min_doc_count": 1}}}
        buckets = self.searcher.aggregate(query, request)["s"]["buckets"]
        return [(int(b["key"]), int(b["key"]) + ID_BLOCK, b["doc_count"]) for b in buckets]

    def facet_counts(self) -> tuple[int, dict[str, dict[int, int]]]:
        """The number of matches, and per facet each value's number of matches, exact (for
        the whole archive, counted once per commit)."""
        return self.per_commit("facets", self._facet_counts)

    def _facet_counts(self) -> tuple[int, dict[str, dict[int, int]]]:
        request = {
            name: {"terms": {"field": field, "size": FACET_BUCKETS, "segment_size": FACET_BUCKETS}}
            for name, field in FACET_FIELDS.items()
        }
        answer = self.searcher.aggregate(self.query, request)
        counts = {
            name: {int(b["key"]): b["doc_count"] for b in answer[name]["buckets"]}
            for name in FACET_FIELDS
        }
        return self.count(), counts

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


def _score(values: tuple) -> tuple[float, int]:
    """A search cursor's (score, id), checked."""
    score, pk = values
    numeric = isinstance(score, int | float) and not isinstance(score, bool)
    if not numeric or not isinstance(pk, int) or isinstance(pk, bool) or not 1 <= pk < 1 << ID_BITS:
        raise CursorError(NOT_A_CURSOR)
    return float(score), pk


def _sort_key(field: str, values: tuple) -> int:
    """The index's sort key (archive.search.engine.Entry.sort_keys) of a cursor's values."""
    value, pk = values
    if not isinstance(pk, int) or isinstance(pk, bool) or not 1 <= pk < 1 << ID_BITS:
        raise CursorError(NOT_A_CURSOR)
    if field == "order_date":
        try:
            value = index_day(date.fromisoformat(value)) if value is not None else None
        except (TypeError, ValueError):
            raise CursorError(NOT_A_CURSOR) from None
    elif isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise CursorError(NOT_A_CURSOR)
    return SORT_KEYS[field].key(value, pk)


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

    queries = []
    named = {name: d.index_field for name, d in RECORDS.items()} | {"tagged_country": "tagged_ids"}
    for name, field in named.items():  # records named by slug or code
        if data.get(name):
            queries.append(any_of(field, [record.pk for record in data[name]]))
    for name, d in RECORDS.items():  # records named by id
        if data.get(f"{name}_id"):
            queries.append(any_of(d.index_field, data[f"{name}_id"]))
    if data.get("year"):
        years = [
            (tantivy.Occur.Should, tantivy.Query.range_query(
                schema, "published", integer, index_day(date(y, 1, 1)), index_day(date(y, 12, 31))
            ))
            for y in sorted(set(data["year"]))
        ]  # fmt: skip
        queries.append(tantivy.Query.boolean_query(years))
    after, before = data.get("published_after"), data.get("published_before")
    if after or before:
        queries.append(
            tantivy.Query.range_query(
                schema, "published", integer,
                index_day(after) if after else None, index_day(before) if before else None,
            )
        )  # fmt: skip
    if data.get("is_stub") is not None:
        queries.append(tantivy.Query.term_query(schema, "is_stub", int(data["is_stub"])))
    present = {"has_date": "published"} | {f"has_{n}": d.index_field for n, d in RECORDS.items()}
    for name, field in present.items():
        if data.get(name) is not None:
            queries.append(_present(field, data[name]))
    return queries


def _present(field: str, wanted: bool) -> tantivy.Query:
    """The documents with a value in this fast field, or (`wanted` false) those without."""
    exists = tantivy.Query.exists_query(field)
    if wanted:
        return exists
    everything = tantivy.Query.all_query()
    return tantivy.Query.boolean_query(
        [(tantivy.Occur.Must, everything), (tantivy.Occur.MustNot, exists)]
    )


# The list filters the index answers (filter_queries); a filter not named here is answered by
# the database, so that a new filter is never silently ignored by the index (updated_since and
# updated_before, and ordering by updated_at: the index holds no time of change;
# min_mentions and ordering by mentions, as the index holds no per-country counts).
ENGINE_FILTERS = {
    "q", "ordering", "author", "topic", "publication", "country", "tagged_country", "author_id",
    "topic_id", "publication_id", "year", "published_after", "published_before", "is_stub",
    "has_date", "has_author", "has_topic", "has_country", "has_publication",
}  # fmt: skip


def answers(data) -> bool:
    """Whether the index holds every filter of these cleaned values and their order (one sort
    key, or relevance)."""
    if data.keys() - ENGINE_FILTERS:
        return False
    ordering = data.get("ordering") or []
    return len(ordering) <= 1 and (not ordering or ordering[0] in ORDERS)


def engine_results(data) -> EngineResults | None:
    """The list the index answers for these cleaned filter values (answers() said it holds
    them), or None when it cannot: not caught up, or tantivy refused the words."""
    ordering = data.get("ordering") or []
    order = ORDERS[ordering[0]] if ordering else None  # EngineResults: relevance or default
    index = reader()
    if not caught_up(index):
        return None
    text = search_query_parse(data["q"]) if data.get("q") else None
    try:
        return EngineResults(index, text, filter_queries(data, index.schema), order)
    except ValueError:  # tantivy refused the query: the database answers it
        logger.warning("search index refused the query %r", data.get("q"), exc_info=True)
        return None
