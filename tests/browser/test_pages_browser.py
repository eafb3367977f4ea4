"""The reader's pages in a real browser: the home page and an article's landing page render
with their stylesheet, run no script, stay within the Content-Security-Policy (the fixture
fails the test on any refusal), and are photographed for a person to look at."""

from __future__ import annotations

import pytest

from archive.models import Article

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_reader_goes_from_the_home_page_to_an_article(
    browser_page, shots, live_server, imported_seeds
):
    page = browser_page
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(f"{live_server.url}/")
    assert page.locator("h1").inner_text() == "Commentary Archive"
    full = Article.objects.filter(is_stub=False).count()
    assert page.locator(".counts dd").first.inner_text() == str(full)
    # The stylesheet applied: the counts are laid out as a grid.
    assert page.locator(".counts").evaluate("e => getComputedStyle(e).display") == "grid"
    shots(page, "home")

    article = max(Article.objects.filter(is_stub=False), key=lambda a: len(a.sections))
    page.get_by_role("link", name=article.title).click()
    page.wait_for_url(f"**/articles/{article.slug}/")
    assert page.locator("article h1").inner_text() == article.title
    headings = page.locator("article h2").all_inner_texts()
    assert headings == article.sections
    # A related article's date stays on one line, however narrow the page (it wrapped
    # mid-value: "2023-09-" / "21").
    page.set_viewport_size({"width": 360, "height": 800})
    dates = page.locator("span.meta")
    assert dates.count() > 0
    for date in dates.all():
        assert date.evaluate("e => getComputedStyle(e).whiteSpace") == "nowrap"
        assert date.evaluate("e => e.getClientRects().length") == 1  # one line box
    page.set_viewport_size({"width": 1280, "height": 900})
    shots(page, "article")
    assert all(url.startswith(live_server.url) for url in requests)  # nothing from elsewhere
    assert not any(url.endswith(".js") for url in requests)  # no script
