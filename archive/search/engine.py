"""The search index: a tantivy index per node, fed from the outbox (docs/search.md).

The database is the source of truth. Every change search sees leaves a row in
`archive_search_change` (triggers, migration 0012); `SearchIndex.sync()` applies the rows past
the position it recorded, in order, and records the new position after tantivy's commit. A
crash between the two re-applies some changes next time, which gives the same documents. One
process writes at a time (a lock file beside the index); any number read.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import socket
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import tantivy
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from archive.models import (
    Article,
    ArticleCountry,
    ArticleTopic,
    Authorship,
    SearchChange,
    SearchDatabase,
    SearchNode,
)
from archive.prepared import prepared_cursor

TEXT_FIELDS = ("title", "authors", "body")
ID_LIST_FIELDS = ("author_ids", "topic_ids", "country_ids", "tagged_ids")
# Sort keys: integers whose order is a list order, the article's id in their low bits (no two
# tie, and a page's ids are read from its keys, no stored document opened). SortKey, below.
ID_BITS = 40
# Steps: a bucket number per value of these fields (value // width), indexed but not fast, so
# that a page deep in a sort key's order is narrowed through the inverted index (a range over a
# fast field reads the whole column: 4.5 ms at a million articles). archive.reads.index.
STEP_WIDTHS = {"published": 7, "word_count": 25}
LAYOUT = 4  # the schema's version: an index of another layout is rebuilt, not read
BATCH = 2000  # articles read from the database, and documents written, at a time
WRITER_HEAP = 128_000_000
SYNC_HEAP = 16_000_000  # tantivy's smallest writer, for the few changes of a request's catch-up
EPOCH = date(1970, 1, 1)


KEY_VALUE_MAX = 2**22 - 1  # a sort key's value, above the id's bits (days, or words capped)


def index_day(day: date) -> int:
    """A date as the index holds it (`published`): days since 1970-01-01."""
    return (day - EPOCH).days


def day_of(days: int) -> date:
    """index_day's inverse."""
    return EPOCH + timedelta(days=days)


@dataclass(frozen=True)
class SortKey:
    """The codec of one sort field: the value of `bucketed` (a field the index holds, stepped
    through in buckets of STEP_WIDTHS) plus `offset`, over the article's id in the low ID_BITS.
    Dates count from the year 1, so that an undated article (key value 0) sorts first."""

    field: str
    bucketed: str
    offset: int = 0

    def key(self, value: int | None, pk: int) -> int:
        """The sort key of an article whose `bucketed` value is `value` (None: it has none)."""
        return self.first(value) | pk

    def first(self, value: int | None) -> int:
        """The lowest key of the articles with this value."""
        high = 0 if value is None else value + self.offset
        return min(high, KEY_VALUE_MAX) << ID_BITS

    def value(self, key: int) -> int | None:
        """The `bucketed` value of a key (key's inverse); None for a date key of no date."""
        high = key >> ID_BITS
        return None if self.offset and high == 0 else high - self.offset

    @staticmethod
    def id(key: int) -> int:
        """The article id in a key's low bits."""
        return key & (2**ID_BITS - 1)


SORT_KEYS = {
    "order_date": SortKey("order_date", "published", offset=EPOCH.toordinal()),
    "order_words": SortKey("order_words", "word_count"),
}
SORT_FIELDS = tuple(SORT_KEYS)


def schema_build() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_integer_field("id", stored=True, indexed=True, fast=True)
    for name in TEXT_FIELDS:
        builder.add_text_field(name, stored=False, tokenizer_name="en_stem")
    for name in ("publication", "published", "year", "is_stub", "word_count", *ID_LIST_FIELDS):
        builder.add_integer_field(name, stored=False, indexed=True, fast=True)
    for name in SORT_FIELDS:
        builder.add_integer_field(name, stored=False, indexed=True, fast=True)
    for name in STEP_WIDTHS:
        builder.add_integer_field(f"{name}_step", stored=False, indexed=True, fast=False)
    # What the document was made from, to compare with the database (`check`).
    builder.add_text_field("digest", stored=True, tokenizer_name="raw")
    return builder.build()


