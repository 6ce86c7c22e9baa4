from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from casestudies.filters import list_url
from casestudies.models import CaseStudy

from .models import Council, Region


def council_list(request):
    councils = CaseStudy.objects.published().count_per(
        Council.objects.select_related("region").order_by("region__name", "short_name")
    )
    return render(request, "councils/council_list.html", {"councils": councils})


def council_detail(request, slug):
    council = get_object_or_404(Council.objects.select_related("region"), slug=slug)
    case_studies = (
        CaseStudy.objects.published().with_list_data().filter(councils=council).newest_first()
    )
    return render(
        request,
        "councils/council_detail.html",
        {
            "council": council,
            "case_studies": case_studies,
            "list_url": list_url(council=council.slug),
            "breadcrumbs": [(reverse("councils:list"), "Councils")],
        },
    )


def region_detail(request, slug):
    region = get_object_or_404(Region, slug=slug)
    published = CaseStudy.objects.published()
    case_studies = published.with_list_data().filter(region=region).newest_first()
    councils = published.count_per(region.councils.all())
    return render(
        request,
        "councils/region_detail.html",
        {
            "region": region,
            "case_studies": case_studies,
            "councils": councils,
            "list_url": list_url(region=region.slug),
            "breadcrumbs": [(reverse("councils:list"), "Councils")],
        },
    )
