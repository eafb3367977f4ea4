"""The ceiling for the article list: a bare WSGI function over the same SQLite file, with the
standard library's sqlite3 and json, answering `/api/v1/articles/?page=N` with the same JSON as
the archive (count, links, the page's items with publication, authors, topics and countries).
The links are read with the archive's own statements (archive.page_sql, free of Django).

No framework, no middleware, no search index, no validation beyond the page number: what
Python itself costs for this answer. `make bench` serves it with gunicorn beside the archive.

    BARE_SQLITE_FILE=archive.sqlite3 gunicorn benchmarks.bare_wsgi:application
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from urllib.parse import parse_qs

from archive.page_sql import LINKS, TABLE_NAMES

PAGE = 20
_local = threading.local()

ITEMS = """
SELECT a.id, a.slug, a.title, a.published_on, a.date_source, a.content_type, a.is_stub,
       a.word_count, a.excerpt, p.slug, p.name, p.acronym
FROM archive_article a LEFT JOIN archive_publication p ON p.id = a.publication_id
WHERE a.id IN (SELECT id FROM archive_article
               ORDER BY published_on DESC, id DESC LIMIT ? OFFSET ?)
ORDER BY a.published_on DESC, a.id DESC"""


def _database() -> sqlite3.Connection:
    if not hasattr(_local, "db"):
        path = os.environ["BARE_SQLITE_FILE"]
        _local.db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
    return _local.db


def application(environ, start_response):
    query = parse_qs(environ.get("QUERY_STRING", ""))
    page = query.get("page", ["1"])[0]
    if environ.get("PATH_INFO") != "/api/v1/articles/" or not page.isdigit() or page == "0":
        start_response("404 Not Found", [("Content-Type", "application/json")])
        return [b'{"detail":"Not found."}']
    origin = f"http://{environ.get('HTTP_HOST', 'localhost')}"
    body = json.dumps(answer(_database(), int(page), origin))
    start_response("200 OK", [("Content-Type", "application/json")])
    return [body.encode()]


def answer(db: sqlite3.Connection, page: int, origin: str) -> dict:
    (count,) = db.execute("SELECT count(*) FROM archive_article").fetchone()
    rows = db.execute(ITEMS, (PAGE, (page - 1) * PAGE)).fetchall()
    items = {}
    for row in rows:
        items[row[0]] = {
            "slug": row[1], "url": f"{origin}/api/v1/articles/{row[1]}/", "title": row[2],
            "publication": {"slug": row[9], "name": row[10], "acronym": row[11]}
            if row[9] else None,
            "published_on": str(row[3]) if row[3] else None,
            "date_source": row[4], "content_type": row[5],
            "is_stub": bool(row[6]), "word_count": row[7],
            "authors": [], "topics": [], "countries": [], "excerpt": row[8], "highlight": None,
            "hits": None,
        }  # fmt: skip
    ids = list(items)
    marks = ", ".join("?" * len(ids))
    for name, (sql, fields) in LINKS.items():
        for article, *values in (
            db.execute(sql.format(ids=marks, **TABLE_NAMES), ids) if ids else ()
        ):
            link = dict(zip(fields, values, strict=True))
            if "tagged" in link:
                link["tagged"] = bool(link["tagged"])
            items[article][name].append(link)
    last = (count + PAGE - 1) // PAGE
    base = f"{origin}/api/v1/articles/"
    return {
        "count": count,
        "next": f"{base}?page={page + 1}" if page < last else None,
        "previous": (f"{base}?page={page - 1}" if page > 2 else base) if page > 1 else None,
        "results": list(items.values()),
    }
