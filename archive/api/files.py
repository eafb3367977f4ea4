"""The article routes that answer with a file rather than JSON: exports of a list query (CSV,
NDJSON, BibTeX, RIS, CSL-JSON), formatted bibliographies in a CSL style, and one article's
citation. ArticleViewSet takes them from FileAnswers; urls.py routes each format by name."""

from __future__ import annotations

from django.http import HttpResponse, StreamingHttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions
from rest_framework import fields as drf_fields
from rest_framework.renderers import JSONRenderer

from archive import citations
from archive.links import slug_urls

from . import exports, serializers, streams
from .params import parameter, validated
from .reading import ReadsArticles
from .tables import CROSSTAB_FIELDS, GRAPH_FIELDS
from .throttles import ClientRateThrottle, ExportRateThrottle

EXPORT_DESCRIPTION = (
    "Takes exactly the filters of the article list, `q` and `ordering` included, and streams "
    "every matching article in the list's order, in constant memory. Anonymous clients may "
    "start a limited number of exports an hour (429 past it)."
)
EXPORT_BODY = drf_fields.BooleanField(
    default=False, help_text="Add each article's body (default false)."
)
STYLE = drf_fields.ChoiceField(
    choices=[*citations.STYLES], default="apa", help_text="The CSL style (default `apa`)."
)
STYLE_PARAMETER = parameter("style", STYLE)
# Entries a formatted bibliography renders: citeproc-py takes 4 (Harvard) to 25 (Chicago) ms
# each (docs/benchmarks.md), so 50 is at most some 1.3 s of a worker.
BIBLIOGRAPHY_MAX = 50
BIBLIOGRAPHY_MEDIA_TYPES = {"txt": "text/plain", "html": "text/html"}
# What each format's answer is in the schema: text, except CSL-JSON's array of items.
CSL_ARRAY = {"type": "array", "items": {"type": "object", "additionalProperties": True}}
# The query parameters each route takes beside the list's filters (guards.query_parameters).
EXTRA_PARAMETERS = {
    "export_csv": ("body",), "export_ndjson": ("body",),
    "bibliography_txt": ("style",), "bibliography_html": ("style",),
    "article_bibliography": ("style",),
    "crosstab_csv": tuple(CROSSTAB_FIELDS), "co_mentions_graphml": tuple(GRAPH_FIELDS),
}  # fmt: skip
FILE_ACTIONS = {
    *(f"export_{name.replace('.', '_')}" for name in exports.MEDIA_TYPES),
    "bibliography_txt", "bibliography_html", "citation", "article_bibliography",
    "crosstab_csv", "co_mentions_graphml",
}  # fmt: skip
# Exports and bibliographies: a list query's every match, throttled as exports.
LIST_QUERY_ACTIONS = FILE_ACTIONS - {
    "citation", "article_bibliography", "crosstab_csv", "co_mentions_graphml",
}  # fmt: skip


class TooManyToFormat(exceptions.APIException):
    """A 400 about the query as a whole, in the API's shape for one: `{"detail": "…"}`."""

    status_code = 400
    default_code = "too_many_to_format"


def page_urls(request):
    """slug -> the absolute address of the article's landing page, the page a reader cites."""
    return slug_urls("article-page", request)


def _answer_schema(file_format: str) -> dict:
    media_type = exports.MEDIA_TYPES.get(file_format) or BIBLIOGRAPHY_MEDIA_TYPES[file_format]
    return {(200, media_type): CSL_ARRAY if file_format == "csl.json" else OpenApiTypes.STR}


def export_schema(file_format: str, shape: str):
    """An export's operation in the schema: the list's filters, `body`, the format's type."""
    body = [parameter("body", EXPORT_BODY)]
    return extend_schema(
        summary=f"Every matching article as {file_format.upper()}, streamed",
        description=f"{EXPORT_DESCRIPTION} {shape}",
        filters=True,
        parameters=body if file_format in ("csv", "ndjson") else [],
        responses=_answer_schema(file_format),
    )


def bibliography_schema(file_format: str):
    return extend_schema(
        summary=f"A formatted bibliography of the matching articles ({file_format})",
        description=(
            "Takes exactly the filters of the article list and renders every matching article "
            f"in a CSL style, sorted as the style sorts. At most {BIBLIOGRAPHY_MAX} articles: a "
            "query matching more is a 400 (narrow it, or export CSL-JSON and format it "
            "yourself). Anonymous clients share the export rate."
        ),
        filters=True,
        parameters=[STYLE_PARAMETER],
        responses=_answer_schema(file_format),
    )


def format_parameter(formats) -> OpenApiParameter:
    return OpenApiParameter("file_format", OpenApiTypes.STR, OpenApiParameter.PATH, enum=formats)


