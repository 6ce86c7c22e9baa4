import logging

from django.conf import settings
from django.core.paginator import Paginator
from django.db import OperationalError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from councils.models import Council, Region
from councils.register import CREDIT, LICENCE_URL, SOURCE_URL

from .editors.submission import SECTIONS
from .filters import CaseStudyFilter, CouncilListForm, list_url
from .maps import CouncilMap, council_figures, region_figures
from .models import Approach, CaseStudy, Publication, Resource, Topic
from .statement_timeout import is_statement_timeout

PAGE_SIZE = 20
SIMILAR_COUNCILS = 5
logger = logging.getLogger(__name__)


def paginate(request, queryset):
    """The page of `queryset` that ?page= asks for: the first for nonsense, the last when out
    of range."""
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def home(request):
    case_studies = CaseStudy.objects.published()
    return render(
        request,
        "casestudies/home.html",
        {
            "latest": case_studies.with_list_data().newest_first()[:6],
            "case_study_count": case_studies.count(),
            "resource_count": Resource.objects.published().count(),
            "topics": [
                t for t in case_studies.count_per(Topic.objects.all()) if t.case_study_count
            ],
            "regions": [
                r for r in case_studies.count_per(Region.objects.all()) if r.case_study_count
            ],
            "council_map": CouncilMap(council_figures(case_studies)),
        },
    )


def case_study_list(request):
    filterset = CaseStudyFilter(request.GET, queryset=CaseStudy.objects.published())
    try:
        page = paginate(request, filterset.qs.with_list_data())
        facets = filterset.facets()
        return render(
            request,
            "casestudies/case_study_list.html",
            {
                "filter": filterset,
                "page": page,
                "facets": facets,
                "selected_tags": filterset.selected_tags(facets),
            },
        )
    except OperationalError as error:
        if not is_statement_timeout(error):
            raise
    # The search took longer than a statement may (settings.DATABASE_STATEMENT_TIMEOUT_MS):
    # the page with the search box and a message, and no more database work. 400, not a
    # server error: the page asks the person to change the search, and an over-long search
    # is no fault for the operators to fix; the log keeps a warning.
    logger.warning("Case study search stopped by the statement time limit: %s", request.GET)
    return render(
        request,
        "casestudies/case_study_list.html",
        {"filter": filterset, "timed_out": True},
        status=400,
    )


def case_study_detail(request, slug):
    case_study = CaseStudy.objects.published().with_page_data().filter(slug=slug).first()
    if case_study is None:
        archived = get_object_or_404(CaseStudy.objects.archived(), slug=slug)
        return render(
            request, "casestudies/case_study_archived.html", {"case_study": archived}, status=410
        )
    related = CaseStudy.objects.published().related_to(case_study).with_list_data()
    return render(
        request,
        "casestudies/case_study_detail.html",
        {
            "case_study": case_study,
            "related": related,
            "breadcrumbs": [(reverse("casestudies:list"), "Case studies")],
        },
    )


# The words a topic's and an approach's page use for what they are.
TERM_PAGE_WORDS = {
    Topic: {"kind": "Topic", "about": "What this topic covers", "case_studies": "about this"},
    Approach: {
        "kind": "Approach",
        "about": "What this approach is",
        "case_studies": "that used it",
    },
}


def _term_page(request, model, slug, *, field, filter_name):
    """A topic's or approach's page: what it is, and the case studies tagged with it."""
    term = get_object_or_404(model, slug=slug)
    case_studies = (
        CaseStudy.objects.published().filter(**{field: term}).with_list_data().newest_first()
    )
    return render(
        request,
        "casestudies/term.html",
        {
            "term": term,
            "words": TERM_PAGE_WORDS[model],
            "case_studies": case_studies,
            "list_url": list_url(**{filter_name: term.slug}),
            "breadcrumbs": [(reverse("casestudies:list"), "Case studies")],
        },
    )


def topic_detail(request, slug):
    return _term_page(request, Topic, slug, field="topics", filter_name="topic")


