"""Writing a batch's rows in bulk: plain INSERTs and UPDATEs with one statement per table (no
model instances built, no per-row save), and history rows copied from the rows written. The
loader decides and fills a `Writes`; `batch_write` only writes it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache, lru_cache

from django.db import connection, transaction
from django.db.models import (
    BooleanField,
    CharField,
    DateTimeField,
    ForeignKey,
    IntegerField,
    JSONField,
    Model,
    TextField,
)

from archive.history import snapshot
from archive.models import (
    Article,
    ArticleCountry,
    ArticleSource,
    Author,
    Authorship,
    RelatedArticle,
    Topic,
)
from archive.prepared import prepared_cursor
from archive.search import SearchBatch, batch_indexed

from .pacing import Pace, pace_nowhere

# What an import writes on an article; a bulk update sets exactly these.
ARTICLE_FIELDS = [
    "title",
    "title_key",
    "slug",
    "publication",
    "published_on",
    "date_source",
    "lead",
    "body",
    "sections",
    "excerpt",
    "word_count",
    "content_type",
    "is_stub",
    "source_name",
    "source_sha256",
    "source_bytes_sha256",
    "imported_at",
    "rules_version",
    "layout",
    "updated_at",
]
ENRICHED_FIELDS = ["published_on", "date_source", "excerpt", "updated_at"]
AUTHOR_FIELDS = ["bio", "honorific", "updated_at", "curated_at"]
IMPORT_ACTOR = "import"  # the history's reason for what an import wrote


@dataclass
class Links:
    """What one article of the batch links to, written with it (and replacing its old links
    when it is rewritten). A new stub has only its card's country; `authors` None: none set."""

    article: Article
    authors: list[Author] | None = None
    topics: list[Topic] = field(default_factory=list)
    countries: list[tuple[int, bool, int]] = field(default_factory=list)  # country pk, tagged, n
    related: list[Article] = field(default_factory=list)


@dataclass
class Writes:
    """Everything one batch writes, as the loader decided it."""

    new_articles: list[Article] = field(default_factory=list)
    dirty_articles: dict[int, Article] = field(default_factory=dict)  # saved ones, changed
    rewritten: list[Article] = field(default_factory=list)  # saved ones whose links are replaced
    links: list[Links] = field(default_factory=list)  # one per article, in the order first linked
    digests: list[Article] = field(default_factory=list)  # same text, other bytes
    sources: list[tuple[Article, bytes, int]] = field(default_factory=list)  # compressed, size
    new_named: list[list[Model]] = field(default_factory=list)  # new authors, new topics
    dirty_authors: list[Author] = field(default_factory=list)


def batch_write(writes: Writes, now, pace: Pace = pace_nowhere) -> None:
    """Write one batch: articles, then their sources, then their links; search indexes each
    article the batch wrote once, at its end (archive.search.batch_indexed)."""
    for new in writes.new_named:
        if new:
            model = type(new[0])
            rows_create(new)
            if hasattr(model, "history"):
                history_copy(model, [o.pk for o in new], "+", now)
    if writes.dirty_authors:
        rows_update(writes.dirty_authors, AUTHOR_FIELDS)
        history_copy(Author, [author.pk for author in writes.dirty_authors], "~", now)
    with batch_indexed() as search:
        _articles_write(writes, now, search, pace)


def _articles_write(writes: Writes, now, search: SearchBatch, pace: Pace) -> None:
    # The links before the rows they link (the constraints are checked at commit): on
    # PostgreSQL each row's trigger then makes its text's vector with its authors already
    # linked, and the authorships' triggers, held back meanwhile, need not make it again
    # (archive.search.batch_indexed, migration 0034).
    keys_give(writes.new_articles)
    rewritten = {a.pk for a in writes.rewritten}
    _links_write(writes.links, rewritten)
    search.wrote((links.article.pk for links in writes.links), text=True)
    pace("links")
    rows_create(writes.new_articles)
    pace("created")
    links = versions_links(writes.links)
    if writes.new_articles:
        history_copy(Article, [a.pk for a in writes.new_articles], "+", now, links=links)
        search.wrote((a.pk for a in writes.new_articles), text=True)
    pace("articles")
    dirty = writes.dirty_articles
    rows_update([a for a in dirty.values() if a.pk in rewritten], ARTICLE_FIELDS)
    # Only dated or given an excerpt by a card: the rest of the row (its body) is not even
    # loaded, so it is not written back either.
    rows_update([a for a in dirty.values() if a.pk not in rewritten], ENRICHED_FIELDS)
    history_copy(Article, list(dirty), "~", now, links=links)
    search.wrote(rewritten, text=True)
    search.wrote(dirty, text=False)
    rows_update(writes.digests, ["source_bytes_sha256"])
    search.wrote((article.pk for article in writes.digests), text=False)
    # A rewritten article's old source goes; a new article has none yet.
    replaced = rewritten | {article.pk for article in writes.digests}
    ArticleSource.objects.filter(article_id__in=replaced).delete()
    rows_insert(
        ArticleSource,
        ["article", "data", "size"],
        ((article.pk, data, size) for article, data, size in writes.sources),
    )
    pace("sources")


