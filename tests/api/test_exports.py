"""Exports (archive/api/exports.py): the whole result of any list query as CSV or NDJSON, read
back with Python's csv and json readers; the same articles in the same order as the list's
pages, streamed a chunk at a time; bad parameters are 400s, and anonymous exports are limited."""

from __future__ import annotations

import csv
import io
import json
from contextlib import contextmanager

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from archive.api import exports
from archive.api.throttles import ExportRateThrottle
from archive.reads import readers

pytestmark = pytest.mark.django_db

LIST = "/api/v1/articles/"
QUERIES = [{}, {"country": "IR"}, {"q": "iran"}, {"ordering": "title"}, {"year": "2023"}]


@pytest.fixture(autouse=True)
def small_chunks(monkeypatch):
    """Chunks smaller than the seeds' result, so that every export spans several."""
    monkeypatch.setattr(exports, "CHUNK", 3)
    monkeypatch.setattr(readers, "IDS_PER_FETCH", 2)  # the database reader's id stream


def list_items(api, params: dict) -> list[dict]:
    items, page = [], 1
    while True:
        response = api.get(LIST, {**params, "page_size": 4, "page": page})
        assert response.status_code == 200, response.content
        items += response.json()["results"]
        if not response.json()["next"]:
            return items
        page += 1


def export(api, file_format: str, params: dict) -> str:
    response = api.get(f"{LIST}export.{file_format}", params)
    assert response.status_code == 200, response.content
    assert response.streaming
    assert response["Content-Type"] == f"{exports.MEDIA_TYPES[file_format]}; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="articles.{file_format}"'
    return b"".join(response.streaming_content).decode()


@pytest.mark.parametrize("params", QUERIES)
def test_ndjson_holds_the_lists_items_in_the_lists_order(api, imported_seeds, params):
    items = list_items(api, params)
    assert items, params
    lines = export(api, "ndjson", params).splitlines()
    exported = [json.loads(line) for line in lines]
    expected = [{k: v for k, v in item.items() if k not in ("highlight", "hits")} for item in items]
    assert exported == expected  # with `q` too: ranked as the list ranks


@pytest.mark.parametrize("params", QUERIES)
def test_csv_holds_one_row_per_article_with_flattened_links(api, imported_seeds, params):
    items = list_items(api, params)
    rows = list(csv.DictReader(io.StringIO(export(api, "csv", params), newline="")))
    assert list(rows[0]) == exports.CSV_COLUMNS
    assert sorted(r["slug"] for r in rows) == sorted(i["slug"] for i in items)
    by_slug = {item["slug"]: item for item in items}
    for row in rows:
        item = by_slug[row["slug"]]
        assert row["title"] == item["title"] and row["url"] == item["url"]
        assert row["word_count"] == str(item["word_count"])
        assert row["is_stub"] == str(item["is_stub"]).lower()
        assert row["published_on"] == (item["published_on"] or "")
        assert row["authors"].split("; ") == [a["name"] for a in item["authors"]] or (
            row["authors"] == "" and not item["authors"]
        )
        assert row["countries"] == "; ".join(c["code"] for c in item["countries"])
        tagged = [c["code"] for c in item["countries"] if c["tagged"]]
        assert row["tagged_countries"] == "; ".join(tagged)
        assert row["publication"] == (item["publication"] or {}).get("slug", "")


def test_the_body_comes_on_request(api, imported_seeds):
    plain = export(api, "csv", {})
    rows = list(csv.DictReader(io.StringIO(export(api, "csv", {"body": "true"}), newline="")))
    assert "body" not in plain.splitlines()[0].split(",")
    slug = next(r["slug"] for r in rows if r["is_stub"] == "false")
    detail = api.get(f"{LIST}{slug}/").json()
    assert next(r for r in rows if r["slug"] == slug)["body"] == detail["body"]
    lines = [json.loads(line) for line in export(api, "ndjson", {"body": "1"}).splitlines()]
    assert next(item for item in lines if item["slug"] == slug)["body"] == detail["body"]


def test_the_export_is_read_a_chunk_at_a_time_as_it_is_sent(api, imported_seeds):
    response = api.get(f"{LIST}export.ndjson")
    stream = iter(response.streaming_content)
    with CaptureQueriesContext(connection) as first:
        next(stream)
    with CaptureQueriesContext(connection) as rest:
        remaining = list(stream)
    first_queries, rest_queries = len(first.captured_queries), len(rest.captured_queries)
    # The first line needed the first chunk's rows only; the others came as they were sent.
    assert len(remaining) + 1 == len(list_items(api, {})) > exports.CHUNK
    assert 0 < first_queries < rest_queries


@contextmanager
def connection_kept():
    """As Django's test client does: the request's start and end leave the test's database
    connection (and its transaction) open."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    try:
        yield
    finally:
        for signal in (request_started, request_finished):
            signal.connect(close_old_connections)


@pytest.mark.parametrize("method", ["head", "get"])
def test_a_head_request_reads_no_rows(imported_seeds, method):
    """As a WSGI server runs it, draining the body it will not send for a HEAD."""
    environ = getattr(RequestFactory(), method)(f"{LIST}export.csv", {"country": "IR"}).environ
    started = []
    with connection_kept(), CaptureQueriesContext(connection) as queries:
        answer = WSGIHandler()(environ, lambda status, headers: started.append(status))
        try:
            body = b"".join(answer)
        finally:
            answer.close()
    assert started == ["200 OK"]
    read = [q for q in queries.captured_queries if "archive_article" in q["sql"]]
    assert (body, read) == (b"", []) if method == "head" else body.count(b"\n") > 1 and read


@pytest.mark.parametrize(
    ("path", "params", "name"),
    [
        (f"{LIST}export.csv", {"body": "maybe"}, "body"),
        (f"{LIST}export.csv", {"page": "2"}, "page"),
        (f"{LIST}export.ndjson", {"page_size": "5"}, "page_size"),
        (f"{LIST}export.ndjson", {"country": "ZZ"}, "country"),
        (f"{LIST}export.csv", {"published_after": "soon"}, "published_after"),
        (f"{LIST}", {"body": "true"}, "body"),
    ],
)
def test_a_parameter_the_endpoint_cannot_take_is_a_400_naming_it(
    api, imported_seeds, path, params, name
):
    response = api.get(path, params, HTTP_ACCEPT="text/csv, application/json")
    assert response.status_code == 400, response.content
    assert response["Content-Type"] == "application/json"
    assert list(response.json()) == [name]


def test_anonymous_exports_are_limited_apart_from_other_requests(api, imported_seeds, monkeypatch):
    monkeypatch.setattr(ExportRateThrottle, "rate", "2/hour", raising=False)
    assert [api.get(f"{LIST}export.csv").status_code for _ in range(3)] == [200, 200, 429]
    assert api.get(LIST).status_code == 200  # the list is counted apart
