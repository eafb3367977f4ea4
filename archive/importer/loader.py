"""Write ArticleRecords to the database: the only importer code that writes.

`BatchLoader.load` takes the files of one batch in order and decides, for each, what one
file-by-file import would have done, reading what exists in a few queries for the whole batch
(its constructor) and writing with bulk statements (archive.importer.writing). The caller
wraps a batch in a transaction, so a failure leaves nothing of it behind (and retries its files
one at a time to name the one that failed).
"""

from __future__ import annotations

import enum
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from itertools import count

from django.db.models import Model
from django.utils import timezone

from archive import stored
from archive.models import (
    Article,
    ArticleCountry,
    ArticleSource,
    Author,
    AuthorAlias,
    Authorship,
    ContentType,
    Country,
    Publication,
    RelatedArticle,
    Topic,
    TopicAlias,
)
from archive.models.aliases import Alias
from archive.rules import (
    RULES_VERSION,
    UNKNOWN,
    country_links,
    date_from_card,
    date_from_page,
    title_key,
)
from archive.search import authors_indexed_once
from archive.services import slug_base, slug_free

from . import rederive
from .records import ArticleRecord, CardRecord, PublicationRecord, SourceError
from .workers import page_parse
from .writing import history_copy, rows_insert, rows_update


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
    changed: list[str] | None = None  # derived again by newer rules: the kinds that changed


@dataclass
class SourceItem:
    """One file of a batch. Its record is None when the file's bytes matched those of its
    last import; should that no longer hold when the batch is written, it is parsed then."""

    source_name: str
    bytes_sha256: str
    data: bytes
    record: ArticleRecord | None = None

    def parsed(self) -> ArticleRecord:
        if self.record is None:
            self.record = page_parse(self.data)
        return self.record


# What an import writes on an article; a bulk update sets exactly these.
ARTICLE_FIELDS = [
    "title",
    "title_key",
    "slug",
    "publication",
    "published_on",
    "date_source",
    "lead",
    "body",
    "sections",
    "excerpt",
    "word_count",
    "content_type",
    "is_stub",
    "source_name",
    "source_sha256",
    "source_bytes_sha256",
    "imported_at",
    "rules_version",
    "updated_at",
]
ENRICHED_FIELDS = ["published_on", "date_source", "excerpt", "updated_at"]
AUTHOR_FIELDS = ["bio", "honorific", "updated_at"]
NOT_YET_SAVED = 1 << 62  # sorts a new article after every saved one, in creation order


@dataclass
class Links:
    """What one article of the batch links to, written with it (and replacing its old links
    when it is rewritten). A new stub has only its card's country; `authors` None: none set."""

    article: Article
    authors: list[Author] | None = None
    topics: list[Topic] = field(default_factory=list)
    countries: list[tuple[str, bool, int]] = field(default_factory=list)  # rules.country_links
    related: list[Article] = field(default_factory=list)


