"""A curator's day in a real browser: find an article, date it, tag it, and see the edit in the
API and survive a re-import of its changed source file.

Playwright drives Debian's Chromium (/usr/bin/chromium); nothing is downloaded. Without that
browser the test is skipped, unless ARCHIVE_REQUIRE_BROWSER=1 (as in CI) makes that a failure.
Screenshots go to $ARCHIVE_SCREENSHOTS when set, else to the test's temporary folder.
"""

from __future__ import annotations

import json
import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command

from archive.models import Article, Topic
from tests.conftest import SEED_000, SEEDS

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "curate-with-care-2026"


def import_report(folder: Path) -> dict:
    out = StringIO()
    call_command("import_articles", str(folder), as_json=True, stdout=out)
    return json.loads(out.getvalue())


def test_curator_edits_an_article_and_the_import_keeps_it(
    browser_page, shots, live_server, tmp_path
):
    page = browser_page
    sources = tmp_path / "sources"
    sources.mkdir()
    for path in SEEDS.glob("*.txt"):
        shutil.copyfile(path, sources / path.name)
    assert import_report(sources)["summary"]["created"] == 2
    Topic.objects.create(name="Great Power Rivalry", slug="great-power-rivalry")
    curator = User.objects.create_user("curator", password=PASSWORD, is_staff=True)
    curator.groups.add(Group.objects.get(name="Curators"))
    article = Article.objects.get(source_name=SEED_000.stem)
    assert article.published_on is None
    body = article.body

    # Log in.
    page.goto(f"{live_server.url}/admin/login/?next=/admin/archive/article/")
    page.fill("#id_username", "curator")
    page.fill("#id_password", PASSWORD)
    shots(page, "01-login")
    page.click("input[type=submit]")
    page.wait_for_selector("#changelist")
    shots(page, "02-article-list")

    # Find the article by a word of its title.
    page.fill("#searchbar", "Indispensable")
    page.press("#searchbar", "Enter")
    page.wait_for_selector("#result_list")
    rows = page.locator("#result_list tbody tr")
    assert rows.count() == 1
    shots(page, "03-search-result")
    rows.locator("th a").click()
    page.wait_for_selector("#article_form")

    # Set its date, and a topic through the autocomplete.
    page.fill("#id_published_on", "2023-02-20")
    topics = page.locator("#topic_links-group")
    topics.locator(".add-row a").click()
    topics.locator("tr.dynamic-topic_links .field-topic .select2-selection").last.click()
    page.fill(".select2-container--open .select2-search__field", "Great Power")
    option = page.locator(".select2-results__option", has_text="Great Power Rivalry")
    option.click()
    assert (
        topics.locator(".select2-selection__rendered", has_text="Great Power Rivalry").count() == 1
    )
    shots(page, "04-article-edit")
    page.click("input[name=_save]")
    page.wait_for_selector(".messagelist .success")
    shots(page, "05-saved")

    # The API serves the edit.
    api = page.request.get(f"{live_server.url}/api/v1/articles/{article.slug}/")
    assert api.ok
    record = api.json()
    assert (record["published_on"], record["date_source"]) == ("2023-02-20", "curator")
    assert "Great Power Rivalry" in [topic["name"] for topic in record["topics"]]
    assert Article.objects.get(pk=article.pk).body == body  # the untouched text is as it was

    # The history page shows who changed it.
    page.goto(f"{live_server.url}/admin/archive/article/{article.pk}/history/")
    assert page.locator("#change-history").get_by_text("curator").count() >= 1
    shots(page, "06-history")

    # A changed source file is imported: the curator's article is kept as it is.
    source = sources / SEED_000.name
    source.write_text(source.read_text().replace("Hardline Rhetoric", "Hardline Talk"))
    outcomes = {f["source_name"]: f["outcome"] for f in import_report(sources)["files"]}
    assert outcomes[SEED_000.stem] == "kept"
    again = page.request.get(f"{live_server.url}/api/v1/articles/{article.slug}/").json()
    assert again["published_on"] == "2023-02-20"
    assert "Great Power Rivalry" in [topic["name"] for topic in again["topics"]]
    assert "Hardline Rhetoric Wins Out" in again["sections"]

    # The provenance block in the admin: read-only, with the API link.
    page.goto(f"{live_server.url}/admin/archive/article/{article.pk}/change/")
    provenance = page.locator("fieldset", has_text="Provenance")
    assert provenance.locator(f"a[href='/api/v1/articles/{article.slug}/']").count() == 1
    assert page.locator("input[name=source_sha256]").count() == 0
    shots(page, "07-provenance")


def test_curator_merges_duplicate_authors_in_the_browser(browser_page, shots, live_server):
    from archive.models import Author, AuthorAlias

    page = browser_page
    call_command("import_articles", str(SEEDS), verbosity=0)
    katzman = Author.objects.get(name="Kenneth Katzman")
    twin = Author.objects.create(name="Ken Katzman", slug="ken-katzman")
    curator = User.objects.create_user("curator", password=PASSWORD, is_staff=True)
    curator.groups.add(Group.objects.get(name="Curators"))

    page.goto(f"{live_server.url}/admin/login/?next=/admin/archive/author/")
    page.fill("#id_username", "curator")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.fill("#searchbar", "Katzman")
    page.press("#searchbar", "Enter")
    page.wait_for_selector("#result_list")
    page.check("#action-toggle")  # both rows the search found
    page.select_option("select[name=action]", "merge_selected")
    shots(page, "08-author-merge-selected")
    page.click("button[name=index]")
    page.wait_for_selector("#merge-form")
    shots(page, "09-author-merge-choose")
    page.check(f"input[name=into][value='{twin.pk}']")
    page.click("#merge-form input[type=submit]")
    page.wait_for_selector(".messagelist .success")
    shots(page, "10-author-merged")

    assert list(Author.objects.filter(name__contains="Katzman")) == [twin]
    assert AuthorAlias.objects.get(slug=katzman.slug).author == twin
    twin.refresh_from_db()
    assert twin.bio and twin.honorific == "Dr."


def test_the_api_docs_and_browsable_api_render_under_the_content_security_policy(
    browser_page, shots, live_server
):
    page = browser_page
    page.goto(f"{live_server.url}/api/v1/docs/")
    page.wait_for_selector(".swagger-ui .opblock-tag", timeout=20_000)
    assert page.locator(".opblock-summary-path", has_text="/api/v1/articles/").count() >= 1
    shots(page, "10-api-docs")
    page.goto(f"{live_server.url}/api/v1/articles/")
    page.wait_for_selector(".response-info")
    shots(page, "11-browsable-api")
