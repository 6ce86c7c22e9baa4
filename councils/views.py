from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, render

from casestudies.models import CaseStudy, Status

from .models import Council, Region


def council_list(request):
    published = Q(case_studies__status=Status.PUBLISHED)
    councils = Council.objects.select_related("region").annotate(
        case_study_count=Count("case_studies", filter=published)
    )
    return render(request, "councils/council_list.html", {"councils": councils})


def council_detail(request, slug):
    council = get_object_or_404(Council.objects.select_related("region"), slug=slug)
    case_studies = CaseStudy.objects.published().with_list_data().filter(councils=council)
    return render(
        request, "councils/council_detail.html", {"council": council, "case_studies": case_studies}
    )


def region_detail(request, slug):
    region = get_object_or_404(Region, slug=slug)
    case_studies = CaseStudy.objects.published().with_list_data().filter(region=region)
    return render(
        request, "councils/region_detail.html", {"region": region, "case_studies": case_studies}
    )
