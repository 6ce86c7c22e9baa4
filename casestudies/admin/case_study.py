"""The case study's admin: its form, lists and row-level rules. The workflow's pages are in
workflow.py, spreadsheet import and export in spreadsheet.py, report import in
casestudies/report_import/admin.py."""

from functools import partial

from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.forms.models import BaseInlineFormSet
from django.http import HttpResponseRedirect
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils.http import urlencode

from editorial.roles import Scope, region_is_kept, scope_place_problem

from ..compiled.views import report_from_selection
from ..form_fields import TEXT_BOXES
from ..models import POINT_LISTS, CaseStudy, Contact, Point
from ..report_import.admin import report_import_view
from .spreadsheet import CaseStudyResource, SpreadsheetImportMixin
from .workflow import WorkflowAdmin


class PlaceholderMixin:
    """An autocomplete box that says what to type while it is empty (Django's shows nothing)."""

    def build_attrs(self, base_attrs, extra_attrs=None):
        attrs = super().build_attrs(base_attrs, extra_attrs)
        names = self.field.related_model._meta.verbose_name_plural
        attrs["data-placeholder"] = f"Start typing to find {names}"
        return attrs


class AutocompleteOne(PlaceholderMixin, AutocompleteSelect):
    pass


class AutocompleteMany(PlaceholderMixin, AutocompleteSelectMultiple):
    pass


class OrderedInlineFormSet(BaseInlineFormSet):
    """Numbers the kept items 1, 2, 3… in the order the editor gave, new items last.

    A new row starts at the next number (the admin's script numbers rows added after the first,
    static/js/admin-case-study.mjs). Editors can type any numbers; the saved list never has gaps
    or two items in one place.
    """

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if form.instance.pk is None and "order" in form.fields:
            # The empty form (index None) is the pattern of a row added in the browser.
            form.initial["order"] = (self.initial_form_count() if index is None else index) + 1

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
    template = "admin/casestudies/edit_inline/tabular.html"  # help under the headings
    formfield_overrides = TEXT_BOXES


