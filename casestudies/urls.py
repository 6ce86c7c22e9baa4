from django.urls import path, register_converter

from councils.models import ONS_CODE

from . import downloads, views
from .compiled import views as compiled_views


class OnsCodeConverter:
    """An Office for National Statistics (GSS) code in either case, e.g. E10000012."""

    regex = ONS_CODE

    def to_python(self, value):
        return value.upper()

    def to_url(self, value):
        return value


register_converter(OnsCodeConverter, "ons")

app_name = "casestudies"

urlpatterns = [
    path("case-studies/", views.case_study_list, name="list"),
    # Downloads of the list (casestudies/downloads.py); a dot is never in a slug.
    path(
        "case-studies/download.csv",
        downloads.case_study_download,
        {"file_format": "csv"},
        name="download-csv",
    ),
    path(
        "case-studies/download.json",
        downloads.case_study_download,
        {"file_format": "json"},
        name="download-json",
    ),
    path("data/case-studies/", downloads.data_dictionary, name="data-dictionary"),
    path("case-studies/report/", compiled_views.report_from_list, name="report"),
    path("case-studies/<slug:slug>/", views.case_study_detail, name="detail"),
    path("topics/<slug:slug>/", views.topic_detail, name="topic"),
    path("approaches/<slug:slug>/", views.approach_detail, name="approach"),
    path("add-a-case-study/", views.how_to_add, name="how-to-add"),
    path("resources/", views.resource_list, name="resource-list"),
    path("resources/<slug:slug>/", views.resource_detail, name="resource"),
    path("publications/", views.publication_list, name="publication-list"),
    path("publications/<slug:slug>/", views.publication_detail, name="publication"),
]

# The pages of places: the councils and regions, each with its case studies. They keep the
# "councils" namespace (councils:list, councils:detail, councils:region), included by the
# project's URLs, although the councils app itself knows nothing of case studies.
place_urlpatterns = [
    path("councils/", views.council_list, name="list"),
    # Before the slug: a council's ONS code leads to its page (no slug looks like one).
    path("councils/<ons:code>/", views.council_by_code, name="by-code"),
    path("councils/<slug:slug>/", views.council_detail, name="detail"),
    path("regions/<slug:slug>/", views.region_detail, name="region"),
]
