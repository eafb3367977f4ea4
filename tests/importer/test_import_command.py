"""The import command end to end: outcomes, idempotence, stubs, curation, failures."""

from __future__ import annotations

import json
from datetime import date

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from archive.models import Article, ArticleCountry, Author, Publication, RelatedArticle, Topic
from tests.conftest import HORN, NILE, SEED_000, SEEDS

pytestmark = pytest.mark.django_db

MODELS = [Article, ArticleCountry, Author, Publication, RelatedArticle, Topic]


def run(*paths, **options) -> dict:
    """Run the command with --json and return its report."""
    from io import StringIO

    out = StringIO()
    call_command("import_articles", *map(str, paths), as_json=True, stdout=out, **options)
    return json.loads(out.getvalue())


def run_failing(*paths, **options) -> dict:
    from io import StringIO

    out = StringIO()
    with pytest.raises(CommandError) as raised:
        call_command("import_articles", *map(str, paths), as_json=True, stdout=out, **options)
    assert raised.value.returncode == 1
    return json.loads(out.getvalue())


def snapshot() -> dict:
    return {m.__name__: list(m.objects.order_by("pk").values()) for m in MODELS}


def test_seeds_import_two_articles_and_seven_stubs():
    report = run(SEEDS)
    assert report["summary"] == {
        "created": 2,
        "updated": 0,
        "unchanged": 0,
        "kept": 0,
        "duplicate": 0,
        "stubs_created": 7,
        "stubs_filled": 0,
        "near_duplicates": 0,
        "failed": 0,
    }
    assert Article.objects.filter(is_stub=False).count() == 2
    assert Article.objects.filter(is_stub=True).count() == 7
    assert Publication.objects.get().acronym == "GIF"


def test_seed_values_are_stored(imported_seeds):
    article = Article.objects.get(source_name="002_e62bf4f80456f64a")
    assert article.title == "Iran’s Military Alignment with Russia Increases the West’s Distrust"
    assert article.date_source == "unknown" and article.published_on is None
    assert [a.name for a in article.authors.all()] == ["Kenneth Katzman"]
    assert Author.objects.get(slug="kenneth-katzman").honorific == "Dr."
    assert [t.name for t in article.topics.all()] == ["U.S. – Gulf Policy"]
    tagged = article.country_links.filter(tagged=True).values_list("country__code", flat=True)
    assert list(tagged) == ["IR"]
    related = article.related_links.order_by("position").select_related("to_article")
    assert [link.to_article.is_stub for link in related] == [True] * 7
    swap = related[0].to_article
    assert (swap.published_on, swap.date_source) == (date(2023, 9, 21), "card")
    assert swap.country_links.get().country.code == "IR"


def test_second_run_reports_unchanged_and_changes_no_row():
    run(SEEDS)
    before = snapshot()
    report = run(SEEDS)
    assert [f["outcome"] for f in report["files"]] == ["unchanged", "unchanged"]
    assert snapshot() == before


def test_changed_file_updates_the_same_article(copy_source):
    path = copy_source(SEED_000)
    run(path)
    article = Article.objects.get()
    path.write_text(path.read_text().replace("Hardline Rhetoric", "Hardline Talk"))
    report = run(path)
    assert report["files"][0]["outcome"] == "updated"
    article.refresh_from_db()
    assert "Hardline Talk Wins Out" in article.sections
    assert Article.objects.count() == 1


def test_curated_article_is_kept_unless_forced(copy_source):
    path = copy_source(SEED_000)
    run(path)
    Article.objects.update(title="Curated title", curated_at=timezone.now())
    path.write_text(path.read_text().replace("Hardline Rhetoric", "Hardline Talk"))

    assert run(path)["files"][0]["outcome"] == "kept"
    assert Article.objects.get().title == "Curated title"

    assert run(path, force=True)["files"][0]["outcome"] == "updated"
    assert Article.objects.get().title.startswith("Iran’s Indispensable Role")


def test_same_content_under_another_name_is_a_duplicate(copy_source):
    copy_source(SEED_000)
    crlf = copy_source(SEED_000, "003_ffffffffffffffff.txt")
    crlf.write_bytes(crlf.read_bytes().replace(b"\n", b"\r\n"))
    report = run(crlf.parent)
    assert [f["outcome"] for f in report["files"]] == ["created", "duplicate"]
    assert "000_32be84ea6f315b0c" in report["files"][1]["detail"]
    assert Article.objects.count() == 1


def test_a_later_file_fills_the_stub_its_card_created():
    run(NILE)
    stub = Article.objects.get(title="Grain, Ports and Power in the Horn of Africa")
    assert stub.is_stub and stub.content_type == "analysis"

    report = run(HORN)
    assert report["summary"]["stubs_filled"] == 1 and report["summary"]["created"] == 1
    filled = Article.objects.get(pk=stub.pk)
    assert not filled.is_stub
    assert filled.source_name == HORN.stem
    assert (filled.published_on, filled.date_source) == (date(2024, 6, 5), "dateline")
    assert Article.objects.filter(title_key=filled.title_key).count() == 1
    assert RelatedArticle.objects.filter(to_article=filled).exists()


def test_a_card_for_an_existing_article_links_it_without_a_stub():
    run(HORN)
    report = run(NILE)
    assert report["summary"]["stubs_created"] == 1  # only the Sudan card
    horn = Article.objects.get(source_name=HORN.stem)
    assert RelatedArticle.objects.filter(to_article=horn).count() == 1