def approach_detail(request, slug):
    return _term_page(request, Approach, slug, field="approaches", filter_name="approach")


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


def publication_list(request):
    return render(
        request, "casestudies/publication_list.html", {"publications": Publication.objects.all()}
    )


def publication_detail(request, slug):
    publication = get_object_or_404(Publication, slug=slug)
    return render(
        request,
        "casestudies/publication_detail.html",
        {
            "publication": publication,
            "case_studies": publication.case_studies.published().with_list_data(),
            "resources": publication.resources.published(),
            "breadcrumbs": [(reverse("casestudies:publication-list"), "Source documents")],
        },
    )


def about_data(request):
    """Where the councils, their facts and the case studies come from, with the credit the
    register's licence asks for."""
    return render(
        request,
        "casestudies/about_data.html",
        {
            "council_count": Council.objects.current().count(),
            "regions": Region.objects.all(),
            "publications": Publication.objects.all(),
            "register": {"credit": CREDIT, "licence_url": LICENCE_URL, "source_url": SOURCE_URL},
        },
    )


# Places: the councils and regions, each with the case studies that involve it.


def council_list(request):
    form = CouncilListForm(request.GET, topics=list(Topic.objects.order_by("name")))
    topic, only_with = form.chosen_topic, form.only_with_case_studies
    case_studies = CaseStudy.objects.published()
    if topic:
        case_studies = case_studies.filter(topics=topic)
    councils = council_figures(case_studies)
    regions = region_figures(
        case_studies.count_per(Region.objects.all()), councils, only_with_case_studies=only_with
    )
    shown = [council for figures in regions for council in figures.shown]
    current_shown = [council for council in shown if council.is_current]
    return render(
        request,
        "councils/council_list.html",
        {
            "form": form,
            "topic": topic,
            "only_with": only_with,
            "regions": regions,
            "shown_count": len(current_shown),
            "council_map": CouncilMap(shown, topic=topic),
        },
    )


def council_detail(request, slug):
    council = get_object_or_404(Council.objects.select_related("region", "replaced_by"), slug=slug)
    published = CaseStudy.objects.published()
    page = paginate(request, published.filter(councils=council).with_list_data().newest_first())
    return render(
        request,
        "councils/council_detail.html",
        {
            "council": council,
            "region": council.region,
            "page": page,
            "took_over": council.replaced.all(),
            "joint_councils": published.joint_councils(council),
            "similar_councils": published.count_per(Council.objects.similar_to(council))[
                :SIMILAR_COUNCILS
            ],
            "site_contact": settings.EDITOR_ACCESS_CONTACT,
            "list_url": list_url(council=council.slug),
            "breadcrumbs": [
                (reverse("councils:list"), "Councils"),
                (council.region.get_absolute_url(), council.region.name),
            ],
        },
    )


def council_by_code(request, code):
    """/councils/E10000012/: the council with that Office for National Statistics code."""
    return redirect(get_object_or_404(Council, gss_code=code), permanent=True)


def region_detail(request, slug):
    region = get_object_or_404(Region, slug=slug)
    published = CaseStudy.objects.published()
    return render(
        request,
        "councils/region_detail.html",
        {
            "region": region,
            "page": paginate(
                request, published.filter(region=region).with_list_data().newest_first()
            ),
            "councils": published.count_per(
                region.councils.select_related("replaced_by").order_by("short_name")
            ),
            "site_contact": settings.EDITOR_ACCESS_CONTACT,
            "list_url": list_url(region=region.slug),
            "breadcrumbs": [(reverse("councils:list"), "Councils")],
        },
    )


def how_to_add(request):
    """How a council adds a case study: an editor's account, the guided form, review."""
    return render(
        request,
        "casestudies/how_to_add.html",
        {
            "regions": Region.objects.exclude(contact_email=""),
            "site_contact": settings.EDITOR_ACCESS_CONTACT,
            "invitation_days": settings.INVITATION_VALID_DAYS,
            # The guided form's sections, as its task list names them.
            "sections": SECTIONS.values(),
        },
    )
