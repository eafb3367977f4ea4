"""The curation admin (SPEC §6): every model, searchable and filterable, with change history,
merges of duplicate authors and topics, and edits that later imports keep."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import PAGE_VAR, SEARCH_VAR, ChangeList
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import models
from django.db.models import Exists, OuterRef, Prefetch
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from simple_history.admin import SimpleHistoryAdmin

from archive import history, selectors, services
from archive.countries import country_code
from archive.dashboard import country_page
from archive.models import (
    Article,
    ArticleCountry,
    ArticleSource,
    ArticleTopic,
    Author,
    AuthorAlias,
    Authorship,
    Country,
    ImportRun,
    NearDuplicate,
    Publication,
    PublicationAlias,
    RelatedArticle,
    ReviewItem,
    Topic,
    TopicAlias,
)
from archive.reads import ArticleQuery, reader_for
from archive.search import articles_matching, search_query_parse

ARTICLE_FIELDS = {field.name for field in Article._meta.concrete_fields}
SOURCE_SHOWN = 200_000  # characters of a stored source its article's page shows
SEARCH_SHOWN = 1_000  # matches of a search alone the article list pages through

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


class BulkActionForm(helpers.ActionForm):
    """The action bar, with the box a bulk action reads its record from."""

    value = forms.CharField(
        required=False,
        label="Topic, country or publication",
        widget=forms.TextInput(attrs={"placeholder": "slug, or ISO code", "size": 18}),
    )


def _topics(article: Article, *, add: Topic | None = None, remove: Topic | None = None):
    topics = list(article.topics.all())
    if add is not None and add not in topics:
        return {"topics": [*topics, add]}
    if remove is not None and remove in topics:
        return {"topics": [t for t in topics if t != remove]}
    return None


def _tagged(article: Article, *, add: Country | None = None, remove: Country | None = None):
    tagged = [link.country for link in article.country_links.filter(tagged=True)]
    if add is not None and add not in tagged:
        return {"tagged_countries": [*tagged, add]}
    if remove is not None and remove in tagged:
        return {"tagged_countries": [c for c in tagged if c != remove]}
    return None


class ArticleChangeList(ChangeList):
    """The article list reads no text (its columns are the title, the publication, the date,
    the authors and the stub flag)."""

    def get_queryset(self, request, exclude_parameters=None):
        queryset = super().get_queryset(request, exclude_parameters)
        return queryset.defer("lead", "body", "sections", "excerpt", "search_vector")


class IdsFirstPaginator(Paginator):
    """A page's ids first, read from the ordering's index alone, then the page's rows by id:
    a page deep in the list skipped its tens of thousands of rows whole, each joined to its
    publication (127 ms for page 480 at 100,000 articles on SQLite, 1 ms this way)."""

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        ids = list(self.object_list.values_list("pk", flat=True)[bottom:top])
        return self._get_page(list(self.object_list.filter(pk__in=ids)), number, self)


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
        """The years from the first date to the last: the date index's two ends, where
        every distinct year read every dated row (120 ms a page at 100,000 articles)."""
        ends = selectors.date_span()
        if ends["first"] is None:
            return []
        years = range(ends["last"].year, ends["first"].year - 1, -1)
        return [(str(year), str(year)) for year in years]

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

    def get_queryset(self, request):  # each row is named with its topic
        return super().get_queryset(request).select_related("topic")


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
    # Every publication, country and topic, not only those some article has: "related only"
    # read the link tables whole for each page of the list.
    list_filter = [
        "publication",
        "countries",
        "topics",
        YearFilter,
        "is_stub",
        HasDateFilter,
        NearDuplicateFilter,
        "date_source",
        "content_type",
    ]
    list_select_related = ["publication"]
    search_fields = ["title"]  # the box is shown; the words go to the full-text index
    search_help_text = 'Words of the title, authors or text (all of them; "a phrase", -not).'
    show_full_result_count = False  # a filtered page counts its matches once, not the archive too
    autocomplete_fields = ["publication"]
    readonly_fields = [
        "date_source",
        "word_count",
        "source_name",
        "source_sha256",
        "imported_at",
        "rules_version",
        "layout",
        "curated_at",
        "created_at",
        "updated_at",
        "api_link",
        "near_duplicate_links",
        "stored_source",
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
                    ("rules_version", "layout"),
                    "curated_at",
                    ("created_at", "updated_at"),
                    "api_link",
                    "near_duplicate_links",
                    "stored_source",
                ]
            },
        ),
    ]
    inlines = [AuthorshipInline, ArticleTopicInline, ArticleCountryInline, RelatedArticleInline]
    prepopulated_fields = {"slug": ["title"]}
    action_form = BulkActionForm
    actions = [
        "add_topic", "remove_topic", "add_tagged_country", "remove_tagged_country",
        "set_publication", "mark_curated", "mark_not_curated", "rederive", "mark_stub",
        "mark_not_stub",
    ]  # fmt: skip

    paginator = IdsFirstPaginator

    def get_changelist(self, request, **kwargs):
        return ArticleChangeList

    def get_search_results(self, request, queryset, search_term):
        """The words through the database's full-text index (title, authors, body), as the
        API's search: every article's body read for a substring took a second at 5,000."""
        if not search_term.strip():
            return queryset, False
        try:
            query = search_query_parse(search_term)
        except ValueError as error:  # only exclusions, or too many words: say so
            self.message_user(request, str(error), messages.WARNING)
            return queryset.none(), False
        if set(request.GET) <= {SEARCH_VAR, PAGE_VAR}:  # the words alone, the list's order
            words = ArticleQuery.of({"q": search_term, "ordering": ["-published_on"]})
            return self._newest_matches(request, queryset, reader_for(words)), False
        return articles_matching(queryset, query), False

    def _newest_matches(self, request, queryset, found):
        """The newest SEARCH_SHOWN matches its reader gives (the index: a common word's 90,000
        matches sorted by the database took 0.4 s at 100,000 articles), saying when there are
        more."""
        count = found.count()
        if count > SEARCH_SHOWN:
            self.message_user(
                request,
                f"{count:,} articles match; the newest {SEARCH_SHOWN:,} are listed. Add words "
                "or a filter to narrow the search.",
                messages.INFO,
            )
        return queryset.filter(pk__in=found.ids(0, SEARCH_SHOWN))

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

    @admin.display(description="stored source")
    def stored_source(self, obj: Article) -> str:
        """The page as it was imported, decoded as the importer read it: what every value
        above was derived from (archive.stored)."""
        from archive.importer.reading import source_decoded
        from archive.stored import StoredSourceError

        kept = ArticleSource.objects.filter(article=obj.pk).first() if obj.pk else None
        if kept is None:
            return "-"
        try:
            decoded = source_decoded(kept.original())
        except (StoredSourceError, ValueError) as error:
            return f"unreadable: {error}"
        text = decoded.text
        if len(text) > SOURCE_SHOWN:
            text = (
                text[:SOURCE_SHOWN] + f"\n… ({len(decoded.text) - SOURCE_SHOWN:,} more characters)"
            )
        return format_html(
            '<p class="help">{} bytes, read as {}{}</p><pre class="archive-source">{}</pre>',
            f"{kept.size:,}", decoded.encoding, f"; {decoded.doubt}" if decoded.doubt else "", text,
        )  # fmt: skip

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

    # -- bulk actions: each through the services, in one transaction, recorded in history -----

    @admin.action(description="Add a topic (its slug) to the selected", permissions=["change"])
    def add_topic(self, request, queryset):
        topic = self._named(request, Topic, "slug")
        if topic is not None:
            self._bulk(request, queryset, f"added topic “{topic}”", lambda a: _topics(a, add=topic))

    @admin.action(description="Remove a topic (its slug) from the selected", permissions=["change"])
    def remove_topic(self, request, queryset):
        topic = self._named(request, Topic, "slug")
        if topic is not None:
            change = lambda a: _topics(a, remove=topic)  # noqa: E731
            self._bulk(request, queryset, f"removed topic “{topic}”", change)

    @admin.action(description="Tag the selected with a country (ISO code)", permissions=["change"])
    def add_tagged_country(self, request, queryset):
        country = self._named(request, Country, "code")
        if country is not None:
            change = lambda a: _tagged(a, add=country)  # noqa: E731
            self._bulk(request, queryset, f"tagged with {country.name}", change)

    @admin.action(
        description="Untag a country (ISO code) from the selected", permissions=["change"]
    )
    def remove_tagged_country(self, request, queryset):
        country = self._named(request, Country, "code")
        if country is not None:
            change = lambda a: _tagged(a, remove=country)  # noqa: E731
            self._bulk(request, queryset, f"untagged {country.name}", change)

    @admin.action(
        description="Set the publication (its slug) of the selected", permissions=["change"]
    )
    def set_publication(self, request, queryset):
        publication = self._named(request, Publication, "slug")
        if publication is not None:
            change = lambda a: (  # noqa: E731
                None if a.publication_id == publication.pk else {"publication": publication}
            )
            self._bulk(request, queryset, f"publication set to “{publication}”", change)

    @admin.action(
        description="Mark the selected curated (imports keep them)", permissions=["change"]
    )
    def mark_curated(self, request, queryset):
        changed = services.articles_curated_set(
            articles=queryset, curated=True, reason="marked curated"
        )
        self._counted(request, changed, queryset, "marked curated")

    @admin.action(
        description="Mark the selected not curated (imports may rewrite them)",
        permissions=["change"],
    )
    def mark_not_curated(self, request, queryset):
        changed = services.articles_curated_set(
            articles=queryset, curated=False, reason="marked not curated"
        )
        self._counted(request, changed, queryset, "marked not curated")

    @admin.action(
        description="Derive the selected again from their stored sources", permissions=["change"]
    )
    def rederive(self, request, queryset):
        from archive.importer.pipeline import StoredSources, import_files

        sources = StoredSources(pks=queryset.values("pk"))
        reports = list(import_files(sources, force=True))
        changed = sum(report.outcome == "updated" for report in reports)
        failed = [f"{r.source_name}: {r.detail}" for r in reports if r.outcome == "failed"]
        without = queryset.count() - len(sources)
        message = f"Derived {changed} of {len(sources)} articles again from their stored sources."
        if without:
            message += f" {without} have no stored source (stubs, or written by hand)."
        if failed:
            message += " Failed: " + "; ".join(failed[:5]) + "."
        self.message_user(request, message, messages.WARNING if failed else messages.SUCCESS)

    def _named(self, request, model, field: str):
        """The record the action form names (a slug or a code), or None with a message."""
        value = (request.POST.get("value") or "").strip()
        if field == "code":
            value = country_code(value)
        found = model.objects.filter(**{field: value}).first() if value else None
        if found is None:
            kind = model._meta.verbose_name
            self.message_user(
                request,
                f"No {kind} with {field} “{value}”: give one in the box beside the action."
                if value
                else f"Give the {kind}'s {field} in the box beside the action.",
                messages.ERROR,
            )
        return found

    def _bulk(self, request, queryset, what: str, change) -> None:
        changed = services.articles_bulk_update(articles=queryset, change=change, reason=what)
        self._counted(request, changed, queryset, what)

    def _counted(self, request, changed: int, queryset, what: str) -> None:
        total = queryset.count()
        noun = "article" if total == 1 else "articles"
        self.message_user(
            request,
            f"{what[:1].upper()}{what[1:]}: {changed} of {total} {noun} changed.",
            messages.SUCCESS,
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


class PublicationAliasInline(AliasInline):
    model = PublicationAlias
    fields = ["slug", "acronym"]
    readonly_fields = ["slug", "acronym"]


@admin.register(Publication)
class PublicationAdmin(CuratedSaveMixin, MergeAdmin):
    selector = staticmethod(selectors.publication_list)
    merge = staticmethod(services.publications_merge)
    inlines = [PublicationAliasInline]
    list_display = ["name", "acronym", "website", "article_count"]
    readonly_fields = ["curated_at"]
    search_fields = ["name", "acronym"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Country)
class CountryAdmin(CuratedSaveMixin, ArticleCountAdmin):
    selector = staticmethod(selectors.country_list)
    list_display = ["name", "code", "alpha3", "article_count"]
    # The codes are ISO 3166's: the importer links countries and the list filters check them
    # by code (archive.countries.iso_codes). The name is the curators' to edit.
    readonly_fields = ["code", "alpha3", "curated_at"]
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


@admin.register(ReviewItem)
class ReviewItemAdmin(admin.ModelAdmin):
    """What imports warned of, for curators to look at and resolve or dismiss: written by the
    importer (archive.importer.review), never added or edited by hand."""

    list_display = ["kind", "source_name", "message", "article_link", "status", "created_at"]
    list_filter = ["status", "kind", ("import_run", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["source_name", "message"]
    list_select_related = ["article"]
    actions = ["resolve", "dismiss", "reopen"]

    def has_add_permission(self, request) -> bool:
        return False

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in ReviewItem._meta.fields]

    @admin.display(description="article")
    def article_link(self, item: ReviewItem) -> str:
        """The article and its stored source (its page's provenance)."""
        if item.article_id is None:
            return "-"
        url = reverse("admin:archive_article_change", args=[item.article_id])
        return format_html('<a href="{}#fieldset-0-2-heading">{}</a>', url, item.article)

    @admin.action(description="Resolve the selected", permissions=["change"])
    def resolve(self, request, queryset):
        self._decide(request, queryset, ReviewItem.Status.RESOLVED)

    @admin.action(description="Dismiss the selected", permissions=["change"])
    def dismiss(self, request, queryset):
        self._decide(request, queryset, ReviewItem.Status.DISMISSED)

    @admin.action(description="Reopen the selected", permissions=["change"])
    def reopen(self, request, queryset):
        self._decide(request, queryset, ReviewItem.Status.OPEN)

    def _decide(self, request, queryset, status: str) -> None:
        open_again = status == ReviewItem.Status.OPEN
        changed = queryset.exclude(status=status).update(
            status=status,
            decided_at=None if open_again else timezone.now(),
            decided_by=None if open_again else request.user,
        )
        label = ReviewItem.Status(status).label
        self.message_user(request, f"{changed} item{'s' if changed != 1 else ''} {label}.")


@admin.register(AuthorAlias, TopicAlias, PublicationAlias)
class AliasAdmin(admin.ModelAdmin):
    """Aliases come from merges; they are looked up here, not typed."""

    search_fields = ["slug"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
