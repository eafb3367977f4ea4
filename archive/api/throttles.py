"""Request limits per client address (archive.clients), counted in the shared cache so that
every gunicorn worker (and, with Redis, every node) counts against one limit."""

from __future__ import annotations

import logging
import time
from contextlib import contextmanager

from django.core.cache import cache
from django.http import HttpResponse
from rest_framework.throttling import AnonRateThrottle, SimpleRateThrottle

from archive.clients import client_address

logger = logging.getLogger(__name__)


LOCK_WAIT = 1.0  # seconds a request waits for its client's count before counting anyway
LOCK_SECONDS = 5  # a lock left by a killed worker expires


@contextmanager
def counting(key: str):
    """One request at a time reads and writes a client's request history, across every worker
    and node: DRF reads the history, decides, then writes it back, and two requests of the same
    client at once both passed (27 of 60 let through at a rate of 25, three workers, Redis).
    `cache.add` is atomic in Redis (SET NX) and in the database cache (a unique key)."""
    lock = f"{key}:lock"
    deadline = time.monotonic() + LOCK_WAIT
    while not (held := cache.add(lock, 1, LOCK_SECONDS)):
        if time.monotonic() > deadline:
            break  # a stuck lock: count without it rather than stall the request
        time.sleep(0.002)
    try:
        yield
    finally:
        if held:  # another request's lock is left to it (or to its expiry)
            cache.delete(lock)


class ClientRateThrottle(AnonRateThrottle):
    """Anonymous requests per client address (`DJANGO_API_ANON_RATE`; `off` for none)."""

    def get_ident(self, request):
        return client_address(request)

    def allow_request(self, request, view):
        try:
            key = self.get_cache_key(request, view) if self.rate is not None else None
            if key is None:
                return super().allow_request(request, view)
            with counting(key):
                return super().allow_request(request, view)
        except Exception:  # the shared cache is down or locked: serve rather than fail
            logger.warning("throttle: the cache did not answer; request let through", exc_info=True)
            return True


class AuthFailureThrottle(SimpleRateThrottle):
    """Failed credentials per client address (`DJANGO_API_AUTH_FAILURE_RATE`). Past the limit a
    client's credentials are not even checked, so that guessing tokens costs its time."""

    scope = "auth_failure"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": client_address(request)}

    def _history(self, request) -> tuple[str | None, list[float]]:
        if self.rate is None:
            return None, []
        key = self.get_cache_key(request, None)
        now = time.time()
        return key, [t for t in cache.get(key, []) if t > now - self.duration]

    def seconds_blocked(self, request) -> float | None:
        """How long the client must wait, or None when it may try."""
        key, history = self._history(request)
        if key is None or len(history) < self.num_requests:
            return None
        return max(history[0] + self.duration - time.time(), 1.0)

    def failure_record(self, request) -> None:
        key, history = self._history(request)
        if key is not None:
            cache.set(key, [*history, time.time()], self.duration)


class DoorRateMiddleware:
    """The API's anonymous rate for every other door too (feeds, OAI-PMH, the pages, the
    sitemaps), counted against the same per-client history in the shared cache: one rule,
    every worker. The API counts itself (DRF's throttles); the admin has its own lock-out;
    the health check and static files are not counted. OAI-PMH answers 503 with
    Retry-After, its protocol's word for "come back later"; the others 429."""

    NOT_COUNTED = ("/api/", "/admin/", "/static/", "/healthz")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(self.NOT_COUNTED):
            throttle = ClientRateThrottle()
            if not throttle.allow_request(request, None):
                wait = max(1, round(throttle.wait() or 1))
                status = 503 if request.path == "/oai" else 429
                response = HttpResponse(
                    f"Too many requests from this address; retry in {wait} s.\n",
                    status=status,
                    content_type="text/plain; charset=utf-8",
                )
                response["Retry-After"] = str(wait)
                return response
        return self.get_response(request)


class ExportRateThrottle(ClientRateThrottle):
    """Exports per anonymous client address (`DJANGO_API_EXPORT_RATE`; `off` for none): one
    request streams the whole archive if asked, so it is counted apart from, and besides, the
    request rate."""

    scope = "export"
