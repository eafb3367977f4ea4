"""Curation at the size of an archive: bulk actions on the article list (each through the
services, in one transaction, recorded in history, saying how many changed), publications
merged as authors and topics are, the review queue of what imports warned of, and an article's
provenance (its stored source beside what was derived from it)."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from archive.models import Article, Publication, PublicationAlias, ReviewItem, Topic
from tests.conftest import HORN, NILE, SEEDS

pytestmark = pytest.mark.django_db

LIST = "/admin/archive/article/"
FORM_QUERIES = 11


@pytest.fixture
def archive(db):
    call_command("import_articles", str(SEEDS), str(NILE), str(HORN), verbosity=0)


def act(client, action: str, articles, value: str = "") -> list[str]:
    answer = client.post(
        LIST,
        {"action": action, "_selected_action": [a.pk for a in articles], "value": value},
        follow=True,
    )
    assert answer.status_code == 200
    return [str(m) for m in answer.context["messages"]]


def whole(n: int = 3):
    return list(Article.objects.filter(is_stub=False).order_by("pk")[:n])


def test_a_topic_added_to_three_articles_is_one_edit_each_recorded(curator_client, archive):
    topic = Topic.objects.create(name="Energy Transition", slug="energy-transition")
    chosen = whole()
    versions = {a.pk: a.history.count() for a in chosen}

    said = act(curator_client, "add_topic", chosen, "energy-transition")

    assert said == ["Added topic “Energy Transition”: 3 of 3 articles changed."]
    for article in chosen:
        assert topic in article.topics.all()
        latest = article.history.latest()
        assert article.history.count() == versions[article.pk] + 1
        assert latest.history_change_reason == "added topic “Energy Transition”"
        assert latest.history_user.username == "curator"
        assert Article.objects.get(pk=article.pk).curated_at is not None
    again = act(curator_client, "add_topic", chosen, "energy-transition")
    assert again == ["Added topic “Energy Transition”: 0 of 3 articles changed."]
    assert act(curator_client, "remove_topic", chosen[:1], "energy-transition") == [
        "Removed topic “Energy Transition”: 1 of 1 article changed."
    ]


def test_a_country_tag_and_a_publication_in_bulk(curator_client, archive):
    chosen = whole()
    act(curator_client, "add_tagged_country", chosen, "qa")
    for article in chosen:
        assert article.country_links.get(country__code="QA").tagged
    publication = Publication.objects.create(name="Another Forum", slug="another-forum")
    said = act(curator_client, "set_publication", chosen, "another-forum")
    assert said == ["Publication set to “Another Forum”: 3 of 3 articles changed."]
    assert {a.publication_id for a in Article.objects.filter(pk__in=[a.pk for a in chosen])} == {
        publication.pk
    }


def test_a_bulk_action_naming_nothing_says_so_and_changes_nothing(curator_client, archive):
    said = act(curator_client, "add_topic", whole(), "no-such-topic")
    assert said == ["No topic with slug “no-such-topic”: give one in the box beside the action."]


def test_curated_or_not_in_bulk(curator_client, archive):
    chosen = whole()
    assert act(curator_client, "mark_curated", chosen) == [
        "Marked curated: 3 of 3 articles changed."
    ]
    assert all(Article.objects.get(pk=a.pk).curated_at for a in chosen)
    said = act(curator_client, "mark_not_curated", chosen[:2])
    assert said == ["Marked not curated: 2 of 2 articles changed."]
    assert Article.objects.get(pk=chosen[0].pk).curated_at is None


def test_rederiving_from_the_stored_source_undoes_a_broken_row(curator_client, archive):
    article = Article.objects.get(source_name=NILE.stem)
    title = article.title
    Article.objects.filter(pk=article.pk).update(title="Broken by hand")
    said = act(curator_client, "rederive", [article])
    assert said == ["Derived 1 of 1 articles again from their stored sources."]
    assert Article.objects.get(pk=article.pk).title == title


def test_publications_merge_and_imports_then_credit_the_one_kept(admin_client, archive, tmp_path):
    kept = Publication.objects.get(acronym="HPI")
    other = Publication.objects.exclude(pk=kept.pk).first()
    answer = admin_client.post(
        reverse("admin:archive_publication_changelist"),
        {"action": "merge_selected", "_selected_action": [kept.pk, other.pk],
         "confirm": "yes", "into": kept.pk},
        follow=True,
    )  # fmt: skip
    assert [str(m) for m in answer.context["messages"]] == [f"Merged 1 publication into “{kept}”."]
    assert not Publication.objects.filter(pk=other.pk).exists()
    assert PublicationAlias.objects.get(slug=other.slug).publication == kept
    assert Article.objects.filter(publication=kept).count() >= 2
    call_command("import_articles", str(SEEDS), "--force", verbosity=0)  # names the old one
    assert Publication.objects.count() == 1


def test_an_imports_warnings_wait_in_the_review_queue_once(curator_client, source_dir):
    (source_dir / NILE.name).write_text(
        NILE.read_text().replace("Country: Egypt, Ethiopia, Sudan", "Country: Egypt, Narnia")
    )
    call_command("import_articles", str(source_dir), verbosity=0)
    item = ReviewItem.objects.get()
    assert (item.kind, item.source_name) == ("country", NILE.stem)
    assert item.message == "unknown country tag 'Narnia'"
    assert item.article == Article.objects.get(source_name=NILE.stem)
    call_command("import_articles", str(source_dir), "--force", verbosity=0)
    assert ReviewItem.objects.count() == 1  # the same warning again: not a second item

    page = curator_client.get("/admin/archive/reviewitem/", {"kind__exact": "country"})
    assert page.status_code == 200 and "Narnia" in page.content.decode()
    dashboard = curator_client.get("/admin/").content.decode()
    assert "1 review item</a> waits for a curator" in dashboard
    answer = curator_client.post(
        "/admin/archive/reviewitem/",
        {"action": "resolve", "_selected_action": [item.pk]},
        follow=True,
    )
    assert [str(m) for m in answer.context["messages"]] == ["1 item resolved."]
    item.refresh_from_db()
    assert item.status == "resolved" and item.decided_by.username == "curator"
    call_command("import_articles", str(source_dir), "--force", verbosity=0)
    item.refresh_from_db()
    assert item.status == "resolved"  # a re-import does not reopen it


def test_refused_pages_and_near_duplicates_are_review_items(source_dir):
    (source_dir / "300_empty.txt").write_text("")
    (source_dir / NILE.name).write_text(NILE.read_text())
    twin = NILE.read_text().replace("Water Diplomacy on the Nile", "The Nile Talks Resume")
    (source_dir / "301_twin.txt").write_text(twin.replace("this week", "this month"))
    out = StringIO()
    with pytest.raises(Exception):  # noqa: B017 - the command exits 1 for the empty file
        call_command("import_articles", str(source_dir), as_json=True, stdout=out)
    kinds = sorted(ReviewItem.objects.values_list("kind", "source_name"))
    assert ("refused", "300_empty") in kinds
    assert ("near_duplicate", "301_twin") in kinds and ("near_duplicate", NILE.stem) in kinds
    assert json.loads(out.getvalue())["summary"]["failed"] == 1


def test_the_article_page_shows_its_stored_source_rules_and_layout(curator_client, archive):
    article = Article.objects.get(source_name=NILE.stem)
    html = curator_client.get(reverse("admin:archive_article_change", args=[article.pk]))
    html = html.content.decode()
    assert 'class="archive-source"' in html
    assert "Talks between Egypt and Ethiopia over the Grand Ethiopian Renaissance Dam" in html
    assert f"{len(NILE.read_bytes()):,} bytes, read as utf-8" in html
    layout = html.split('<div class="flex-container fieldBox field-layout')[1][:400]
    assert '<div class="readonly">commentary</div>' in layout
    assert 'id="fieldset-0-2-heading"' in html  # the review queue's link lands on it


def test_the_admin_search_asks_the_index_and_says_when_it_lists_only_the_newest(
    curator_client, archive, monkeypatch
):
    from archive import admin as archive_admin

    monkeypatch.setattr(archive_admin, "SEARCH_SHOWN", 1)
    answer = curator_client.get(LIST, {"q": "Iran"})
    matching = Article.objects.filter(body__icontains="iran") | Article.objects.filter(
        title__icontains="iran"
    )
    newest = matching.order_by(*Article._meta.ordering).first()
    assert [a.pk for a in answer.context["cl"].result_list] == [newest.pk]
    said = [str(m) for m in answer.context["messages"]]
    assert said == [
        f"{matching.distinct().count()} articles match; the newest 1 are listed. Add words or a "
        "filter to narrow the search."
    ]
    # With a filter beside the words, the database answers every match.
    filtered = curator_client.get(LIST, {"q": "Iran", "is_stub__exact": "0"})
    assert filtered.context["cl"].result_count == matching.filter(is_stub=False).distinct().count()


@pytest.mark.parametrize(
    ("path", "count"),
    [
        # session, user, the page's ids, its rows and their authors, the year filter's two
        # ends, the filters' publications, countries and topics, the count
        (LIST, 10),
        (f"{LIST}?q=Iran", 11),  # and the search index's state
        # the dashboard counts through the list reader: the index (its state) when caught up
        ("/admin/", 15),
    ],
)
def test_the_curators_pages_read_a_pinned_number_of_queries(
    admin_client, archive, path, count, monkeypatch
):
    """As many queries for this archive as for one ten times its size (the pages' times at
    100,000 articles are in docs/benchmarks.md): a list of several pages, as a large one's."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from archive.admin import ArticleAdmin

    monkeypatch.setattr(ArticleAdmin, "list_per_page", 3)

    admin_client.get(path)  # the search index caught up, sessions made
    with CaptureQueriesContext(connection) as queries:
        assert admin_client.get(path).status_code == 200
    assert len(queries) == count, [q["sql"][:120] for q in queries]


