"""Writes that touch several models, as keyword-only functions shared by the API and importer."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from itertools import groupby
from operator import attrgetter

from django.db import transaction
from django.db.models import Model, QuerySet
from django.utils import timezone

from archive import history
from archive.countries import country_matcher
from archive.models import (
    Article,
    ArticleCountry,
    Author,
    AuthorAlias,
    Authorship,
    ContentType,
    Country,
    Publication,
    PublicationAlias,
    RelatedArticle,
    Topic,
    TopicAlias,
    slugs_from,
)
from archive.models.aliases import Alias
from archive.models.describing import articles_touch
from archive.rules import (
    EXCERPT_CHARS,
    body_blocks,
    country_links,
    date_by_curator,
    mention_texts,
    shorten,
)
from archive.slugs import slug_base, slug_free


def unique_slug(title: str, *, exclude_pk: int | None = None) -> str:
    base = slug_base(title)
    taken = set(slugs_from(base).exclude(pk=exclude_pk))
    return slug_free(base, taken)


def authorships_replace(*, article: Article, authors: Sequence[Author]) -> None:
    """The article's authors, in this order."""
    Authorship.objects.filter(article=article).delete()
    Authorship.objects.bulk_create(
        Authorship(article=article, author=author, position=position)
        for position, author in enumerate(dict.fromkeys(authors))
    )


def country_links_replace(
    *, article: Article, tagged: Iterable[str], mentions: Mapping[str, int]
) -> None:
    """The countries the article is tagged with (ISO codes) or mentions, with counts."""
    links = country_links(list(dict.fromkeys(tagged)), mentions)
    countries = {c.code: c for c in Country.objects.filter(code__in=[code for code, *_ in links])}
    ArticleCountry.objects.filter(article=article).delete()
    ArticleCountry.objects.bulk_create(
        ArticleCountry(article=article, country=countries[code], tagged=tagged, mentions=count)
        for code, tagged, count in links
        if code in countries
    )


def country_mentions(*, title: str, body: str) -> dict[str, int]:
    return dict(country_matcher().count(mention_texts(title, body)))


@transaction.atomic
def article_create(
    *,
    title: str,
    slug: str = "",
    publication: Publication | None = None,
    published_on: date | None = None,
    content_type: str = ContentType.COMMENTARY,
    lead: str = "",
    body: str = "",
    sections: Sequence[str] = (),
    excerpt: str = "",
    authors: Sequence[Author] = (),
    topics: Sequence[Topic] = (),
    tagged_countries: Sequence[Country] = (),
) -> Article:
    """An article written by hand (API or admin) rather than imported."""
    article = Article(slug=slug or unique_slug(title))
    _article_fill(
        article,
        title=title,
        publication=publication,
        published_on=published_on,
        content_type=content_type,
        lead=lead,
        body=body,
        sections=sections,
        excerpt=excerpt,
    )
    curate(article)
    article.save()
    authorships_replace(article=article, authors=authors)
    article.topics.set(topics)
    country_links_replace(
        article=article,
        tagged=[c.code for c in tagged_countries],
        mentions=country_mentions(title=article.title, body=article.body),
    )
    history.links_record(article)
    return article


def curate(record: Model, fields: Iterable[str] = ()) -> list[str]:
    """The one rule for every door (admin, API, merges, reverts): a curator's edit marks the
    record curated, so that later imports keep what it says. Returns the fields a save must
    write: those given, the mark, and `updated_at` where the record has one."""
    record.curated_at = timezone.now()
    stamps = [f.name for f in record._meta.concrete_fields if f.name == "updated_at"]
    return [*dict.fromkeys([*fields, "curated_at", *stamps])]


def locked(record: Model) -> Model:
    """The record's row as it is now, locked until the transaction ends (PostgreSQL; a SQLite
    writer holds the whole database from BEGIN). A write made from a copy read earlier would
    put back what an import changed in between."""
    return type(record)._default_manager.select_for_update(of=("self",)).get(pk=record.pk)


def record_create(*, model: type[Model], **fields) -> Model:
    """An author, topic or publication written by hand: curated from the start."""
    record = model(**fields)
    curate(record)
    record.save()
    return record


@transaction.atomic
def record_update(*, record: Model, **fields) -> Model:
    """A curator's edit of an author, topic or publication: only the given fields change,
    on the row as it is now, and the record is curated."""
    current = locked(record)
    for name, value in fields.items():
        setattr(current, name, value)
    current.save(update_fields=curate(current, fields))
    return current