class BatchLoader:
    """Loads the files of one batch; make a new one for each batch."""

    def __init__(self, items: list[SourceItem], *, force: bool = False):
        self.items = items
        self.force = force
        self.now = timezone.now()
        self._order = count()
        records = [item.record for item in items if item.record is not None]
        names = [item.source_name for item in items]

        # What the files' last imports left: an unchanged file needs no more than this.
        # Derived from these bytes by today's rules, or not (archive.rules.RULES_VERSION).
        self.seen = {
            name: (digest, slug, rules == RULES_VERSION)
            for name, digest, slug, rules in Article.objects.filter(
                source_name__in=names
            ).values_list("source_name", "source_bytes_sha256", "slug", "rules_version")
        }
        changed = [i.source_name for i in items if force or not self._as_last_time(i)]
        # Every file the same bytes as at its last import: nothing more to read or to write.
        self.idle = not force and all(self._as_last_time(i) for i in items)
        if self.idle:
            return
        # One object per row, whichever way it was found, so that no change is written over;
        # without their text, which a rewrite replaces whole.
        self.by_pk: dict[int, Article] = {}
        self.by_source = {
            a.source_name: self._one_object(a)
            for a in Article.objects.filter(source_name__in=changed).defer(
                "lead", "body", "sections"
            )
        }
        self.names_by_checksum: dict[str, set[str]] = defaultdict(set)
        for name, checksum in Article.objects.filter(
            source_sha256__in={r.checksum for r in records}
        ).values_list("source_name", "source_sha256"):
            self.names_by_checksum[checksum].add(name)

        card_titles = [card.title for r in records for card in r.related]
        keys = {title_key(t) for t in [*(r.title for r in records), *card_titles]}
        self.by_key: dict[str, list[Article]] = defaultdict(list)
        # Their text is not needed: a card only dates them or gives a stub its excerpt.
        for article in (
            Article.objects.filter(title_key__in=keys).defer("lead", "body").order_by("pk")
        ):
            self.by_key[article.title_key].append(self._one_object(article))
        self.slugs = _Slugs([*(r.title for r in records), *card_titles])

        self.publications = list(Publication.objects.all())
        self.authors = _Named(
            Author, AuthorAlias, {slug_base(a.name, "author") for r in records for a in r.authors}
        )
        self.topics = _Named(
            Topic, TopicAlias, {slug_base(t, "topic") for r in records for t in r.topics}
        )
        self.country_ids = dict(Country.objects.values_list("code", "pk"))

        self.new_articles: list[Article] = []
        self.dirty_articles: dict[int, Article] = {}
        self.rewritten: list[Article] = []  # whose links are replaced
        # Each article written, once, with its links (Article.batch_links): a stub filled
        # later in the batch has its card's links replaced by its page's.
        self.linked: list[Article] = []
        self.digests: list[Article] = []
        # The bytes each written article is from, compressed, and their size.
        self.sources: list[tuple[Article, bytes, int]] = []
        # Articles derived again by newer rules: what they held before, to say what changed.
        self.older = {a.pk: a for a in self.by_source.values() if a.rules_version != RULES_VERSION}
        self.before = rederive.derived(list(self.older))
        self.rederived: dict[int, LoadResult] = {}

    def _as_last_time(self, item: SourceItem) -> bool:
        """The file's bytes are those its article was last derived from, by today's rules."""
        digest, _, current = self.seen.get(item.source_name, ("", "", False))
        return digest == item.bytes_sha256 and current

    def _link(self, links: Links) -> None:
        if not hasattr(links.article, "batch_links"):
            self.linked.append(links.article)
        links.article.batch_links = links

    @property
    def links(self) -> list[Links]:
        return [article.batch_links for article in self.linked]

    def _one_object(self, article: Article) -> Article:
        return self.by_pk.setdefault(article.pk, article)

    # -- deciding, file by file, in memory -------------------------------------------------

    def load(self, on_item: Callable[[], None] = lambda: None) -> list[LoadResult]:
        """Each item's result; `on_item` is called as each is made ready for the batch's
        writes (a progress bar's step)."""
        results = []
        for item in self.items:
            results.append(self._one(item))
            on_item()
        self._write()
        return results

    def _one(self, item: SourceItem) -> LoadResult:
        existing = None if self.idle else self.by_source.get(item.source_name)
        if existing is None and not self.force and self._as_last_time(item):
            slug = self.seen[item.source_name][1]
            return LoadResult(Outcome.UNCHANGED, slug=slug)  # the same bytes as last time
        record = item.record
        if (
            existing
            and not self.force
            and existing.rules_version == RULES_VERSION
            and (
                existing.source_bytes_sha256 == item.bytes_sha256
                or (record and existing.source_sha256 == record.checksum)
            )
        ):
            if existing.source_bytes_sha256 != item.bytes_sha256 and existing.pk:
                existing.source_bytes_sha256 = item.bytes_sha256  # same text, other bytes
                self.digests.append(existing)
                self.sources.append((existing, stored.compressed(item.data), len(item.data)))
            return LoadResult(Outcome.UNCHANGED, slug=existing.slug)
        try:
            record = item.parsed()
        except SourceError as error:
            return LoadResult(Outcome.FAILED, detail=str(error))
        twin = next(iter(self.names_by_checksum[record.checksum] - {item.source_name}), None)
        if twin:
            return LoadResult(Outcome.DUPLICATE, detail=f"same content as {twin}")
        if existing and _curated_since_import(existing) and not self.force:
            return LoadResult(
                Outcome.KEPT, slug=existing.slug, detail="edited by a curator; --force to overwrite"
            )

        result = LoadResult(Outcome.UPDATED if existing else Outcome.CREATED)
        key = title_key(record.title)
        article = existing or next(
            (a for a in self.by_key[key] if a.is_stub and a.source_name is None), None
        )
        if article is not None and article.is_stub:
            result.stubs_filled = 1
        if article is None:
            article = self._new(Article(slug=self.slugs.take(record.title)), key)
        else:
            self.names_by_checksum[article.source_sha256].discard(item.source_name)
            self._touch(article)
        if article.pk:
            self.rewritten.append(article)

        publication = self._publication(record.publication)
        _fill_article(article, record, source_name=item.source_name, publication=publication)
        article.source_bytes_sha256 = item.bytes_sha256
        article.imported_at = self.now
        kept = record.stored or stored.compressed(item.data)  # parsed here, not by a worker
        self.sources.append((article, kept, len(item.data)))
        if article.pk in self.older and article.source_bytes_sha256 == item.bytes_sha256:
            self.rederived[article.pk] = result  # the same page, derived again
        self.by_source[item.source_name] = article
        self.names_by_checksum[record.checksum].add(item.source_name)

        related, result.stubs_created = self._related(article, record, publication)
        self._link(
            Links(
                article,
                authors=_distinct(self._author(a) for a in record.authors),
                topics=_distinct(self.topics.get(t) for t in record.topics),
                countries=[
                    row
                    for row in country_links(record.tagged_countries, dict(record.mentions))
                    if row[0] in self.country_ids
                ],
                related=related,
            )
        )
        result.slug = article.slug
        return result

    def _new(self, article: Article, key: str) -> Article:
        article.title_key = key
        article._order = NOT_YET_SAVED + next(self._order)
        self.new_articles.append(article)
        self.by_key[key].append(article)
        return article

    def _touch(self, article: Article) -> None:
        article.updated_at = self.now
        if article.pk:
            self.dirty_articles[article.pk] = article

    def _publication(self, record: PublicationRecord | None) -> Publication | None:
        if record is None:
            return None
        found = None
        if record.acronym:
            acronym = record.acronym.casefold()
            found = next((p for p in self.publications if p.acronym.casefold() == acronym), None)
        if found is None and record.name:
            slug = slug_base(record.name, "publication")
            found = next((p for p in self.publications if p.slug == slug), None)
        if found is None:
            name = record.name or record.acronym
            found = Publication.objects.create(
                name=name, slug=slug_base(name, "publication"), acronym=record.acronym
            )
            self.publications.append(found)
            return found
        changed = []
        if record.acronym and not found.acronym:
            found.acronym = record.acronym
            changed.append("acronym")
        if record.name and found.name == found.acronym:
            found.name = record.name  # it was only known by its acronym until now
            changed.append("name")
        if changed:
            found.save(update_fields=changed)
        return found

    def _author(self, record) -> Author:
        author = self.authors.get(record.name, honorific=record.honorific, bio=record.bio)
        if author.curated_at:
            return author  # a curator's bio wins
        # The bio is the latest seen; the honorific is kept once known.
        bio = record.bio or author.bio
        honorific = record.honorific or author.honorific
        if (bio, honorific) != (author.bio, author.honorific):
            author.bio, author.honorific, author.updated_at = bio, honorific, self.now
            if author.pk:
                self.authors.dirty[author.pk] = author
        return author

    def _related(
        self, article: Article, record: ArticleRecord, publication: Publication | None
    ) -> tuple[list[Article], int]:
        """The cards' articles in order, with a stub for each one not yet known."""
        targets, stubs_created = [], 0
        for card in record.related:
            key = title_key(card.title)
            target = _best_match(self.by_key[key], exclude=article)
            if target is None:
                target = self._new(_stub(card, publication, self.slugs.take(card.title)), key)
                if card.country and card.country in self.country_ids:
                    self._link(Links(target, countries=[(card.country, True, 0)]))
                stubs_created += 1
            else:
                self._enrich(target, card)
            targets.append(target)
        return _distinct(targets), stubs_created

    def _enrich(self, target: Article, card: CardRecord) -> None:
        """What a card knows that the article lacks (a date, an excerpt), unless curated."""
        if target.curated_at:
            return
        changed = False
        dated = date_from_card((target.published_on, target.date_source), card.published_on)
        if dated != (target.published_on, target.date_source):
            target.published_on, target.date_source = dated
            changed = True
        if target.is_stub and len(card.excerpt) > len(target.excerpt):
            target.excerpt = card.excerpt
            changed = True
        if changed:
            self._touch(target)

    # -- writing, once for the batch ---------------------------------------------------------

    def _write(self) -> None:
        if self.idle:
            return
        self.authors.write(self.now)
        self.topics.write(self.now)
        if self.new_articles:
            Article.objects.bulk_create(self.new_articles)
            history_copy(Article, [a.pk for a in self.new_articles], "+", self.now)
        rewritten = {a.pk for a in self.rewritten}
        rows_update([a for a in self.dirty_articles.values() if a.pk in rewritten], ARTICLE_FIELDS)
        # Only dated or given an excerpt by a card: the rest of the row (its body) is not even
        # loaded, so it is not written back either.
        rows_update(
            [a for a in self.dirty_articles.values() if a.pk not in rewritten], ENRICHED_FIELDS
        )
        history_copy(Article, list(self.dirty_articles), "~", self.now)
        rows_update(self.digests, ["source_bytes_sha256"])
        # A rewritten article's old source goes; a new article has none yet.
        replaced = rewritten | {article.pk for article in self.digests}
        ArticleSource.objects.filter(article_id__in=replaced).delete()
        rows_insert(
            ArticleSource,
            ["article", "data", "size"],
            ((article.pk, data, size) for article, data, size in self.sources),
        )

        authored = [links.article.pk for links in self.links if links.authors is not None]
        with authors_indexed_once(authored):
            if rewritten:
                for model, column in (
                    (Authorship, "article_id"),
                    (Article.topics.through, "article_id"),
                    (ArticleCountry, "article_id"),
                    (RelatedArticle, "from_article_id"),
                ):
                    model.objects.filter(**{f"{column}__in": list(rewritten)}).delete()
            rows_insert(
                Authorship,
                ["article", "author", "position"],
                (
                    (links.article.pk, author.pk, position)
                    for links in self.links
                    for position, author in enumerate(links.authors or ())
                ),
            )
        rows_insert(
            Article.topics.through,
            ["article", "topic"],
            ((links.article.pk, topic.pk) for links in self.links for topic in links.topics),
        )
        rows_insert(
            ArticleCountry,
            ["article", "country", "tagged", "mentions"],
            (
                (links.article.pk, self.country_ids[code], tagged, mentions)
                for links in self.links
                for code, tagged, mentions in links.countries
            ),
        )
        rows_insert(
            RelatedArticle,
            ["from_article", "to_article", "position"],
            (
                (links.article.pk, target.pk, position)
                for links in self.links
                for position, target in enumerate(links.related)
            ),
        )
        after = rederive.derived(list(self.rederived))
        for article_pk, result in self.rederived.items():
            result.changed = rederive.changed(self.before.get(article_pk, {}), after[article_pk])
            what = ", ".join(result.changed) or "nothing changed"
            result.detail = f"derived again by rules {RULES_VERSION}: {what}"


