"""Cross-tabs, co-mentions and the co-mention network of any list query, for the article and
country viewsets: the filters are the list's, the counts come from the search index when it
answers the list, else from the database (archive.tables says what is counted)."""

from __future__ import annotations

import io

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions
from rest_framework import fields as drf_fields
from rest_framework.decorators import action
from rest_framework.response import Response

from archive import selectors, tables
from archive.countries import country_code
from archive.filtersets import ArticleFilterSet
from archive.graphs import graphml
from archive.models import Country
from archive.table_counts import names

from . import serializers
from .exports import CSVWriter
from .params import parameter, validated
from .reading import ReadsArticles

ROWS = drf_fields.ChoiceField(choices=tables.DIMENSIONS, help_text="What each row counts by.")
COLS = drf_fields.ChoiceField(choices=tables.DIMENSIONS, help_text="What each column counts by.")


def limit_field(default: int) -> drf_fields.IntegerField:
    return drf_fields.IntegerField(
        min_value=1,
        max_value=tables.LIMIT_MAX,
        default=default,
        help_text=f"How many values to show (default {default}, at most {tables.LIMIT_MAX}): "
        "of a time, the latest; of records, those with most articles.",
    )


CROSSTAB_FIELDS = {"rows": ROWS, "cols": COLS, "limit": limit_field(tables.LIMIT_DEFAULT)}
CO_MENTION_FIELDS = {"limit": limit_field(tables.LIMIT_DEFAULT)}
GRAPH_FIELDS = {"limit": limit_field(tables.GRAPH_LIMIT_DEFAULT)}
FILTERS_NOTE = "Takes exactly the filters of the article list."


def crosstab_schema(summary: str, responses):
    return extend_schema(
        summary=summary,
        description=(
            f"{FILTERS_NOTE} Each cell counts the matching articles that have both values; an "
            "article with several countries (topics, authors) counts in each of their rows, so "
            "a row's `total` is its number of articles, not the sum of its cells. `count` is "
            "the number of matching articles."
        ),
        filters=True,
        parameters=[
            parameter("rows", ROWS, required=True),
            parameter("cols", COLS, required=True),
            parameter("limit", CROSSTAB_FIELDS["limit"]),
        ],
        responses=responses,
    )


class TableCounts(ReadsArticles):
    """A viewset's counts of a list query's matches."""

    extra_query_params: tuple[str, ...] = ()  # beside the filters (guards.query_parameters)

    def table_counts(self) -> tables.Counts:
        """The counts of the request's list query, by its reader."""
        return self.article_reader().table_counts()


class TableAnswers(TableCounts):
    """For ArticleViewSet: cross-tabs and the co-mention network of the list's matches."""

    def _crosstab(self, request) -> dict:
        asked = validated(request, CROSSTAB_FIELDS)
        if asked["rows"] == asked["cols"] and asked["rows"] != "country":
            # An article has one publication, year and month; a topic by topic table would
            # be the co-occurrence table, which only countries have here (co-mentions).
            raise exceptions.ValidationError({"cols": ["Must differ from rows."]})
        return tables.crosstab(
            self.table_counts(), asked["rows"], asked["cols"], asked["limit"], names
        )

    @crosstab_schema(
        "Counts of the matching articles by two dimensions", serializers.CrosstabSerializer
    )
    @action(detail=False, pagination_class=None, extra_query_params=tuple(CROSSTAB_FIELDS))
    def crosstab(self, request):
        return Response(self._crosstab(request))

    @crosstab_schema(
        "The cross-tab as CSV (a row per row value with its total; the columns' totals last)",
        {(200, "text/csv"): OpenApiTypes.STR},
    )
    def crosstab_csv(self, request):
        table = self._crosstab(request)
        out = io.StringIO()
        CSVWriter(out, lineterminator="\r\n").writerows(tables.crosstab_rows(table))
        response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = (
            f'inline; filename="crosstab-{table["rows"]}-{table["cols"]}.csv"'
        )
        return response

    @extend_schema(
        summary="The co-mention network of the matching articles (GraphML)",
        description=(
            f"{FILTERS_NOTE} The countries with most matching articles are the nodes (`limit`), "
            "an edge joins two that share articles, weighted by how many (`count`) and by "
            "`lift`: how much more often they come together than if they were independent."
        ),
        filters=True,
        parameters=[parameter("limit", GRAPH_FIELDS["limit"])],
        responses={(200, "application/graphml+xml"): OpenApiTypes.STR},
    )
    def co_mentions_graphml(self, request):
        asked = validated(request, GRAPH_FIELDS)
        graph = tables.co_mention_graph(self.table_counts(), asked["limit"], names)
        return HttpResponse(graphml(graph), content_type="application/graphml+xml; charset=utf-8")


class CoMentionAnswers(TableCounts):
    """For CountryViewSet: what is discussed together with one country."""

    filterset_class = None  # the co-mentions action takes the article list's

    @extend_schema(
        summary="The countries most often in the same articles as this one",
        description=(
            f"{FILTERS_NOTE} For each other country: `count`, the matching articles naming both; "
            "`articles`, those naming it; `lift`, count × matches / (this country's articles × "
            "its articles), above 1 when they come together more often than if independent; "
            "`pmi`, lift's base-2 logarithm. Most articles first."
        ),
        filters=True,
        parameters=[parameter("limit", CO_MENTION_FIELDS["limit"])],
        responses=serializers.CoMentionsSerializer,
    )
    @action(
        detail=True,
        url_path="co-mentions",
        pagination_class=None,
        filterset_class=ArticleFilterSet,
        queryset=selectors.article_list(),  # what its filters filter (and the schema reads)
        extra_query_params=tuple(CO_MENTION_FIELDS),
    )
    def co_mentions(self, request, code: str):
        country = get_object_or_404(Country, code=country_code(code))
        asked = validated(request, CO_MENTION_FIELDS)
        answer = tables.co_mentions(self.table_counts(), country.pk, asked["limit"], names)
        return Response({"code": country.code, "name": country.name, **answer})
