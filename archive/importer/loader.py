"""Write an ArticleRecord to the database: the only importer code that writes.

One call is one file; the caller wraps it in a transaction, so a failure leaves nothing behind.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from django.db.models import Model
from django.utils import timezone
from django.utils.text import slugify

from archive.models import (
    Article,
    Author,
    AuthorAlias,
    ContentType,
    DateSource,
    Publication,
    RelatedArticle,
    Topic,
    TopicAlias,
)
from archive.models.aliases import Alias
from archive.services import authorships_replace, country_links_replace, unique_slug

from .parser import title_key
from .records import ArticleRecord, CardRecord, PublicationRecord


class Outcome(enum.StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    KEPT = "kept"  # a curator edited the article since its import; not overwritten
    DUPLICATE = "duplicate"  # the same content already came from another file
    FAILED = "failed"


@dataclass
class LoadResult:
    outcome: Outcome
    slug: str = ""
    detail: str = ""
    stubs_created: int = 0
    stubs_filled: int = 0


def article_load(*, source_name: str, record: ArticleRecord, force: bool = False) -> LoadResult:
    existing = Article.objects.filter(source_name=source_name).first()
    if existing and existing.source_sha256 == record.checksum:
        return LoadResult(Outcome.UNCHANGED, slug=existing.slug)
    twin = (
        Article.objects.filter(source_sha256=record.checksum)
        .exclude(source_name=source_name)
        .values_list("source_name", flat=True)
        .first()
    )
    if twin:
        return LoadResult(Outcome.DUPLICATE, detail=f"same content as {twin}")
    if existing and _curated_since_import(existing) and not force:
        return LoadResult(
            Outcome.KEPT, slug=existing.slug, detail="edited by a curator; --force to overwrite"
        )

    result = LoadResult(Outcome.UPDATED if existing else Outcome.CREATED)
    article = existing or _stub_for(record.title)
    if article is not None and article.is_stub:
        result.stubs_filled = 1
    article = article or Article(slug=unique_slug(record.title))

    publication = publication_get_or_create(record.publication)
    _fill_article(article, record, source_name=source_name, publication=publication)
    article.save()
    _set_authors(article, record)
    _set_topics(article, record)
    _set_countries(article, record)
    result.stubs_created = _set_related(article, record.related, publication)
    result.slug = article.slug
    return result


def _curated_since_import(article: Article) -> bool:
    if article.curated_at is None:
        return False
    return article.imported_at is None or article.curated_at >= article.imported_at


def _stub_for(title: str) -> Article | None:
    return Article.objects.filter(
        title_key=title_key(title), is_stub=True, source_name__isnull=True
    ).first()


def publication_get_or_create(record: PublicationRecord | None) -> Publication | None:
    if record is None:
        return None
    publication = None
    if record.acronym:
        publication = Publication.objects.filter(acronym__iexact=record.acronym).first()
    if publication is None and record.name:
        publication = Publication.objects.filter(slug=slugify(record.name)).first()
    if publication is None:
        name = record.name or record.acronym
        return Publication.objects.create(
            name=name, slug=slugify(name) or "publication", acronym=record.acronym
        )
    changed = []
    if record.acronym and not publication.acronym:
        publication.acronym = record.acronym
        changed.append("acronym")
    if record.name and publication.name == publication.acronym:
        publication.name = record.name  # it was only known by its acronym until now
        changed.append("name")
    if changed:
        publication.save(update_fields=changed)
    return publication


def _fill_article(
    article: Article, record: ArticleRecord, *, source_name: str, publication: Publication | None
) -> None:
    article.title = record.title
    article.publication = publication or article.publication
    if record.published_on:
        article.published_on, article.date_source = record.published_on, DateSource.DATELINE
    elif article.date_source == DateSource.DATELINE or article.published_on is None:
        # The file lost its dateline; a date from a card or a curator stays.
        article.published_on, article.date_source = None, DateSource.UNKNOWN
    article.lead = record.lead
    article.body = record.body
    article.sections = list(record.sections)
    article.excerpt = record.excerpt
    article.word_count = record.word_count
    if article.is_stub or not article.content_type:
        article.content_type = ContentType.COMMENTARY
    article.is_stub = False
    article.source_name = source_name
    article.source_sha256 = record.checksum
    article.imported_at = timezone.now()


def _set_authors(article: Article, record: ArticleRecord) -> None:
    authors = []
    for author_record in record.authors:
        slug = slugify(author_record.name) or "author"
        author = _known(Author, AuthorAlias, slug)
        if author is None:
            author = Author.objects.create(
                slug=slug,
                name=author_record.name,
                honorific=author_record.honorific,
                bio=author_record.bio,
            )
        elif not author.curated_at:
            # The bio is the latest seen; the honorific is kept once known. A curator's wins.
            author.bio = author_record.bio or author.bio
            author.honorific = author_record.honorific or author.honorific
            author.save(update_fields=["bio", "honorific", "updated_at"])
        authors.append(author)
    authorships_replace(article=article, authors=authors)


def _set_topics(article: Article, record: ArticleRecord) -> None:
    topics = []
    for name in record.topics:
        slug = slugify(name) or "topic"
        topic = _known(Topic, TopicAlias, slug) or Topic.objects.create(slug=slug, name=name)
        topics.append(topic)
    article.topics.set(topics)


def _known(model: type[Model], alias_model: type[Alias], slug: str):
    """The record with this slug, or the one a curator merged that slug into."""
    found = model.objects.filter(slug=slug).first()
    if found is None:
        field = alias_model.target_field
        alias = alias_model.objects.select_related(field).filter(slug=slug).first()
        found = getattr(alias, field) if alias else None
    return found


def _set_countries(article: Article, record: ArticleRecord) -> None:
    country_links_replace(
        article=article, tagged=record.tagged_countries, mentions=dict(record.mentions)
    )


def _set_related(
    article: Article, cards: tuple[CardRecord, ...], publication: Publication | None
) -> int:
    """Link the cards' articles in order, creating a stub for each one not yet known."""
    RelatedArticle.objects.filter(from_article=article).delete()
    keys = [title_key(card.title) for card in cards]
    known: dict[str, Article] = {}
    # One query for every card; a whole article wins over a stub of the same title.
    for candidate in (
        Article.objects.filter(title_key__in=keys)
        .exclude(pk=article.pk)
        .order_by("-is_stub", "-pk")
    ):
        known[candidate.title_key] = candidate
    stubs_created = 0
    links = []
    for position, (key, card) in enumerate(zip(keys, cards, strict=True)):
        target = known.get(key)
        if target is None:
            target = known[key] = _stub_create(card, publication)
            stubs_created += 1
        else:
            _stub_enrich(target, card)
        links.append(RelatedArticle(from_article=article, to_article=target, position=position))
    RelatedArticle.objects.bulk_create(links)
    return stubs_created


def _stub_create(card: CardRecord, publication: Publication | None) -> Article:
    stub = Article.objects.create(
        title=card.title,
        slug=unique_slug(card.title),
        publication=publication,
        published_on=card.published_on,
        date_source=DateSource.CARD if card.published_on else DateSource.UNKNOWN,
        excerpt=card.excerpt,
        content_type=content_type_for(card.kind),
        is_stub=True,
    )
    if card.country:
        country_links_replace(article=stub, tagged=[card.country], mentions={})
    return stub


def _stub_enrich(target: Article, card: CardRecord) -> None:
    """What a card knows that the record lacks (a date, an excerpt), unless a curator set it."""
    if target.curated_at:
        return
    changed = []
    if card.published_on and target.published_on is None:
        target.published_on, target.date_source = card.published_on, DateSource.CARD
        changed += ["published_on", "date_source"]
    if target.is_stub and len(card.excerpt) > len(target.excerpt):
        target.excerpt = card.excerpt
        changed.append("excerpt")
    if changed:
        target.save(update_fields=[*changed, "updated_at"])


def content_type_for(kind: str) -> str:
    if not kind:
        return ContentType.COMMENTARY
    return kind if kind in ContentType.values else ContentType.OTHER
