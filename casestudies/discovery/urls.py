from django.contrib.sitemaps.views import sitemap
from django.urls import path

from . import views
from .feeds import CaseStudyFeed
from .sitemaps import SITEMAPS

app_name = "discovery"

urlpatterns = [
    path("feeds/case-studies/", CaseStudyFeed(), name="feed"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", views.robots_txt, name="robots"),
]
