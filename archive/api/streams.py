"""Streamed exports, bounded: a streamed body is generated after the view returns, outside the
request's database budget and gunicorn's timeout (which does not stop a gthread thread), so
each stream holds a slot, has a wall-clock deadline its database work is held to, and an
anonymous one a number of rows. Sixteen 27-second exports made an ordinary list wait 96 s.

Slots are keys in the shared cache (`cache.add` is atomic in Redis and the database cache), so
they hold across workers and nodes; a worker killed mid-stream leaves keys that expire."""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Iterable, Iterator

from django.conf import settings
from django.core.cache import cache
from rest_framework import exceptions, status

from archive.budget import within_budget_until
from archive.clients import client_address

logger = logging.getLogger(__name__)
SLOT_GRACE_SECONDS = 30  # a slot outlives its stream's deadline by this, then expires


class TooManyStreams(exceptions.APIException):
    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_code = "too_many_streams"

    def __init__(self, detail: str, wait: int):
        super().__init__(detail)
        self.wait = wait


class TooManyRows(exceptions.APIException):
    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "too_many_rows"


class StreamCut(Exception):
    """An export past its deadline: the connection is closed without the body's end, so no
    client takes the part it got for the whole."""


class Slot:
    """The cache keys a stream holds, freed once (by the stream's end or the response's
    close, whichever comes first) and only while they are still this stream's."""

    def __init__(self):
        self.token = uuid.uuid4().hex
        self.keys: list[str] = []

    def release(self) -> None:
        for key in self.keys:
            if cache.get(key) == self.token:
                cache.delete(key)
        self.keys = []


def slot_take(request) -> Slot:
    """A slot for one more stream, for this client and in all; TooManyStreams otherwise."""
    client = client_address(request)
    timeout = settings.EXPORT_SECONDS + SLOT_GRACE_SECONDS
    slot = Slot()
    for keys, whose in (
        ([f"stream:{client}:{n}" for n in range(settings.EXPORT_STREAMS_PER_CLIENT)], "yours"),
        ([f"stream:all:{n}" for n in range(settings.EXPORT_STREAMS)], "in all"),
    ):
        key = next((key for key in keys if cache.add(key, slot.token, timeout)), None)
        if key is None:
            slot.release()
            limit = len(keys)
            raise TooManyStreams(
                f"{limit} export{'s are' if limit != 1 else ' is'} already running ({whose}); "
                "retry when one has ended.",
                wait=min(settings.EXPORT_SECONDS, 30),
            )
        slot.keys.append(key)
    return slot


def rows_check(request, count: int) -> None:
    """An anonymous export holds at most EXPORT_MAX_ROWS: past it, a 400 saying so before
    anything streams (a signed-in client's is bounded by the deadline alone)."""
    limit = settings.EXPORT_MAX_ROWS
    if not request.user.is_authenticated and count > limit:
        raise TooManyRows(
            f"The query matches {count:,} articles; an export holds at most {limit:,}. "
            "Narrow the filters (a year, a country, a publication) and export each part."
        )


class Bounded:
    """The stream's lines, each made within the stream's deadline (its database work held to
    it as a request's is to its budget). Its slot is freed when the stream ends, fails or is
    closed by the server (Django's response closes what has a close()), begun or not."""

    def __init__(self, lines: Iterable[str], slot: Slot, *, what: str):
        self.source: Iterator[str] = iter(lines)
        self.slot = slot
        self.what = what
        self.deadline = time.monotonic() + settings.EXPORT_SECONDS

    def __iter__(self) -> Bounded:
        return self

    def __next__(self) -> str:
        try:
            with within_budget_until(self.deadline):
                line = next(self.source)
            if time.monotonic() > self.deadline:
                seconds = settings.EXPORT_SECONDS
                logger.warning("export %s cut at its %s s deadline", self.what, seconds)
                raise StreamCut(f"export past its {seconds} s")
        except BaseException:  # the end (StopIteration) included
            self.close()
            raise
        return line

    def close(self) -> None:
        self.slot.release()
        getattr(self.source, "close", lambda: None)()
