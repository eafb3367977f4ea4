"""The requests a benchmark makes: for each endpoint, random ones over what the database holds,
so that no answer is served twice from a cache (and deep pages are asked as often as the first).

Datasette's are the same reads of the same SQLite file in its own URL language: the list's
columns by `_col`, the country filter as a subselect in `_where`, search through the FTS table
named in its metadata, and a random page by `_next` (Datasette pages by key, not by number).
"""

from __future__ import annotations

import random
import sqlite3
from datetime import timedelta
from urllib.parse import urlencode

PAGE = 20
ENDPOINTS = (
    "list", "detail", "filtered", "search", "search_ties", "facets", "mixed", "mixed_facets",
)  # fmt: skip
PEER_ENDPOINTS = ("list", "filtered", "search")
# The other doors (issue 15), measured in-process: a feed page of one country's articles, an
# OAI-PMH ListRecords page from a random moment, one article's BibTeX, a formatted
# bibliography of the articles of a few days (some 50); and pages by cursor at random depths,
# of the whole list and of one country's (the same depths as `list` and `filtered` by number).
# Issue 16's tables: a 20 x 20 cross-tab of two random dimensions, of the whole archive and of
# one country's articles (as `facets`, whose budget they share); a country's co-mentions.
DOORS = (
    "home", "feed", "oai", "citation", "bibliography", "cursor", "cursor_filtered",
    "crosstab", "crosstab_filtered", "co_mentions",
)  # fmt: skip
# The curators' pages (benchmarks.probe admin): server time of each, signed in.
ADMIN_PAGES = ("change_form", "article_list", "admin_search", "dashboard", "country_page")
# Words of every size of answer: a country named in most pages, a topic word, rarer ones.
SEARCH_WORDS = ["Iran", "ports", "sanctions", "ceasefire", "dam", "election", "Cairo", "talks"]
# The mixed workload's words, from one in the text of nearly every article ("the") to rare.
MIXED_WORDS = ["the", "security", *SEARCH_WORDS, "Kwame", '"water security"', "ports -Iran"]
LIST_COLUMNS = [
    "slug", "title", "publication_id", "published_on", "date_source", "content_type",
    "is_stub", "word_count", "excerpt",
]  # fmt: skip


