"""The curation admin (SPEC §6): every model, searchable and filterable, with change history,
merges of duplicate authors and topics, and edits that later imports keep."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Exists, OuterRef, Prefetch
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from simple_history.admin import SimpleHistoryAdmin

from archive import history, selectors, services
from archive.dashboard import country_page
from archive.models import (
    Article,
    ArticleCountry,
    ArticleTopic,
    Author,
    AuthorAlias,
    Authorship,
    Country,
    ImportRun,
    NearDuplicate,
    Publication,
    RelatedArticle,
    Topic,
    TopicAlias,
)

ARTICLE_FIELDS = {field.name for field in Article._meta.concrete_fields}

admin.site.site_header = "Commentary Archive"
admin.site.site_title = "Commentary Archive"
admin.site.index_title = "Curation"


class PlainTextField(forms.CharField):
    """Text as the importer stores it: browsers post a textarea with CRLF line ends, which
    would otherwise rewrite (and mark as changed) every multi-paragraph text saved."""

    def to_python(self, value):
        return super().to_python(value).replace("\r\n", "\n")


PLAIN_TEXT = {models.TextField: {"form_class": PlainTextField}}


class LinesField(forms.CharField):
    """A list of strings edited as lines of text, one item a line (an article's section
    headings), rather than as JSON."""

    widget = forms.Textarea(attrs={"rows": 6, "cols": 80})

    def prepare_value(self, value):
        return "\n".join(value) if isinstance(value, list) else value

    def to_python(self, value):
        return [
            line.strip() for line in (super().to_python(value) or "").splitlines() if line.strip()
        ]


class ArticleForm(forms.ModelForm):
    sections = LinesField(required=False, help_text="The body's headings in order, one a line.")

    class Meta:
        model = Article
        fields = [
            "title", "slug", "publication", "content_type", "published_on", "is_stub",
            "lead", "body", "sections", "excerpt",
        ]  # fmt: skip
        widgets = {"title": forms.TextInput(attrs={"class": "vTextField archive-wide"})}


class NotInSidebar:
    """A link table edited in its article's page: reachable by its URL, not listed in the
    index or the sidebar beside the records themselves."""

    def has_module_permission(self, request) -> bool:
        return False


class HasDateFilter(admin.SimpleListFilter):
    title = "date"
    parameter_name = "has_date"

    def lookups(self, request, model_admin):
        return [("yes", "has a date"), ("no", "missing date")]

    def queryset(self, request, queryset):
        if self.value() in {"yes", "no"}:
            return queryset.filter(published_on__isnull=self.value() == "no")
        return queryset


class YearFilter(admin.SimpleListFilter):
    title = "year"
    parameter_name = "year"

    def lookups(self, request, model_admin):
        years = Article.objects.dates("published_on", "year", order="DESC")
        return [(str(day.year), str(day.year)) for day in years]

    def queryset(self, request, queryset):
        if (self.value() or "").isdigit():
            return queryset.filter(published_on__year=int(self.value()))
        return queryset


class NearDuplicateFilter(admin.SimpleListFilter):
    """Articles whose text the import found nearly the same as another's: to merge."""

    title = "near duplicates"
    parameter_name = "near_duplicate"

    def lookups(self, request, model_admin):
        return [("yes", "has a near duplicate"), ("no", "none")]

    def queryset(self, request, queryset):
        if self.value() in {"yes", "no"}:
            flagged = Exists(NearDuplicate.objects.filter(article=OuterRef("pk")))
            return queryset.filter(flagged if self.value() == "yes" else ~flagged)
        return queryset


