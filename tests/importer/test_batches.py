"""Batches are only a way to write faster: any batch size gives the same archive and reports."""

from __future__ import annotations

import shutil
from datetime import date

import pytest
from django.core.management import call_command
from django.db import connection

from archive.models import Article, Author, Publication, Topic
from benchmarks.corpus import corpus_write
from tests.conftest import HORN, NILE, SEEDS, SOURCES
from tests.importer.test_import_command import run, run_failing

pytestmark = pytest.mark.django_db


def archive_by_natural_keys() -> dict:
    """Everything an import decides, keyed by slugs and codes rather than primary keys."""
    articles = {}
    for a in Article.objects.select_related("publication").prefetch_related(
        "authorships__author", "topics", "country_links__country", "related_links__to_article"
    ):
        articles[a.slug] = (
            a.title, a.source_name, a.source_sha256, a.is_stub, a.published_on, a.date_source,
            a.excerpt, a.content_type, a.word_count, tuple(a.sections),
            a.publication.slug if a.publication else None,
            tuple(link.author.slug for link in a.authorships.all()),
            tuple(sorted(t.slug for t in a.topics.all())),
            tuple(sorted((c.country.code, c.tagged, c.mentions) for c in a.country_links.all())),
            tuple(link.to_article.slug for link in a.related_links.all()),
        )  # fmt: skip
    return {
        "articles": articles,
        "authors": sorted(Author.objects.values_list("slug", "name", "honorific", "bio")),
        "topics": sorted(Topic.objects.values_list("slug", "name")),
        "publications": sorted(Publication.objects.values_list("slug", "name", "acronym")),
    }


def outcomes(report: dict) -> list[tuple]:
    keys = ("source_name", "outcome", "detail", "slug", "stubs_created", "stubs_filled")
    return [tuple(f[k] for k in keys) for f in report["files"]]


def wipe() -> None:
    Article.objects.all().delete()
    Author.objects.all().delete()
    Topic.objects.all().delete()
    Publication.objects.all().delete()


@pytest.fixture
def corpus(tmp_path):
    """A generated corpus (stubs filled later, shared authors, duplicates, bad files) and the
    real pages, whose cards name articles of the corpus only by chance."""
    folder = tmp_path / "corpus"
    corpus_write(folder, 240, seed=11, bad_every=40)
    for page in [*SEEDS.glob("*.txt"), *SOURCES.glob("*.txt")]:
        shutil.copyfile(page, folder / page.name)
    return folder


def test_one_file_per_batch_and_large_batches_give_the_same_archive(corpus):
    one_by_one = run_failing(corpus, batch_size=1, jobs=1)
    expected = archive_by_natural_keys()
    assert one_by_one["summary"]["created"] > 200
    assert one_by_one["summary"]["stubs_filled"] > 50
    assert one_by_one["summary"]["duplicate"] >= 1

    for batch_size in (7, 500):
        wipe()
        report = run_failing(corpus, batch_size=batch_size, jobs=1)
        assert outcomes(report) == outcomes(one_by_one), batch_size
        assert archive_by_natural_keys() == expected, batch_size


def test_parsing_in_worker_processes_gives_the_same_archive(corpus):
    in_process = run_failing(corpus, jobs=1)
    expected = archive_by_natural_keys()
    wipe()
    workers = run_failing(corpus, jobs=2, batch_size=100)
    assert outcomes(workers) == outcomes(in_process)
    assert archive_by_natural_keys() == expected


def test_an_unchanged_rerun_parses_nothing_and_a_reencoded_file_is_still_unchanged(
    corpus, monkeypatch
):
    run_failing(corpus, jobs=1)
    page = next(corpus.glob("0000*.txt"))
    page.write_bytes(page.read_bytes().replace(b"\n", b"\r\n"))  # other bytes, same text

    parsed = []

    from archive.importer import workers

    real = workers.source_parse
    monkeypatch.setattr(
        workers, "source_parse", lambda text, **kw: parsed.append(text) or real(text, **kw)
    )
    report = run_failing(corpus, jobs=1)
    assert report["summary"]["created"] == report["summary"]["updated"] == 0
    assert report["summary"]["unchanged"] > 200
    # Parsed: the re-encoded page, and the duplicates, whose bytes are never stored. (This
    # corpus's bad files are refused before parsing: empty, binary, cut inside a character.)
    duplicates = report["summary"]["duplicate"]
    assert len(parsed) == 1 + duplicates
    assert page.stem in {f["source_name"] for f in report["files"] if f["outcome"] == "unchanged"}
    # The new bytes are remembered: the next run parses only the duplicates.
    parsed.clear()
    run_failing(corpus, jobs=1)
    assert len(parsed) == duplicates