def api_paths(endpoint: str, n: int, seed: int = 1) -> list[str]:
    """`n` request paths for one endpoint of our API (needs Django set up)."""
    from archive.models import Article

    rng = random.Random(seed)
    total = Article.objects.count()
    pages = max(1, total // PAGE)
    codes = _common_countries()
    if endpoint == "list":
        return [f"/api/v1/articles/?page={rng.randint(1, pages)}" for _ in range(n)]
    if endpoint == "detail":
        keys = rng.choices(list(Article.objects.order_by("pk").values_list("pk", flat=True)), k=n)
        slugs = dict(Article.objects.filter(pk__in=keys).values_list("pk", "slug"))
        return [f"/api/v1/articles/{slugs[key]}/" for key in keys]
    if endpoint == "filtered":
        return [
            f"/api/v1/articles/?country={code}&page={rng.randint(1, max(1, count // PAGE))}"
            for code, count in (rng.choice(codes) for _ in range(n))
        ]
    if endpoint == "search":
        return [f"/api/v1/articles/?q={rng.choice(SEARCH_WORDS)}" for _ in range(n)]
    if endpoint == "search_ties":
        words = tie_heavy_words() or SEARCH_WORDS  # no index yet: the ordinary words
        return [f"/api/v1/articles/?q={rng.choice(words)}" for _ in range(n)]
    if endpoint in ("mixed", "mixed_facets"):
        # 1-3 random filters, half of the time with words too: any combination a client sends.
        path = "/api/v1/articles/" + ("facets/" if endpoint == "mixed_facets" else "")
        pool = _filter_pool(codes)
        mixed_words = MIXED_WORDS + tie_heavy_words()
        paths = []
        for _ in range(n):
            chosen = rng.sample(sorted(pool), rng.randint(1, 3))
            query = [(name, rng.choice(pool[name])) for name in chosen]
            if rng.random() < 0.5:
                query.append(("q", rng.choice(mixed_words)))
            paths.append(f"{path}?{urlencode(query)}")
        return paths
    if endpoint == "facets":
        # The whole archive's facets, and those of one country's articles.
        return [
            "/api/v1/articles/facets/" + ("" if i % 2 else f"?country={rng.choice(codes)[0]}")
            for i in range(n)
        ]
    if endpoint in DOORS:
        return _door_paths(endpoint, n, rng, codes)
    raise ValueError(endpoint)


def tie_heavy_words(k: int = 3) -> list[str]:
    """The `k` words of the corpus (titles, topics, names) whose first page ends inside the
    largest tie (many matches scoring the same: the case a page must not pay for whole),
    measured in the search index; none without one."""
    from archive.reads.index import engine_results
    from benchmarks import corpus

    lists = (corpus.ADJECTIVES, corpus.NOUNS, corpus.TOPICS, corpus.FIRST, corpus.LAST)
    candidates = {word for names in lists for name in names for word in name.split()}
    measured = []
    for word in sorted(w for w in candidates if w.isalpha() and len(w) >= 4):
        results = engine_results({"q": word})
        if results is None:
            return []
        found = results.searcher.search(results.query, limit=PAGE * 10, count=True)
        scores = [score for score, _ in found.hits]
        if len(scores) > PAGE:
            edge = scores[PAGE - 1]
            measured.append((sum(score == edge for score in scores), found.count, word))
    return [word for *_, word in sorted(measured, reverse=True)[:k]]


def _door_paths(door: str, n: int, rng: random.Random, codes) -> list[str]:
    from django.db.models import Count, Max, Min

    from archive.models import Article
    from archive.oai.protocol import stamp

    if door == "home":
        return ["/"] * n  # the landing page: counts, the newest articles, the date range
    if door == "feed":
        pages = {code: max(1, min(count // 50, 1000)) for code, count in codes}  # feeds.MAX_PAGE
        return [
            f"/feeds/articles.atom?country={code}&page={rng.randint(1, pages[code])}"
            for code, _ in (rng.choice(codes) for _ in range(n))
        ]
    if door == "oai":
        span = Article.objects.aggregate(first=Min("updated_at"), last=Max("updated_at"))
        seconds = max(1, int((span["last"] - span["first"]).total_seconds()))
        return [
            "/oai?verb=ListRecords&metadataPrefix=oai_dc&from="
            + stamp(span["first"] + timedelta(seconds=rng.randint(0, seconds)))
            for _ in range(n)
        ]
    if door in ("cursor", "cursor_filtered"):
        return _cursor_paths(door == "cursor_filtered", n, rng, codes)
    if door in ("crosstab", "crosstab_filtered"):
        from archive.tables import DIMENSIONS

        paths = []
        for _ in range(n):
            rows, cols = rng.sample(DIMENSIONS, 2)
            where = f"country={rng.choice(codes)[0]}&" if door == "crosstab_filtered" else ""
            paths.append(f"/api/v1/articles/crosstab/?{where}rows={rows}&cols={cols}&limit=20")
        return paths
    if door == "co_mentions":
        return [f"/api/v1/countries/{rng.choice(codes)[0]}/co-mentions/" for _ in range(n)]
    if door == "citation":
        keys = rng.choices(list(Article.objects.order_by("pk").values_list("pk", flat=True)), k=n)
        slugs = dict(Article.objects.filter(pk__in=keys).values_list("pk", "slug"))
        return [f"/api/v1/articles/{slugs[key]}/citation.bib" for key in keys]
    # Windows of publication dates holding a bibliography's worth of articles (its cap is 50);
    # where one holds more (a million articles), one day's articles of one publication.
    from archive.api.files import BIBLIOGRAPHY_MAX

    dated = Article.objects.exclude(published_on=None)
    span = dated.aggregate(first=Min("published_on"), last=Max("published_on"))
    days = max(1, (span["last"] - span["first"]).days)
    width = max(1, days * 50 // max(1, dated.count()))  # some 50 articles a window
    paths = []
    for _ in range(100 * n):
        start = span["first"] + timedelta(days=rng.randint(0, days))
        end = start + timedelta(days=width)
        query = f"published_after={start}&published_before={end}"
        found = dated.filter(published_on__range=(start, end)).count()
        if found > BIBLIOGRAPHY_MAX:
            by_publication = (
                dated.filter(published_on=start).order_by().values("publication__slug")
                .annotate(n=Count("pk")).values_list("publication__slug", "n")
            )  # fmt: skip
            fitting = sorted(s for s, count in by_publication if s and count <= BIBLIOGRAPHY_MAX)
            if not fitting:
                continue
            query = f"published_after={start}&published_before={start}"
            query += f"&publication={rng.choice(fitting)}"
        elif not found:
            continue
        paths.append(f"/api/v1/articles/bibliography.txt?{query}")
        if len(paths) == n:
            return paths
    raise SystemExit(f"no bibliography's worth of articles found in {100 * n} windows")


def _cursor_paths(filtered: bool, n: int, rng: random.Random, codes) -> list[str]:
    """List pages by cursor, each resuming after the last article of a random page (in the
    list's default order: newest first, then the last added). The articles at those places are
    found in one ordered pass over each list's ids: an OFFSET read per path took seconds at a
    million articles."""
    from archive.selectors import article_list

    lists: dict[str, object] = {}
    counted: dict[str, int] = {}
    picks: list[tuple[str, int]] = []
    for _ in range(n):
        articles, query = article_list(), ""
        if filtered:
            code, _ = rng.choice(codes)
            articles, query = articles.filter(countries__code=code).distinct(), f"country={code}&"
        if query not in counted:
            lists[query], counted[query] = articles, articles.count()
        pages = max(1, counted[query] // PAGE)
        picks.append((query, rng.randint(1, pages) * PAGE))
    cursors = {}
    for query, articles in lists.items():
        wanted = {position for asked, position in picks if asked == query}
        for position, cursor in _cursors_at(articles, wanted):
            cursors[query, position] = cursor.encode()
    return [
        f"/api/v1/articles/?{query}cursor={cursors[query, position]}"
        for query, position in picks
        if (query, position) in cursors
    ]


def _cursors_at(articles, positions: set[int]):
    """(position, cursor after the article at that position, from 1) for each position the list
    reaches, reading its ids once in the list's order."""
    from archive.keyset import DatabaseWalk
    from archive.selectors import article_list

    ordered = articles.order_by(*articles.model._meta.ordering)
    at: dict[int, int] = {}
    last = max(positions, default=0)
    for position, pk in enumerate(ordered.values_list("pk", flat=True).iterator(), start=1):
        if position in positions:
            at[position] = pk
        if position >= last:
            break
    items = article_list().in_bulk(at.values())
    walk = DatabaseWalk(ordered)
    return [(position, walk.cursor_at(items[pk], position)) for position, pk in at.items()]


def _filter_pool(codes: list[tuple[str, int]]) -> dict[str, list[str]]:
    """Values for each list filter, from what the database holds."""
    from archive.models import Article, Author, Publication, Topic

    years = [d.year for d in Article.objects.dates("published_on", "year")] or [2020]
    return {
        "country": [code for code, _ in codes],
        "tagged_country": [code for code, _ in codes[:5]],
        "topic": list(Topic.objects.values_list("slug", flat=True)[:30]) or ["none"],
        "author": list(Author.objects.order_by("pk").values_list("slug", flat=True)[:100]),
        "publication": list(Publication.objects.values_list("slug", flat=True)),
        "year": [str(y) for y in years],
        "published_after": [f"{y}-06-01" for y in years],
        "is_stub": ["false", "true"],
        "has_date": ["true", "false"],
        "ordering": ["-word_count", "published_on"],
    }


def _common_countries() -> list[tuple[str, int]]:
    from django.db.models import Count

    from archive.models import ArticleCountry

    rows = (
        ArticleCountry.objects.values("country__code")
        .annotate(n=Count("article", distinct=True))
        .order_by("-n")[:20]
    )
    return [(row["country__code"], row["n"]) for row in rows] or [("US", 0)]


def datasette_paths(database: str, endpoint: str, n: int, seed: int = 1) -> list[str]:
    """`n` Datasette paths for the same reads over the same file (read with sqlite3)."""
    rng = random.Random(seed)
    connection = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    low, high = connection.execute("SELECT min(id), max(id) FROM archive_article").fetchone()
    countries = connection.execute(
        """SELECT country_id, count(*) FROM archive_articlecountry
        GROUP BY country_id ORDER BY count(*) DESC LIMIT 20"""
    ).fetchall()
    connection.close()
    table = "/archive/archive_article.json?"
    base = [("_size", PAGE), ("_nosuggest", 1), ("_nofacet", 1)]
    base += [("_col", column) for column in LIST_COLUMNS]
    paths = []
    for _ in range(n):
        query = list(base)
        if endpoint in ("list", "filtered"):
            query.append(("_next", rng.randint(low, high)))
        if endpoint == "filtered":
            country_id, _count = rng.choice(countries)
            query.append(
                (
                    "_where",
                    "id in (select article_id from archive_articlecountry "
                    f"where country_id = {country_id})",
                )
            )
        if endpoint == "search":
            query.append(("_search", rng.choice(SEARCH_WORDS)))
        paths.append(table + urlencode(query))
    return paths


def datasette_metadata() -> dict:
    """Tell Datasette which FTS table indexes the articles (it finds only its own layout)."""
    return {
        "databases": {
            "archive": {
                "tables": {"archive_article": {"fts_table": "archive_article_fts", "fts_pk": "id"}}
            }
        }
    }


def admin_paths(page: str, n: int, seed: int = 1) -> list[str]:
    """`n` paths of one of the admin's pages (ADMIN_PAGES): articles, list pages, searches
    and countries drawn at random (needs Django set up)."""
    from archive.models import Article, Country

    rng = random.Random(seed)
    if page == "change_form":
        keys = list(
            Article.objects.filter(is_stub=False).order_by("pk").values_list("pk", flat=True)[:5000]
        )
        return [f"/admin/archive/article/{rng.choice(keys)}/change/" for _ in range(n)]
    if page == "article_list":
        pages = max(1, min(Article.objects.count() // 100, 500))
        return [f"/admin/archive/article/?p={rng.randint(1, pages)}" for _ in range(n)]
    if page == "admin_search":
        return [f"/admin/archive/article/?q={rng.choice(SEARCH_WORDS)}" for _ in range(n)]
    if page == "dashboard":
        return ["/admin/"] * n
    if page == "country_page":
        codes = [code for code, _ in _common_countries()]
        pks = list(Country.objects.filter(code__in=codes).values_list("pk", flat=True))
        return [f"/admin/archive/country/{rng.choice(pks)}/change/" for _ in range(n)]
    raise ValueError(page)
