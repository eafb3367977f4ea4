"""Thin viewsets: a queryset from selectors, a serializer, a filterset."""

from __future__ import annotations

from hashlib import md5

from django.conf import settings
from django.db import transaction
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import parse_etags, quote_etag
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions, viewsets
from rest_framework.decorators import action
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from archive import selectors, services
from archive.countries import country_code
from archive.filtersets import ArticleFilterSet

from . import serializers
from .errors import PreconditionFailed
from .files import LIST_QUERY_ACTIONS, FileAnswers
from .guards import QueryParamGuard
from .tables import CoMentionAnswers, TableAnswers

SLUG_PATTERN = r"[-a-zA-Z0-9_]+"


class ArchiveViewSet(viewsets.ModelViewSet):
    """Reads are public and cacheable; writes need the model permission (settings)."""

    lookup_field = "slug"
    lookup_value_regex = SLUG_PATTERN

    def initial(self, request, *args, **kwargs):
        # A method the route does not have is 405 for everyone, before credentials are asked.
        if request.method not in self._allowed_methods():
            raise exceptions.MethodNotAllowed(request.method)
        super().initial(request, *args, **kwargs)
        if self.action == "create":  # the one action that filters no queryset: guard it here
            QueryParamGuard().filter_queryset(request, None, self)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if request.method in ("GET", "HEAD") and response.status_code == 200:
            if request.user.is_authenticated:
                patch_cache_control(response, private=True, max_age=0)
            else:
                patch_cache_control(response, public=True, max_age=settings.API_CACHE_SECONDS)
            patch_vary_headers(response, ["Authorization", "Cookie"])
        return response

    def update(self, request, *args, **kwargs):
        """DRF's update, the body checked before the precondition (RFC 9110 13.2.1: after
        the request's own checks): a bad body is a 400 whatever its If-Match."""
        partial = kwargs.pop("partial", False)
        with transaction.atomic():
            serializer = self.get_serializer(self.get_object(), data=request.data, partial=partial)
            serializer.is_valid(raise_exception=True)
            self._precondition()
            self.perform_update(serializer)
        response = Response(serializer.data)
        response["ETag"] = self._etag(response.data)  # the next write's If-Match
        return response

    def destroy(self, request, *args, **kwargs):
        with transaction.atomic():
            self._precondition()
            return super().destroy(request, *args, **kwargs)

    def _precondition(self) -> None:
        """If-Match (RFC 9110 13.1.1): the write goes ahead only on the record as the client
        last read it, its ETag from a GET; otherwise 412, and the client reads it again. The
        row stays locked until the write is done, so nothing comes between."""
        header = self.request.headers.get("If-Match")
        if header is None:
            return
        services.locked(self.get_object())
        if header.strip() == "*":
            return  # any representation: the record exists
        current = self._etag(self.read_serializer(self.get_object()).data)
        if current not in parse_etags(header):
            raise PreconditionFailed()

    def read_serializer(self, record):
        """The record as a GET of its detail shows it."""
        return self.serializer_class(record, context=self.get_serializer_context())

    def _etag(self, data) -> str:
        """The ETag ConditionalGetMiddleware gives a GET answering with this data as JSON."""
        content = JSONRenderer().render(data, renderer_context=self.get_renderer_context())
        return quote_etag(md5(content, usedforsecurity=False).hexdigest())

    def perform_create(self, serializer):
        serializer.save()
        self._reload(serializer)

    def perform_update(self, serializer):
        serializer.save()
        self._reload(serializer)

    def _reload(self, serializer):
        # The answer shows computed fields (article_count) that the saved instance lacks.
        serializer.instance = self.get_queryset().get(pk=serializer.instance.pk)


@extend_schema_view(
    list=extend_schema(summary="List articles (compact items, no body)"),
    retrieve=extend_schema(summary="An article in full"),
    create=extend_schema(
        summary="Create an article", responses=serializers.ArticleDetailSerializer
    ),
    update=extend_schema(
        summary="Replace an article", responses=serializers.ArticleDetailSerializer
    ),
    partial_update=extend_schema(
        summary="Edit an article", responses=serializers.ArticleDetailSerializer
    ),
    destroy=extend_schema(summary="Delete an article"),
)
class ArticleViewSet(FileAnswers, TableAnswers, ArchiveViewSet):
    filterset_class = ArticleFilterSet

    extra_query_params: tuple[str, ...] = ()  # beside the filters (guards.query_parameters)
    takes_format = True  # DRF's `format`; a file route, named by its format, does not take it

    def get_queryset(self):
        if self.action in ("list", "facets") or self.action in LIST_QUERY_ACTIONS:
            return selectors.article_list()
        return selectors.article_detail()

    def list(self, request, *args, **kwargs):
        reader = self.article_reader()
        page = reader.rows(self.paginator.paginate_reader(reader, self.request, view=self))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def get_object(self):
        article = super().get_object()
        if self.action == "retrieve":
            selectors.article_links_attach([article], related=True)
        return article

    def read_serializer(self, record):
        return serializers.ArticleDetailSerializer(record, context=self.get_serializer_context())

    def get_serializer_class(self):
        if self.action in ("create", "update", "partial_update"):
            return serializers.ArticleWriteSerializer
        if self.action == "list":
            return serializers.ArticleListSerializer
        return serializers.ArticleDetailSerializer

    @extend_schema(
        summary="Counts by country, topic, author, publication and year",
        description="Takes exactly the filters of the article list.",
        filters=True,
        responses=serializers.ArticleFacetsSerializer,
    )
    @action(detail=False, pagination_class=None)
    def facets(self, request):
        return Response(self.article_reader().facets())


class AuthorViewSet(ArchiveViewSet):
    queryset = selectors.author_list()
    serializer_class = serializers.AuthorSerializer


class TopicViewSet(ArchiveViewSet):
    queryset = selectors.topic_list()
    serializer_class = serializers.TopicSerializer


class PublicationViewSet(ArchiveViewSet):
    queryset = selectors.publication_list()
    serializer_class = serializers.PublicationSerializer


class CountryViewSet(CoMentionAnswers, ArchiveViewSet):
    queryset = selectors.country_list()
    serializer_class = serializers.CountrySerializer
    lookup_field = "code"
    lookup_value_regex = "[A-Za-z]{2}"
    # Reference data from the ISO dataset (migration 0002): names may be edited, but no
    # country is created or deleted through the API (405).
    http_method_names = ["get", "head", "options", "put", "patch"]

    def get_object(self):
        self.kwargs[self.lookup_field] = country_code(self.kwargs[self.lookup_field])
        return super().get_object()
