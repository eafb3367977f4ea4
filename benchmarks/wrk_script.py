"""Write the wrk Lua script for `.ci/load` and the benchmarks: a random read per request
(article list, filtered list, detail, search, facets) over the records in the database, and a
one-line JSON summary (requests, errors, latency percentiles in ms) when done."""

from __future__ import annotations

import json
import os
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
    '"p50_ms": %%.2f, "p95_ms": %%.2f, "p99_ms": %%.2f, "max_ms": %%.1f}\\n',
    summary.requests, errors, e.status, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000))
end
"""


def read_paths(limit: int = 400, seed: int = 0) -> list[str]:
    """A mix of the benchmark's requests: list, detail, filtered list and search alike, and
    facets one time in twenty."""
    from benchmarks.paths import api_paths

    paths = []
    for endpoint in ("list", "detail", "filtered", "search"):
        paths += api_paths(endpoint, limit, seed)
    return paths + api_paths("facets", max(1, len(paths) // 20), seed)


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    import django

    django.setup()
    paths = read_paths()
    with open(sys.argv[1], "w") as script:
        script.write(lua_script(paths))


def lua_script(paths: list[str], seed: int = 1) -> str:
    return SCRIPT % {"paths": _lua(paths), "seed": seed}


def _lua(paths: list[str]) -> str:
    return "{" + ", ".join(json.dumps(path) for path in paths) + "}"


if __name__ == "__main__":
    main()