@dataclass(frozen=True)
class Entry:
    """An article as the index holds it."""

    id: int
    title: str
    authors: tuple[str, ...]
    body: str
    publication: int | None
    published: int | None  # days since 1970-01-01
    is_stub: bool
    word_count: int
    author_ids: tuple[int, ...]
    topic_ids: tuple[int, ...]
    country_ids: tuple[int, ...]
    tagged_ids: tuple[int, ...]

    @property
    def digest(self) -> str:
        return hashlib.sha256(json.dumps(self.__dict__, sort_keys=True).encode()).hexdigest()

    def sort_keys(self) -> dict[str, int]:
        """Keys in the order of the list's orderings (archive.filtersets.Ordering), with the
        id to break ties: by date (undated first; descending, the default list order, newest
        first and undated last) and by length. Days count from 0001-01-01 (22 bits)."""
        values = {"published": self.published, "word_count": self.word_count}
        return {name: key.key(values[key.bucketed], self.id) for name, key in SORT_KEYS.items()}

    def document(self) -> tantivy.Document:
        values = {
            "id": self.id,
            "title": self.title,
            "authors": " ".join(self.authors),
            "body": self.body,
            "is_stub": int(self.is_stub),
            "word_count": self.word_count,
            "digest": self.digest,
            **{name: list(getattr(self, name)) for name in ID_LIST_FIELDS},
            **self.sort_keys(),
        }
        if self.publication is not None:
            values["publication"] = self.publication
        if self.published is not None:
            values["published"] = self.published
            values["year"] = day_of(self.published).year
        for name, width in STEP_WIDTHS.items():
            if values.get(name) is not None:
                values[f"{name}_step"] = values[name] // width
        return tantivy.Document(**values)


def entries(ids: Iterable[int] | None = None) -> Iterator[Entry]:
    """The articles with these ids (all when None) as the index should hold them, a batch of
    queries per BATCH articles."""
    articles = Article.objects.order_by("pk").values_list(
        "pk", "title", "body", "publication_id", "published_on", "is_stub", "word_count"
    )
    if ids is None:
        last = 0
        while batch := list(articles.filter(pk__gt=last)[:BATCH]):
            yield from _entries(batch)
            last = batch[-1][0]
        return
    ids = sorted(set(ids))
    for start in range(0, len(ids), BATCH):
        yield from _entries(list(articles.filter(pk__in=ids[start : start + BATCH])))


def _entries(rows: list[tuple]) -> Iterator[Entry]:
    ids = [row[0] for row in rows]
    authors: dict[int, list[tuple[int, str]]] = {pk: [] for pk in ids}
    for article, author, name in (
        Authorship.objects.filter(article_id__in=ids)
        .order_by("article_id", "position", "pk")
        .values_list("article_id", "author_id", "author__name")
    ):
        authors[article].append((author, name))
    topics: dict[int, list[int]] = {pk: [] for pk in ids}
    for article, topic in ArticleTopic.objects.filter(article_id__in=ids).values_list(
        "article_id", "topic_id"
    ):
        topics[article].append(topic)
    countries: dict[int, list[tuple[int, bool]]] = {pk: [] for pk in ids}
    for article, country, tagged in ArticleCountry.objects.filter(article_id__in=ids).values_list(
        "article_id", "country_id", "tagged"
    ):
        countries[article].append((country, tagged))
    for pk, title, body, publication, published_on, is_stub, word_count in rows:
        yield Entry(
            id=pk,
            title=title,
            authors=tuple(name for _, name in authors[pk]),
            body=body,
            publication=publication,
            published=index_day(published_on) if published_on else None,
            is_stub=is_stub,
            word_count=word_count,
            author_ids=tuple(sorted({a for a, _ in authors[pk]})),
            topic_ids=tuple(sorted(topics[pk])),
            country_ids=tuple(sorted(c for c, _ in countries[pk])),
            tagged_ids=tuple(sorted(c for c, tagged in countries[pk] if tagged)),
        )


