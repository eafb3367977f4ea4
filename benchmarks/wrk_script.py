"""Write the wrk Lua script for `.ci/load` and the benchmarks: a random read per request
(article list, filtered list, detail, search, facets) over the records in the database, and a
one-line JSON summary (requests, errors, latency percentiles in ms) when done."""

from __future__ import annotations

import json
import os
import random
import sys

SCRIPT = """
local paths = %(paths)s
math.randomseed(%(seed)d)
request = function()
  return wrk.format("GET", paths[math.random(#paths)])
end
done = function(summary, latency, requests)
  local e = summary.errors
  local errors = e.connect + e.read + e.write + e.status + e.timeout
  io.write(string.format(
    'RESULT {"requests": %%d, "errors": %%d, "non_2xx": %%d, "rps": %%.1f, ' ..
    '"p50_ms": %%.1f, "p99_ms": %%.1f, "max_ms": %%.1f}\\n',
    summary.requests, errors, e.status, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
"""


def read_paths(limit: int = 400, seed: int = 0) -> list[str]:
    from archive.models import Article, Country, Topic

    rng = random.Random(seed)
    pages = max(1, Article.objects.count() // 20)  # a page past the end would be a 404
    slugs = list(Article.objects.order_by("?").values_list("slug", flat=True)[:limit])
    topics = list(Topic.objects.values_list("slug", flat=True)[:50]) or ["none"]
    codes = list(Country.objects.filter(article_links__isnull=False).distinct().values_list(
        "code", flat=True
    )[:50]) or ["US"]  # fmt: skip
    words = ["Iran", "dam", "ceasefire", "ports", "talks", "sanctions", "election", "Cairo"]
    paths = []
    for slug in slugs:
        paths += [
            f"/api/v1/articles/?page={rng.randint(1, pages)}",
            f"/api/v1/articles/{slug}/",
            f"/api/v1/articles/?topic={rng.choice(topics)}&country={rng.choice(codes)}",
            f"/api/v1/articles/?q={rng.choice(words)}",
        ]
    paths += ["/api/v1/articles/facets/"] * max(1, len(paths) // 20)
    return paths


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    import django

    django.setup()
    paths = read_paths()
    with open(sys.argv[1], "w") as script:
        script.write(SCRIPT % {"paths": _lua(paths), "seed": 1})


def _lua(paths: list[str]) -> str:
    return "{" + ", ".join(json.dumps(path) for path in paths) + "}"


if __name__ == "__main__":
    main()
