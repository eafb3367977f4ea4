"""Search engines side by side on one archive: SQLite FTS5 (what serves `q=` today) and tantivy
(the measured candidate, docs/search.md), on the same articles and the same words, from rare
to present in nearly every article.

    python -m benchmarks.engines DB.sqlite3 INDEX_DIR [--repeat 20] [--out FILE.json]

DB is an archive's SQLite file (`make bench` leaves them in artifacts/bench/). For each word:
the top 20 by relevance (title and authors weighted 10, body 1), the exact number of matches,
and a highlighted passage for each of the 20; median and p95 over --repeat runs. Prints JSON.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sqlite3
import statistics
import time
from pathlib import Path

TOP = 20
DOC_SHARES = [0.0005, 0.005, 0.05, 0.25, 0.6, 0.9, 1.0]  # of the articles a word is in


def words_by_share(db: sqlite3.Connection, articles: int) -> list[tuple[str, int]]:
    """Body words whose document counts are nearest each share (FTS5's own vocabulary)."""
    db.execute(
        "CREATE VIRTUAL TABLE IF NOT EXISTS temp.vocab "
        "USING fts5vocab(main, archive_article_fts, 'row')"
    )
    terms = db.execute(
        "SELECT term, doc FROM temp.vocab WHERE length(term) >= 4 AND term GLOB '[a-z]*' "
        "AND term NOT GLOB '*[^a-z]*'"
    ).fetchall()
    chosen = []
    for share in DOC_SHARES:
        target = share * articles
        term, doc = min(terms, key=lambda t: (abs(t[1] - target), t[0]))
        chosen.append((term, doc))
    return chosen


def fts5(db: sqlite3.Connection, word: str) -> tuple[int, list[int]]:
    expression = f'"{word}"'
    count = db.execute(
        "SELECT count(*) FROM archive_article_fts WHERE archive_article_fts MATCH ?", [expression]
    ).fetchone()[0]
    rows = db.execute(
        "SELECT rowid, snippet(archive_article_fts, -1, '<b>', '</b>', '…', 32) "
        "FROM archive_article_fts WHERE archive_article_fts MATCH ? "
        "ORDER BY bm25(archive_article_fts, 10.0, 10.0, 1.0) LIMIT ?",
        [expression, TOP],
    ).fetchall()
    return count, [row[0] for row in rows]


def tantivy_build(db: sqlite3.Connection, folder: Path):
    import tantivy

    builder = tantivy.SchemaBuilder()
    builder.add_integer_field("id", stored=True, indexed=True, fast=True)
    for name in ("title", "authors", "body"):
        builder.add_text_field(name, stored=True, tokenizer_name="en_stem")
    schema = builder.build()
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    index = tantivy.Index(schema, path=str(folder))
    writer = index.writer(heap_size=256_000_000, num_threads=2)
    for pk, title, authors, body in db.execute(
        "SELECT a.id, a.title, coalesce(f.authors, ''), a.body FROM archive_article a "
        "JOIN archive_article_fts f ON f.rowid = a.id"
    ):
        writer.add_document(tantivy.Document(id=pk, title=title, authors=authors, body=body))
    writer.commit()
    writer.wait_merging_threads()
    index.reload()
    return index, schema


def tantivy_search(index, schema, word: str) -> tuple[int, list[int]]:
    import tantivy

    query = index.parse_query(
        f'"{word}"', ["title", "authors", "body"], field_boosts={"title": 10.0, "authors": 10.0}
    )
    searcher = index.searcher()
    result = searcher.search(query, limit=TOP, count=True)
    snippets = tantivy.SnippetGenerator.create(searcher, query, schema, "body")
    ids = []
    for _, address in result.hits:
        doc = searcher.doc(address)
        snippets.snippet_from_doc(doc).to_html()
        ids.append(doc["id"][0])
    return result.count, ids


def timed(call, repeat: int) -> dict:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return {
        "p50_ms": round(statistics.median(times), 2),
        "p95_ms": round(times[int(0.95 * (len(times) - 1))], 2),
    }


def folder_size(folder: Path) -> int:
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("database", type=Path)
    parser.add_argument("index", type=Path)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    db = sqlite3.connect(args.database)
    db.execute("PRAGMA cache_size=-65536")
    articles = db.execute("SELECT count(*) FROM archive_article").fetchone()[0]
    started = time.perf_counter()
    index, schema = tantivy_build(db, args.index)
    report = {
        "articles": articles,
        "tantivy_build_s": round(time.perf_counter() - started, 1),
        "tantivy_index_mb": round(folder_size(args.index) / 2**20, 1),
        "sqlite_file_mb": round(args.database.stat().st_size / 2**20, 1),
        "words": [],
    }
    for word, docs in words_by_share(db, articles):
        fts_count, _ = fts5(db, word)
        tv_count, _ = tantivy_search(index, schema, word)
        report["words"].append(
            {
                "word": word,
                "share": round(docs / articles, 4),
                "fts5": {"count": fts_count, **timed(lambda w=word: fts5(db, w), args.repeat)},
                "tantivy": {
                    "count": tv_count,
                    **timed(lambda w=word: tantivy_search(index, schema, w), args.repeat),
                },
            }
        )
        print(json.dumps(report["words"][-1]), flush=True)
    text = json.dumps(report, indent=1)
    if args.out:
        args.out.write_text(text + "\n")
    print(text)


if __name__ == "__main__":
    main()