class FileAnswers(ReadsArticles):
    """Exports, bibliographies and citations, for ArticleViewSet."""

    @classmethod
    def file_route(cls, action: str) -> dict:
        """The settings of a route answering with a file (urls.py; a file name has no trailing
        slash): list queries are throttled as exports; each takes only its own parameters.
        Its name says its format: `format` (DRF's choice of renderer) is not one of them."""
        route = {"extra_query_params": EXTRA_PARAMETERS.get(action, ()), "takes_format": False}
        if action in LIST_QUERY_ACTIONS:
            route |= {
                "pagination_class": None,
                "throttle_classes": [ClientRateThrottle, ExportRateThrottle],
            }
        return route

    @export_schema("csv", "One row per article; authors, topics and countries are joined by "
                   "`; ` in their cells (names; country codes), `tagged_countries` holds the "
                   "codes the page tagged.")  # fmt: skip
    def export_csv(self, request):
        return self._export("csv")

    @export_schema("ndjson", "One JSON object per line, as the list's items (no `highlight`).")
    def export_ndjson(self, request):
        return self._export("ndjson")

    @export_schema("bib", "One BibTeX `@misc` entry per article, keyed by its slug.")
    def export_bib(self, request):
        return self._export("bib")

    @export_schema("ris", "One RIS record (`TY  - ELEC`) per article.")
    def export_ris(self, request):
        return self._export("ris")

    @export_schema("csl.json", "A CSL-JSON array, one `webpage` item per article.")
    def export_csl_json(self, request):
        return self._export("csl.json")

    @bibliography_schema("txt")
    def bibliography_txt(self, request):
        return self._bibliography("txt")

    @bibliography_schema("html")
    def bibliography_html(self, request):
        return self._bibliography("html")

    @extend_schema(
        summary="The article's citation as BibTeX, RIS or CSL-JSON",
        parameters=[format_parameter([*exports.CITATION_FORMATS])],
        responses={
            key: schema
            for name in exports.CITATION_FORMATS
            for key, schema in _answer_schema(name).items()
        },
    )
    def citation(self, request, slug: str, file_format: str):
        if file_format not in exports.CITATION_FORMATS:
            raise exceptions.NotFound(
                f"No citation format {file_format!r}; there are "
                f"{', '.join(exports.CITATION_FORMATS)}."
            )
        items = self._article_items()
        text = "".join(exports.citation_lines(items, file_format, page_urls(request)))
        media_type = exports.MEDIA_TYPES[file_format]
        return HttpResponse(text, content_type=f"{media_type}; charset=utf-8")

    @extend_schema(
        summary="The article's reference, formatted in a CSL style",
        parameters=[format_parameter([*BIBLIOGRAPHY_MEDIA_TYPES]), STYLE_PARAMETER],
        responses={(200, media): OpenApiTypes.STR for media in BIBLIOGRAPHY_MEDIA_TYPES.values()},
    )
    def article_bibliography(self, request, slug: str, file_format: str):
        if file_format not in BIBLIOGRAPHY_MEDIA_TYPES:
            raise exceptions.NotFound(
                f"No bibliography format {file_format!r}; there are "
                f"{', '.join(BIBLIOGRAPHY_MEDIA_TYPES)}."
            )
        style_name = validated(request, {"style": STYLE})["style"]
        entries = self._rendered(self._article_items(), style_name, file_format)
        return self._text(entries, file_format)

    def _article_items(self) -> list[dict]:
        article = self.get_object()  # 404 for an unknown slug
        return list(self._items([article.pk]))

    def _export(self, file_format: str) -> StreamingHttpResponse:
        """The stream, bounded (archive.api.streams): a slot among the exports running, an
        anonymous one's rows counted first, the whole held to a deadline."""
        reader = self.article_reader()
        body = validated(self.request, {"body": EXPORT_BODY})["body"]
        if self.request.method == "HEAD":
            # A server drains the body it does not send: a HEAD must not cost an export.
            lines = iter(())
        else:
            streams.rows_check(self.request, reader.count())  # before any id is read
            # The ids in the list's order, from the reader that orders the list.
            items = self._items(reader.all_ids(), body=body)
            slot = streams.slot_take(self.request)
            if file_format == "csv":
                lines = exports.csv_lines(items, body=body)
            elif file_format == "ndjson":
                lines = exports.ndjson_lines(items)
            else:
                lines = exports.citation_lines(items, file_format, page_urls(self.request))
            lines = streams.Bounded(lines, slot, what=self.request.get_full_path())
        response = StreamingHttpResponse(
            lines, content_type=f"{exports.MEDIA_TYPES[file_format]}; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="articles.{file_format}"'
        return response

    def _items(self, ids, *, body: bool = False):
        represent = serializers.ArticleListSerializer(context=self.get_serializer_context())
        return exports.exported_items(ids, represent.to_representation, body=body)

    def _bibliography(self, file_format: str) -> HttpResponse:
        reader = self.article_reader()
        style_name = validated(self.request, {"style": STYLE})["style"]
        count = reader.count()
        if count > BIBLIOGRAPHY_MAX:
            raise TooManyToFormat(
                f"The query matches {count} articles; a formatted bibliography holds at most "
                f"{BIBLIOGRAPHY_MAX}. Narrow the filters, or export CSL-JSON (export.csl.json)."
            )
        entries = []
        if self.request.method != "HEAD":
            entries = self._rendered(self._items(reader.ids(0, count)), style_name, file_format)
        return self._text(entries, file_format)

    def _rendered(self, items, style_name: str, file_format: str) -> list[str]:
        page_url = page_urls(self.request)
        csl = [citations.csl_item(item, page_url(item["slug"])) for item in items]
        return citations.bibliography(csl, style_name, html=file_format == "html")

    @staticmethod
    def _text(entries: list[str], file_format: str) -> HttpResponse:
        if file_format == "html":
            inner = "".join(f'\n  <div class="csl-entry">{entry}</div>' for entry in entries)
            text = f'<div class="csl-bib-body">{inner}\n</div>\n'
        else:
            text = "".join(f"{entry}\n" for entry in entries)
        media_type = BIBLIOGRAPHY_MEDIA_TYPES[file_format]
        return HttpResponse(text, content_type=f"{media_type}; charset=utf-8")

    def perform_content_negotiation(self, request, force=False):
        """A file's format is its path: whatever the client accepts, its errors are JSON."""
        if self.action in FILE_ACTIONS:
            return JSONRenderer(), JSONRenderer.media_type
        return super().perform_content_negotiation(request, force)
