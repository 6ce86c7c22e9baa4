from django.urls import path

from . import views

app_name = "casestudies"

urlpatterns = [
    path("case-studies/", views.case_study_list, name="list"),
    path("case-studies/<slug:slug>/", views.case_study_detail, name="detail"),
    path("topics/<slug:slug>/", views.topic_detail, name="topic"),
    path("approaches/<slug:slug>/", views.approach_detail, name="approach"),
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
    path("councils/<slug:slug>/", views.council_detail, name="detail"),
    path("regions/<slug:slug>/", views.region_detail, name="region"),
]