def versions_links(all_links: list[Links]) -> dict[int, object]:
    """Each article whose links the batch writes keeps them on the version the batch makes
    (archive.history): its history shows them, and a revert to it restores them. By article,
    as the history's `links` column stores them (history_copy writes them with the row)."""
    field = Article.history.model._meta.get_field("links")
    return {
        links.article.pk: field.get_db_prep_save(
            snapshot(
                authors=[author.pk for author in links.authors or ()],
                topics=[topic.pk for topic in links.topics],
                countries=[(country, tagged) for country, tagged, _ in links.countries],
                related=[target.pk for target in links.related],
            ),
            connection,
        )
        for links in all_links
    }


def _links_write(all_links: list[Links], rewritten: set[int]) -> None:
    if rewritten:
        for model, column in (
            (Authorship, "article_id"),
            (Article.topics.through, "article_id"),
            (ArticleCountry, "article_id"),
            (RelatedArticle, "from_article_id"),
        ):
            model.objects.filter(**{f"{column}__in": list(rewritten)}).delete()
    rows_insert(
        Authorship,
        ["article", "author", "position"],
        (
            (links.article.pk, author.pk, position)
            for links in all_links
            for position, author in enumerate(links.authors or ())
        ),
    )
    rows_insert(
        Article.topics.through,
        ["article", "topic"],
        ((links.article.pk, topic.pk) for links in all_links for topic in links.topics),
    )
    rows_insert(
        ArticleCountry,
        ["article", "country", "tagged", "mentions"],
        (
            (links.article.pk, country, tagged, mentions)
            for links in all_links
            for country, tagged, mentions in links.countries
        ),
    )
    rows_insert(
        RelatedArticle,
        ["from_article", "to_article", "position"],
        (
            (links.article.pk, target.pk, position)
            for links in all_links
            for position, target in enumerate(links.related)
        ),
    )


def rows_insert(model: type[Model], fields: list[str], rows: Iterable[tuple]) -> None:
    """INSERT plain values: link rows need no model instances, and this takes a fifth of the
    time `bulk_create` does (measured, docs/benchmarks.md). SQLite takes as many rows a
    statement as its parameters allow: each statement it runs has a cost of its own (its
    triggers' conditions, its statement journal), and one a row (executemany) took 2 to 4
    times as long (a batch's articles, its country links). PostgreSQL takes them by COPY, one
    stream for the lot (a multi-row INSERT a thousand rows at a time parsed and planned each
    statement)."""
    rows = list(rows)
    if not rows:
        return
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    columns = ", ".join(quote(model._meta.get_field(name).column) for name in fields)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # psycopg's own cursor: its errors made Django's (IntegrityError…) as execute's are
            with (
                connection.wrap_database_errors,
                cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
            ):
                for row in rows:
                    copy.write_row(row)
            return
        marks = "(" + ", ".join(["%s"] * len(fields)) + ")"
        per = max(1, connection.features.max_query_params // len(fields))
        for start in range(0, len(rows), per):
            chunk = rows[start : start + per]
            cursor.execute(
                f"INSERT INTO {table} ({columns}) VALUES {', '.join([marks] * len(chunk))}",
                [value for row in chunk for value in row],
            )


def rows_create(objects: list[Model]) -> None:
    """INSERT new instances of one model as plain rows, their keys taken first (keys_give):
    what `bulk_create` does (each field's `pre_save`, then its database value), but the
    values Django would hand back unchanged are written as they are (`_as_is`), and the rows
    go by rows_insert: 500 articles in about three quarters of bulk_create's time
    (docs/benchmarks.md). The instances are saved ones afterwards, with their keys."""
    if not objects:
        return
    meta = objects[0]._meta
    fields = [field for field in meta.concrete_fields if not field.primary_key]
    with transaction.atomic(savepoint=False):
        keys_give(objects)
        rows = []
        for obj in objects:
            rows.append((obj.pk, *(_db_value(f, f.pre_save(obj, True)) for f in fields)))
            obj._state.adding, obj._state.db = False, connection.alias
        rows_insert(meta.model, [meta.pk.name, *(field.name for field in fields)], rows)


def keys_give(objects: list[Model]) -> None:
    """New keys (keys_take) to those of these new instances of one model that have none yet,
    in order: a batch links its new articles before their rows are written."""
    keyless = [obj for obj in objects if obj.pk is None]
    if keyless:
        for obj, key in zip(keyless, keys_take(type(keyless[0]), len(keyless)), strict=True):
            obj.pk = key


def keys_take(model: type[Model], count: int) -> list[int]:
    """`count` new keys for the model's table, ascending, never used before: PostgreSQL's
    sequence hands them out; on SQLite the writing transaction (IMMEDIATE, archive's settings)
    holds the database, and AUTOINCREMENT's counter is where the next key starts. Call it in
    a transaction and insert the rows in the same one."""
    table, column = model._meta.db_table, model._meta.pk.column
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [connection.ops.quote_name(table), column, count],
            )
            return sorted(key for (key,) in cursor.fetchall())
        quote = connection.ops.quote_name
        cursor.execute(
            "SELECT max(COALESCE((SELECT seq FROM sqlite_sequence WHERE name = %s), 0), "
            f"COALESCE((SELECT max({quote(column)}) FROM {quote(table)}), 0))",
            [table],
        )
        last = cursor.fetchone()[0]
    return list(range(last + 1, last + 1 + count))