class _Named:
    """Authors or topics of a batch by slug, found through aliases, created when new."""

    def __init__(self, model: type[Model], alias_model: type[Alias], slugs: set[str]):
        self.model = model
        self.by_slug = {o.slug: o for o in model.objects.filter(slug__in=slugs)}
        field = alias_model.target_field
        by_pk = {o.pk: o for o in self.by_slug.values()}
        for alias in alias_model.objects.select_related(field).filter(
            slug__in=slugs - self.by_slug.keys()
        ):
            target = getattr(alias, field)
            self.by_slug[alias.slug] = by_pk.setdefault(target.pk, target)
        self.new: list[Model] = []
        self.dirty: dict[int, Model] = {}

    def get(self, name: str, **fields) -> Model:
        slug = slug_base(name, self.model._meta.model_name)
        found = self.by_slug.get(slug)
        if found is None:
            found = self.by_slug[slug] = self.model(slug=slug, name=name, **fields)
            self.new.append(found)
        return found

    def write(self, now) -> None:
        if self.new:
            self.model.objects.bulk_create(self.new)
            if hasattr(self.model, "history"):
                history_copy(self.model, [o.pk for o in self.new], "+", now)
        if self.dirty:
            dirty = list(self.dirty.values())
            rows_update(dirty, AUTHOR_FIELDS)
            history_copy(self.model, [author.pk for author in dirty], "~", now)


