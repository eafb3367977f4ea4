"""Decide what one batch of files does to the archive: the importer's deciding step.

`BatchLoader.load` takes the files of one batch in order and decides, for each, what one
file-by-file import would have done. It reads what exists first, in a few queries for the whole
batch (archive.importer.existing), decides on those objects in memory, then hands what it
decided to the bulk writes (archive.importer.writing). The caller wraps a batch in a
transaction, so a failure leaves nothing of it behind (and retries its files one at a time to
name the one that failed).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import count

from django.db.models import Model
from django.utils import timezone

from archive import stored
from archive.models import Article, Author, ContentType, Publication
from archive.rules import (
    RULES_VERSION,
    UNKNOWN,
    country_links,
    date_from_card,
    date_from_page,
    title_key,
)
from archive.selectors import in_chunks
from archive.slugs import slug_base

from . import rederive
from .duplicates import RecentSketches, near_duplicates_write
from .existing import existing_read
from .pacing import Pace, pace_nowhere
from .records import ArticleRecord, CardRecord, PublicationRecord, SourceError
from .workers import page_parse, sketch_of
from .writing import Links, Writes, batch_write


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
    near_duplicates: list[tuple[str, float]] = field(default_factory=list)  # slug, similarity
    kept: list[str] = field(default_factory=list)  # curated values of other records kept


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


NOT_YET_SAVED = 1 << 62  # sorts a new article after every saved one, in creation order


class BatchLoader:
    """Loads the files of one batch; make a new one for each batch."""

    def __init__(
        self,
        items: list[SourceItem],
        *,
        force: bool = False,
        recent_sketches: RecentSketches | None = None,
    ):
        self.items = items
        self.force = force
        self.recent_sketches = recent_sketches
        if recent_sketches is not None:
            recent_sketches.checked()
        self.now = timezone.now()
        self._order = count()
        self.db = existing_read(
            [(item.source_name, item.bytes_sha256) for item in items],
            [item.record for item in items if item.record is not None],
            force=force,
        )
        self.writes = Writes()
        # Each article written, once, with its links (Article.batch_links): a stub filled
        # later in the batch has its card's links replaced by its page's.
        self.linked: list[Article] = []
        # Articles derived again by newer rules: what they held before, to say what changed.
        self.older = {
            a.pk: a for a in self.db.by_source.values() if a.rules_version != RULES_VERSION
        }
        self.before = rederive.derived(list(self.older))
        self.rederived: dict[int, LoadResult] = {}
        # The articles whose pages are written, with their sketches (archive.similarity).
        self.sketched: list[tuple[Article, bytes | None, LoadResult]] = []

    def _as_last_time(self, item: SourceItem) -> bool:
        return self.db.as_last_time(item.source_name, item.bytes_sha256)

    def _link(self, links: Links) -> None:
        if not hasattr(links.article, "batch_links"):
            self.linked.append(links.article)
        links.article.batch_links = links

    # -- deciding, file by file, in memory -------------------------------------------------

    def load(self, pace: Pace = pace_nowhere) -> list[LoadResult]:
        """Each item's result; `pace` is told as each is decided and as the batch's writes go
        on (archive.importer.pacing: a progress bar's steps)."""
        results = []
        for number, item in enumerate(self.items, start=1):
            results.append(self._one(item))
            pace("decided", number / len(self.items))
        self._write(pace)
        return results

    def _one(self, item: SourceItem) -> LoadResult:
        existing = None if self.db.idle else self.db.by_source.get(item.source_name)
        if existing is None and not self.force and self._as_last_time(item):
            slug = self.db.seen[item.source_name].slug
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
                self.writes.digests.append(existing)
                self.writes.sources.append((existing, stored.compressed(item.data), len(item.data)))
            return LoadResult(Outcome.UNCHANGED, slug=existing.slug)
        try:
            record = item.parsed()
        except SourceError as error:
            return LoadResult(Outcome.FAILED, detail=str(error))
        twin = next(iter(self.db.names_by_checksum[record.checksum] - {item.source_name}), None)
        if twin:
            return LoadResult(Outcome.DUPLICATE, detail=f"same content as {twin}")
        if existing and _curated_since_import(existing) and not self.force:
            return LoadResult(
                Outcome.KEPT, slug=existing.slug, detail="edited by a curator; --force to overwrite"
            )

        result = LoadResult(Outcome.UPDATED if existing else Outcome.CREATED)
        key = title_key(record.title)
        article = existing or next(
            (a for a in self.db.by_key[key] if a.is_stub and a.source_name is None), None
        )
        if article is not None and article.is_stub:
            result.stubs_filled = 1
        if article is None:
            article = self._new(Article(slug=self.db.slugs.take(record.title)), key)
        else:
            self.db.names_by_checksum[article.source_sha256].discard(item.source_name)
            self._touch(article)
        if article.pk:
            self.writes.rewritten.append(article)

        publication = self._publication(record.publication)
        _fill_article(article, record, source_name=item.source_name, publication=publication)
        self.sketched.append((article, sketch_of(record), result))
        article.source_bytes_sha256 = item.bytes_sha256
        article.imported_at = self.now
        kept = record.stored or stored.compressed(item.data)  # parsed here, not by a worker
        self.writes.sources.append((article, kept, len(item.data)))
        if article.pk in self.older and article.source_bytes_sha256 == item.bytes_sha256:
            self.rederived[article.pk] = result  # the same page, derived again
        self.db.by_source[item.source_name] = article
        self.db.names_by_checksum[record.checksum].add(item.source_name)

        related, result.stubs_created = self._related(article, record, publication)
        self._link(
            Links(
                article,
                authors=_distinct(self._author(a, result) for a in record.authors),
                topics=_distinct(self.db.topics.get(t) for t in record.topics),
                countries=[
                    (self.db.country_ids[code], tagged, mentions)
                    for code, tagged, mentions in country_links(
                        record.tagged_countries, dict(record.mentions)
                    )
                    if code in self.db.country_ids
                ],
                related=related,
            )
        )
        result.slug = article.slug
        return result

    def _new(self, article: Article, key: str) -> Article:
        article.title_key = key
        article._order = NOT_YET_SAVED + next(self._order)
        self.writes.new_articles.append(article)
        self.db.by_key[key].append(article)
        return article

    def _touch(self, article: Article) -> None:
        article.updated_at = self.now
        if article.pk:
            self.writes.dirty_articles[article.pk] = article

    def _near_duplicates(self) -> None:
        """Each written article's near duplicates, on its result (by slug)."""
        found = near_duplicates_write(
            [(article, sketch) for article, sketch, _ in self.sketched],
            {a.pk for a in self.writes.rewritten},
            self.recent_sketches,
        )
        others = {other for near in found.values() for other, _ in near}
        slugs = dict(in_chunks(Article, sorted(others), ("slug",)))
        for article, _, result in self.sketched:
            result.near_duplicates = [(slugs[o], alike) for o, alike in found.get(article.pk, [])]

    def _publication(self, record: PublicationRecord | None) -> Publication | None:
        if record is None:
            return None
        found = None
        if record.acronym:
            acronym = record.acronym.casefold()
            found = next((p for p in self.db.publications if p.acronym.casefold() == acronym), None)
        if found is None and record.name:
            slug = slug_base(record.name, "publication")
            found = next((p for p in self.db.publications if p.slug == slug), None)
        if found is None:  # one a curator merged into another
            found = self._merged_publication(record)
            if found is not None:
                return found
        if found is None:
            name = record.name or record.acronym
            found = Publication.objects.create(
                name=name, slug=slug_base(name, "publication"), acronym=record.acronym
            )
            self.db.publications.append(found)
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

    def _merged_publication(self, record: PublicationRecord) -> Publication | None:
        acronym = record.acronym.casefold()
        slug = slug_base(record.name, "publication") if record.name else None
        alias = next(
            (
                a
                for a in self.db.publication_aliases
                if (acronym and a.acronym.casefold() == acronym) or a.slug == slug
            ),
            None,
        )
        if alias is None:
            return None
        return next((p for p in self.db.publications if p.pk == alias.publication_id), None)

    def _author(self, record, result: LoadResult) -> Author:
        author = self.db.authors.get(record.name, honorific=record.honorific, bio=record.bio)
        # The bio is the latest seen; the honorific is kept once known.
        bio = record.bio or author.bio
        honorific = record.honorific or author.honorific
        if (bio, honorific) == (author.bio, author.honorific):
            return author
        if author.curated_at and not self.force:  # a curator's bio wins
            result.kept.append(f"kept the curated bio of {author.name} (--force to overwrite)")
            return author
        author.bio, author.honorific, author.updated_at = bio, honorific, self.now
        author.curated_at = None  # the page's again: later imports keep it current
        if author.pk:
            self.db.authors.dirty[author.pk] = author
        return author

    def _related(
        self, article: Article, record: ArticleRecord, publication: Publication | None
    ) -> tuple[list[Article], int]:
        """The cards' articles in order, with a stub for each one not yet known."""
        targets, stubs_created = [], 0
        for card in record.related:
            key = title_key(card.title)
            target = _best_match(self.db.by_key[key], exclude=article)
            if target is None:
                target = self._new(_stub(card, publication, self.db.slugs.take(card.title)), key)
                if card.country and card.country in self.db.country_ids:
                    self._link(
                        Links(target, countries=[(self.db.country_ids[card.country], True, 0)])
                    )
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

    def _write(self, pace: Pace) -> None:
        if self.db.idle:
            return
        self.writes.links = [article.batch_links for article in self.linked]
        for article in self.linked:  # a cycle (article, links): freed with the batch, not by gc
            del article.batch_links
        self.writes.new_named = [self.db.authors.new, self.db.topics.new]
        self.writes.dirty_authors = list(self.db.authors.dirty.values())
        batch_write(self.writes, self.now, pace)
        pace("written")
        self._near_duplicates()
        pace("compared")
        after = rederive.derived(list(self.rederived))
        for article_pk, result in self.rederived.items():
            result.changed = rederive.changed(self.before.get(article_pk, {}), after[article_pk])
            what = ", ".join(result.changed) or "nothing changed"
            result.detail = f"derived again by rules {RULES_VERSION}: {what}"


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
    article.layout = record.layout or None


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
