"""A client that writes while something else runs (`.ci/load`: during an import): until told to
stop, it creates a topic through the API and files an existing article under it with a new
title, in turn, then prints one JSON line of what it was answered. The edits reach the search
index too: `.ci/load` checks it against the database afterwards.

    python -m benchmarks.writer BASE_URL TOKEN STOP_FILE
"""

from __future__ import annotations

import json
import sys
import time
import urllib.error
import urllib.request
from collections import Counter
from pathlib import Path


def main() -> None:
    base, token, stop = sys.argv[1], sys.argv[2], Path(sys.argv[3])
    statuses: Counter[str] = Counter()
    latencies = []
    n = 0
    headers = {"Authorization": f"Token {token}", "Content-Type": "application/json"}
    with urllib.request.urlopen(f"{base}/api/v1/articles/?page_size=100", timeout=30) as response:
        articles = [(a["slug"], a["title"]) for a in json.load(response)["results"]]

    def send(method: str, path: str, data: dict) -> dict | None:
        request = urllib.request.Request(
            base + path, data=json.dumps(data).encode(), method=method, headers=headers
        )
        started = time.perf_counter()
        answer = None
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                statuses[f"{method} {response.status}"] += 1
                answer = json.load(response)
        except urllib.error.HTTPError as error:
            statuses[f"{method} {error.code}"] += 1
        except OSError:
            statuses[f"{method} connection"] += 1
        latencies.append(time.perf_counter() - started)
        return answer

    while not stop.exists():
        n += 1
        topic = send("POST", "/api/v1/topics/", {"name": f"Load topic {n} {time.time_ns()}"})
        slug, title = articles[n % len(articles)]
        if topic:
            edit = {"topics": [topic["slug"]], "title": f"{title} (load edit {n})"}
            send("PATCH", f"/api/v1/articles/{slug}/", edit)
        time.sleep(0.05)
    latencies.sort()
    errors = sum(c for status, c in statuses.items() if status not in ("POST 201", "PATCH 200"))
    print(
        json.dumps(
            {
                "phase": "writes during an import",
                "writes": sum(statuses.values()),
                "errors": errors,
                "statuses": dict(statuses),
                "p50_ms": round(latencies[len(latencies) // 2] * 1000, 1) if latencies else None,
                "max_ms": round(latencies[-1] * 1000, 1) if latencies else None,
            }
        )
    )
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()
