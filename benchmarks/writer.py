"""A client that writes while something else runs (`.ci/load`: during an import): it creates
topics through the API until told to stop, then prints one JSON line of what it was answered.

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
    while not stop.exists():
        n += 1
        body = json.dumps({"name": f"Load topic {n} {time.time_ns()}"}).encode()
        request = urllib.request.Request(
            f"{base}/api/v1/topics/", data=body, method="POST",
            headers={"Authorization": f"Token {token}", "Content-Type": "application/json"},
        )  # fmt: skip
        started = time.perf_counter()
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                statuses[str(response.status)] += 1
        except urllib.error.HTTPError as error:
            statuses[str(error.code)] += 1
        except OSError:
            statuses["connection"] += 1
        latencies.append(time.perf_counter() - started)
        time.sleep(0.05)
    latencies.sort()
    errors = sum(count for status, count in statuses.items() if status != "201")
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
