"""What the database holds for one import batch, read in a few queries before anything is
decided: the files' last imports, the articles their titles and cards name, the publications,
authors, topics and countries they link to. The loader decides on these objects (one object
per row, however it was found, so that no change is written over another); nothing here writes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Model

from archive.models import (
    Article,
    Author,
    AuthorAlias,
    Country,
    Publication,
    PublicationAlias,
    Topic,
    TopicAlias,
    slugs_from,
)
from archive.models.aliases import Alias
from archive.rules import RULES_VERSION, title_key
from archive.slugs import slug_base, slug_free

from .records import ArticleRecord


@dataclass
class LastImport:
    """What a file's last import left: its bytes' digest, its article's slug, and whether
    today's rules derived it (archive.rules.RULES_VERSION)."""

    digest: str
    slug: str
    current: bool

    def holds(self, digest: str) -> bool:
        """The file's bytes are those its article was last derived from, by today's rules."""
        return self.digest == digest and self.current


@dataclass
class Existing:
    """One batch's reading of the database. When every file has the bytes of its last import
    (`idle`), only `seen` is read: there is nothing to decide or write."""

    seen: dict[str, LastImport]
    idle: bool
    by_pk: dict[int, Article] = field(default_factory=dict)
    by_source: dict[str, Article] = field(default_factory=dict)
    names_by_checksum: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    by_key: dict[str, list[Article]] = field(default_factory=lambda: defaultdict(list))
    slugs: Slugs | None = None
    publications: list[Publication] = field(default_factory=list)
    publication_aliases: list[PublicationAlias] = field(default_factory=list)  # merged away
    authors: Named | None = None
    topics: Named | None = None
    country_ids: dict[str, int] = field(default_factory=dict)

    def as_last_time(self, name: str, digest: str) -> bool:
        last = self.seen.get(name)
        return last is not None and last.holds(digest)

    def one_object(self, article: Article) -> Article:
        return self.by_pk.setdefault(article.pk, article)


def last_imports(names: Collection[str]) -> dict[str, LastImport]:
    """The last import of each of these files that made an article, by the file's name. Plain
    rows: the ORM's `IN` of a batch's 500 names took longer to build than the read itself."""
    if not names:
        return {}
    quote = connection.ops.quote_name
    field = Article._meta.get_field
    columns = ", ".join(
        quote(field(name).column)
        for name in ("source_name", "source_bytes_sha256", "slug", "rules_version")
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {columns} FROM {quote(Article._meta.db_table)} "
            f"WHERE {quote(field('source_name').column)} IN ({', '.join(['%s'] * len(names))})",
            list(names),
        )
        return {
            name: LastImport(digest, slug, rules == RULES_VERSION)
            for name, digest, slug, rules in cursor.fetchall()
        }


def existing_read(
    names_and_digests: list[tuple[str, str]], records: list[ArticleRecord], *, force: bool
) -> Existing:
    """Read what a batch of files (their names and bytes' digests; the records of those
    parsed) needs to be decided on."""
    seen = last_imports([name for name, _ in names_and_digests])
    changed = [
        name
        for name, digest in names_and_digests
        if force or not (name in seen and seen[name].holds(digest))
    ]
    found = Existing(seen=seen, idle=not changed)
    if found.idle:
        return found

    # Without their text, which a rewrite replaces whole. The rows a batch may write stay
    # locked until it commits: a curator's edit (services.locked) waits for it, then changes
    # only its own fields, and the batch decides on what a committed edit left (PostgreSQL;
    # SQLite's writing transaction holds the whole database from BEGIN).
    articles = Article.objects.select_for_update(of=("self",))
    found.by_source = {
        a.source_name: found.one_object(a)
        for a in articles.filter(source_name__in=changed).defer("lead", "body", "sections")
    }
    for name, checksum in Article.objects.filter(
        source_sha256__in={r.checksum for r in records}
    ).values_list("source_name", "source_sha256"):
        found.names_by_checksum[checksum].add(name)

    card_titles = [card.title for r in records for card in r.related]
    keys = {title_key(t) for t in [*(r.title for r in records), *card_titles]}
    # Their text is not needed: a card only dates them or gives a stub its excerpt.
    for article in articles.filter(title_key__in=keys).defer("lead", "body").order_by("pk"):
        found.by_key[article.title_key].append(found.one_object(article))
    found.slugs = Slugs([*(r.title for r in records), *card_titles])

    found.publications = list(Publication.objects.all())
    found.publication_aliases = list(PublicationAlias.objects.all())
    found.authors = Named(
        Author, AuthorAlias, {slug_base(a.name, "author") for r in records for a in r.authors}
    )
    found.topics = Named(
        Topic, TopicAlias, {slug_base(t, "topic") for r in records for t in r.topics}
    )
    found.country_ids = dict(Country.objects.values_list("code", "pk"))
    return found


class Named:
    """Authors or topics of a batch by slug, found through aliases; a new one is made (not
    saved) the first time the batch names it, and kept in `new` for the writes."""

    def __init__(self, model: type[Model], alias_model: type[Alias], slugs: set[str]):
        self.model = model
        rows = model.objects.select_for_update(of=("self",))  # as the articles (above)
        self.by_slug = {o.slug: o for o in rows.filter(slug__in=slugs)}
        field = alias_model.target_field
        by_pk = {o.pk: o for o in self.by_slug.values()}
        aliases = alias_model.objects.select_related(field).select_for_update(of=("self", field))
        for alias in aliases.filter(slug__in=slugs - self.by_slug.keys()):
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


class Slugs:
    """Unique article slugs for a batch: what the database holds plus what the batch took.
    A title's numbered forms are read only when its plain slug is already taken."""

    def __init__(self, titles: list[str]):
        bases = {slug_base(title) for title in titles}
        self.taken_bases = set(
            Article.objects.filter(slug__in=bases).values_list("slug", flat=True)
        )
        self.taken: set[str] = set()

    def take(self, title: str) -> str:
        base = slug_base(title)
        if base in self.taken_bases:
            self.taken.update(slugs_from(base))  # the base and its numbered forms
            self.taken_bases.discard(base)
        slug = slug_free(base, self.taken)
        self.taken.add(slug)
        return slug
