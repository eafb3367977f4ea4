"""The curators' side of issue 16: the branded index page is a dashboard whose numbers are the
archive's, a country's page shows its articles over time and its co-mentions (as the API
counts them), the article page is curated in words, and history names the import."""

from __future__ import annotations

from collections import Counter

import pytest
from django.core.management import call_command
from django.urls import reverse

from archive.models import Article, ArticleCountry, Country, ImportRun, RelatedArticle

from .conftest import change_form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def archive(db):
    from tests.conftest import HORN, NILE, SEEDS

    call_command("import_articles", str(SEEDS), str(NILE), str(HORN), verbosity=0)


def test_the_index_is_a_branded_dashboard(admin_client, archive):
    page = admin_client.get("/admin/")
    html = page.content.decode()
    assert "<title>Curation | Commentary Archive</title>" in html
    assert '<div id="site-name"><a href="/admin/">Commentary Archive</a></div>' in html
    context = page.context
    charts = {c.title: {bar.label: bar.value for bar in c.bars} for c in context["charts"]}
    dated = Counter(a.published_on.year for a in Article.objects.exclude(published_on=None))
    assert charts["Articles by year"] == {str(year): n for year, n in dated.items()}
    undated = Article.objects.filter(published_on=None).count()
    assert undated  # the stubs: a card gives no date
    assert f'<p class="archive-chart-note">{undated} undated articles, not shown.</p>' in html
    by_country = Counter(
        ArticleCountry.objects.values_list("country__name", flat=True)
    ).most_common(10)
    assert sorted(charts["Top countries (tagged or named)"].values(), reverse=True) == [
        n for _, n in by_country
    ]
    assert context["stub_count"] == Article.objects.filter(is_stub=True).count()
    cited = Counter(
        RelatedArticle.objects.filter(to_article__is_stub=True).values_list(
            "to_article__title", flat=True
        )
    )
    assert {row["title"]: row["cited"] for row in context["waiting"]} == dict(cited)
    run = ImportRun.objects.get()
    assert context["imports"] == [run]
    assert run.summary["created"] == Article.objects.filter(is_stub=False).count()
    assert run.outcome == "ok" and run.files == 4
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in html
    assert "<script" not in html.split('id="archive-dashboard"')[1].split("</section>")[0]


def test_the_link_tables_are_not_sidebar_entries(admin_client, archive):
    html = admin_client.get("/admin/").content.decode()
    for name in ("authorship", "articlecountry", "relatedarticle"):
        assert f"/admin/archive/{name}/" not in html
        assert admin_client.get(f"/admin/archive/{name}/").status_code == 200  # still there
    assert "/admin/archive/article/" in html and "/admin/archive/importrun/" in html


def test_a_country_page_shows_its_years_and_co_mentions(admin_client, api, archive):
    iran = Country.objects.get(code="IR")
    page = admin_client.get(reverse("admin:archive_country_change", args=[iran.pk]))
    assert page.status_code == 200
    over_time = {bar.label: bar.value for bar in page.context["over_time"].bars}
    years = Counter(
        a.published_on.year
        for a in Article.objects.filter(country_links__country=iran).exclude(published_on=None)
    )
    assert over_time == {str(y): n for y, n in years.items()}
    undated = Article.objects.filter(country_links__country=iran, published_on=None).count()
    assert undated and page.context["over_time"].note == f"{undated} undated articles, not shown."
    from_api = api.get("/api/v1/countries/ir/co-mentions/", {"limit": 10}).json()
    assert page.context["co_mentions"]["results"] == from_api["results"]
    html = page.content.decode()
    assert "Most often discussed with Iran" in html
    first = from_api["results"][0]
    first_pk = Country.objects.get(code=first["code"]).pk
    link = reverse("admin:archive_country_change", args=[first_pk])
    assert (
        f'<td><a href="{link}">{first["name"]} ({first["code"]})</a></td><td>{first["count"]}</td>'
        in html
    )
    listed = admin_client.get(page.context["articles_href"]).context["cl"].result_count
    assert listed == Article.objects.filter(country_links__country=iran).count()