@transaction.atomic
def article_update(
    *,
    article: Article,
    authors: Sequence[Author] | None = None,
    topics: Sequence[Topic] | None = None,
    tagged_countries: Sequence[Country] | None = None,
    related: Sequence[Article] | None = None,
    reason: str | None = None,
    **fields,
) -> Article:
    """A curator's edit: only the given fields change, on the row as it is now (an import
    that rewrote the body since the caller read the article keeps its body), and later
    imports keep the article. Its version in the history keeps the links it leaves, and
    `reason` (a revert's) as the change's reason."""
    current = locked(article)
    text_changed = "title" in fields or "body" in fields
    written = _article_fill(current, **fields)
    if reason:
        current._change_reason = reason  # django-simple-history's
    current.save(update_fields=curate(current, written))
    if related is not None:
        related_replace(article=current, targets=related)
    if authors is not None:
        authorships_replace(article=current, authors=authors)
    if topics is not None:
        current.topics.set(topics)
    if tagged_countries is not None or text_changed:
        tagged = (
            [c.code for c in tagged_countries]
            if tagged_countries is not None
            else list(
                current.country_links.filter(tagged=True).values_list("country__code", flat=True)
            )
        )
        country_links_replace(
            article=current,
            tagged=tagged,
            mentions=country_mentions(title=current.title, body=current.body),
        )
    history.links_record(current)
    return current


def related_replace(*, article: Article, targets: Sequence[Article]) -> None:
    """The articles the article's cards name, in this order."""
    RelatedArticle.objects.filter(from_article=article).delete()
    RelatedArticle.objects.bulk_create(
        RelatedArticle(from_article=article, to_article=target, position=position)
        for position, target in enumerate(t for t in dict.fromkeys(targets) if t.pk != article.pk)
    )


@transaction.atomic
def authors_merge(*, into: Author, others: Iterable[Author]) -> int:
    """Fold duplicate authors into one; returns how many were merged away.

    `into` takes over their articles at the position each had (on an article both wrote,
    the earlier position), their bio and honorific where it has none, and their names as
    aliases, so that later imports credit `into`."""
    others = [other for other in others if other.pk != into.pk]
    if not others:
        return 0
    credited = list(Authorship.objects.filter(author__in=others).values_list("article", flat=True))
    rows = Authorship.objects.filter(author__in=[into, *others]).order_by(
        "article_id", "position", "pk"
    )
    moved, dropped = [], []
    for _, shared in groupby(rows, key=attrgetter("article_id")):
        first, *rest = shared
        dropped += [row.pk for row in rest]
        if first.author_id != into.pk:
            first.author = into
            moved.append(first)
    Authorship.objects.filter(pk__in=dropped).delete()
    Authorship.objects.bulk_update(moved, ["author"])
    articles_touch(pk__in=credited)  # their bylines now name `into`

    into.bio = into.bio or next((other.bio for other in others if other.bio), "")
    into.honorific = into.honorific or next((o.honorific for o in others if o.honorific), "")
    into.save(update_fields=curate(into, ["bio", "honorific"]))
    _aliases_move(AuthorAlias, into=into, others=others)
    return len(others)


@transaction.atomic
def topics_merge(*, into: Topic, others: Iterable[Topic]) -> int:
    """Fold duplicate topics into one; returns how many were merged away.

    Every article tagged with one of them is tagged with `into`; their names become aliases,
    so that later imports tag `into`."""
    others = [other for other in others if other.pk != into.pk]
    if not others:
        return 0
    Tagging = Article.topics.through
    tagged = set(Tagging.objects.filter(topic=into).values_list("article_id", flat=True))
    moving = (
        set(Tagging.objects.filter(topic__in=others).values_list("article_id", flat=True)) - tagged
    )
    Tagging.objects.bulk_create(Tagging(article_id=pk, topic=into) for pk in sorted(moving))
    retagged = list(Tagging.objects.filter(topic__in=others).values_list("article_id", flat=True))
    Tagging.objects.filter(topic__in=others).delete()  # a topic in use cannot be deleted
    articles_touch(pk__in=retagged)
    _aliases_move(TopicAlias, into=into, others=others)
    return len(others)


def _aliases_move(alias_model: type[Alias], *, into: Model, others: list) -> None:
    """The merged records' slugs, and their own aliases, now name `into`; then they go."""
    field = alias_model.target_field
    alias_model.objects.filter(**{f"{field}__in": others}).update(**{field: into})
    for other in others:
        alias_model.objects.update_or_create(slug=other.slug, defaults={field: into})
    for other in others:
        other.delete()


def articles_mark_stub(*, articles: QuerySet[Article], is_stub: bool) -> int:
    """A curator's verdict on whether articles are stubs; returns how many changed."""
    changed = 0
    for article in articles.exclude(is_stub=is_stub):
        article.is_stub = is_stub
        article.save(update_fields=curate(article, ["is_stub"]))  # one history row each
        changed += 1
    return changed


def date_source_for(published_on: date | None) -> str:
    """Where a date set by hand comes from (archive.rules.date_by_curator)."""
    return date_by_curator(published_on)[1]