class OneBasedPositionForm(forms.ModelForm):
    """A link row's position as a curator reads it, from 1 (the byline's "1. Kenneth
    Katzman", the cards' "card 1"), kept from 0 as the importer and the API keep it."""

    position = forms.IntegerField(min_value=1, initial=1, help_text="From 1.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.initial["position"] = self.instance.position + 1

    def clean_position(self) -> int:
        return self.cleaned_data["position"] - 1


class AuthorshipInline(admin.TabularInline):
    model = Authorship
    form = OneBasedPositionForm
    extra = 0
    autocomplete_fields = ["author"]
    ordering = ["position"]

    def get_queryset(self, request):  # each row is named with its author ("1. Ali Bakeer")
        return super().get_queryset(request).select_related("author")


class ArticleTopicInline(admin.TabularInline):
    model = ArticleTopic
    extra = 0
    autocomplete_fields = ["topic"]
    verbose_name, verbose_name_plural = "topic", "topics"


class ArticleCountryInline(admin.TabularInline):
    """Tagged is the curator's to set; mentions are counted from the text on every save."""

    model = ArticleCountry
    extra = 0

    def get_queryset(self, request):  # each row is named with its country ("Iran — tagged")
        return super().get_queryset(request).select_related("country")

    autocomplete_fields = ["country"]
    fields = ["country", "tagged", "mentions"]
    readonly_fields = ["mentions"]


class RelatedArticleInline(admin.TabularInline):
    model = RelatedArticle
    form = OneBasedPositionForm
    fk_name = "from_article"
    extra = 0
    autocomplete_fields = ["to_article"]
    ordering = ["position"]

    def get_queryset(self, request):  # each row is named with its card ("card 1: …")
        return super().get_queryset(request).select_related("to_article")


class HistoryAdmin(SimpleHistoryAdmin):
    """django-simple-history's pages, with the admin's usual answer to an id that names no
    record (a redirect with a message) instead of a 500 for one that is not a number."""

    def history_view(self, request, object_id, extra_context=None):
        if self.get_object(request, unquote(object_id)) is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        return super().history_view(request, object_id, extra_context=extra_context)


class ArticleHistoryAdmin(HistoryAdmin):
    """An article's history in words, its link changes included (archive.history), and a
    revert that restores the whole version through the services (django-simple-history's
    saves only the form's columns, and for an article whose edits go through save_related it
    saved nothing while saying it had)."""

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        """Each version's changes against the one before it (newest first, as listed; the
        page's oldest against the version before the page)."""
        versions = list(historical_records)
        if not versions:
            return
        oldest = versions[-1]
        before_page = (
            type(oldest)
            .objects.filter(id=oldest.id, history_date__lt=oldest.history_date)
            .order_by("-history_date", "-history_id")
            .first()
        )
        pairs = [
            (newer, older)
            for newer, older in zip(versions, [*versions[1:], before_page], strict=True)
            if older is not None
        ]
        names = history.Names([version for pair in pairs for version in pair])
        for newer, older in pairs:
            newer.history_delta_changes = history.changes(older, newer, names)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method != "POST":
            return super().history_form_view(request, object_id, version_id, extra_context)
        article = self.get_object(request, unquote(object_id))
        if article is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_change_permission(request, article) or self.revert_disabled(
            request, article
        ):
            raise PermissionDenied
        version = get_object_or_404(Article.history.model, id=article.pk, history_id=version_id)
        reverted = services.article_revert(article=article, version=version)
        when = version.history_date.strftime("%Y-%m-%d %H:%M:%S UTC")
        changed = ", ".join(change.field for change in reverted.changes)
        if changed:
            message, level = (
                f"Reverted “{article}” to its version of {when}: {changed}.",
                messages.SUCCESS,
            )
        else:
            message, level = f"“{article}” already matched its version of {when}.", messages.INFO
        if reverted.missing:
            message += " Not restored: " + "; ".join(reverted.missing) + "."
            level = messages.WARNING
        self.message_user(request, message, level)
        return HttpResponseRedirect(reverse("admin:archive_article_change", args=[article.pk]))


@admin.register(Article)
class ArticleAdmin(ArticleHistoryAdmin):
    form = ArticleForm
    formfield_overrides = PLAIN_TEXT

    class Media:
        css = {"all": ["admin/archive/archive.css"]}

    list_display = [
        "title",
        "publication",
        "published_on",
        "date_source",
        "author_names",
        "is_stub",
    ]
    list_filter = [
        ("publication", admin.RelatedOnlyFieldListFilter),
        ("countries", admin.RelatedOnlyFieldListFilter),
        ("topics", admin.RelatedOnlyFieldListFilter),
        YearFilter,
        "is_stub",
        HasDateFilter,
        NearDuplicateFilter,
        "date_source",
        "content_type",
    ]
    list_select_related = ["publication"]
    search_fields = ["title", "body", "authors__name"]
    autocomplete_fields = ["publication"]
    readonly_fields = [
        "date_source",
        "word_count",
        "source_name",
        "source_sha256",
        "imported_at",
        "curated_at",
        "created_at",
        "updated_at",
        "api_link",
        "near_duplicate_links",
    ]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "title",
                    "slug",
                    "publication",
                    "content_type",
                    ("published_on", "date_source"),
                    "is_stub",
                ]
            },
        ),
        ("Text", {"fields": ["lead", "body", "sections", "excerpt", "word_count"]}),
        (
            "Provenance",
            {
                "fields": [
                    "source_name",
                    "source_sha256",
                    "imported_at",
                    "curated_at",
                    ("created_at", "updated_at"),
                    "api_link",
                    "near_duplicate_links",
                ]
            },
        ),
    ]
    inlines = [AuthorshipInline, ArticleTopicInline, ArticleCountryInline, RelatedArticleInline]
    prepopulated_fields = {"slug": ["title"]}
    actions = ["mark_stub", "mark_not_stub"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related(
                Prefetch(
                    "authorships",
                    queryset=Authorship.objects.select_related("author").order_by("position"),
                )
            )
        )

    @admin.display(description="authors")
    def author_names(self, obj: Article) -> str:
        return ", ".join(authorship.author.name for authorship in obj.authorships.all())

    @admin.display(description="in the API")
    def api_link(self, obj: Article) -> str:
        if obj.pk is None:
            return "-"
        url = obj.get_absolute_url()
        return format_html('<a href="{}">{}</a>', url, url)

    @admin.display(description="nearly the same as")
    def near_duplicate_links(self, obj: Article) -> str:
        """The articles the import found nearly the same as this one, to compare and merge."""
        near = NearDuplicate.objects.filter(article=obj.pk).select_related("other")
        rows = [
            format_html(
                '<a href="{}">{}</a> ({} alike)',
                reverse("admin:archive_article_change", args=[pair.other_id]),
                pair.other.title,
                f"{pair.similarity:.0%}",
            )
            for pair in near.order_by("-similarity", "other_id")
        ]
        return format_html_join(mark_safe("<br>"), "{}", ((row,) for row in rows)) or "-"

    # The inline rows that the article services own: authors in order, topics, tagged
    # countries (whose mention counts the services derive from the text).
    LINKS = {Authorship: "authors", ArticleTopic: "topics", ArticleCountry: "tagged_countries"}

    def save_model(self, request, obj, form, change):
        # Either way the article counts as curated, so that later imports keep it. A change
        # is written with its inline rows, in one service call (save_related).
        if not change:
            obj.date_source = services.date_source_for(obj.published_on)
            services.curate(obj)
            super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        """The article's own columns and the link rows go through services.article_update,
        as an API edit does: saving the inline rows after the service had rebuilt them was a
        500 (UNIQUE constraint failed), and an article added here got no mention counts."""
        form.save_m2m()
        links = {}
        for formset in formsets:
            if formset.model in self.LINKS:
                formset.save(commit=False)  # validated rows; the change message reads them
                links[self.LINKS[formset.model]] = _kept_rows(formset)
            else:
                self.save_formset(request, form, formset, change=change)
        fields = {}
        if change:
            fields = {
                n: getattr(form.instance, n) for n in form.changed_data if n in ARTICLE_FIELDS
            }
            if "body" in fields:
                fields["lead"] = form.instance.lead  # the lead shown in the form, not re-derived
        services.article_update(
            article=form.instance,
            authors=[row["author"] for row in links.get("authors", [])],
            topics=[row["topic"] for row in links.get("topics", [])],
            tagged_countries=[
                row["country"] for row in links.get("tagged_countries", []) if row["tagged"]
            ],
            **fields,
        )

    @admin.action(description="Mark selected articles as stubs", permissions=["change"])
    def mark_stub(self, request, queryset):
        self._stub_message(request, services.articles_mark_stub(articles=queryset, is_stub=True))

    @admin.action(description="Mark selected articles as not stubs", permissions=["change"])
    def mark_not_stub(self, request, queryset):
        self._stub_message(request, services.articles_mark_stub(articles=queryset, is_stub=False))

    def _stub_message(self, request, changed: int) -> None:
        self.message_user(request, f"{changed} article(s) changed.", messages.SUCCESS)


