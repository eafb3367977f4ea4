"""Throttle counts are shared by every gunicorn worker, in the database cache (the default)
and in Redis: a rate of N a minute lets N requests through, however many workers serve them,
and forged X-Forwarded-For headers change nothing when no proxy is configured."""

from __future__ import annotations

import random
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.servers import gunicorn, manage, server_env

pytestmark = pytest.mark.slow

RATE = 25
REQUESTS = 60
REDIS_URL = "redis://127.0.0.1:6379/15"


def status_of(url: str, forwarded_for: str) -> int:
    request = urllib.request.Request(url, headers={"X-Forwarded-For": forwarded_for})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def redis_or_skip():
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.flushdb()
    except redis.ConnectionError:
        if __import__("os").environ.get("CI"):
            raise
        pytest.skip("no Redis on 127.0.0.1:6379")


@pytest.mark.parametrize("cache", ["database", "redis"])
def test_the_rate_holds_across_workers_with_forged_forwarded_for(tmp_path, cache):
    extra = {"DJANGO_API_ANON_RATE": f"{RATE}/minute"}
    if cache == "redis":
        redis_or_skip()
        extra["DJANGO_CACHE_URL"] = REDIS_URL
    env = server_env(tmp_path / "db.sqlite3", **extra)
    manage(env, "migrate", "--noinput", "-v0")
    rng = random.Random(1)
    with gunicorn(env, "--workers", "3") as base:
        url = f"{base}/api/v1/topics/"
        forged = [f"{rng.randrange(1, 255)}.{rng.randrange(255)}.0.1" for _ in range(REQUESTS)]
        with ThreadPoolExecutor(6) as pool:
            statuses = list(pool.map(lambda xff: status_of(url, xff), forged))
    assert statuses.count(200) == RATE, statuses
    assert statuses.count(429) == REQUESTS - RATE
