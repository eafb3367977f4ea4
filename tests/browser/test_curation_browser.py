"""A curator trusting the admin, in a real browser: a revert of a title and of a country row
that restores them, the history showing a link change with its actor, a topic given to three
articles at once, and a review item resolved. Each step saves a screenshot."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.urls import reverse

from archive import services
from archive.models import Article, Country, ReviewItem, Topic
from tests.conftest import HORN, NILE, SEEDS

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "curate-with-care-2026"


@pytest.fixture
def signed_in(browser_page, live_server, source_dir):
    """A curator signed in, over an archive of the seeds and the fixture pages, one of which
    names a country tag no dataset knows (a review item)."""
    (source_dir / NILE.name).write_text(
        NILE.read_text().replace("Country: Egypt, Ethiopia, Sudan", "Country: Egypt, Narnia")
    )
    call_command("import_articles", str(SEEDS), str(HORN), str(source_dir), verbosity=0)
    curator = User.objects.create_user("curator", password=PASSWORD, is_staff=True)
    curator.groups.add(Group.objects.get(name="Curators"))
    page = browser_page
    page.goto(f"{live_server.url}/admin/login/?next=/admin/")
    page.fill("#id_username", "curator")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_selector("#archive-dashboard")
    return page


def test_revert_restores_a_title_and_a_country_row(signed_in, shots, live_server):
    page = signed_in
    article = Article.objects.get(source_name=NILE.stem)
    title = article.title
    change = f"{live_server.url}{reverse('admin:archive_article_change', args=[article.pk])}"

    page.goto(change)
    page.fill("#id_title", "A title changed by mistake")
    page.click("input[name=_save]")
    page.wait_for_selector(".messagelist .success")
    services.article_update(article=article, tagged_countries=[Country.objects.get(code="IR")])

    page.goto(f"{change.removesuffix('change/')}history/")
    page.locator("#change-history tbody tr").last.locator("a").click()  # the first version
    page.wait_for_selector("input[type=submit]")
    shots(page, "curation-01-revert-form")
    page.click("input[type=submit]")
    page.wait_for_selector(".messagelist li")
    message = page.locator(".messagelist li").first.inner_text()
    shots(page, "curation-02-reverted")

    assert "Reverted" in message and "Title" in message and "Country Iran" in message
    reverted = Article.objects.get(pk=article.pk)
    assert reverted.title == title
    assert set(
        reverted.country_links.filter(tagged=True).values_list("country__code", flat=True)
    ) == {"EG"}
    assert page.locator("#id_title").input_value() == title


def test_history_shows_a_link_change_with_its_actor(signed_in, shots, live_server):
    page = signed_in
    article = Article.objects.get(source_name=NILE.stem)
    topic = Topic.objects.create(name="Energy Transition", slug="energy-transition")
    page.goto(f"{live_server.url}{reverse('admin:archive_article_change', args=[article.pk])}")
    topics = page.locator("#topic_links-group")
    topics.locator(".add-row a").click()
    topics.locator("tr.dynamic-topic_links .field-topic .select2-selection").last.click()
    page.fill(".select2-container--open .select2-search__field", "Energy")
    page.locator(".select2-results__option", has_text=topic.name).click()
    page.click("input[name=_save]")
    page.wait_for_selector(".messagelist .success")

    page.goto(f"{live_server.url}{reverse('admin:archive_article_history', args=[article.pk])}")
    newest = page.locator("#change-history tbody tr").first
    shots(page, "curation-03-history-link-change")
    assert "curator" in newest.inner_text()
    assert "Topics:" in newest.inner_text() and "Energy Transition" in newest.inner_text()
    assert "None" not in page.locator("#change-history").inner_text()


def test_a_topic_given_to_three_articles_at_once(signed_in, shots, live_server):
    page = signed_in
    Topic.objects.create(name="Energy Transition", slug="energy-transition")
    chosen = list(Article.objects.filter(is_stub=False).order_by("pk")[:3])
    page.goto(f"{live_server.url}/admin/archive/article/?is_stub__exact=0")
    for article in chosen:
        page.check(f"input.action-select[value='{article.pk}']")
    page.select_option("select[name=action]", "add_topic")
    page.fill("input[name=value]", "energy-transition")
    shots(page, "curation-04-bulk-topic")
    page.click("button[name=index]")
    page.wait_for_selector(".messagelist .success")
    shots(page, "curation-05-bulk-topic-done")
    said = page.locator(".messagelist .success").inner_text()
    assert said == "Added topic “Energy Transition”: 3 of 3 articles changed."
    for article in chosen:
        assert article.topics.filter(slug="energy-transition").exists()


def test_a_review_item_resolved(signed_in, shots, live_server):
    page = signed_in
    page.click("text=review item")  # the dashboard's count links the open items
    page.wait_for_selector("#result_list")
    rows = page.locator("#result_list tbody tr")
    assert rows.count() == 1 and "Narnia" in rows.first.inner_text()
    shots(page, "curation-06-review-queue")
    rows.first.locator("input.action-select").check()
    page.select_option("select[name=action]", "resolve")
    page.click("button[name=index]")
    page.wait_for_selector(".messagelist li")
    shots(page, "curation-07-review-resolved")
    assert page.locator(".messagelist li").first.inner_text() == "1 item resolved."
    item = ReviewItem.objects.get()
    assert item.status == "resolved" and item.decided_by.username == "curator"