def _article_fill(article: Article, **fields) -> list[str]:
    """Set the given fields and those derived from them; returns the names of all set."""
    for name, value in fields.items():
        setattr(article, name, list(value) if name == "sections" else value)
    written = [*fields]
    if "published_on" in fields and "date_source" not in fields:  # a revert gives its own
        article.date_source = date_source_for(article.published_on)
        written.append("date_source")
    if "title" in fields:
        written.append("title_key")  # Article.save derives it
    if "body" in fields:
        article.word_count = len(article.body.split())
        written.append("word_count")
        if not fields.get("lead"):
            article.lead = body_blocks(article.body)[0] if article.body else ""
            written.append("lead")
    if not article.excerpt and article.lead:
        article.excerpt = shorten(article.lead, EXCERPT_CHARS)
        written.append("excerpt")
    return [*dict.fromkeys(written)]


@dataclass(frozen=True)
class Reverted:
    """What a revert did: its changes in words, and what it could not restore."""

    changes: list[history.Change]
    missing: list[str]


@transaction.atomic
def article_revert(*, article: Article, version) -> Reverted:
    """The article as `version` (one of its history's rows) left it: its fields and links,
    through article_update like any edit, so that it is curated and recorded (reason: the
    version reverted to). Links a version did not record, or records since gone, are named."""
    current = locked(article)
    before = current.history.order_by("-history_date", "-history_id").first()
    fields = {
        name: getattr(version, "publication_id" if name == "publication" else name)
        for name in history.FIELDS
    }
    fields["publication_id"] = fields.pop("publication")
    fields = {name: value for name, value in fields.items() if getattr(current, name) != value}
    links, missing = {}, []
    recorded = history.links_of(version)
    if recorded is None:
        missing.append("links (not recorded for that version; left as they are)")
    else:
        found = {
            kind: model._base_manager.in_bulk([i[0] if kind == "countries" else i for i in ids])
            for kind, model, ids in (
                ("authors", Author, recorded["authors"]),
                ("topics", Topic, recorded["topics"]),
                ("countries", Country, recorded["countries"]),
                ("related", Article, recorded["related"]),
            )
        }
        links = {
            "authors": [
                found["authors"][pk] for pk in recorded["authors"] if pk in found["authors"]
            ],
            "topics": [found["topics"][pk] for pk in recorded["topics"] if pk in found["topics"]],
            "tagged_countries": [
                found["countries"][pk] for pk, tagged in recorded["countries"] if tagged
            ],
            "related": [
                found["related"][pk] for pk in recorded["related"] if pk in found["related"]
            ],
        }
        for kind in ("authors", "topics", "related"):
            if gone := len(recorded[kind]) - len(found[kind]):
                missing.append(f"{gone} of its {kind} (no longer in the archive)")
    when = version.history_date.strftime("%Y-%m-%d %H:%M:%S UTC")
    updated = article_update(
        article=current, reason=f"reverted to the version of {when}", **links, **fields
    )
    after = updated.history.order_by("-history_date", "-history_id").first()
    return Reverted(history.changes(before, after, history.Names([before, after])), missing)


@transaction.atomic
def publications_merge(*, into: Publication, others: Iterable[Publication]) -> int:
    """Fold duplicate publications into one; returns how many were merged away.

    `into` takes over their articles, their acronym and website where it has none, and their
    slugs and acronyms as aliases, so that later imports credit `into`."""
    others = [other for other in others if other.pk != into.pk]
    if not others:
        return 0
    moved = list(Article.objects.filter(publication__in=others).values_list("pk", flat=True))
    Article.objects.filter(pk__in=moved).update(publication=into)
    articles_touch(pk__in=moved)  # their citations and records now name `into`
    into.acronym = into.acronym or next((o.acronym for o in others if o.acronym), "")
    into.website = into.website or next((o.website for o in others if o.website), "")
    into.save(update_fields=curate(into, ["acronym", "website"]))
    PublicationAlias.objects.filter(publication__in=others).update(publication=into)
    for other in others:
        PublicationAlias.objects.update_or_create(
            slug=other.slug, defaults={"publication": into, "acronym": other.acronym}
        )
        other.delete()
    return len(others)


@transaction.atomic
def articles_bulk_update(
    *, articles: QuerySet[Article], change: Callable[[Article], dict | None], reason: str
) -> int:
    """One curator's edit made to many articles in one transaction, each through
    article_update (curated, its version recorded with `reason`); `change` gives an article's
    new values, or None when it has them already. Returns how many changed."""
    changed = 0
    for article in articles.order_by("pk"):
        fields = change(article)
        if fields is None:
            continue
        article_update(article=article, reason=reason, **fields)
        changed += 1
    return changed


@transaction.atomic
def articles_curated_set(*, articles: QuerySet[Article], curated: bool, reason: str) -> int:
    """Mark articles curated (later imports keep them) or not (a later import of a changed
    file rewrites them); each changed one's version recorded with `reason`."""
    changed = 0
    for article in articles.filter(curated_at__isnull=curated).order_by("pk"):
        current = locked(article)
        current._change_reason = reason
        if curated:
            current.save(update_fields=curate(current))
        else:
            current.curated_at = None
            current.save(update_fields=["curated_at", "updated_at"])
        changed += 1
    return changed
