"""An article page's rows, read by id with fixed SQL: the list items and their links.

The search index chooses a page's ids (archive.reads.index); this module reads what the list
shows of them in four plain statements, written once. Through the ORM the same four queries
spent most of their time compiling SQL and building model instances (docs/benchmarks.md);
the rows here carry exactly the attributes the list serializer reads.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from types import SimpleNamespace

from django.db import connection

from archive.models import (
    Article,
    ArticleCountry,
    ArticleTopic,
    Author,
    Authorship,
    Country,
    NearDuplicate,
    Publication,
    RelatedArticle,
    Topic,
)
from archive.page_sql import DETAIL_LINKS, LINKS
from archive.prepared import prepared_cursor


@dataclass
class ArticleRow:
    """What the article list shows of one article (archive.api.serializers reads it)."""

    pk: int
    slug: str
    title: str
    published_on: date | None
    date_source: str
    content_type: str
    is_stub: bool
    word_count: int
    excerpt: str
    publication: SimpleNamespace | None
    body: str = ""
    sections: list = field(default_factory=list)
    link_rows: dict = field(default_factory=dict)
    search_snippet: str | None = None  # a search's passage, marked
    search_hits: list | None = None  # a search's paragraphs hit (archive.search.hits)


TABLES = {
    "article": Article, "publication": Publication, "authorship": Authorship, "author": Author,
    "article_topic": ArticleTopic, "topic": Topic, "article_country": ArticleCountry,
    "country": Country, "related": RelatedArticle, "near_duplicate": NearDuplicate,
}  # fmt: skip


ARTICLES = """
SELECT a.id, a.slug, a.title, a.published_on, a.date_source, a.content_type, a.is_stub,
       a.word_count, a.excerpt, p.slug, p.name, p.acronym, {body}, {sections}
FROM {article} a LEFT JOIN {publication} p ON p.id = a.publication_id
WHERE a.id IN ({ids})"""


def article_rows(ids: list[int], *, body: bool = False) -> list[ArticleRow]:
    """The articles with these ids that still exist, in the order of `ids`, each with its
    authors, topics and countries in `link_rows` (as selectors.article_links_attach gives
    them); with `body`, the body too (a search's passage is taken from it)."""
    if not ids:
        return []
    found = {}
    text = (
        {"body": "a.body", "sections": "a.sections"} if body else {"body": "''", "sections": "''"}
    )
    for row in _rows(ARTICLES, ids, **text):
        pk, slug, title, published_on, date_source, content_type, is_stub = row[:7]
        publication = SimpleNamespace(slug=row[9], name=row[10], acronym=row[11])
        found[pk] = ArticleRow(
            pk=pk, slug=slug, title=title, published_on=published_on,
            date_source=date_source, content_type=content_type, is_stub=is_stub,
            word_count=row[7], excerpt=row[8],
            publication=publication if row[9] is not None else None,
            body=row[12], sections=_json(row[13]) if body else [],
        )  # fmt: skip
    links = article_links(list(found))
    for pk, row in found.items():
        row.link_rows = links[pk]
    return [found[pk] for pk in ids if pk in found]


def _json(value) -> list:
    """A JSON column as a raw cursor hands it over: text (SQLite), or parsed (PostgreSQL)."""
    return json.loads(value) if isinstance(value, str) else value


def article_links(ids: list[int], *, related: bool = False) -> dict[int, dict[str, list]]:
    """Each article's authors, topics and countries, shaped as the API shows them: three
    statements for any number of articles; with `related`, the articles its cards name and
    those nearly the same as it too (an article's page: two more)."""
    statements = {**LINKS, **DETAIL_LINKS} if related else LINKS
    links: dict[int, dict[str, list]] = {pk: {name: [] for name in statements} for pk in ids}
    if not ids:
        return links
    for name, (sql, fields) in statements.items():
        for article, *values in _rows(sql, ids):
            links[article][name].append(dict(zip(fields, values, strict=True)))
    for row in links.values() if related else ():
        for card in row["related"]:
            day = card["published_on"]
            card["published_on"] = day.isoformat() if day else None
    return links


def _rows(sql: str, ids: list[int], **extra) -> list[tuple]:
    tables = {key: connection.ops.quote_name(model._meta.db_table) for key, model in TABLES.items()}
    marks = ", ".join(["%s"] * len(ids))
    with prepared_cursor() as cursor:
        cursor.execute(sql.format(ids=marks, **tables, **extra), ids)
        return cursor.fetchall()
