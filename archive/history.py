"""An article's versions with their links: each version that wrote the article's links keeps
them (HistoricalArticle.links: authors, topics and cards in order, countries with `tagged`),
so that its history shows link changes beside field changes, in words, and a revert restores
the whole record. A version whose change left the links alone holds none: it links as the
version before it."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from django.db.models import Model

from archive.models import (
    Article,
    ArticleCountry,
    ArticleTopic,
    Author,
    Authorship,
    Country,
    Publication,
    RelatedArticle,
    Topic,
)

LINK_KINDS = ("authors", "topics", "countries", "related")
# The article's own fields a curator edits, in the order the history and a revert name them.
FIELDS = [
    "title", "publication", "published_on", "date_source", "content_type", "is_stub",
    "lead", "body", "sections", "excerpt",
]  # fmt: skip
SHORT = 80  # characters of a value shown whole in a change; a longer text is summed up


def snapshot(authors: Iterable[int], topics: Iterable[int], countries, related) -> dict:
    """Links as a version keeps them: ids in order, countries as [id, tagged]."""
    return {
        "authors": list(authors),
        "topics": sorted(topics),
        "countries": sorted([pk, bool(tagged)] for pk, tagged in countries),
        "related": list(related),
    }


def snapshots(pks: Sequence[int]) -> dict[int, dict]:
    """The articles' links as they are now: four queries, however many articles."""
    found = {pk: {kind: [] for kind in LINK_KINDS} for pk in pks}
    for article, author in (
        Authorship.objects.filter(article__in=pks)
        .order_by("article", "position")
        .values_list("article", "author")
    ):
        found[article]["authors"].append(author)
    for article, topic in ArticleTopic.objects.filter(article__in=pks).values_list(
        "article", "topic"
    ):
        found[article]["topics"].append(topic)
    for article, country, tagged in ArticleCountry.objects.filter(article__in=pks).values_list(
        "article", "country", "tagged"
    ):
        found[article]["countries"].append((country, tagged))
    for article, target in (
        RelatedArticle.objects.filter(from_article__in=pks)
        .order_by("from_article", "position")
        .values_list("from_article", "to_article")
    ):
        found[article]["related"].append(target)
    return {pk: snapshot(**links) for pk, links in found.items()}


def links_record(article: Article) -> None:
    """Keep the article's links, as they are now, on its latest version: called after a
    service has written them (the version was made when the row was saved, before)."""
    version = article.history.order_by("-history_date", "-history_id").first()
    if version is not None:
        version.links = snapshots([article.pk])[article.pk]
        version.save(update_fields=["links"])


def links_of(version) -> dict | None:
    """The version's links: its own, or those of the nearest version before it that wrote
    them; None when no version did (an archive older than this record)."""
    if version.links is not None:
        return version.links
    earlier = (
        type(version)
        .objects.filter(id=version.id, history_date__lt=version.history_date)
        .exclude(links=None)
        .order_by("-history_date", "-history_id")
        .values_list("links", flat=True)
        .first()
    )
    return earlier


@dataclass(frozen=True)
class Change:
    """One line of a version's changes, in words: the history shows `field: old → new`."""

    field: str
    old: str
    new: str


def changes(older, newer, names: Names) -> list[Change]:
    """What `newer` changed of `older` (versions of one article), fields then links."""
    found = []
    for name in FIELDS:
        before, after = getattr(older, _column(name)), getattr(newer, _column(name))
        if before != after:
            found += [Change(_label(name), *_worded(name, before, after, names))]
    old_links, new_links = names.links.get(older.history_id), names.links.get(newer.history_id)
    if old_links is not None and new_links is not None:
        found += link_changes(old_links, new_links, names)
    return found


def link_changes(before: dict, after: dict, names: Names) -> list[Change]:
    found = []
    for kind in ("authors", "related"):  # ordered lists
        if before[kind] != after[kind]:
            show = names.author if kind == "authors" else names.article
            found.append(
                Change(
                    "Authors" if kind == "authors" else "Related articles",
                    _listed(map(show, before[kind])),
                    _listed(map(show, after[kind])),
                )
            )
    if sorted(before["topics"]) != sorted(after["topics"]):
        found.append(
            Change(
                "Topics",
                _listed(sorted(map(names.topic, before["topics"]))),
                _listed(sorted(map(names.topic, after["topics"]))),
            )
        )
    old, new = dict(map(tuple, before["countries"])), dict(map(tuple, after["countries"]))
    for pk in sorted(old.keys() | new.keys(), key=names.country):
        if old.get(pk) != new.get(pk):
            found.append(
                Change(f"Country {names.country(pk)}", _country(old.get(pk)), _country(new.get(pk)))
            )
    return found


class Names:
    """The names a page of versions' changes shows, read in a few queries for the page."""

    def __init__(self, versions: Sequence):
        self.links = {v.history_id: links_of(v) for v in versions}
        ids = {kind: set() for kind in LINK_KINDS}
        for links in self.links.values():
            for kind in LINK_KINDS:
                for item in (links or {}).get(kind, []):
                    ids[kind].add(item[0] if kind == "countries" else item)
        publications = {v.publication_id for v in versions} - {None}
        self._authors = _names(Author, ids["authors"], "name")
        self._topics = _names(Topic, ids["topics"], "name")
        self._countries = _names(Country, ids["countries"], "name")
        self._articles = _names(Article, ids["related"], "title")
        self._publications = _names(Publication, publications, "name")

    def author(self, pk: int) -> str:
        return self._authors.get(pk, f"author {pk} (gone)")

    def topic(self, pk: int) -> str:
        return self._topics.get(pk, f"topic {pk} (gone)")

    def country(self, pk: int) -> str:
        return self._countries.get(pk, f"country {pk}")

    def article(self, pk: int) -> str:
        return _short(self._articles.get(pk, f"article {pk} (gone)"))

    def publication(self, pk: int | None) -> str:
        return "—" if pk is None else self._publications.get(pk, f"publication {pk} (gone)")


def _names(model: type[Model], pks: set[int], field: str) -> dict[int, str]:
    return dict(model._base_manager.filter(pk__in=pks).values_list("pk", field)) if pks else {}


def _column(name: str) -> str:
    return "publication_id" if name == "publication" else name


def _label(name: str) -> str:
    return Article._meta.get_field(name).verbose_name.capitalize()


def _worded(name: str, before, after, names: Names) -> tuple[str, str]:
    if name == "publication":
        return names.publication(before), names.publication(after)
    if isinstance(before, str) and isinstance(after, str) and max(len(before), len(after)) > SHORT:
        return _words(before), _words(after)  # a text: its length, not its thousand words
    return _value(before), _value(after)


def _value(value) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list):
        return _listed(value)
    return _short(str(value))


def _words(text: str) -> str:
    count = len(text.split())
    return f"{_short(text)} ({count:,} word{'s' if count != 1 else ''})"


def _short(text: str) -> str:
    return text if len(text) <= SHORT else text[: SHORT - 1].rstrip() + "…"


def _listed(items: Iterable[str]) -> str:
    return "; ".join(items) or "—"


def _country(tagged: bool | None) -> str:
    if tagged is None:
        return "—"
    return "tagged" if tagged else "mentioned"
