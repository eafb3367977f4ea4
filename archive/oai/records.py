"""What the OAI-PMH provider reads: records (articles with their own text; stubs are not
records), their sets, and deleted records, in the order harvests walk them, (datestamp, id).

Identifiers are made from the database id, which neither a new title nor a new slug changes.
A deleted record is an article whose deletion the history holds (django-simple-history keeps a
row for it), so deletions are kept as long as the history is: the repository says
`persistent`. A deleted record's topics and countries are not in its history row, so a
harvest restricted to a set is told of every deletion in its date range; a harvester drops an
identifier it never had."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db.models import Exists, F, OuterRef, Q, QuerySet

from archive import selectors
from archive.countries import country_code
from archive.models import Article, ArticleCountry, ArticleTopic, Country, Publication, Topic
from archive.page_rows import ArticleRow, article_rows

from .protocol import Harvest, OAIError

PAGE_SIZE = 100  # records (or headers) a list answer holds before its resumption token
SET_KINDS = {
    "publication": "Publications",
    "topic": "Topics",
    "country": "Countries (tagged or named in the text)",
}


@dataclass
class Header:
    identifier: str
    updated_at: datetime
    pk: int
    set_specs: list[str]
    deleted: bool = False
    row: ArticleRow | None = None  # the record's metadata, for ListRecords and GetRecord


def identifier(pk: int) -> str:
    return f"oai:{settings.OAI_REPOSITORY_IDENTIFIER}:article/{pk}"


def pk_of(oai_identifier: str) -> int:
    prefix = f"oai:{settings.OAI_REPOSITORY_IDENTIFIER}:article/"
    tail = oai_identifier.removeprefix(prefix)
    if tail == oai_identifier or not (tail.isascii() and tail.isdigit()) or len(tail) > 18:
        raise OAIError("idDoesNotExist", f"No record {oai_identifier!r} in this repository.")
    return int(tail)


def records() -> QuerySet[Article]:
    return selectors.published()


def earliest() -> datetime | None:
    first = records().order_by("updated_at").values_list("updated_at", flat=True).first()
    gone = _deletions().order_by("history_date").values_list("history_date", flat=True).first()
    return min((t for t in (first, gone) if t), default=None)


def in_set(articles, set_spec: str):
    """The articles in a set: `publication`, `topic`, `country`, or one of each by its slug
    (a country by its ISO code, any case); noRecordsMatch for a set there is not."""
    kind, _, name = set_spec.partition(":")
    if kind not in SET_KINDS or ":" in name:
        raise OAIError("noRecordsMatch", f"There is no set {set_spec!r}.")
    if kind == "publication":
        if not name:
            return articles.filter(publication__isnull=False)
        return articles.filter(publication__slug=name)
    links = ArticleTopic if kind == "topic" else ArticleCountry
    linked = links.objects.filter(article=OuterRef("pk"))
    if name:
        linked = (
            linked.filter(topic__slug=name)
            if kind == "topic"
            else linked.filter(country__code=country_code(name))
        )
    return articles.filter(Exists(linked))


def page(harvest: Harvest, *, metadata: bool) -> tuple[list[Header], bool]:
    """The next page of headers (with their metadata rows when asked), and whether more
    follow: live records and deletions merged in (datestamp, id) order."""
    live = records()
    if harvest.set_spec:
        live = in_set(live, harvest.set_spec)
    found = [
        Header(identifier(pk), moment, pk, [])
        for pk, moment in _walk(live, "updated_at", "pk", harvest).values_list("pk", "updated_at")
    ]
    found += [
        Header(identifier(pk), moment, pk, [], deleted=True)
        for pk, moment in _walk(_deletions(), "history_date", "id", harvest).values_list(
            "id", "history_date"
        )
    ]
    found.sort(key=lambda h: (h.updated_at, h.pk))
    more = len(found) > PAGE_SIZE
    headers = found[:PAGE_SIZE]
    _describe([h for h in headers if not h.deleted], metadata=metadata)
    return headers, more


def one(pk: int) -> Header:
    """The record with this id, live or deleted (idDoesNotExist)."""
    moment = records().filter(pk=pk).values_list("updated_at", flat=True).first()
    if moment is not None:
        header = Header(identifier(pk), moment, pk, [])
        _describe([header], metadata=True)
        return header
    gone = _deletions().filter(id=pk).values_list("history_date", flat=True).first()
    if gone is None:
        raise OAIError("idDoesNotExist", f"No record {identifier(pk)!r} in this repository.")
    return Header(identifier(pk), gone, pk, [], deleted=True)


def all_sets() -> list[tuple[str, str]]:
    """Every set, (setSpec, setName): the three kinds, then each publication, topic and
    country with a record."""
    used = {
        "publication": Publication.objects.filter(
            Exists(records().filter(publication=OuterRef("pk")))
        ).values_list("slug", "name"),
        "topic": Topic.objects.filter(
            Exists(ArticleTopic.objects.filter(topic=OuterRef("pk"), article__is_stub=False))
        ).values_list("slug", "name"),
        "country": Country.objects.filter(
            Exists(ArticleCountry.objects.filter(country=OuterRef("pk"), article__is_stub=False))
        ).values_list("code", "name"),
    }
    sets = list(SET_KINDS.items())
    for kind, named in used.items():
        sets += [(f"{kind}:{key}", name) for key, name in sorted(named)]
    return sets


def _deletions():
    """The history's rows for deleted records (not stubs), one per deleted id."""
    history = Article.history.model.objects
    return history.filter(history_type="-", is_stub=False).exclude(
        Exists(Article.objects.filter(pk=OuterRef("id")))
    )


def _walk(queryset, moment: str, key: str, harvest: Harvest):
    """The queryset's next PAGE_SIZE + 1 rows after the harvest's position, in its order."""
    if harvest.start:
        queryset = queryset.filter(**{f"{moment}__gte": harvest.start})
    if harvest.end:
        queryset = queryset.filter(**{f"{moment}__lt": harvest.end})
    if harvest.after:
        last, last_id = datetime.fromisoformat(harvest.after[0]), harvest.after[1]
        queryset = queryset.filter(
            Q(**{f"{moment}__gt": last}) | Q(**{moment: last, f"{key}__gt": last_id})
        )
    return queryset.order_by(F(moment).asc(), F(key).asc())[: PAGE_SIZE + 1]


def _describe(headers: list[Header], *, metadata: bool) -> None:
    """Give live headers their sets, and with `metadata` their rows (authors, topics,
    countries, publication): a fixed number of queries for the page."""
    if not headers:
        return
    rows = {row.pk: row for row in article_rows([h.pk for h in headers])}
    for header in headers:
        row = rows.get(header.pk)
        if row is None:  # deleted since the page was read
            continue
        links = row.link_rows
        header.set_specs = (
            ([f"publication:{row.publication.slug}"] if row.publication else [])
            + [f"topic:{t['slug']}" for t in links["topics"]]
            + [f"country:{c['code']}" for c in links["countries"]]
        )
        if metadata:
            header.row = row
