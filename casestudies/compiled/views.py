"""The compiled report's form: for the public list's current filters, and for an editor's
hand-picked selection in the admin (the action "Compile a report of the selected case
studies"). Both take only published case studies, at most COMPILED_REPORT_MAX_CASE_STUDIES,
and a PDF of at most COMPILED_REPORT_MAX_PDF_CASE_STUDIES (a PDF takes seconds of a CPU for
each few case studies). Anyone may compile, so the reports made from one address are limited
to COMPILED_REPORT_RATE_LIMIT (counted in the cache)."""

from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.text import slugify
from rest_framework.throttling import SimpleRateThrottle

from ..discovery.metadata import filter_description
from ..filters import CONTROL_CHARACTERS, CaseStudyFilter
from ..models import CaseStudy, Status, shorten
from .content import build_report
from .pdf import pdf_available, render_pdf
from .word import render_docx

WORD, PDF, WEB_PAGE = "docx", "pdf", "html"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class ReportForm(forms.Form):
    title = forms.CharField(
        label="Title", max_length=200, error_messages={"required": "Enter a title for the report"}
    )
    introduction = forms.CharField(
        label="Introduction",
        required=False,
        max_length=5000,
        help_text="Printed on the cover, under the title. Leave a blank line between paragraphs.",
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    format = forms.ChoiceField(
        label="Format",
        initial=WORD,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose a format",
            "invalid_choice": "Choose one of the formats offered",
        },
    )

    def clean_title(self):
        return CONTROL_CHARACTERS.sub("", self.cleaned_data["title"])

    def clean_introduction(self):
        return CONTROL_CHARACTERS.sub("", self.cleaned_data["introduction"])

    def __init__(self, *args, pdf=True, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(WORD, "Word document (.docx)")]
        if pdf:
            choices.append((PDF, "PDF, A4 with page numbers"))
        choices.append((WEB_PAGE, "Web page to print or save"))
        self.fields["format"].choices = choices


def report_from_list(request):
    """/case-studies/report/?<the list's filters>: a report of the case studies listed."""
    filterset = CaseStudyFilter(request.GET, queryset=CaseStudy.objects.published())
    words = filter_description(filterset)
    title = f"Co-production case studies: {words}" if words else "Co-production case studies"
    query = filterset.url_without("page", None)
    return compile_report(
        request,
        filterset.qs,
        default_title=shorten(title, 200),
        back_url=reverse("casestudies:list") + (query if query != "?" else ""),
        notices=filterset.notices,
    )


def report_from_selection(request, *, model_admin):
    """The admin's hand-picked case studies (?ids=1,2,3): those the person may see, and of
    them only the published ones; the page names the others and says why."""
    if not model_admin.has_view_permission(request):
        raise PermissionDenied
    ids = [part for part in request.GET.get("ids", "").split(",") if part.isdigit()]
    visible = model_admin.get_queryset(request).filter(pk__in=ids)
    left_out = [
        f"“{case_study.title}”: not published (it is {case_study.get_status_display().lower()})"
        for case_study in visible.exclude(status=Status.PUBLISHED).order_by("title")
    ]
    return compile_report(
        request,
        CaseStudy.objects.published().filter(pk__in=visible.values("pk")),
        default_title="Co-production case studies",
        back_url=reverse("admin:casestudies_casestudy_changelist"),
        left_out=left_out,
    )


def compile_report(request, case_studies, *, default_title, back_url, left_out=(), notices=()):
    """The form, and on a valid POST the report in the chosen format."""
    if request.method == "POST" and not ReportRateLimit().allow_request(request, None):
        return render(request, "casestudies/compiled/too_many.html", status=429)
    count = case_studies.count()
    limit = settings.COMPILED_REPORT_MAX_CASE_STUDIES
    pdf_limit = settings.COMPILED_REPORT_MAX_PDF_CASE_STUDIES
    can_pdf = pdf_available()
    form = ReportForm(
        request.POST if request.method == "POST" else None,
        initial={"title": default_title},
        pdf=can_pdf and count <= pdf_limit,
    )
    if request.method == "POST" and 0 < count <= limit and form.is_valid():
        report = build_report(
            case_studies,
            title=form.cleaned_data["title"],
            introduction=form.cleaned_data["introduction"],
        )
        return report_response(request, report, form.cleaned_data["format"])
    return render(
        request,
        "casestudies/compiled/form.html",
        {
            "form": form,
            "count": count,
            "limit": limit,
            "too_many": count > limit,
            "pdf_limit": pdf_limit,
            "pdf_offered": can_pdf and count <= pdf_limit,
            "pdf_available": can_pdf,
            "back_url": back_url,
            "left_out": left_out,
            "notices": notices,
        },
    )


class ReportRateLimit(SimpleRateThrottle):
    """Reports made per address (settings.COMPILED_REPORT_RATE_LIMIT, such as "10/hour"),
    counted in the cache the way the API counts its requests."""

    scope = "compiled-report"

    def get_rate(self):
        return settings.COMPILED_REPORT_RATE_LIMIT

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


def report_response(request, report, chosen):
    if chosen == WEB_PAGE:
        return render(request, "casestudies/compiled/report_page.html", {"report": report})
    name = slugify(report.title)[:80] or "case-studies"
    if chosen == PDF:
        content = render_pdf(report)
        response = HttpResponse(content, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
        return response
    response = HttpResponse(render_docx(report), content_type=DOCX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}.docx"'
    return response
