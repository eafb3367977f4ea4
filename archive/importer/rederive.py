"""What an article's derivation gave, kind by kind, so that deriving it again by newer rules
(archive.rules.RULES_VERSION) can say what changed: its title, date, authors, topics, tagged
countries, mention counts, sections and related articles. Read for a batch in one query per
kind of link."""

from __future__ import annotations

from collections import defaultdict

from archive.models import Article, ArticleCountry, Authorship, RelatedArticle

KINDS = ("title", "date", "authors", "topics", "tagged", "mentions", "sections", "related")


def derived(article_ids: list[int]) -> dict[int, dict[str, object]]:
    """Each article's derived values, by kind."""
    if not article_ids:
        return {}
    values: dict[int, dict[str, object]] = defaultdict(lambda: defaultdict(list))
    for pk, title, day, sections in Article.objects.filter(pk__in=article_ids).values_list(
        "pk", "title", "published_on", "sections"
    ):
        values[pk] |= {"title": title, "date": day, "sections": list(sections)}
    for pk, name in (
        Authorship.objects.filter(article_id__in=article_ids)
        .order_by("article_id", "position")
        .values_list("article_id", "author__name")
    ):
        values[pk]["authors"].append(name)
    through = Article.topics.through
    for pk, name in (
        through.objects.filter(article_id__in=article_ids)
        .order_by("article_id", "topic__name")
        .values_list("article_id", "topic__name")
    ):
        values[pk]["topics"].append(name)
    for pk, code, tagged, mentions in (
        ArticleCountry.objects.filter(article_id__in=article_ids)
        .order_by("article_id", "country__code")
        .values_list("article_id", "country__code", "tagged", "mentions")
    ):
        if tagged:
            values[pk]["tagged"].append(code)
        if mentions:
            values[pk]["mentions"].append((code, mentions))
    for pk, title in (
        RelatedArticle.objects.filter(from_article_id__in=article_ids)
        .order_by("from_article_id", "position")
        .values_list("from_article_id", "to_article__title")
    ):
        values[pk]["related"].append(title)
    return {pk: dict(kinds) for pk, kinds in values.items()}


def changed(before: dict[str, object], after: dict[str, object]) -> list[str]:
    """The kinds whose values differ."""
    return [kind for kind in KINDS if before.get(kind, []) != after.get(kind, [])]
