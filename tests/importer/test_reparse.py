"""Deriving articles again when the rules change (archive.rules.RULES_VERSION): every import
keeps each article's source, compressed; `import_articles --reparse` derives the articles of
older rules again from those sources, with no file on disk, keeps what curators edited, and
says what changed, kind by kind; and every import says how many articles older rules derived.

An archive "imported with the old rules" is made here from a real import, by writing into it
what the first rules derived from these pages (a person counted as Jordan, an airport as an
author) and marking it with rules 1."""

from __future__ import annotations

import json
import shutil
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from archive.models import Article, ArticleCountry, ArticleSource, Author, Authorship
from archive.rules import RULES_VERSION
from tests.conftest import SOURCES

pytestmark = pytest.mark.django_db(serialized_rollback=True)


def command(*args, **options) -> str:
    out = StringIO()
    call_command("import_articles", *args, stdout=out, no_color=True, **options)
    return out.getvalue()


@pytest.fixture
def old_archive(tmp_path):
    """The fixture pages imported, then made to look as the first rules left them."""
    folder = tmp_path / "pages"
    folder.mkdir()
    for page in SOURCES.glob("*.txt"):
        shutil.copyfile(page, folder / page.name)
    command(str(folder))
    jordan = Article.objects.get(source_name__startswith="106_")
    ArticleCountry.objects.filter(article=jordan, country__code="JO").update(mentions=7)
    airport = Article.objects.get(source_name__startswith="122_")
    Authorship.objects.filter(article=airport).update(position=1)
    wrong = Author.objects.create(name="Doha International Airport", slug="doha-airport")
    Authorship.objects.create(article=airport, author=wrong, position=0)
    curated = Article.objects.get(source_name__startswith="104_")
    ArticleCountry.objects.filter(article=curated, country__code="GE").update(mentions=9)
    Article.objects.filter(pk=curated.pk).update(curated_at=timezone.now())
    Article.objects.exclude(source_name=None).update(rules_version=1)
    return folder


def test_every_import_keeps_each_articles_source_compressed(old_archive):
    for page in SOURCES.glob("*.txt"):
        article = Article.objects.get(source_name=page.stem)
        stored = ArticleSource.objects.get(article=article)
        assert stored.original() == page.read_bytes()  # a cp1252 page too, byte for byte
        assert stored.size == len(page.read_bytes())
    total = sum(len(s.data) for s in ArticleSource.objects.all())
    assert total < sum(s.size for s in ArticleSource.objects.all())


def test_reparse_derives_the_older_articles_again_with_no_file(old_archive):
    shutil.rmtree(old_archive)  # the sources are the archive's own
    pages = len(list(SOURCES.glob("*.txt")))
    assert f"{pages} articles derived by older rules" in command(
        str(SOURCES / "100_a1b2c3d4e5f60718.txt"), dry_run=True
    )
    report = json.loads(command(reparse=True, as_json=True))
    assert report["summary"]["kept"] == 1  # the curated page
    assert report["derived_again"]["articles"] == pages - 1
    assert report["derived_again"]["changed"]["mentions"] == 1
    assert report["derived_again"]["changed"]["authors"] == 1
    assert sum(report["derived_again"]["changed"].values()) == 2  # nothing else moved
    jordan = Article.objects.get(source_name__startswith="106_")
    assert ArticleCountry.objects.get(article=jordan, country__code="JO").mentions == 5
    airport = Article.objects.get(source_name__startswith="122_")
    assert list(airport.authors.values_list("name", flat=True)) == ["Lina Saeed"]
    curated = Article.objects.get(source_name__startswith="104_")
    assert curated.rules_version == 1  # kept as the curator left it
    assert ArticleCountry.objects.get(article=curated, country__code="GE").mentions == 9
    assert report["older_rules"] == 1 and report["older_rules_without_source"] == 0
    assert set(Article.objects.exclude(pk=curated.pk).exclude(source_name=None).values_list(
        "rules_version", flat=True)) == {RULES_VERSION}  # fmt: skip


def test_the_normal_output_says_what_changed_and_what_is_left(old_archive):
    out = command(reparse=True)
    assert (
        f"derived again by rules {RULES_VERSION}: {len(list(SOURCES.glob('*.txt'))) - 1} articles; "
        "changed: title 0, date 0, "
        "authors 1, topics 0, tagged 0, mentions 1, sections 0, related 0"
    ) in out
    assert "1 articles derived by older rules: import_articles --reparse derives them" in out
    assert "derived again by rules" not in command(reparse=True)  # nothing left to derive


def test_a_plain_import_of_an_unchanged_file_derives_it_again_by_newer_rules(old_archive):
    page = next(old_archive.glob("106_*.txt"))
    [item] = json.loads(command(str(page), as_json=True))["files"]
    assert item["outcome"] == "updated"
    assert item["detail"] == f"derived again by rules {RULES_VERSION}: mentions"
    assert item["changed"] == ["mentions"]
    [again] = json.loads(command(str(page), as_json=True, verbosity=2))["files"]
    assert again["outcome"] == "unchanged"


def test_reparse_takes_no_paths(old_archive):
    with pytest.raises(CommandError, match="give it no paths"):
        command(str(old_archive), reparse=True)


def test_an_article_imported_before_sources_were_kept_is_named(old_archive):
    ArticleSource.objects.filter(article__source_name__startswith="100_").delete()
    report = json.loads(command(reparse=True, as_json=True))
    assert report["older_rules_without_source"] == 1
    assert "with no stored source: import their files again" in command(reparse=True)


def test_a_stored_source_that_would_unpack_past_its_size_is_refused_not_unpacked(old_archive):
    """A 32 KB frame that unpacks to 1 GB (its recorded size a lie): --reparse names the file
    and goes on, having unpacked no more than the recorded size."""
    import tracemalloc

    import zstandard

    bomb = zstandard.ZstdCompressor(level=19).compress(b"\0" * (1 << 30))
    assert len(bomb) < 64 * 1024
    victim = Article.objects.get(source_name__startswith="106_")
    ArticleSource.objects.filter(article=victim).update(data=bomb)
    tracemalloc.start()
    out = StringIO()
    with pytest.raises(CommandError, match="1 of"):
        call_command("import_articles", "--reparse", as_json=True, stdout=out)
    out = out.getvalue()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    files = {f["source_name"]: f for f in json.loads(out)["files"]}
    failed = files[victim.source_name]
    assert failed["outcome"] == "failed"
    assert "unpacks to more than its" in failed["detail"]
    assert sum(f["outcome"] != "failed" for f in files.values()) == len(files) - 1
    assert peak < 200 * 1024 * 1024


def test_counting_the_older_articles_reads_an_index_not_every_article(db):
    """Every import ends with that count (pipeline.older_rules): by the rules_version index,
    not a scan of every article's row with its body (0.4 s at 100,000 articles on SQLite)."""
    from django.db import connection

    if connection.vendor == "postgresql":  # a test's few rows: a scan would be cheaper
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
    plan = Article.objects.filter(rules_version__lt=RULES_VERSION).order_by().values("pk").explain()
    assert "article_rules_version" in plan, plan
