from functools import partial

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms.models import BaseInlineFormSet
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from import_export.admin import ImportExportMixin
from reversion_compare.admin import CompareVersionAdmin

from editorial.roles import Scope, scope_place_error

from . import services
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
from .resources import CaseStudyResource


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


class CaseStudyPartInline(OrderedInline):
    """A list inside a case study: editable exactly when the case study is."""

    def parent_allows(self, request, obj):
        return obj is None or "change" in obj.permitted_actions(request.user)

    def has_add_permission(self, request, obj):
        return super().has_add_permission(request, obj) and self.parent_allows(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self.parent_allows(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self.parent_allows(request, obj)


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

    class PointInline(CaseStudyPartInline):
        model = Point
        fields = ["order", "text"]
        verbose_name = "point"
        verbose_name_plural = kind.default_heading  # the question the reports ask

        def get_queryset(self, request):
            return super().get_queryset(request).filter(kind=kind)

    PointInline.formset = formset
    PointInline.__name__ = f"{kind.name.title()}PointInline"
    return PointInline


class ContactInline(CaseStudyPartInline):
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


class LinkInline(CaseStudyPartInline):
    model = Link
    fields = ["order", "title", "url"]


class QuoteInline(CaseStudyPartInline):
    model = Quote
    fields = ["order", "text", "attribution"]


class WorkflowForm(forms.Form):
    """The comment that goes with a move; required when returning an entry to its author."""

    comment = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
        help_text="Kept in the entry's history, and shown to its author.",
    )

    def __init__(self, *args, comment_required=False, **kwargs):
        super().__init__(*args, **kwargs)
        if comment_required:
            self.fields["comment"].required = True
            self.fields[
                "comment"
            ].help_text = "Say what the author needs to change. They see this on their start page."


# Each move an editor can make from a case study's page: its service, the button's words and
# a plain-English line saying what happens.
WORKFLOW_ACTIONS = {
    "submit": (
        services.case_study_submit,
        "Submit for review",
        "A regional lead will check it and publish it, or return it to you with a comment. "
        "You cannot change it while it is in review.",
    ),
    "publish": (
        services.case_study_publish,
        "Publish",
        "It will appear on the public site. An update replaces the published entry's content "
        "and keeps its web address.",
    ),
    "return": (
        services.case_study_return,
        "Return to the author",
        "It goes back to its author as a draft, with your comment.",
    ),
    "archive": (
        services.case_study_archive,
        "Archive",
        "It leaves the public lists and search. Its web address will say it is archived.",
    ),
    "propose_update": (
        services.case_study_propose_update,
        "Propose an update",
        "You get a draft copy to change. The public keeps seeing the published version until "
        "a regional lead publishes your update.",
    ),
}


@admin.register(CaseStudy)
class CaseStudyAdmin(ImportExportMixin, CompareVersionAdmin):
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
    readonly_fields = ["status", "update_of", "workflow_history", "created_at", "updated_at"]
    history_latest_first = True
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
                "description": "Only if the source uses its own wording for a list's heading.",
                "fields": [field for _kind, field in POINT_HEADING_FIELDS],
            },
        ),
        ("Source", {"fields": ["publication", "source_pages", "published_on", "last_reviewed_on"]}),
        ("Notes", {"fields": ["content_note", "editor_notes"]}),
        (
            "Workflow",
            {
                "description": "The state changes only with the buttons at the top of the page.",
                "fields": ["status", "update_of", "workflow_history"],
            },
        ),
        ("Record", {"classes": ["collapse"], "fields": ["created_at", "updated_at"]}),
    ]
    inlines = [
        *(point_inline(kind) for kind, _field in POINT_HEADING_FIELDS),
        ContactInline,
        LinkInline,
        QuoteInline,
    ]

    # Row-level rules: what a person sees, and may do with each entry, comes from
    # CaseStudyQuerySet.visible_to and CaseStudy.permitted_actions; model permissions from
    # their role's group come on top.

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

        class ScopedForm(form):
            def clean(self):
                cleaned = super().clean()
                if "region" in self.fields and "councils" in self.fields:
                    problem = scope_place_error(
                        scope,
                        region=cleaned.get("region"),
                        councils=cleaned.get("councils") or [],
                    )
                    if problem:
                        raise ValidationError(problem)
                return cleaned

        return ScopedForm

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        kept = getattr(request, "workflow_state_kept", None)
        if obj is not None and kept and kept["pk"] == obj.pk:
            # Reverting to an old version changes the content, never the workflow state.
            for field, value in kept["fields"].items():
                setattr(obj, field, value)
        return obj

    def save_model(self, request, obj, form, change):
        kept = getattr(request, "workflow_state_kept", None)
        if kept and kept["pk"] == obj.pk:
            for field, value in kept["fields"].items():
                setattr(obj, field, value)
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        """After the lists, contacts, quotes and councils are saved, refresh the search text."""
        super().save_related(request, form, formsets, change)
        form.instance.refresh_search_vector()

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
        if not steps:
            return "No workflow steps yet."
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{} → {}</td><td>{}</td></tr>",
            (
                (
                    step.at.strftime("%d %b %Y %H:%M"),
                    step.by.get_username() if step.by else "—",
                    step.get_action_display(),
                    step.get_from_status_display(),
                    step.get_to_status_display(),
                    step.comment or "—",
                )
                for step in steps
            ),
        )
        return format_html(
            '<table class="workflow-history"><thead><tr><th scope="col">When</th>'
            '<th scope="col">Who</th><th scope="col">What</th><th scope="col">From → to</th>'
            '<th scope="col">Comment</th></tr></thead><tbody>{}</tbody></table>',
            rows,
        )

    # Extra pages: importing a report, the workflow moves and the preview.

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        import_view = partial(report_import_view, model_admin=self)
        return [
            path(
                "import-report/",
                self.admin_site.admin_view(import_view),
                name="{}_{}_import_report".format(*info),
            ),
            path(
                "<path:object_id>/workflow/<slug:action>/",
                self.admin_site.admin_view(self.workflow_view),
                name="{}_{}_workflow".format(*info),
            ),
            path(
                "<path:object_id>/preview/",
                self.admin_site.admin_view(self.preview_view),
                name="{}_{}_preview".format(*info),
            ),
            *super().get_urls(),
        ]

    def visible_object(self, request, object_id):
        obj = super().get_object(request, unquote(object_id))
        if obj is None:
            raise Http404("No case study that you can see has this number.")
        return obj

    def workflow_view(self, request, object_id, action):
        case_study = self.visible_object(request, object_id)
        if action not in WORKFLOW_ACTIONS:
            raise Http404("No such workflow step.")
        if action not in case_study.permitted_actions(request.user):
            raise PermissionDenied
        service, label, explanation = WORKFLOW_ACTIONS[action]
        form = WorkflowForm(request.POST or None, comment_required=action == "return")
        if request.method == "POST" and form.is_valid():
            try:
                result = service(
                    case_study=case_study, by=request.user, comment=form.cleaned_data["comment"]
                )
            except ValidationError as error:
                for message in error.messages:
                    messages.error(request, message)
            else:
                target = result if isinstance(result, CaseStudy) else result.case_study
                messages.success(request, f"Done: {label.lower()} – “{target}”.")
                return redirect("admin:casestudies_casestudy_change", target.pk)
        missing = case_study.can_be_published() if action in {"submit", "publish"} else []
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": case_study,
            "title": f"{label}: {case_study}",
            "action_label": label,
            "explanation": explanation,
            "missing": missing,
            "blocked": action == "publish" and bool(missing),
            "form": form,
        }
        return TemplateResponse(request, "admin/casestudies/casestudy/workflow.html", context)

    def preview_view(self, request, object_id):
        """The public page of any entry this person may work on, marked as a preview: the one
        place content that is not published is shown as the public would see it."""
        case_study = self.visible_object(request, object_id)
        case_study = CaseStudy.objects.with_page_data().get(pk=case_study.pk)
        response = TemplateResponse(
            request,
            "casestudies/case_study_detail.html",
            {
                "case_study": case_study,
                "preview": True,
                "breadcrumbs": [
                    (reverse("admin:casestudies_casestudy_change", args=[case_study.pk]), "Editor")
                ],
            },
        )
        response["Cache-Control"] = "private, no-store"
        response["X-Robots-Tag"] = "noindex"
        return response

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = super().get_object(request, unquote(object_id))
        extra = {}
        if obj is not None:
            actions = obj.permitted_actions(request.user)
            extra = {
                "workflow_actions": [
                    (name, WORKFLOW_ACTIONS[name][1])
                    for name in WORKFLOW_ACTIONS
                    if name in actions
                ],
                "returned": obj.last_return(),
                "pending_update": obj.pending_update if obj.has_pending_update() else None,
            }
        return super().change_view(request, object_id, form_url, {**extra, **(extra_context or {})})

    # History: viewing, comparing and reverting versions follow the same rules.

    def revision_view(self, request, object_id, version_id, extra_context=None):
        case_study = self.visible_object(request, object_id)
        if "revert" not in case_study.permitted_actions(request.user):
            raise PermissionDenied
        request.workflow_state_kept = {
            "pk": case_study.pk,
            "fields": {
                field: getattr(case_study, field)
                for field in ("status", "update_of_id", "published_on", "slug")
            },
        }
        return super().revision_view(request, object_id, version_id, extra_context)

    def compare_view(self, request, object_id, extra_context=None):
        self.visible_object(request, object_id)
        return super().compare_view(request, object_id, extra_context)

    def recover_view(self, request, version_id, extra_context=None):
        if not Scope.of(request.user).is_admin:
            raise PermissionDenied
        return super().recover_view(request, version_id, extra_context)

    def changelist_view(self, request, extra_context=None):
        can_recover = Scope.of(request.user).is_admin
        return super().changelist_view(
            request, {"can_recover": can_recover, **(extra_context or {})}
        )

    def recoverlist_view(self, request, extra_context=None):
        if not Scope.of(request.user).is_admin:
            raise PermissionDenied
        return super().recoverlist_view(request, extra_context)


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