def test_a_batch_that_breaks_a_constraint_is_written_file_by_file(source_dir, monkeypatch):
    for page in SOURCES.glob("*.txt"):
        shutil.copyfile(page, source_dir / page.name)
    from archive.importer import loader

    real = loader._fill_article

    def breaking(article, record, **kwargs):
        real(article, record, **kwargs)
        if "Nile" in record.title:
            article.date_source = "dateline"
            article.published_on = None  # violates article_date_matches_date_source

    monkeypatch.setattr(loader, "_fill_article", breaking)
    report = run_failing(source_dir, jobs=1)
    failed = [f for f in report["files"] if f["outcome"] == "failed"]
    assert len(failed) == 1
    assert failed[0]["detail"].startswith("database error:")
    assert "article_date_matches_date_source" in failed[0]["detail"]
    assert report["summary"]["created"] == len(report["files"]) - 1
    assert not Article.objects.filter(title__contains="Nile", is_stub=False).exists()


def test_the_seeds_still_import_in_one_batch():
    call_command("import_articles", str(SEEDS), verbosity=0)
    assert run(SEEDS)["summary"]["unchanged"] == 2


def test_a_batch_that_updates_an_article_and_dates_it_from_a_card_keeps_both(source_dir):
    """One row met twice in a batch, as a changed file and as another page's card: both
    changes land, as they would one file at a time."""
    title = "Water Diplomacy on the Nile: Cairo and Addis Ababa Try Again"
    undated = NILE.read_text().replace("March 3, 2024\n\n", "", 1)
    page = source_dir / "a.txt"
    page.write_text(undated)
    run(source_dir, jobs=1)
    assert Article.objects.get(source_name="a").published_on is None

    page.write_text(undated.replace("resumed this week", "resumed again this week"))
    citing = NILE.read_text().replace(title, "The Nile Talks, a Year On")
    (source_dir / "b.txt").write_text(citing.replace("Sudan's War and the Red Sea Ports", title))
    report = run(source_dir, jobs=1, batch_size=10)
    assert [f["outcome"] for f in report["files"]] == ["updated", "created"]

    article = Article.objects.get(source_name="a")
    assert "resumed again this week" in article.body
    assert (article.published_on, article.date_source) == (date(2024, 2, 12), "card")
    assert Article.objects.get(source_name="b").related.first() == article


def test_an_import_leaves_one_history_row_per_write(source_dir):
    page = source_dir / "a.txt"
    page.write_text(NILE.read_text())
    run(source_dir)
    article = Article.objects.get(source_name="a")
    created = article.history.get()
    assert (created.history_type, created.history_user, created.title) == ("+", None, article.title)
    assert created.body == article.body and created.publication_id == article.publication_id
    stub = Article.objects.filter(is_stub=True).first()
    assert stub.history.get().history_type == "+"
    author = Author.objects.get(slug="daniel-k-osei")
    assert author.history.get().bio == author.bio

    page.write_text(NILE.read_text().replace("resumed this week", "resumed again this week"))
    run(source_dir)
    changed = article.history.order_by("-history_id").first()
    assert changed.history_type == "~" and "resumed again" in changed.body
    assert article.history.count() == 2


def test_authors_are_searchable_after_a_batch_and_after_a_changed_import(api, source_dir):
    """The batch indexes its articles' authors once at its end (SQLite holds back the
    authorship triggers meanwhile); an author changed by a later import is found instead."""
    page = source_dir / "a.txt"
    page.write_text(NILE.read_text())
    run(source_dir, batch_size=10)

    def found(words: str) -> list[str]:
        return [a["slug"] for a in api.get("/api/v1/articles/", {"q": words}).json()["results"]]

    slug = Article.objects.get(source_name="a").slug
    assert found("Warsame Osei") == [slug]
    page.write_text(NILE.read_text().replace("Amina Warsame", "Amina Qorsheel"))
    run(source_dir, batch_size=10)
    assert found("Qorsheel Osei") == [slug]
    assert found("Warsame") == []
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM archive_search_deferred")
            assert cursor.fetchone() == (0,)  # the triggers are back on for every other write


