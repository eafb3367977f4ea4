"""The curation admin: every model, with search and list filters (SPEC §6)."""

from __future__ import annotations

from django.contrib import admin
from django.utils import timezone

from archive import selectors
from archive.models import (
    Article,
    ArticleCountry,
    Author,
    Authorship,
    Country,
    Publication,
    RelatedArticle,
    Topic,
)


class HasDateFilter(admin.SimpleListFilter):
    title = "has date"
    parameter_name = "has_date"

    def lookups(self, request, model_admin):
        return [("yes", "Yes"), ("no", "No (missing date)")]

    def queryset(self, request, queryset):
        if self.value() in {"yes", "no"}:
            return queryset.filter(published_on__isnull=self.value() == "no")
        return queryset


class AuthorshipInline(admin.TabularInline):
    model = Authorship
    extra = 0
    autocomplete_fields = ["author"]
    ordering = ["position"]


class ArticleCountryInline(admin.TabularInline):
    model = ArticleCountry
    extra = 0
    autocomplete_fields = ["country"]


class RelatedArticleInline(admin.TabularInline):
    model = RelatedArticle
    fk_name = "from_article"
    extra = 0
    autocomplete_fields = ["to_article"]
    ordering = ["position"]


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["title", "publication", "published_on", "date_source", "is_stub"]
    list_filter = [
        "publication",
        "is_stub",
        HasDateFilter,
        "date_source",
        "content_type",
        "topics",
        "countries",
    ]
    list_select_related = ["publication"]
    search_fields = ["title", "body", "authors__name"]
    date_hierarchy = "published_on"
    autocomplete_fields = ["topics", "publication"]
    readonly_fields = [
        "source_name",
        "source_sha256",
        "imported_at",
        "curated_at",
        "created_at",
        "updated_at",
    ]
    inlines = [AuthorshipInline, ArticleCountryInline, RelatedArticleInline]
    prepopulated_fields = {"slug": ["title"]}

    def save_model(self, request, obj, form, change):
        if change:
            obj.curated_at = timezone.now()  # re-imports now keep this article as it is
        super().save_model(request, obj, form, change)


class ArticleCountAdmin(admin.ModelAdmin):
    """Shows how many articles each row has, counted in the list's own query.

    Each subclass sets `selector` to the selectors function that annotates article_count."""

    def get_queryset(self, request):
        return self.selector()

    @admin.display(ordering="article_count", description="articles")
    def article_count(self, obj) -> int:
        return obj.article_count


@admin.register(Author)
class AuthorAdmin(ArticleCountAdmin):
    selector = staticmethod(selectors.author_list)
    list_display = ["name", "honorific", "article_count"]
    search_fields = ["name", "bio"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Topic)
class TopicAdmin(ArticleCountAdmin):
    selector = staticmethod(selectors.topic_list)
    list_display = ["name", "slug", "article_count"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Publication)
class PublicationAdmin(ArticleCountAdmin):
    selector = staticmethod(selectors.publication_list)
    list_display = ["name", "acronym", "website", "article_count"]
    search_fields = ["name", "acronym"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Country)
class CountryAdmin(ArticleCountAdmin):
    selector = staticmethod(selectors.country_list)
    list_display = ["name", "code", "alpha3", "article_count"]
    search_fields = ["name", "code", "alpha3"]


@admin.register(Authorship)
class AuthorshipAdmin(admin.ModelAdmin):
    list_display = ["article", "author", "position"]
    list_select_related = ["article", "author"]
    search_fields = ["article__title", "author__name"]
    autocomplete_fields = ["article", "author"]


@admin.register(ArticleCountry)
class ArticleCountryAdmin(admin.ModelAdmin):
    list_display = ["article", "country", "tagged", "mentions"]
    list_filter = ["tagged", "country"]
    list_select_related = ["article", "country"]
    search_fields = ["article__title", "country__name", "country__code"]
    autocomplete_fields = ["article", "country"]


@admin.register(RelatedArticle)
class RelatedArticleAdmin(admin.ModelAdmin):
    list_display = ["from_article", "to_article", "position"]
    list_select_related = ["from_article", "to_article"]
    search_fields = ["from_article__title", "to_article__title"]
    autocomplete_fields = ["from_article", "to_article"]
