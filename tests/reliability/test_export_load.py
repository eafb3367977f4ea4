"""Exports never starve the list: sixteen clients exporting BibTeX at once beside ordinary list
requests, through gunicorn as `make run` starts it. At most EXPORT_STREAMS streams run; the
others are told 429 at once, and the list's p95 stays bounded (before the bound, 16 exports
made a list request wait 96 s on SQLite)."""

from __future__ import annotations

import statistics
import threading
import time
import urllib.error
import urllib.request

import pytest

from benchmarks.corpus import corpus_write
from tests.servers import ROOT, gunicorn, manage, server_env

pytestmark = pytest.mark.slow

EXPORTERS = 16
LIST_REQUESTS = 60


def fetch(url: str, client: str) -> tuple[int, float]:
    request = urllib.request.Request(url, headers={"X-Forwarded-For": client})
    started = time.monotonic()
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            response.read()
            status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
    return status, time.monotonic() - started


def p95(times: list[float]) -> float:
    return statistics.quantiles(times, n=20)[-1]


def test_sixteen_exports_beside_list_requests(tmp_path):
    env = server_env(
        tmp_path / "db.sqlite3",
        DJANGO_API_ANON_RATE="off",
        DJANGO_API_EXPORT_RATE="off",
        DJANGO_NUM_PROXIES="1",  # each exporter a client of its own (X-Forwarded-For)
        DJANGO_EXPORT_MAX_ROWS="100000",
    )
    corpus_write(tmp_path / "corpus", 1500, seed=3, bad_every=0)
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "import_articles", str(tmp_path / "corpus"), "-v0")
    with gunicorn(env, "-c", str(ROOT / "config" / "gunicorn.py")) as base:
        listing = f"{base}/api/v1/articles/?page_size=20&country=IR"
        fetch(listing, "10.9.9.9")
        quiet = [fetch(listing, "10.9.9.9")[1] for _ in range(LIST_REQUESTS)]

        stop = threading.Event()
        outcomes: list[int] = []

        def export(number: int) -> None:
            while not stop.is_set():
                status, _ = fetch(f"{base}/api/v1/articles/export.bib", f"10.1.0.{number}")
                outcomes.append(status)
                if status == 429:
                    time.sleep(0.2)

        exporters = [threading.Thread(target=export, args=(n,)) for n in range(EXPORTERS)]
        for thread in exporters:
            thread.start()
        time.sleep(1)
        busy = [fetch(listing, "10.9.9.9") for _ in range(LIST_REQUESTS)]
        stop.set()
        for thread in exporters:
            thread.join(timeout=180)

    times = [seconds for _, seconds in busy]
    print(
        f"list p95 quiet {p95(quiet) * 1000:.0f} ms, beside {EXPORTERS} exporters "
        f"{p95(times) * 1000:.0f} ms; exports answered 200: {outcomes.count(200)}, "
        f"429: {outcomes.count(429)}"
    )
    assert {status for status, _ in busy} == {200}
    assert outcomes.count(429) > 0  # the bound turned exporters away
    assert set(outcomes) <= {200, 429}
    assert p95(times) < 2.0