def database_text_index_differences() -> int:
    """Articles whose row in the database's full-text index is not what a write one row at a
    time would have left there: their title, authors (in order) and body."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("""
                SELECT count(*) FROM archive_article a
                LEFT JOIN archive_article_fts f ON f.rowid = a.id
                WHERE f.rowid IS NULL OR f.title IS NOT a.title OR f.body IS NOT a.body
                   OR f.authors IS NOT (SELECT coalesce(group_concat(w.name, ' '), '')
                       FROM archive_authorship s JOIN archive_author w ON w.id = s.author_id
                       WHERE s.article_id = a.id)
            """)  # fmt: skip
            differ = cursor.fetchone()[0]
            cursor.execute("SELECT count(*) FROM archive_article_fts")
            return differ + abs(cursor.fetchone()[0] - Article.objects.count())
        cursor.execute("""
            SELECT count(*) FROM archive_article WHERE search_vector IS DISTINCT FROM
                archive_article_search_vector(id, title, body)
        """)  # fmt: skip
        return cursor.fetchone()[0]


def test_the_database_text_index_is_whole_after_batches_and_a_changed_rerun(corpus):
    """The batch writes each article's text into the full-text index once, at its end (SQLite
    holds back the per-row triggers meanwhile): new articles, stubs filled in the same batch
    and in later ones, rewritten pages with other authors."""
    run_failing(corpus, batch_size=7, jobs=1)
    assert Article.objects.filter(is_stub=True).exists()
    assert database_text_index_differences() == 0
    page = next(corpus.glob("0000*.txt"))
    text = page.read_text()
    page.write_text(text.replace("\n\n", "\n\nA new opening paragraph.\n\n", 1))
    run_failing(corpus, batch_size=7, jobs=1)
    assert Article.objects.filter(body__contains="A new opening paragraph.").count() == 1
    assert database_text_index_differences() == 0
    # and the triggers are back for every other write
    article = Article.objects.filter(is_stub=False).first()
    article.title = "Retitled by hand"
    article.save()
    assert database_text_index_differences() == 0


def article_row_writes() -> tuple[int, int]:
    """The article rows inserted and updated so far in this transaction (PostgreSQL)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT n_tup_ins, n_tup_upd FROM pg_stat_xact_user_tables WHERE relname = %s",
            [Article._meta.db_table],
        )
        return cursor.fetchone()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's stored vector")
def test_postgresql_writes_each_articles_row_once_its_authors_linked():
    """The batch links its articles before writing their rows: each row's trigger makes its
    text's vector with the authors there, and the authorships' triggers, held back (migration
    0034), do not make it again. They did: each new article's body went through to_tsvector
    twice and its row was written twice, and a filled stub's row was written twice too."""
    run(NILE)
    assert Article.objects.get(source_name=NILE.stem).authors.count() == 2
    assert article_row_writes() == (Article.objects.count(), 0)  # the page and its cards' stubs
    run(HORN)  # fills one of those stubs, linking its authors: its row is updated once
    assert Article.objects.get(source_name=HORN.stem).authors.exists()
    assert article_row_writes() == (Article.objects.count(), 1)
    assert database_text_index_differences() == 0
    with connection.cursor() as cursor:  # the triggers are back for every other write
        cursor.execute("SELECT current_setting('archive.search_authors_held', true)")
        assert cursor.fetchone() == ("off",)


def analyses() -> dict[str, int]:
    """How often each table the import fills has been analysed (PostgreSQL, this database)."""
    from archive.importer.pipeline import IMPORTED_TABLES

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")  # not the transaction's first look
        cursor.execute(
            "SELECT relname, analyze_count FROM pg_stat_user_tables WHERE relname = ANY(%s)",
            [list(IMPORTED_TABLES)],
        )
        return dict(cursor.fetchall())


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's planner")
def test_postgresql_gets_statistics_of_what_a_batch_looks_up_while_the_import_writes(corpus):
    """Each batch looks articles up by title and checksum, a rewritten article's old links by
    article, band keys and authors by key. With no statistics (autovacuum off, or not yet come
    by) PostgreSQL read each of those tables whole for each batch, and the import slowed as
    the archive grew: every table it fills is analysed as its writes double, not only at the
    end; and not while it writes nothing (that made an unchanged re-run twice as slow), nor
    in a dry run, whose writes are rolled back."""
    from archive.importer.pipeline import IMPORTED_TABLES, import_files

    def analysed_during(paths, **options) -> dict[str, int]:
        before = analyses()
        reports = list(import_files(paths, batch_size=40, **options))
        assert len(reports) > 4 * 40  # five batches or more
        after = analyses()
        return {table: after.get(table, 0) - before.get(table, 0) for table in IMPORTED_TABLES}

    paths = sorted(corpus.glob("*.txt"))
    assert set(analysed_during(paths, dry_run=True).values()) == {0}  # its writes rolled back
    assert not Article.objects.exists()
    cold = analysed_during(paths)
    assert min(cold.values()) >= 2, cold  # after the first batch, the second, the fourth, …
    assert len(set(cold.values())) == 1, cold  # each as often
    assert set(analysed_during(paths).values()) == {0}  # unchanged


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's write-ahead log")
def test_sqlite_copies_its_log_less_often_during_an_import_and_as_before_after():
    """A checkpoint after nearly every batch copied the same index pages again and again:
    during an import the log grows to IMPORT_WAL_PAGES first; the connection's own setting
    comes back after it."""
    from archive.importer.pipeline import IMPORT_WAL_PAGES, import_files

    def pages() -> int:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_autocheckpoint")
            return cursor.fetchone()[0]

    before = pages()
    during = []
    reports = list(
        import_files(
            sorted([*SEEDS.glob("*.txt"), *SOURCES.glob("*.txt")]),
            on_progress=lambda done: during.append(pages()),
        )
    )
    assert reports and during
    assert set(during) == {IMPORT_WAL_PAGES} != {before}
    assert pages() == before