def test_bad_files_are_named_and_the_good_one_imports(source_dir, copy_source):
    copy_source(SEED_000)
    (source_dir / "001_0000000000000000.txt").write_bytes(b"")
    (source_dir / "004_1111111111111111.txt").write_bytes(b"\x00\x01\x02\xff" * 100)
    report = run_failing(source_dir)
    outcomes = {f["source_name"]: (f["outcome"], f["detail"]) for f in report["files"]}
    assert outcomes["000_32be84ea6f315b0c"][0] == "created"
    assert outcomes["001_0000000000000000"] == ("failed", "empty file")
    assert outcomes["004_1111111111111111"][0] == "failed"
    assert "binary" in outcomes["004_1111111111111111"][1]
    assert Article.objects.count() == 1


def test_failure_message_names_file_and_reason(source_dir, copy_source, capsys):
    (source_dir / "001_0000000000000000.txt").write_bytes(b"")
    with pytest.raises(CommandError, match="1 of 1 files failed"):
        call_command("import_articles", str(source_dir))
    assert "failed  001_0000000000000000.txt: empty file" in capsys.readouterr().out


def test_atomic_run_writes_nothing_when_a_file_fails(source_dir, copy_source):
    copy_source(SEED_000)
    (source_dir / "009_2222222222222222.txt").write_bytes(b"\x00binary")
    report = run_failing(source_dir, atomic=True)
    assert report["rolled_back"] is True
    assert Article.objects.count() == 0


def test_dry_run_reports_but_writes_nothing():
    report = run(SEEDS, dry_run=True)
    assert report["summary"]["created"] == 2 and report["summary"]["stubs_created"] == 7
    assert Article.objects.count() == 0 and Author.objects.count() == 0


def test_missing_path_is_a_failure_not_a_crash(tmp_path):
    report = run_failing(tmp_path / "nope.txt")
    assert report["files"][0]["detail"].startswith("cannot read")


def test_empty_folder_is_a_command_error(source_dir):
    with pytest.raises(CommandError, match="no source files"):
        call_command("import_articles", str(source_dir))


def test_cp1252_file_imports_like_utf8(copy_source, source_dir):
    path = source_dir / NILE.name
    path.write_bytes(NILE.read_text(encoding="utf-8").encode("cp1252"))
    run(path)
    assert Article.objects.get(source_name=NILE.stem).title == (
        "Water Diplomacy on the Nile: Cairo and Addis Ababa Try Again"
    )


def test_truncated_file_is_refused_and_keeps_the_previous_import(copy_source):
    path = copy_source(SEED_000)
    run(path)
    data = path.read_bytes()
    path.write_bytes(data[: data.index(b"The views and opinions") - 300])
    report = run_failing(path)
    assert report["files"][0]["detail"].startswith("truncated")
    assert Article.objects.get().source_sha256 != ""
    assert "How the Ukraine War Benefits Iran" in Article.objects.get().sections


def test_default_path_is_seeds(settings):
    assert run()["summary"]["created"] == 2
    assert settings.ARCHIVE_SEEDS_DIR == SEEDS


def test_second_author_order_and_bio_are_kept():
    run(NILE)
    article = Article.objects.get(source_name=NILE.stem)
    names = list(article.authorships.order_by("position").values_list("author__name", flat=True))
    assert names == ["Amina Warsame", "Daniel K. Osei"]
    assert Author.objects.get(name="Amina Warsame").bio.startswith("Prof. Amina Warsame is")


def test_seed_002_card_excerpt_is_not_stored_as_an_author(imported_seeds):
    assert set(Author.objects.values_list("name", flat=True)) == {
        "Giorgio Cafiero",
        "Kenneth Katzman",
    }


def test_seed_002_stub_has_its_card_excerpt(imported_seeds):
    stub = Article.objects.get(title="Imam Hussein University: Teaching the IRGC")
    assert stub.is_stub and stub.excerpt.startswith("Imam Hussein University is a specialized")
    assert stub.publication.acronym == "GIF"


def test_what_the_parser_could_not_read_is_said_in_the_normal_output():
    """A bio-shaped line that is no bio, and an encoding in doubt: each file's warnings are
    printed with its name, not only in --json."""
    from io import StringIO

    from tests.conftest import SOURCES

    [unreadable] = SOURCES.glob("141_*.txt")
    [cyrillic] = SOURCES.glob("138_*.txt")
    out = StringIO()
    call_command("import_articles", str(unreadable), str(cyrillic), stdout=out, no_color=True)
    lines = out.getvalue().splitlines()
    assert (
        f"  warning  {unreadable.name}: unrecognised line after the body: "
        "'Our Caucasus Programme Team Of Visiting Scholars And…'"
    ) in lines
    assert any(line.startswith(f"  warning  {cyrillic.name}: encoding uncertain") for line in lines)
    assert lines[-1].startswith("created 2,")
    [reported] = [f for f in run(cyrillic, force=True)["files"] if f["path"] == str(cyrillic)]
    assert reported["encoding"] == "cp1251"


def test_the_list_of_files_is_let_go_before_the_index_is_fed(monkeypatch):
    """The index is fed after the last batch, at the run's peak of memory: by then the list
    of files (about 95 MB for a million) is no longer held."""
    import weakref

    from archive.management.commands import import_articles

    made, fed = [], []

    def listed(paths):
        files = source_files(paths)
        made.append(weakref.ref(files))
        return files

    def sync(index, **options):
        fed.append(made[0]() is None)
        return {}

    source_files = import_articles.source_files
    monkeypatch.setattr(import_articles, "source_files", listed)
    monkeypatch.setattr(import_articles.SearchIndex, "sync", sync)
    report = run(SEEDS)
    assert report["summary"]["created"] == 2 and fed == [True]
