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
from archive.keyset import Cursor, CursorError
from archive.models import Article
from archive.models.dimensions import RECORDS
from archive.page_rows import ArticleRow, article_rows
from archive.reads import ArticleQuery, ArticleReader, QueryInvalid, reader_for
from archive.selectors import in_chunks

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


def _live(harvest: Harvest | None = None) -> ArticleReader:
    """The records a harvest walks, in (datestamp, id) order, as the list's filters ask for
    them (archive.reads): published, changed within the dates, in the set."""
    params = {**PUBLISHED_PARAMS, "ordering": "updated_at"}
    if harvest is not None:
        if harvest.start:
            params["updated_since"] = harvest.start.isoformat()
        if harvest.end:
            params["updated_before"] = harvest.end.isoformat()
        if harvest.set_spec:
            params.update(_set_params(harvest.set_spec))
    try:
        return reader_for(ArticleQuery.asked(params))
    except QueryInvalid:  # a set named by a slug or code no record has
        raise OAIError("noRecordsMatch", f"There is no set {harvest.set_spec!r}.") from None


# selectors.PUBLISHED as the list's parameters
PUBLISHED_PARAMS = {name: str(value).lower() for name, value in selectors.PUBLISHED.items()}


def _set_params(set_spec: str) -> dict[str, str]:
    """A set as the list's filters: `publication`, `topic`, `country` (any), or one of each
    by its slug (a country by its ISO code, any case); noRecordsMatch for a set there is not."""
    kind, _, name = set_spec.partition(":")
    if kind not in SET_KINDS or ":" in name:
        raise OAIError("noRecordsMatch", f"There is no set {set_spec!r}.")
    return {kind: name} if name else {f"has_{kind}": "true"}


def earliest() -> datetime | None:
    first = [datetime.fromisoformat(moment) for moment, _ in _live().walk().sort_values(None, 1)]
    gone = _deletions().order_by("history_date").values_list("history_date", flat=True).first()
    return min((t for t in (*first, gone) if t), default=None)


def page(harvest: Harvest, *, metadata: bool) -> tuple[list[Header], bool]:
    """The next page of headers (with their metadata rows when asked), and whether more
    follow: live records and deletions merged in (datestamp, id) order."""
    walk = _live(harvest).walk()
    resume = None
    if harvest.after:
        resume = Cursor(walk.order_labels, tuple(harvest.after), harvest.sent)
    try:
        keys = walk.sort_values(resume, PAGE_SIZE + 1)  # (datestamp, id), no model instance
    except CursorError:
        raise OAIError("badResumptionToken", "This resumptionToken is not one given.") from None
    found = [Header(identifier(pk), datetime.fromisoformat(moment), pk, []) for moment, pk in keys]
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
    country with a record (the records' facet counts, archive.reads)."""
    _, counts = _live().facet_counts()
    sets = list(SET_KINDS.items())
    for kind in SET_KINDS:
        dimension = RECORDS[kind]
        used = [pk for pk, n in counts[kind].items() if n]
        named = in_chunks(dimension.model, used, dimension.shown)
        sets += [(f"{kind}:{key}", name) for key, name in sorted(row[1:] for row in named)]
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
