"""Thin viewsets: a queryset from selectors, a serializer, a filterset."""

from __future__ import annotations

from rest_framework import viewsets

from archive import selectors
from archive.filtersets import ArticleFilterSet

from . import serializers


class ArticleViewSet(viewsets.ReadOnlyModelViewSet):
    lookup_field = "slug"
    filterset_class = ArticleFilterSet

    def get_queryset(self):
        if self.action == "retrieve":
            return selectors.article_detail()
        return selectors.article_list()

    def get_serializer_class(self):
        if self.action == "retrieve":
            return serializers.ArticleDetailSerializer
        return serializers.ArticleListSerializer


class AuthorViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = selectors.author_list()
    serializer_class = serializers.AuthorSerializer
    lookup_field = "slug"


class TopicViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = selectors.topic_list()
    serializer_class = serializers.TopicSerializer
    lookup_field = "slug"


class PublicationViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = selectors.publication_list()
    serializer_class = serializers.PublicationSerializer
    lookup_field = "slug"


class CountryViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = selectors.country_list()
    serializer_class = serializers.CountrySerializer
    lookup_field = "code"
    lookup_value_regex = "[A-Za-z]{2}"

    def get_object(self):
        self.kwargs[self.lookup_field] = self.kwargs[self.lookup_field].upper()
        return super().get_object()
