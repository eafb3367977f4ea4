"""A corpus for the search tests: many articles whose sort values tie."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest

from archive.models import Article, ArticleCountry, Author, Authorship, Country, Publication
from archive.search.engine import SearchIndex


@pytest.fixture
def corpus(db):
    """150 articles: days shared by several, some undated, lengths shared too."""
    rng = random.Random(7)
    publication = Publication.objects.create(name="Forum", slug="forum", acronym="F")
    author = Author.objects.create(name="Ada Example", slug="ada-example")
    iran, egypt = Country.objects.get(code="IR"), Country.objects.get(code="EG")
    for i in range(150):
        day = None if i % 11 == 0 else date(2020, 1, 1) + timedelta(days=rng.randint(0, 90) * 5)
        words = rng.choice([0, 40, 40, 120, 260, 1000])
        body = " ".join(rng.choice(["harbour", "grain", "talks", "port"]) for _ in range(12))
        article = Article.objects.create(
            title=f"Piece {rng.randint(0, 40)}", title_key=f"piece {i}", slug=f"piece-{i}",
            publication=publication, body=body, published_on=day,
            date_source="page" if day else "unknown", word_count=words, is_stub=i % 13 == 0,
        )  # fmt: skip
        Authorship.objects.create(article=article, author=author, position=0)
        for country in (iran, egypt):
            if rng.random() < 0.5:
                ArticleCountry.objects.create(article=article, country=country, mentions=1)
    SearchIndex().sync()
