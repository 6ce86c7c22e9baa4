from functools import partial

from django.contrib import admin
from django.forms.models import BaseInlineFormSet
from django.urls import path

from .admin_import import report_import_view
from .models import (
    POINT_HEADING_FIELDS,
    Approach,
    CaseStudy,
    Contact,
    Link,
    PeopleGroup,
    Point,
    Publication,
    Quote,
    Resource,
    ResourceItem,
    Topic,
)


class OrderedInlineFormSet(BaseInlineFormSet):
    """Numbers the kept items 1, 2, 3… in the order the editor gave, new items last.

    Editors can type any numbers (or leave new rows at 0); the saved list never has gaps or
    two items in one place.
    """

    def clean(self):
        super().clean()
        kept = [
            (index, form)
            for index, form in enumerate(self.forms)
            if form.has_changed() or form.instance.pk
            if not (self.can_delete and self._should_delete_form(form))
            if form.is_valid()
        ]
        kept.sort(key=lambda pair: (pair[1].instance.order or float("inf"), pair[0]))
        for position, (_index, form) in enumerate(kept, start=1):
            form.instance.order = position


class OrderedInline(admin.TabularInline):
    formset = OrderedInlineFormSet
    extra = 0


class PointFormSet(OrderedInlineFormSet):
    """The points of one kind: each list has its own table in the case study form."""

    point_kind = None

    @classmethod
    def get_default_prefix(cls):
        return f"points-{cls.point_kind}"

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if not form.instance.pk:
            form.instance.kind = self.point_kind


def point_inline(kind):
    """An inline editing one of the case study's lists."""
    formset = type(f"{kind.name.title()}PointFormSet", (PointFormSet,), {"point_kind": kind})

    class PointInline(OrderedInline):
        model = Point
        fields = ["order", "text"]
        verbose_name = "point"
        verbose_name_plural = kind.label

        def get_queryset(self, request):
            return super().get_queryset(request).filter(kind=kind)

    PointInline.formset = formset
    PointInline.__name__ = f"{kind.name.title()}PointInline"
    return PointInline


class ContactInline(OrderedInline):
    model = Contact
    fields = [
        "order",
        "name",
        "role",
        "organisation",
        "email",
        "phone",
        "consent",
        "last_verified_on",
    ]


class LinkInline(OrderedInline):
    model = Link
    fields = ["order", "title", "url"]


class QuoteInline(OrderedInline):
    model = Quote
    fields = ["order", "text", "attribution"]


@admin.register(CaseStudy)
class CaseStudyAdmin(admin.ModelAdmin):
    list_display = ["title", "council_names", "region", "status", "stage", "updated_at"]
    list_filter = ["status", "region", "stage", "topics", "approaches", "publication"]
    list_select_related = ["region"]
    search_fields = ["title", "standfirst", "councils__name", "councils__short_name"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = [
        "region",
        "councils",
        "organisations",
        "topics",
        "people",
        "approaches",
        "publication",
    ]
    date_hierarchy = "published_on"
    readonly_fields = ["created_at", "updated_at"]
    fieldsets = [
        ("The case study", {"fields": ["title", "slug", "standfirst", "narrative"]}),
        ("Where and who", {"fields": ["region", "councils", "organisations", "people"]}),
        ("About the work", {"fields": ["topics", "approaches", "stage", "started_on"]}),
        (
            "List headings",
            {
                "classes": ["collapse"],
                "description": "Only if the source uses its own wording for a list's heading.",
                "fields": [field for _kind, field in POINT_HEADING_FIELDS],
            },
        ),
        ("Source", {"fields": ["publication", "source_pages", "published_on", "last_reviewed_on"]}),
        ("Status and notes", {"fields": ["status", "content_note", "editor_notes"]}),
        ("Record", {"classes": ["collapse"], "fields": ["created_at", "updated_at"]}),
    ]
    inlines = [
        *(point_inline(kind) for kind, _field in POINT_HEADING_FIELDS),
        ContactInline,
        LinkInline,
        QuoteInline,
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("councils")

    def get_urls(self):
        view = self.admin_site.admin_view(partial(report_import_view, model_admin=self))
        return [
            path("import/", view, name="casestudies_casestudy_import"),
            *super().get_urls(),
        ]

    def save_related(self, request, form, formsets, change):
        """After the lists, contacts, quotes and councils are saved, refresh the search text."""
        super().save_related(request, form, formsets, change)
        form.instance.refresh_search_vector()

    @admin.display(description="Councils")
    def council_names(self, obj):
        return ", ".join(council.short_name for council in obj.councils.all()) or "—"


class TermAdmin(admin.ModelAdmin):
    list_display = ["name", "description"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}


admin.site.register([Topic, PeopleGroup, Approach], TermAdmin)


@admin.register(Publication)
class PublicationAdmin(admin.ModelAdmin):
    list_display = ["title", "publisher", "year"]
    list_filter = ["publisher", "year"]
    search_fields = ["title", "publisher"]
    prepopulated_fields = {"slug": ["title"]}


class ResourceItemInline(OrderedInline):
    model = ResourceItem
    fields = ["order", "text"]


@admin.register(Resource)
class ResourceAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "publication", "status"]
    list_filter = ["status", "kind", "region", "publication"]
    list_select_related = ["publication"]
    search_fields = ["title", "intro"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["publication", "region", "councils"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "kind", "intro"]}),
        ("Source", {"fields": ["publication", "source_pages", "region", "councils"]}),
        ("Status and notes", {"fields": ["status", "content_note"]}),
    ]
    inlines = [ResourceItemInline]
