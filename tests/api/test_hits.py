"""Where a search hit is: each result names the paragraphs holding what was searched for, and
the detail numbers and anchors every paragraph as the article's page does, whichever of the
search index and the database answered."""

from __future__ import annotations

import re

import pytest

from archive.rules import body_paragraphs
from archive.search.hits import paragraphs_hit
from archive.search.query import search_query_parse

pytestmark = pytest.mark.django_db(serialized_rollback=True)


@pytest.mark.parametrize("q", ["sanctions", "nuclear", '"Red Sea"', "Ethiopia dam"])
def test_each_result_names_the_paragraphs_that_hold_the_words(api, archive, answered_by, q):
    results = api.get("/api/v1/articles/", {"q": q, "page_size": 100}).json()["results"]
    assert results, q
    words = [w.lower() for w in re.findall(r"\w+", q)]
    for item in results:
        detail = api.get(item["url"]).json()
        paragraphs = {p["number"]: p for p in detail["paragraphs"]}
        hits = item["hits"]
        for hit in hits:
            paragraph = paragraphs[hit["paragraph"]]
            assert (hit["anchor"], hit["section"]) == (paragraph["anchor"], paragraph["section"])
            text = paragraph["text"].lower()
            assert any(w[:5] in text for w in words), (q, paragraph["text"])
        if q.startswith('"'):
            continue  # a phrase's words apart are no hit: test_a_phrase_hits_only_where…
        # Every paragraph holding a word as written is among the hits (stems find more).
        for number, paragraph in paragraphs.items():
            if any(re.search(rf"\b{re.escape(w)}\b", paragraph["text"].lower()) for w in words):
                assert number in {h["paragraph"] for h in hits}, (q, paragraph["text"])


def test_no_search_no_hits(api, archive):
    item = api.get("/api/v1/articles/").json()["results"][0]
    assert item["hits"] is None


def test_a_phrase_hits_only_where_its_words_are_together():
    blocks = body_paragraphs(
        "The Red Sea route.\n\nShipping\n\nA red flag at sea.\n\nRed Sea ports reopened.",
        ["Shipping"],
    )
    hit = paragraphs_hit(search_query_parse('"red sea"'), blocks)
    assert [(b.number, b.section) for b in hit] == [(1, None), (3, "Shipping")]
    stems = paragraphs_hit(search_query_parse("reopen"), blocks)
    assert [b.number for b in stems] == [3]  # "reopened", as the index stems it


def test_the_detail_numbers_paragraphs_as_the_page_anchors_them(client, api, archive):
    for item in api.get("/api/v1/articles/", {"is_stub": "false"}).json()["results"]:
        detail = api.get(item["url"]).json()
        headings = set(detail["sections"])
        expected = [
            b for b in detail["body"].split("\n\n") if b.strip() and b.strip() not in headings
        ]
        assert [p["text"] for p in detail["paragraphs"]] == [b.strip() for b in expected]
        assert [p["number"] for p in detail["paragraphs"]] == list(range(1, len(expected) + 1))
        page = client.get(f"/articles/{detail['slug']}/").content.decode()
        for paragraph in detail["paragraphs"]:
            assert paragraph["url"].endswith(f"/articles/{detail['slug']}/#{paragraph['anchor']}")
            assert f'<p id="{paragraph["anchor"]}">' in page
        sections = [p["section"] for p in detail["paragraphs"]]
        assert {s for s in sections if s} <= headings