def history_copy(
    model: type[Model], pks: list[int], history_type: str, when, *, links: dict | None = None
) -> None:
    """The django-simple-history rows these writes would have made ("+" created, "~" changed),
    copied by the database from the rows as written. The importer is their actor: no user,
    and the reason names the import ("import of 002_e62bf4f80456f64a", an article's source).
    Building a historical model instance per row had cost more than the writes themselves.
    `links`: an article's links to keep on its version, by key (versions_links), written with
    the row (an UPDATE after it rewrote each row, body and all, a second time)."""
    if not pks:
        return
    history = model.history.model
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in history.tracked_fields)
    date = history._meta.get_field("history_date").get_db_prep_save(when, connection)
    has_source = any(f.name == "source_name" for f in model._meta.concrete_fields)
    reason = f"COALESCE({IMPORT_ACTOR!r} || ' of ' || source_name, {IMPORT_ACTOR!r})"
    key = quote(model._meta.pk.column)
    # SQLite takes at most 999 parameters: a key, and with links two more, for each row.
    size = 300 if links else 500
    with connection.cursor() as cursor:
        for start in range(0, len(pks), size):
            chunk = pks[start : start + size]
            kept = [(pk, links[pk]) for pk in chunk if pk in links] if links else []
            extra_column, extra, extra_params = "", "", []
            if kept:
                cases = " ".join(["WHEN %s THEN %s"] * len(kept))
                extra_column, extra = f", {quote('links')}", f", CASE {key} {cases} END"
                extra_params = [value for pair in kept for value in pair]
            cursor.execute(
                f"INSERT INTO {quote(history._meta.db_table)} ({columns}, history_date, "
                f"history_type, history_change_reason{extra_column}) SELECT {columns}, %s, %s, "
                f"{reason if has_source else repr(IMPORT_ACTOR)}{extra} "
                f"FROM {quote(model._meta.db_table)} "
                f"WHERE {key} IN ({', '.join(['%s'] * len(chunk))})",
                [date, history_type, *extra_params, *chunk],
            )


def _db_values(obj: Model, fields) -> list:
    return [_db_value(field, getattr(obj, field.attname)) for field in fields]


def _db_value(field, value):
    if type(value) in _as_is(field):
        return value
    if isinstance(field, DateTimeField):
        return _db_datetime(field, value)  # the same few timestamps: a batch's `now`, None
    return field.get_db_prep_save(value, connection)


@cache
def _as_is(field) -> tuple[type, ...]:
    """The types of value whose database value is the value itself for this field (Django's
    `get_db_prep_save` would hand them back unchanged): a batch's articles have 25 fields, and
    asking Django for each cost as much as writing the rows (tests/importer/test_rows_create)."""
    if isinstance(field, ForeignKey):
        return _as_is(field.target_field)
    if isinstance(field, JSONField):
        return ()
    if isinstance(field, CharField | TextField):
        return (str, type(None))
    if isinstance(field, BooleanField):
        return (bool, type(None))
    if isinstance(field, IntegerField):
        # PostgreSQL's backend sends integers typed (Int4, Int2…): there, ask Django.
        return (int, type(None)) if type(field.get_db_prep_save(1, connection)) is int else ()
    return ()


@lru_cache(maxsize=256)
def _db_datetime(field, value):
    return field.get_db_prep_save(value, connection)


def rows_update(objects: list[Model], fields: list[str]) -> None:
    """UPDATE each row with one executemany; `bulk_update` builds a CASE per field instead,
    which cost half of a whole import's time. On PostgreSQL the server binds the values, so
    the statement is planned once a connection (archive.prepared), not once a row as with
    Django's cursors, which bind on the client (docs/benchmarks.md)."""
    if not objects:
        return
    meta = objects[0]._meta
    quote = connection.ops.quote_name
    model_fields = [meta.get_field(name) for name in fields]
    assignments = ", ".join(f"{quote(field.column)} = %s" for field in model_fields)
    params = [[*_db_values(obj, model_fields), obj.pk] for obj in objects]
    with prepared_cursor() as cursor:
        cursor.executemany(
            f"UPDATE {quote(meta.db_table)} SET {assignments} WHERE {quote(meta.pk.column)} = %s",
            params,
        )
