"""Measurements taken inside one process, after Django has started (start-up is not counted).

    python -m benchmarks.probe import CORPUS   -> files/s and peak memory of one import run
    python -m benchmarks.probe api             -> p50/p95 and query counts per endpoint
    python -m benchmarks.probe export          -> rows/s, first byte and memory of whole exports
    python -m benchmarks.probe admin           -> p50/p95 and query counts of the admin's pages

Each prints one JSON object. The database is the one DATABASE_URL names.
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import sys
import threading
import time
from contextlib import contextmanager, suppress
from pathlib import Path


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
    import django

    django.setup()


def measure_import(corpus: str) -> dict:
    from io import StringIO

    from django.core.management import CommandError, call_command

    out = StringIO()
    started = time.perf_counter()
    cpu_before = _cpu_seconds(resource.RUSAGE_SELF)  # Django's start-up (about a second) apart
    # As an operator runs it: without --json, which would hold every file's report. The
    # corpora hold bad files on purpose: the command fails, and they are counted as failed.
    with suppress(CommandError), _private_peak() as private:
        call_command("import_articles", corpus, stdout=out)
    seconds = time.perf_counter() - started
    last = out.getvalue().strip().splitlines()[-1]  # "created 990, updated 0, …, failed 9"
    summary = {" ".join(part.split()[:-1]): int(part.split()[-1]) for part in last.split(", ")}
    files = sum(summary[k] for k in ("created", "updated", "unchanged", "kept", "duplicate"))
    files += summary["failed"]
    return {
        "files": files,
        "seconds": round(seconds, 2),
        "files_per_s": round(files / seconds, 1),
        "summary": summary,
        # ru_maxrss is in KiB on Linux: this process, and the largest parsing worker.
        "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "worker_peak_mb": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1),
        # The peak above counts the index's files mapped while its segments merge (page cache,
        # given back under pressure); this is the process's own memory, sampled.
        "private_peak_mb": round(private[0], 1),
        # CPU time: on a shared machine it varies less than the wall clock, and the main
        # process (deciding and writing) is the import's bottleneck.
        "cpu_s": round(_cpu_seconds(resource.RUSAGE_SELF) - cpu_before, 2),
        "worker_cpu_s": round(_cpu_seconds(resource.RUSAGE_CHILDREN), 2),
    }


def _cpu_seconds(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


@contextmanager
def _private_peak(every: float = 0.25):
    """The process's anonymous resident memory (RssAnon, MB), sampled by a thread while the
    block runs: a list of one number, its largest, filled in when the block ends."""
    peak, done = [0.0], threading.Event()

    def sample() -> None:
        while True:
            for line in Path("/proc/self/status").read_text().splitlines():
                if line.startswith("RssAnon:"):
                    peak[0] = max(peak[0], int(line.split()[1]) / 1024)
            if done.wait(every):
                return

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        yield peak
    finally:
        done.set()
        sampler.join()


def measure_admin(requests: int) -> dict:
    """The curators' pages, signed in as a superuser: each page's server time (the dashboard
    warm: its first request is a warm-up, as every page's first five are)."""
    from django.contrib.auth.models import User
    from django.test import Client

    from benchmarks.paths import ADMIN_PAGES, admin_paths

    user, _ = User.objects.get_or_create(
        username="bench-curator", defaults={"is_staff": True, "is_superuser": True}
    )
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    with _static_unhashed():
        return measure_api(requests, ADMIN_PAGES, client=client, paths_of=admin_paths)


def _static_unhashed():
    """HTML pages name static files; no collectstatic ran here (production settings want its
    manifest), and where the files are served from is not the server time measured."""
    from django.test.utils import override_settings

    plain = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    return override_settings(STORAGES=plain)


def measure_api(requests: int, endpoints=None, *, client=None, paths_of=None) -> dict:
    from django.db import connection
    from django.test import Client

    from benchmarks.paths import ENDPOINTS, api_paths

    client = client or Client(HTTP_HOST="localhost")
    paths_of = paths_of or api_paths
    results = {}
    for endpoint in endpoints or ENDPOINTS:
        paths = paths_of(endpoint, requests + 5)
        for path in paths[:5]:  # warm up: imports, compiled patterns, the page cache
            client.get(path)
        counts: list[int] = []
        timings = []
        with connection.execute_wrapper(_counting(counts)):
            for path in paths[5:]:
                counts.append(0)
                started = time.perf_counter()
                response = client.get(path)
                timings.append((time.perf_counter() - started) * 1000)
                if response.status_code != 200:
                    raise SystemExit(f"{path}: {response.status_code} {response.content[:200]!r}")
        timings.sort()
        results[endpoint] = {
            "requests": len(timings),
            "p50_ms": round(statistics.median(timings), 2),
            "p95_ms": round(timings[int(len(timings) * 0.95) - 1], 2),
            "rps": round(1000 / statistics.mean(timings), 1),
            "queries": sorted(set(counts)),
        }
    if endpoints is None:
        results["list_queries_by_page_size"] = {
            size: _queries(client, f"/api/v1/articles/?page_size={size}") for size in (1, 20, 100)
        }
    return results


EXPORTS = {"csv": "export.csv", "ndjson": "export.ndjson", "ndjson_body": "export.ndjson?body=1"}


def measure_export() -> dict:
    """Each export of the whole archive, read as a client reads it: the time to its first
    line, rows a second, and how far the process's peak memory rose while it streamed."""
    from django.test import Client

    client = Client(HTTP_HOST="localhost")
    # Warm up, untimed: imports, compiled patterns, and SQLite's page cache filled (up to its
    # cache_size, settings), so that each export's memory rise is its own.
    for _line in client.get("/api/v1/articles/export.ndjson?body=1").streaming_content:
        pass
    results = {}
    for name, path in EXPORTS.items():
        before = _peak_mb()
        started = time.perf_counter()
        response = client.get(f"/api/v1/articles/{path}")
        if response.status_code != 200:
            raise SystemExit(f"{path}: {response.status_code}")
        lines, size, first_byte = 0, 0, None
        for line in response.streaming_content:  # one row (or the CSV's header) at a time
            first_byte = first_byte or time.perf_counter() - started
            lines += 1
            size += len(line)
        seconds = time.perf_counter() - started
        rows = lines - (name == "csv")
        results[name] = {
            "rows": rows,
            "seconds": round(seconds, 2),
            "rows_per_s": round(rows / seconds),
            "first_byte_ms": round(first_byte * 1000, 1),
            "mb": round(size / 1e6, 1),
            "peak_mb": _peak_mb(),
            "peak_rise_mb": round(_peak_mb() - before, 1),
        }
    return results


def _peak_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def _counting(counts: list[int]):
    """A database wrapper adding each query to the last count in `counts`."""

    def count(execute, sql, params, many, context):
        counts[-1] += 1
        return execute(sql, params, many, context)

    return count


def _queries(client, path: str) -> int:
    from django.db import connection

    seen = []
    with connection.execute_wrapper(lambda execute, *args: seen.append(1) or execute(*args)):
        client.get(path)
    return len(seen)


def main() -> None:
    _setup()
    what = sys.argv[1]
    if what == "import":
        result = measure_import(sys.argv[2])
    elif what == "api":
        result = measure_api(int(os.environ.get("BENCH_REQUESTS", "200")))
    elif what == "export":
        result = measure_export()
    elif what == "admin":
        result = measure_admin(int(os.environ.get("BENCH_REQUESTS", "30")))
    elif what == "doors":
        from benchmarks.paths import DOORS

        with _static_unhashed():  # the home page is HTML
            result = measure_api(int(os.environ.get("BENCH_REQUESTS", "200")), endpoints=DOORS)
    else:
        raise SystemExit(__doc__)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