@pytest.mark.parametrize("source", [NILE.stem, HORN.stem, "002_e62bf4f80456f64a"])
def test_the_change_form_reads_a_pinned_number_of_queries(admin_client, archive, source):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    article = Article.objects.get(source_name=source)
    url = reverse("admin:archive_article_change", args=[article.pk])
    admin_client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert admin_client.get(url).status_code == 200
    # Session, user, the article, its four kinds of inline rows with their records, its stored
    # source, near duplicates, the publication's autocomplete; and one query for each inline
    # row's autocomplete (Django's AutocompleteSelect reads the record it shows chosen).
    rows = sum(
        manager.count()
        for manager in (article.authorships, article.topic_links, article.country_links,
                        article.related_links)
    )  # fmt: skip
    assert len(queries) == FORM_QUERIES + rows, [q["sql"][:150] for q in queries]


def test_the_article_list_pages_through_every_article_in_order(admin_client, archive, monkeypatch):
    """Each page's ids read first, then its rows (IdsFirstPaginator): the same pages, in the
    list's order, as a plain slice would give."""
    from archive.admin import ArticleAdmin

    monkeypatch.setattr(ArticleAdmin, "list_per_page", 4)
    seen, page = [], 1
    while True:
        cl = admin_client.get(LIST, {"p": page}).context["cl"]
        seen += [article.pk for article in cl.result_list]
        if page >= cl.paginator.num_pages:
            break
        page += 1
    assert seen == list(
        Article.objects.order_by(*Article._meta.ordering).values_list("pk", flat=True)
    )
