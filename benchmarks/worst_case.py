"""The hostile client's searches, timed in-process: what one cheap request costs the server.

    DATABASE_URL=sqlite:////tmp/wc.sqlite3 python -m benchmarks.worst_case CORPUS_DIR [--size 5000]

Imports a generated corpus of --size files when the database holds fewer articles, then times
(median of --repeat) each request of docs/reliability.md's "search worst case" table: the
repeated-word query, a common word, and a rare word once an article of the longest text the
archive accepts is stored. Prints one JSON object. Run on any checkout: it reads the archive
through HTTP requests only, so the same script measures old and new code."""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from contextlib import suppress
from pathlib import Path

LONG_TEXT_CHARS = 500_000  # archive.limits.TEXT_MAX_CHARS, written out for old checkouts


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--size", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    os.environ.setdefault("DJANGO_API_ANON_RATE", "off")
    sys.path.insert(0, os.getcwd())
    import django

    django.setup()
    from django.core.management import CommandError, call_command
    from django.test import Client

    from archive.models import Article
    from benchmarks.corpus import corpus_write

    call_command("migrate", verbosity=0)
    if Article.objects.filter(is_stub=False).count() < args.size * 0.9:
        corpus_write(args.corpus, args.size, seed=5, bad_every=0)
        with suppress(CommandError):
            call_command("import_articles", str(args.corpus), verbosity=0)
    client = Client(HTTP_HOST="localhost")

    def timed(query: str) -> dict:
        times, statuses = [], []
        for _ in range(args.repeat):
            started = time.perf_counter()
            response = client.get(f"/api/v1/articles/?{query}")
            times.append(time.perf_counter() - started)
            statuses.append(response.status_code)
        result = {"median_s": round(statistics.median(times), 3), "statuses": sorted(set(statuses))}
        print(json.dumps({query[:60]: result}), file=sys.stderr, flush=True)  # as it goes
        return result

    results = {"articles": Article.objects.count()}
    results["the x16, page_size=100"] = timed("q=" + "+".join(["the"] * 16) + "&page_size=100")
    results["the, page_size=100"] = timed("q=the&page_size=100")
    common = [
        "the",
        "of",
        "and",
        "to",
        "in",
        "a",
        "is",
        "that",
        "for",
        "on",
        "as",
        "with",
        "by",
        "at",
        "from",
        "it",
    ]
    results["16 distinct common words"] = timed("q=" + "+".join(common) + "&page_size=100")
    long_body = " ".join(["the quick brown fox jumps over the lazy dog"] * (LONG_TEXT_CHARS // 44))
    if not Article.objects.filter(slug="longest-text").exists():
        Article.objects.create(
            title="Longest text", slug="longest-text", title_key="longest text", body=long_body
        )  # the triggers index it as any write does
    results["fox, with a 500,000-character article"] = timed("q=fox")
    print(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