def database_state() -> tuple[int, str | None, int]:
    """The last committed change, this database's token, and how far the outbox was pruned,
    in one query (prepared: every request that the index answers asks it first)."""
    with prepared_cursor() as cursor:
        cursor.execute(
            "SELECT (SELECT max(id) FROM archive_search_change), "
            "(SELECT min(token) FROM archive_search_database), "
            "(SELECT max(pruned_upto) FROM archive_search_database)"
        )
        last, token, pruned = cursor.fetchone()
    return last or 0, token, pruned or 0


# The outbox keeps the changes some node seen within NODE_STALE still lacks, and at least the
# newest OUTBOX_KEEP (a node that comes back later than that is rebuilt): its size is bounded
# by what the nodes lack, not by the archive's history (415,489 rows for 32,016 articles).
OUTBOX_KEEP = 10_000
NODE_STALE = timedelta(days=1)


def outbox_prune(node: str, position: int) -> int:
    """Record this node's position (after it applied changes); once the outbox holds twice
    OUTBOX_KEEP, remove the changes every node seen lately has applied, the newest
    OUTBOX_KEEP kept. Returns how many went."""
    now = timezone.now()
    with transaction.atomic():
        if not SearchNode.objects.filter(name=node[:300]).update(position=position, seen_at=now):
            SearchNode.objects.create(name=node[:300], position=position, seen_at=now)
        last, _, pruned = database_state()
        if last - pruned <= 2 * OUTBOX_KEEP:
            return 0
        floor = min(
            SearchNode.objects.filter(seen_at__gte=now - NODE_STALE).values_list(
                "position", flat=True
            )
        )
        upto = min(floor, last - OUTBOX_KEEP)
        if upto <= pruned:
            return 0
        removed, _ = SearchChange.objects.filter(id__lte=upto).delete()
        SearchDatabase.objects.update(pruned_upto=upto)
    return removed


