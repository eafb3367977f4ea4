"""The home page and an article's landing page (Django templates, no script)."""

from __future__ import annotations

import json

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_safe

from archive import selectors
from archive.api.serializers import ArticleDetailSerializer, ArticleListSerializer
from archive.models import Article, Author, Country, Publication
from archive.reads import ArticleQuery, reader_for
from archive.rules import body_paragraphs

from . import metadata
from .parameters import takes_parameters

LATEST = 10  # articles the home page lists
# The article's citations the page links: (route, format) -> label.
CITATION_LINKS = {
    ("api:article-citation", "bib"): "BibTeX",
    ("api:article-citation", "ris"): "RIS",
    ("api:article-citation", "csl.json"): "CSL-JSON",
    ("api:article-bibliography", "txt"): "APA",
}
# JSON inside a <script> element: nothing in it may close the element or open markup.
SCRIPT_ESCAPES = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026"}


@require_safe
@takes_parameters()
def home(request):
    """What the archive holds, its newest articles, and every door into it."""
    published = reader_for(ArticleQuery.of(selectors.PUBLISHED))
    # Over every article, stubs' card dates too: a filtered MIN and MAX read every row (203 ms
    # at 100,000 articles).
    dates = selectors.date_span()
    latest = published.page(0, LATEST)
    # The articles are the whole archive (its count kept per index commit) less the stubs, a
    # few of them: counting the published visited every one (8 ms at a million).
    stubs = reader_for(ArticleQuery.of({"is_stub": True})).count()
    context = {
        "counts": {
            "articles": reader_for(ArticleQuery()).count() - stubs,
            "stubs": stubs,
            "authors": Author.objects.count(),
            "publications": Publication.objects.count(),
        },
        "dates": dates,
        "latest": ArticleListSerializer(latest, many=True, context={"request": request}).data,
    }
    return render(request, "web/home.html", context)


@require_safe
@takes_parameters()
def article_page(request, slug: str):
    """An article to read and to cite: its text, its people and places, and its metadata for
    reference managers (Highwire tags) and search engines (schema.org JSON-LD)."""
    try:
        article = selectors.article_detail().get(slug=slug)
    except Article.DoesNotExist:
        raise Http404("No article here.") from None
    selectors.article_links_attach([article], related=True)
    data = ArticleDetailSerializer(article, context={"request": request}).data
    page_url = request.build_absolute_uri(request.path)
    codes = [country["code"] for country in data["countries"]]
    alpha3 = dict(Country.objects.filter(code__in=codes).values_list("code", "alpha3"))
    context = {
        "article": data,
        "blocks": body_paragraphs(data["body"], data["sections"]),
        "json_ld": script_json(metadata.json_ld(data, page_url, alpha3)),
        "highwire": metadata.highwire_tags(data, page_url),
        "citations": [
            (label, reverse(route, kwargs={"slug": slug, "file_format": name}))
            for (route, name), label in CITATION_LINKS.items()
        ],
    }
    return render(request, "web/article.html", context)


def script_json(data: dict) -> str:
    return mark_safe(json.dumps(data, ensure_ascii=False).translate(SCRIPT_ESCAPES))  # noqa: S308 (escaped above)
