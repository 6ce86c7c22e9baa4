from django.contrib import admin
from django.urls import include, path

from casestudies.urls import place_urlpatterns
from casestudies.views import home

admin.site.site_header = "Co-production Case Study Portal: editors"
admin.site.site_title = "Portal editors"
admin.site.index_title = "Case studies, councils and resources"

urlpatterns = [
    path("", home, name="home"),
    path("", include("casestudies.urls")),
    path("", include((place_urlpatterns, "councils"))),
    path("admin/", admin.site.urls),
]