class _Slugs:
    """Unique article slugs for a batch: what the database holds plus what the batch took."""

    def __init__(self, titles: list[str]):
        bases = {slug_base(title) for title in titles}
        self.taken_bases = set(
            Article.objects.filter(slug__in=bases).values_list("slug", flat=True)
        )
        self.taken: set[str] = set()

    def take(self, title: str) -> str:
        base = slug_base(title)
        if base in self.taken_bases:
            self.taken.update(
                Article.objects.filter(slug__startswith=f"{base}-").values_list("slug", flat=True)
            )
            self.taken.add(base)
            self.taken_bases.discard(base)  # now in self.taken, with its numbered forms
        slug = slug_free(base, self.taken)
        self.taken.add(slug)
        return slug


def _distinct(objects: Iterable[Model]) -> list[Model]:
    """In order, each once; by identity, as objects not yet saved have no key to compare."""
    return list({id(o): o for o in objects}.values())


def _best_match(candidates: list[Article], *, exclude: Article) -> Article | None:
    """The article a card names: a whole article over a stub, then the earliest."""
    others = [a for a in candidates if a is not exclude]
    return min(others, key=lambda a: (a.is_stub, a.pk or a._order), default=None)


def _curated_since_import(article: Article) -> bool:
    if article.curated_at is None:
        return False
    return article.imported_at is None or article.curated_at >= article.imported_at


def _fill_article(
    article: Article, record: ArticleRecord, *, source_name: str, publication: Publication | None
) -> None:
    article.title = record.title
    article.title_key = title_key(record.title)
    article.publication = publication or article.publication
    article.published_on, article.date_source = date_from_page(
        (article.published_on, article.date_source), record.published_on
    )
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
    article.rules_version = RULES_VERSION


def _stub(card: CardRecord, publication: Publication | None, slug: str) -> Article:
    return Article(
        title=card.title,
        slug=slug,
        publication=publication,
        published_on=card.published_on,
        date_source=date_from_card((None, UNKNOWN), card.published_on)[1],
        excerpt=card.excerpt,
        content_type=content_type_for(card.kind),
        is_stub=True,
    )


def content_type_for(kind: str) -> str:
    if not kind:
        return ContentType.COMMENTARY
    return kind if kind in ContentType.values else ContentType.OTHER
