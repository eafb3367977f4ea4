"""The curators' dashboard and a country's page in a real browser: the charts are drawn, they
link where they say, and the page asks nothing of any other host (no CDN).

Playwright drives Debian's Chromium; screenshots go to $ARCHIVE_SCREENSHOTS when set."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command

from archive.models import Country
from tests.conftest import HORN, NILE, SEEDS

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "curate-with-care-2026"


def test_a_curator_reads_the_dashboard_and_a_country_page(browser_page, shots, live_server):
    page = browser_page
    call_command("import_articles", str(SEEDS), str(NILE), str(HORN), verbosity=0)
    curator = User.objects.create_user("curator", password=PASSWORD, is_staff=True)
    curator.groups.add(Group.objects.get(name="Curators"))
    hosts = set()
    page.on("request", lambda request: hosts.add(urlsplit(request.url).netloc))

    page.goto(f"{live_server.url}/admin/login/?next=/admin/")
    page.fill("#id_username", "curator")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_selector("#archive-dashboard")
    assert page.title() == "Curation | Commentary Archive"
    charts = page.locator("#archive-dashboard figure.archive-chart")
    assert charts.count() == 4
    assert page.locator("#archive-dashboard svg rect").count() > 10
    bars = page.locator("#archive-dashboard svg rect").first.bounding_box()
    assert bars and bars["width"] > 0 and bars["height"] == 18  # drawn, not only in the DOM
    assert page.locator("text=Last imports").is_visible()
    shots(page, "16-01-dashboard")

    # A country bar leads to the country's page.
    iran = Country.objects.get(code="IR")
    page.locator(f'a[href="/admin/archive/country/{iran.pk}/change/"]').first.click()
    page.wait_for_selector("#country-page")
    assert page.locator("#country-page figcaption").inner_text() == "Articles on Iran by year"
    rows = page.locator("#country-page tbody tr")
    assert rows.count() >= 1 and "(" in rows.first.inner_text()
    shots(page, "16-02-country-page")
    assert hosts == {urlsplit(live_server.url).netloc}, hosts  # nothing from elsewhere