class CaseStudyPartInline(OrderedInline):
    """One of a case study's parts (`CaseStudy.part_models()`): editable exactly when the case study
    is. Shows every field of the part, in the model's order."""

    def parent_allows(self, request, obj):
        return obj is None or "change" in obj.permitted_actions(request.user)

    def has_add_permission(self, request, obj):
        return super().has_add_permission(request, obj) and self.parent_allows(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self.parent_allows(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self.parent_allows(request, obj)


class PointFormSet(OrderedInlineFormSet):
    """The points of one list: each list has its own table in the case study form."""

    point_kind = None

    @classmethod
    def get_default_prefix(cls):
        return f"points-{cls.point_kind}"

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if not form.instance.pk:
            form.instance.kind = self.point_kind


def part_inline(model):
    """The inline editing one of a case study's parts (points have one per list, below)."""
    return type(f"{model.__name__}Inline", (CaseStudyPartInline,), {"model": model})


class ContactInline(admin.StackedInline, CaseStudyPartInline):
    """Contacts, one under another with their fields in rows, so that the two fields publishing
    depends on (consent and its date) are on the screen, never off its right edge."""

    model = Contact
    template = "admin/edit_inline/stacked.html"
    fields = [
        ("name", "role"),
        ("organisation", "email", "phone"),
        ("consent", "last_verified_on"),
        "order",
    ]


def point_inline(point_list):
    """An inline editing one of the case study's lists of points."""
    name = point_list.kind.name.title()
    kind = point_list.kind
    formset = type(f"{name}PointFormSet", (PointFormSet,), {"point_kind": kind})

    class PointInline(CaseStudyPartInline):
        model = Point
        fields = ["order", "text"]
        verbose_name = "point"
        verbose_name_plural = point_list.default_heading  # the question the reports ask
        description = point_list.when_to_use

        def get_queryset(self, request):
            return super().get_queryset(request).filter(kind=kind)

    PointInline.formset = formset
    PointInline.__name__ = f"{name}PointInline"
    return PointInline


@admin.register(CaseStudy)
class CaseStudyAdmin(SpreadsheetImportMixin, WorkflowAdmin):
    resource_classes = [CaseStudyResource]
    change_form_template = "admin/casestudies/casestudy/change_form.html"
    # The list page: django-import-export's, plus "Import a report" for those allowed.
    import_export_change_list_template = "admin/casestudies/casestudy/change_list.html"
    # The plain list page under django-import-export's, not django-reversion's: that one offers
    # "Recover deleted case studies" to everyone who may add, and only site administrators may.
    change_list_template = "admin/change_list.html"
    list_display = ["title", "council_names", "region", "workflow_state", "stage", "updated_at"]
    list_filter = ["status", "region", "stage", "topics", "approaches", "publication"]
    list_select_related = ["region", "update_of"]
    search_fields = ["title", "standfirst", "councils__name", "councils__short_name"]
    prepopulated_fields = {"slug": ["title"]}
    save_on_top = True  # Save, and the workflow buttons that save first, above the form too
    formfield_overrides = TEXT_BOXES
    autocomplete_fields = ["region", *CaseStudy.LINKS, "publication"]
    date_hierarchy = "published_on"
    readonly_fields = ["status", "update_of", "workflow_history", "created_at", "updated_at"]
    fieldsets = [
        (
            "The case study",
            {
                "fields": ["title", "slug", "standfirst"],
                "description": "The title and one-sentence summary people see in lists.",
            },
        ),
        ("Where and who", {"fields": ["region", "councils", "organisations", "people"]}),
        ("What happened", {"fields": ["narrative"]}),
        ("About the work", {"fields": ["topics", "approaches", "stage", "started_on"]}),
        (
            "List headings",
            {
                "classes": ["collapse"],
                "description": (
                    "Only if the source document uses its own words for a list's heading. "
                    "The combined list is for a source that puts barriers and conditions for "
                    "success in one list."
                ),
                "fields": [point_list.heading_field for point_list in POINT_LISTS],
            },
        ),
        ("Source", {"fields": ["publication", "source_pages", "published_on", "last_reviewed_on"]}),
        ("Notes", {"fields": ["content_note", "editor_notes"]}),
        (
            "Workflow",
            {
                "description": (
                    "The state changes only with the workflow buttons beside Save, which "
                    "save your changes first."
                ),
                "fields": ["status", "update_of", "workflow_history"],
            },
        ),
        (
            "When it was added and last changed",
            {"classes": ["collapse"], "fields": ["created_at", "updated_at"]},
        ),
    ]
    inlines = [
        *(point_inline(point_list) for point_list in POINT_LISTS),
        *(
            ContactInline if model is Contact else part_inline(model)
            for model in CaseStudy.part_models()
            if model is not Point
        ),
    ]

    # Row-level rules: what a person sees, and may do with each entry, comes from
    # CaseStudyQuerySet.visible_to and CaseStudy.permitted_actions (which also asks for the
    # model permission of each action).

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user).prefetch_related("councils")

    def allowed(self, request, obj, action):
        return obj is None or action in obj.permitted_actions(request.user)

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and self.allowed(request, obj, "view")

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self.allowed(request, obj, "change")

    def has_delete_permission(self, request, obj=None):
        return (
            super().has_delete_permission(request, obj)
            and Scope.of(request.user).is_admin
            and self.allowed(request, obj, "delete")
        )

    def has_add_permission(self, request):
        scope = Scope.of(request.user)
        return super().has_add_permission(request) and (
            scope.is_admin or scope.is_lead or scope.is_officer
        )

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        scope = Scope.of(request.user)

        kept_region = obj.update_of.region if obj is not None and obj.update_of_id else None

        class ScopedForm(form):
            def clean(self):
                cleaned = super().clean()
                if "councils" not in self.fields:
                    return cleaned
                if "region" in self.fields:
                    region = cleaned.get("region")
                elif region_is_kept(scope, kept_region=kept_region):
                    # Not on the form (see get_readonly_fields): the published entry's region.
                    region = self.instance.region = kept_region
                else:
                    return cleaned
                problem = scope_place_problem(
                    scope,
                    region=region,
                    councils=cleaned.get("councils") or [],
                    kept_region=kept_region,
                )
                if problem:
                    field, message = problem
                    # At the field it is about; the region may not be on the form.
                    self.add_error(field if field in self.fields else None, message)
                return cleaned

        return ScopedForm

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in self.get_autocomplete_fields(request):
            kwargs.setdefault("widget", AutocompleteOne(db_field, self.admin_site))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name in self.get_autocomplete_fields(request):
            kwargs.setdefault("widget", AutocompleteMany(db_field, self.admin_site))
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        """An update of a published entry stays in that entry's region: only the region's lead
        (or a site administrator) may move it, so for anyone else the region is not a field."""
        fields = super().get_readonly_fields(request, obj)
        if obj is not None and obj.update_of_id:
            kept_region = obj.update_of.region
            if region_is_kept(Scope.of(request.user), kept_region=kept_region):
                return [*fields, "region"]
        return fields

    def get_urls(self):
        import_view = partial(report_import_view, model_admin=self)
        return [
            path(
                "compile-report/",
                self.admin_site.admin_view(partial(report_from_selection, model_admin=self)),
                name="casestudies_casestudy_compile_report",
            ),
            path(
                "import-report/",
                self.admin_site.admin_view(import_view),
                name="casestudies_casestudy_import_report",
            ),
            *super().get_urls(),
        ]

    actions = ["compile_report"]

    @admin.action(description="Compile a report of the selected case studies", permissions=["view"])
    def compile_report(self, request, queryset):
        """To the compiled report's form, with the selection (only what the person sees)."""
        ids = ",".join(str(pk) for pk in queryset.values_list("pk", flat=True))
        url = reverse("admin:casestudies_casestudy_compile_report")
        return HttpResponseRedirect(f"{url}?{urlencode({'ids': ids})}")

    def view_on_site(self, obj):
        """The admin's "View on site" button, only where the public can see the page."""
        return obj.get_absolute_url() if obj.is_published else None

    # Columns.

    @admin.display(description="Councils")
    def council_names(self, obj):
        return ", ".join(council.short_name for council in obj.councils.all()) or "—"

    @admin.display(description="State", ordering="status")
    def workflow_state(self, obj):
        if obj.update_of_id:
            return f"{obj.get_status_display()}: update of a published entry"
        return obj.get_status_display()

    @admin.display(description="Workflow history")
    def workflow_history(self, obj):
        steps = obj.transitions.select_related("by") if obj.pk else []
        return render_to_string(
            "admin/casestudies/casestudy/includes/workflow_history.html", {"steps": steps}
        )
