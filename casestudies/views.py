from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from .models import CaseStudy, Resource

PAGE_SIZE = 20


def home(request):
    case_studies = CaseStudy.objects.published()
    return render(
        request,
        "casestudies/home.html",
        {
            "latest": case_studies.with_list_data().order_by("-published_on", "title")[:6],
            "case_study_count": case_studies.count(),
            "resource_count": Resource.objects.published().count(),
        },
    )


def case_study_list(request):
    case_studies = CaseStudy.objects.published().with_list_data()
    page = Paginator(case_studies, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "casestudies/case_study_list.html", {"page": page})


def case_study_detail(request, slug):
    case_study = CaseStudy.objects.published().with_page_data().filter(slug=slug).first()
    if case_study is None:
        archived = get_object_or_404(CaseStudy.objects.archived(), slug=slug)
        return render(
            request, "casestudies/case_study_archived.html", {"case_study": archived}, status=410
        )
    return render(
        request,
        "casestudies/case_study_detail.html",
        {
            "case_study": case_study,
            "breadcrumbs": [(reverse("casestudies:list"), "Case studies")],
        },
    )


def resource_list(request):
    resources = Resource.objects.published().select_related("publication")
    return render(request, "casestudies/resource_list.html", {"resources": resources})


def resource_detail(request, slug):
    resource = get_object_or_404(
        Resource.objects.published()
        .select_related("publication", "region")
        .prefetch_related("items", "councils"),
        slug=slug,
    )
    return render(
        request,
        "casestudies/resource_detail.html",
        {
            "resource": resource,
            "breadcrumbs": [(reverse("casestudies:resource-list"), "Resources")],
        },
    )