def _kept_rows(formset) -> list[dict]:
    """The rows a link formset keeps (filled in, not marked for deletion), by position."""
    rows = [
        (form.cleaned_data.get("position", 0), index, form.cleaned_data)
        for index, form in enumerate(formset.forms)
        if form.cleaned_data and not form.cleaned_data.get("DELETE")
    ]
    return [data for _, _, data in sorted(rows, key=lambda row: row[:2])]


class ArticleCountAdmin(admin.ModelAdmin):
    """Shows how many articles each row has, counted in the list's own query.

    Each subclass sets `selector` to the selectors function that annotates article_count."""

    formfield_overrides = PLAIN_TEXT

    def get_queryset(self, request):
        return self.selector()

    @admin.display(ordering="article_count", description="articles")
    def article_count(self, obj) -> int:
        return obj.article_count


class MergeAdmin(ArticleCountAdmin):
    """An action that folds the selected records into the one the curator picks.

    Each subclass sets `merge` to the services function that does it."""

    actions = ["merge_selected"]
    merge_template = "admin/archive/merge.html"

    @admin.action(
        description="Merge selected %(verbose_name_plural)s into one", permissions=["merge"]
    )
    def merge_selected(self, request, queryset):
        records = sorted(queryset, key=lambda record: (-record.article_count, record.pk))
        opts = self.model._meta
        if len(records) < 2:
            self.message_user(request, "Select two or more to merge.", messages.WARNING)
            return None
        if request.POST.get("confirm") == "yes":
            into = next((r for r in records if str(r.pk) == request.POST.get("into")), None)
            if into is None:
                self.message_user(request, "Choose the one to keep.", messages.ERROR)
                return None
            merged = self.merge(into=into, others=records)
            kind = opts.verbose_name if merged == 1 else opts.verbose_name_plural
            self.message_user(request, f"Merged {merged} {kind} into “{into}”.", messages.SUCCESS)
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": f"Merge {opts.verbose_name_plural}",
            "opts": opts,
            "records": records,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, self.merge_template, context)

    def has_merge_permission(self, request) -> bool:
        return self.has_change_permission(request) and self.has_delete_permission(request)


