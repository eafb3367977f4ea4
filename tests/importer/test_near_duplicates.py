"""Near duplicates: a page republished with a few words changed under another title is flagged
at import (in the summary, under the file's name, in the detail's `duplicates_of`, both ways
round); a different page is not; a page edited apart from its twin stops being flagged."""

from __future__ import annotations

from io import StringIO

import numpy as np
import pytest
from django.core.management import call_command

from archive.models import Article, NearDuplicate
from archive.similarity import THRESHOLD, signature, similarity
from tests.conftest import HORN, NILE

from .test_import_command import run

pytestmark = pytest.mark.django_db

NILE_TITLE = "Water Diplomacy on the Nile: Cairo and Addis Ababa Try Again"


def republished(text: str, title: str, edits: dict[str, str]) -> str:
    """The page under another title, with some words of its body changed."""
    text = text.replace(NILE_TITLE, title)
    for old, new in edits.items():
        assert old in text
        text = text.replace(old, new, 1)
    return text


TWIN_EDITS = {"this week": "this month", "familiar": "well-known", "several times": "twice"}


@pytest.fixture
def twin(source_dir):
    (source_dir / "900_nile.txt").write_text(NILE.read_text())
    path = source_dir / "901_twin.txt"
    path.write_text(republished(NILE.read_text(), "The Nile Talks Resume", TWIN_EDITS))
    (source_dir / "902_horn.txt").write_text(HORN.read_text())
    return path


def test_a_republished_page_is_flagged_both_ways(api, source_dir, twin):
    report = run(source_dir)
    assert report["summary"]["near_duplicates"] == 2  # each of the pair's files
    flagged = {f["source_name"]: f["near_duplicates"] for f in report["files"]}
    nile = Article.objects.get(source_name="900_nile")
    copy = Article.objects.get(source_name="901_twin")
    ((slug, alike),) = flagged["901_twin"]
    assert slug == nile.slug and THRESHOLD <= alike < 1
    assert flagged["900_nile"] == [[copy.slug, alike]]
    assert "902_horn" not in flagged or not flagged["902_horn"]

    detail = api.get(f"/api/v1/articles/{copy.slug}/").json()
    assert detail["duplicates_of"] == [
        {"slug": nile.slug, "title": NILE_TITLE, "similarity": alike}
    ]
    other = api.get(f"/api/v1/articles/{nile.slug}/").json()
    assert [d["slug"] for d in other["duplicates_of"]] == [copy.slug]
    assert NearDuplicate.objects.count() == 2


def test_the_normal_output_names_the_pair(source_dir, twin):
    out = StringIO()
    call_command("import_articles", str(source_dir), stdout=out)
    text = out.getvalue()
    copy = Article.objects.get(source_name="901_twin").slug
    nile = Article.objects.get(source_name="900_nile").slug
    assert f"near duplicate  901_twin.txt: {copy} is nearly the same as {nile}" in text
    assert ", near duplicates 2, failed 0" in text


def test_an_edit_apart_from_the_twin_unflags_the_pair(source_dir, twin):
    run(source_dir)
    assert NearDuplicate.objects.count() == 2
    body = "\n\n".join(
        f"Paragraph {i} about something else entirely, river {i}." for i in range(40)
    )
    text = NILE.read_text().replace(NILE_TITLE, "The Nile Talks Resume")
    start = text.index("Talks between")
    end = text.index("The views and opinions")
    twin.write_text(text[:start] + body + "\n\n" + text[end:])
    report = run(source_dir)
    assert {f["source_name"]: f["outcome"] for f in report["files"]}["901_twin"] == "updated"
    assert NearDuplicate.objects.count() == 0
    assert report["summary"]["near_duplicates"] == 0


def test_pages_far_apart_are_not_compared_alike():
    nile, horn = signature(NILE.read_text()), signature(HORN.read_text())
    assert similarity(nile, horn) < 0.2
    assert similarity(nile, nile) == 1.0
    assert signature("Too short to shingle") is None


def test_stubs_have_no_sketch_and_no_pair():
    call_command("import_articles", str(NILE), str(HORN), verbosity=0)
    stubs = Article.objects.filter(is_stub=True)
    assert stubs.exists()
    assert not NearDuplicate.objects.exists()
    assert not stubs.filter(sketch__isnull=False).exists()


def test_curators_find_the_pairs_in_the_admin(admin_client, source_dir, twin):
    run(source_dir)
    copy = Article.objects.get(source_name="901_twin")
    nile = Article.objects.get(source_name="900_nile")
    listed = admin_client.get("/admin/archive/article/", {"near_duplicate": "yes"})
    assert listed.status_code == 200
    assert {a.pk for a in listed.context["cl"].result_list} == {copy.pk, nile.pk}
    others = admin_client.get("/admin/archive/article/", {"near_duplicate": "no"}).context["cl"]
    assert copy.pk not in {a.pk for a in others.result_list} and others.result_count > 0
    page = admin_client.get(f"/admin/archive/article/{copy.pk}/change/").content.decode()
    assert f'<a href="/admin/archive/article/{nile.pk}/change/">{NILE_TITLE}</a>' in page
    assert "% alike)" in page


