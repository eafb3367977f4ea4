"""Cheap to send, never expensive to serve: a streamed export holds a slot (per client and in
all, across workers), an anonymous one a number of rows, and each a deadline its database work
is held to; every door counts against the API's anonymous rate."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import connection

from archive.api import exports, streams
from archive.api.throttles import ClientRateThrottle
from archive.budget import DatabaseUnavailable
from tests.conftest import SEEDS

pytestmark = pytest.mark.django_db

EXPORT = "/api/v1/articles/export.csv"


@pytest.fixture
def archive(db):
    call_command("import_articles", str(SEEDS), verbosity=0)


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_a_client_has_its_share_of_streams_and_gets_it_back(api, archive, settings):
    settings.EXPORT_STREAMS_PER_CLIENT = 1
    first = api.get(EXPORT)
    assert first.status_code == 200
    refused = api.get(EXPORT)
    assert refused.status_code == 429
    assert "already running (yours)" in refused.json()["detail"]
    assert int(refused["Retry-After"]) > 0
    assert body(first)  # streamed to its end: the slot is free again
    assert api.get(EXPORT).status_code == 200


def test_streams_in_all_are_bounded_whoever_asks(client, archive, settings):
    settings.EXPORT_STREAMS = 2
    held = [client.get(EXPORT, REMOTE_ADDR=f"10.0.0.{n}") for n in (1, 2)]
    assert [r.status_code for r in held] == [200, 200]
    refused = client.get(EXPORT, REMOTE_ADDR="10.0.0.3")
    assert refused.status_code == 429
    assert "(in all)" in refused.json()["detail"]
    assert body(held[0])
    assert client.get(EXPORT, REMOTE_ADDR="10.0.0.3").status_code == 200


def test_a_stream_closed_before_it_began_frees_its_slot(rf, settings):
    """The server closes a response it never streamed (the client went): the slot goes too."""
    settings.EXPORT_STREAMS = 1
    request = rf.get(EXPORT)
    request.user = type("Anonymous", (), {"is_authenticated": False})()
    stream = streams.Bounded(iter(["a\n"]), streams.slot_take(request), what=EXPORT)
    with pytest.raises(streams.TooManyStreams):
        streams.slot_take(request)
    stream.close()
    streams.slot_take(request).release()


def test_an_anonymous_export_holds_a_bounded_number_of_rows(api, editor, archive, settings):
    settings.EXPORT_MAX_ROWS = 3
    refused = api.get(EXPORT)
    assert refused.status_code == 400
    assert "matches 9 articles; an export holds at most 3" in refused.json()["detail"]
    assert api.get(EXPORT, {"is_stub": "false"}).status_code == 200  # 2 rows
    assert editor.get(EXPORT).status_code == 200  # a signed-in client's: the deadline alone


def test_a_stream_past_its_deadline_is_cut_not_finished(api, archive, settings, monkeypatch):
    monkeypatch.setattr(exports, "CHUNK", 1)
    settings.EXPORT_SECONDS = 0
    response = api.get(EXPORT)
    with pytest.raises((streams.StreamCut, DatabaseUnavailable)):
        body(response)
    settings.EXPORT_SECONDS = 60
    assert api.get(EXPORT).status_code == 200  # its slot was freed


def test_a_streams_database_work_is_held_to_the_budget(api, archive, settings, monkeypatch):
    """A query the budget stops in a list was served in full as an export: the body is made
    after the view returns, outside the request's budget."""
    from tests.reliability.test_budget import SLOW

    def slow_rows(ids, body=False):
        with connection.cursor() as cursor:
            cursor.execute(SLOW[connection.vendor])
        return []

    monkeypatch.setattr(exports, "article_rows", slow_rows)
    settings.REQUEST_DB_BUDGET_MS = 200
    response = api.get(EXPORT)
    with pytest.raises(DatabaseUnavailable):
        body(response)


@pytest.mark.parametrize(
    ("path", "status"),
    [("/feeds/articles.atom", 429), ("/", 429), ("/sitemap.xml", 429), ("/oai?verb=Identify", 503)],
)
def test_every_door_counts_against_the_apis_rate(api, archive, monkeypatch, path, status):
    monkeypatch.setattr(ClientRateThrottle, "rate", "3/minute", raising=False)
    assert api.get("/api/v1/articles/").status_code == 200  # one of the three
    assert [api.get(path).status_code for _ in range(2)] == [200, 200]
    refused = api.get(path)
    assert refused.status_code == status
    assert int(refused["Retry-After"]) >= 1
    assert api.get("/api/v1/articles/").status_code == 429  # one count for both
    assert api.get("/healthz").status_code == 200  # not counted


def test_a_search_export_past_the_rows_is_refused_before_any_id_is_read(
    api, archive, settings, monkeypatch
):
    """The count decides first: a common word's every ranked id was read, then refused."""
    from archive.reads.index import EngineResults

    def no_ids(self, page):
        raise AssertionError("ids read for an export that is refused")

    monkeypatch.setattr(EngineResults, "__getitem__", no_ids)
    settings.EXPORT_MAX_ROWS = 1
    refused = api.get(EXPORT, {"q": "Iran"})
    assert refused.status_code == 400
    assert "an export holds at most 1" in refused.json()["detail"]
    assert api.head(EXPORT, {"q": "Iran"}).status_code == 200  # a HEAD reads none either
