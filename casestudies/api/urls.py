from django.urls import path
from drf_spectacular.views import SpectacularJSONAPIView
from rest_framework.routers import SimpleRouter

from . import docs, views

app_name = "api"

router = SimpleRouter()
router.register("case-studies", views.CaseStudyViewSet, basename="case-study")
router.register("councils", views.CouncilViewSet, basename="council")
router.register("regions", views.RegionViewSet, basename="region")
router.register("topics", views.TopicViewSet, basename="topic")
router.register("people", views.PeopleGroupViewSet, basename="people")
router.register("approaches", views.ApproachViewSet, basename="approach")
router.register("resources", views.ResourceViewSet, basename="resource")
router.register("publications", views.PublicationViewSet, basename="publication")

urlpatterns = [
    path("", docs.api_docs, name="docs"),
    path("schema/", SpectacularJSONAPIView.as_view(), name="schema"),
    *router.urls,
]