def _datasketch_signature(body: str) -> bytes | None:
    """The sketch as datasketch makes it (archive.similarity made it so until it computed the
    same values itself): the reference the archive's sketches must equal, stored ones too."""
    import zlib

    from datasketch import MinHash

    from archive import similarity as s

    words = body.casefold().split()[: s.MAX_WORDS]
    if len(words) < s.MIN_WORDS:
        return None
    hashed = np.array([zlib.crc32(word.encode()) for word in words], dtype=np.uint64)
    count = len(words) - s.SHINGLE_WORDS + 1
    shingles = hashed[:count].copy()
    for k in range(1, s.SHINGLE_WORDS):
        shingles = (shingles * np.uint64(1_000_003) + hashed[k : k + count]) & np.uint64(0xFFFFFFFF)
    sketch = MinHash(num_perm=s.NUM_PERM, seed=1, hashfunc=lambda v: v, scheme="affine32")
    sketch.update_batch(np.unique(shingles).tolist())
    return sketch.hashvalues.astype("<u4").tobytes()


def test_the_sketch_is_datasketchs_minhash_bit_for_bit():
    import random

    from benchmarks.corpus import page_text

    rng = random.Random(7)
    bodies = [NILE.read_text(), HORN.read_text(), "", "too short to sketch " * 2]
    bodies += [_words(rng, n) for n in (47, 48, 50, 51, 300, 4999, 5000, 5001, 7000)]
    authors = [(f"Author {n}", f"Author {n} is a fellow.") for n in range(6)]
    bodies += [page_text(3, index, 200, authors) for index in range(40)]
    for body in bodies:
        assert signature(body) == _datasketch_signature(body), body[:60]
    assert sum(signature(body) is not None for body in bodies) > 45


def test_the_similarity_is_datasketchs_jaccard():
    from datasketch import MinHash

    nile = signature(NILE.read_text())
    twin = signature(republished(NILE.read_text(), "The Nile Talks Resume", TWIN_EDITS))

    def sketch(data):
        values = np.frombuffer(data, dtype="<u4").astype(np.uint64)
        return MinHash(hashvalues=values, scheme="affine32")

    assert similarity(nile, twin) == sketch(nile).jaccard(sketch(twin))


def test_a_key_common_to_many_articles_is_followed_to_a_sample(monkeypatch, source_dir, twin):
    """A band key held by more than MAX_HOLDERS articles is followed to its newest holders
    only: with the bar at one article every shared key is common, and the twins still meet."""
    from archive.importer import duplicates

    monkeypatch.setattr(duplicates, "MAX_HOLDERS", 1)
    run(source_dir)
    assert NearDuplicate.objects.count() == 2


def _words(rng, n: int) -> str:
    vocabulary = [f"{a}{b}" for a in ("ka", "lo", "mi", "ne", "su", "ta") for b in "aeiourst"]
    return " ".join(rng.choice(vocabulary) + str(rng.randrange(50)) for _ in range(n))


def _with_body(title: str, body: str) -> str:
    """The Nile page's layout around another title and a one-paragraph body."""
    lines = NILE.read_text().split("\n")
    start = lines.index("March 3, 2024") + 2
    end = next(i for i, line in enumerate(lines) if line.startswith("The views and opinions"))
    return "\n".join([*lines[:start], body, "", *lines[end:]]).replace(NILE_TITLE, title)


def test_a_flood_of_copies_is_flagged_every_one(monkeypatch, source_dir):
    """Many bodies differing by one word in 300: every key they share is common, and each
    copy is still flagged (skipping common keys had flagged 47 of 1,000)."""
    import random

    from archive.importer import duplicates

    monkeypatch.setattr(duplicates, "MAX_HOLDERS", 3)
    words = _words(random.Random(1), 300).split()
    for n in range(15):
        body = " ".join(words[:n] + [f"variant{n}"] + words[n + 1 :]) + "."
        (source_dir / f"{700 + n}_copy.txt").write_text(_with_body(f"Copy Number {n}", body))
    report = run(source_dir)
    assert report["summary"]["created"] == 15
    assert report["summary"]["near_duplicates"] == 15
    assert all(f["near_duplicates"] for f in report["files"])


def test_a_template_shared_by_many_is_no_duplicate(monkeypatch, source_dir):
    """Bodies sharing a template (about 0.6 alike): their common keys lead to a sample,
    and none of it is nearly the same."""
    import random

    from archive.importer import duplicates

    monkeypatch.setattr(duplicates, "MAX_HOLDERS", 3)
    template = _words(random.Random(2), 200)
    for n in range(15):
        body = f"{template} {_words(random.Random(100 + n), 60)}."
        (source_dir / f"{800 + n}_page.txt").write_text(_with_body(f"Page Number {n}", body))
    report = run(source_dir)
    assert report["summary"]["created"] == 15
    assert report["summary"]["near_duplicates"] == 0


def test_the_migration_to_eight_bands_keeps_exactly_todays_keys(source_dir, twin):
    """Archives imported with sixteen band keys an article: migration 0032 leaves each article
    the keys archive.similarity makes now, and the pairs are found as before."""
    from importlib import import_module

    from django.apps import apps

    from archive.models import ArticleSketch, SketchBand
    from archive.similarity import band_keys

    run(source_dir)
    sketches = dict(ArticleSketch.objects.values_list("article_id", "minhash"))
    assert len(sketches) >= 2
    for article, sketch in sketches.items():  # the eight later keys of the old layout
        SketchBand.objects.bulk_create(
            SketchBand(article_id=article, key=key)
            for key in band_keys(bytes(sketch), bands=16, rows=4)[8:]
        )
    assert SketchBand.objects.count() == 16 * len(sketches)
    import_module("archive.migrations.0032_sketch_bands_eight").drop_later_bands(apps, None)
    for article, sketch in sketches.items():
        kept = sorted(SketchBand.objects.filter(article_id=article).values_list("key", flat=True))
        assert kept == sorted(band_keys(bytes(sketch)))