class SearchIndex:
    """The index in `folder` (settings.SEARCH_INDEX_DIR by default)."""

    def __init__(self, folder: Path | str | None = None):
        self.folder = Path(folder or settings.SEARCH_INDEX_DIR)
        self.schema = schema_build()
        self._index: tantivy.Index | None = None
        self._loaded: str | None = None  # the commit the reader last reloaded at

    # -- state -----------------------------------------------------------------------------

    @property
    def _state_file(self) -> Path:
        return self.folder / "position.json"

    def _state(self) -> dict:
        try:
            return json.loads(self._state_file.read_text())
        except (FileNotFoundError, ValueError):
            return {}

    def position(self) -> int | None:
        """The last change applied, or None when there is no index yet."""
        return self._state().get("position")

    def database(self) -> str | None:
        """The token of the database the index was built from."""
        return self._state().get("database")

    def behind(self, last: int, token: str | None, pruned: int = 0) -> int | None:
        """How many changes the index lacks, or None when it cannot take them: no index, one
        of another layout, one built from another database, one that recorded changes this
        database lacks, or one whose missing changes were pruned from the outbox."""
        state = self._state()
        position = state.get("position")
        if position is None or position > last or state.get("database") != token:
            return None
        if position < pruned:
            return None
        if state.get("layout") != LAYOUT:
            return None
        return last - position

    @property
    def node(self) -> str:
        return f"{socket.gethostname()}:{self.folder.resolve()}"

    def _position_write(self, position: int, token: str | None = None) -> None:
        state = {"position": position, "database": token or self.database(), "layout": LAYOUT}
        temporary = self._state_file.with_suffix(".tmp")
        temporary.write_text(json.dumps(state))
        os.replace(temporary, self._state_file)

    @contextmanager
    def _writing(self) -> Iterator[None]:
        """One writer at a time across processes: tantivy allows one per index."""
        self.folder.parent.mkdir(parents=True, exist_ok=True)
        with open(f"{self.folder}.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def index(self) -> tantivy.Index:
        # Through a local name: a rebuild in another thread sets `_index` to None at any time.
        index = self._index
        if index is None:
            index = self._index = tantivy.Index(self.schema, path=str(self.folder))
        index.reload()
        return index

    def searcher(self) -> tuple[tantivy.Index, tantivy.Searcher, str | None]:
        """The index, a searcher on its latest commit, and a name for that commit when it is
        certain (no commit landed while the searcher was opened), to cache answers under.

        The reader reloads only when the commit changed: a reload opens every segment anew,
        and with a request's threads all reloading it cost 13 ms a search."""
        before = self._commit_name()
        index = self._index  # one read: a rebuild in another thread may set it to None
        if index is None or before is None or before != self._loaded:
            index = self.index()
            self._loaded = before
        searcher = index.searcher()
        return index, searcher, before if before and before == self._commit_name() else None

    def _commit_name(self) -> str | None:
        """tantivy's meta.json names the segments and deletes of the last commit or merge."""
        try:
            meta = (self.folder / "meta.json").read_bytes()
        except OSError:
            return None
        return f"{self.folder}:{hashlib.blake2b(meta, digest_size=16).hexdigest()}"

    # -- writing ---------------------------------------------------------------------------

    def rebuild(self, *, record: bool = True) -> dict:
        """A new index of every article, swapped in whole; changes made meanwhile are applied
        by the next sync (they come after the position recorded here). With `record`, the
        node's position goes into the database (outbox_prune): not from a read request, which
        must not wait for an import's write lock."""
        started = time.perf_counter()
        with self._writing():
            position, token, _ = database_state()
            fresh = self.folder.with_name(self.folder.name + ".new")
            shutil.rmtree(fresh, ignore_errors=True)
            fresh.mkdir(parents=True)
            index = tantivy.Index(self.schema, path=str(fresh))
            writer = index.writer(heap_size=WRITER_HEAP, num_threads=2)
            count = 0
            for entry in entries():
                writer.add_document(entry.document())
                count += 1
            writer.commit()
            writer.wait_merging_threads()
            state = {"position": position, "database": token, "layout": LAYOUT}
            (fresh / "position.json").write_text(json.dumps(state))
            old = self.folder.with_name(self.folder.name + ".old")
            shutil.rmtree(old, ignore_errors=True)
            if self.folder.exists():
                os.replace(self.folder, old)
            os.replace(fresh, self.folder)
            shutil.rmtree(old, ignore_errors=True)
            self._index = None
        if record:
            outbox_prune(self.node, position)
        return {"articles": count, "position": position, "seconds": time.perf_counter() - started}

    def sync(self, *, record: bool = True) -> dict:
        """Apply the changes past the recorded position; rebuild when there is no index, when
        the database's changes end before the position (another database), or when changes
        it lacks were pruned. `record` as for rebuild."""
        if self.behind(*database_state()) is None:
            return {**self.rebuild(record=record), "rebuilt": True}
        applied = changes = 0
        with self._writing():
            position = self.position() or 0
            upto, _, _ = database_state()
            if upto > position:
                ids = set(
                    SearchChange.objects.filter(id__gt=position, id__lte=upto).values_list(
                        "article_id", flat=True
                    )
                )
                changes = upto - position
                heap = WRITER_HEAP if len(ids) > BATCH else SYNC_HEAP  # a few changes: little
                writer = self.index().writer(heap_size=heap, num_threads=1)
                for pk in ids:
                    writer.delete_documents_by_term("id", pk)
                for entry in entries(ids):
                    writer.add_document(entry.document())
                writer.commit()
                writer.wait_merging_threads()
                self._position_write(upto)  # after the commit: a crash between re-applies
                applied = len(ids)
                if record:
                    outbox_prune(self.node, upto)
        return {"changes": changes, "articles": applied, "position": self.position()}

    # -- reading ---------------------------------------------------------------------------

    def digests(self) -> dict[int, str]:
        """Every document's id and digest."""
        index = self.index()
        searcher = index.searcher()
        result = searcher.search(tantivy.Query.all_query(), limit=max(searcher.num_docs, 1))
        found = {}
        for _, address in result.hits:
            document = searcher.doc(address)
            found[document["id"][0]] = document["digest"][0]
        return found

    def check(self) -> list[str]:
        """Every difference between the database and the index; none is the only pass."""
        held = self.digests()
        differences = []
        for entry in entries():
            digest = held.pop(entry.id, None)
            if digest is None:
                differences.append(f"article {entry.id}: not in the index")
            elif digest != entry.digest:
                differences.append(f"article {entry.id}: differs from the database")
        differences += [f"article {pk}: in the index, not in the database" for pk in sorted(held)]
        return differences