def test_the_article_page_reads_in_words(admin_client, archive):
    article = Article.objects.get(source_name="002_e62bf4f80456f64a")
    url = reverse("admin:archive_article_change", args=[article.pk])
    html = admin_client.get(url).content.decode()
    link = article.country_links.select_related("country").get(country__code="IR")
    assert f"Iran — tagged, {link.mentions} mentions" in html
    assert "1. " + article.authorships.get(position=0).author.name in html
    assert 'class="vTextField archive-wide"' in html
    # Sections are lines of text, not JSON; saved back as the list they were.
    field = html.split('name="sections"')[1].split("</textarea>")[0]
    assert "\n".join(article.sections) in field and '["' not in field
    new = [*article.sections[:1], "A Heading Added By Hand"]
    data = change_form_data(admin_client, url, sections="\n".join(new) + "\n\n")
    assert admin_client.post(url, data).status_code == 302
    article.refresh_from_db()
    assert article.sections == new


def test_history_names_the_import_as_its_actor(admin_client, archive):
    article = Article.objects.get(source_name="002_e62bf4f80456f64a")
    html = admin_client.get(reverse("admin:archive_article_history", args=[article.pk])).content
    assert "import of 002_e62bf4f80456f64a" in html.decode()
    reasons = set(article.history.values_list("history_change_reason", flat=True))
    assert reasons == {"import of 002_e62bf4f80456f64a"}


def test_every_chart_says_what_it_leaves_out(admin_client, archive):
    """The chart by year had kept the ten busiest years and said nothing of the others."""
    from datetime import date

    for year in range(2001, 2016):  # fifteen more years, one article each
        Article.objects.create(
            title=f"From {year}", title_key=f"from {year}", slug=f"from-{year}",
            published_on=date(year, 6, 1), date_source="curator",
        )  # fmt: skip
    context = admin_client.get("/admin/").context
    charts = {c.title: c for c in context["charts"]}
    years = {bar.label for bar in charts["Articles by year"].bars}
    dated = {str(a.published_on.year) for a in Article.objects.exclude(published_on=None)}
    assert years == dated and {"2001", "2015"} <= years
    countries = ArticleCountry.objects.values("country").distinct().count()
    assert (
        charts["Top countries (tagged or named)"].note
        == f"{countries - 10:,} more countries, not shown."
    )
    without = Article.objects.filter(publication=None).count()
    assert (
        f"{without} articles with no publication, not shown."
        in charts["Articles by publication"].note
    )


def test_the_dashboard_is_the_site_index_alone(admin_client, archive):
    assert 'id="archive-dashboard"' in admin_client.get("/admin/").content.decode()
    assert 'id="archive-dashboard"' not in admin_client.get("/admin/auth/").content.decode()
    assert 'id="archive-dashboard"' not in admin_client.get("/admin/archive/").content.decode()


def test_positions_read_from_one_as_the_byline_does(admin_client, archive):
    article = Article.objects.get(source_name="002_e62bf4f80456f64a")
    url = reverse("admin:archive_article_change", args=[article.pk])
    data = change_form_data(admin_client, url)
    first = next(k for k in data if k.startswith("authorships-0-position"))
    assert data[first] == 1  # shown as 1: stored as 0
    assert admin_client.post(url, data).status_code == 302
    assert list(article.authorships.values_list("position", flat=True)) == [0]


def test_a_merge_of_one_says_so_in_the_singular(admin_client, archive):
    from archive.models import Topic

    topics = [Topic.objects.create(name=f"Merge {n}", slug=f"merge-{n}") for n in range(2)]
    answer = admin_client.post(
        reverse("admin:archive_topic_changelist"),
        {"action": "merge_selected", "_selected_action": [t.pk for t in topics],
         "confirm": "yes", "into": topics[0].pk},
        follow=True,
    )  # fmt: skip
    messages = [str(m) for m in answer.context["messages"]]
    assert messages == ["Merged 1 topic into “Merge 0”."]


def test_the_dashboard_counts_alike_through_either_reader(archive, settings):
    """Its numbers come from the article lists' reader (archive.reads): the search index's
    counts and the database's are the same numbers."""
    from archive.dashboard import country_page, dashboard
    from archive.reads import ArticleQuery, IndexReader, reader_for
    from archive.search.engine import SearchIndex

    SearchIndex().sync()
    assert type(reader_for(ArticleQuery())) is IndexReader
    iran = Country.objects.get(code="IR")
    by_index = (dashboard(), country_page(iran))
    settings.ARTICLE_READER = "database"
    by_database = (dashboard(), country_page(iran))
    for answer in (by_index, by_database):
        answer[0].pop("imports")  # model instances: compared by what they show
    assert by_index == by_database
    assert by_index[1]["over_time"].bars  # Iran's articles by year