class CuratedSaveMixin:
    """A save in the admin marks the record curated, so that imports keep what it says."""

    def save_model(self, request, obj, form, change):
        services.curate(obj)
        super().save_model(request, obj, form, change)


class AliasInline(admin.TabularInline):
    extra = 0
    fields = ["slug"]
    readonly_fields = ["slug"]
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class AuthorAliasInline(AliasInline):
    model = AuthorAlias


class TopicAliasInline(AliasInline):
    model = TopicAlias


@admin.register(Author)
class AuthorAdmin(CuratedSaveMixin, MergeAdmin, HistoryAdmin):
    selector = staticmethod(selectors.author_list)
    merge = staticmethod(services.authors_merge)
    list_display = ["name", "honorific", "article_count", "curated_at"]
    search_fields = ["name", "bio"]
    readonly_fields = ["curated_at", "created_at", "updated_at"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [AuthorAliasInline]


@admin.register(Topic)
class TopicAdmin(CuratedSaveMixin, MergeAdmin):
    selector = staticmethod(selectors.topic_list)
    merge = staticmethod(services.topics_merge)
    list_display = ["name", "slug", "article_count"]
    readonly_fields = ["curated_at"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [TopicAliasInline]


@admin.register(Publication)
class PublicationAdmin(CuratedSaveMixin, ArticleCountAdmin):
    selector = staticmethod(selectors.publication_list)
    list_display = ["name", "acronym", "website", "article_count"]
    readonly_fields = ["curated_at"]
    search_fields = ["name", "acronym"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Country)
class CountryAdmin(CuratedSaveMixin, ArticleCountAdmin):
    selector = staticmethod(selectors.country_list)
    list_display = ["name", "code", "alpha3", "article_count"]
    readonly_fields = ["curated_at"]
    search_fields = ["name", "code", "alpha3"]
    change_form_template = "admin/archive/country/change_form.html"

    class Media:
        css = {"all": ["admin/archive/archive.css"]}

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """The country's record, and below it its articles over time and the countries most
        often discussed with it (archive.country_page)."""
        country = self.get_object(request, unquote(object_id))
        if country is not None:
            extra_context = {**(extra_context or {}), **country_page(country)}
        return super().change_view(request, object_id, form_url, extra_context)

    # Reference data from the ISO dataset (migration 0002): never added or deleted by hand.
    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Authorship)
class AuthorshipAdmin(NotInSidebar, admin.ModelAdmin):
    list_display = ["article", "author", "position"]
    list_select_related = ["article", "author"]
    search_fields = ["article__title", "author__name"]
    autocomplete_fields = ["article", "author"]


@admin.register(ArticleCountry)
class ArticleCountryAdmin(NotInSidebar, admin.ModelAdmin):
    list_display = ["article", "country", "tagged", "mentions"]
    list_filter = ["tagged", ("country", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["article", "country"]
    search_fields = ["article__title", "country__name", "country__code"]
    autocomplete_fields = ["article", "country"]


@admin.register(RelatedArticle)
class RelatedArticleAdmin(NotInSidebar, admin.ModelAdmin):
    list_display = ["from_article", "to_article", "position"]
    list_select_related = ["from_article", "to_article"]
    search_fields = ["from_article__title", "to_article__title"]
    autocomplete_fields = ["from_article", "to_article"]


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    """What each import did, as its command printed it: written by the importer only."""

    list_display = ["started_at", "source", "files", "outcome", "summary"]
    date_hierarchy = "started_at"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(AuthorAlias, TopicAlias)
class AliasAdmin(admin.ModelAdmin):
    """Aliases come from merges; they are looked up here, not typed."""

    search_fields = ["slug"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
