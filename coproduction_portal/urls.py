from django.contrib import admin
from django.urls import include, path

from casestudies.admin.view_on_site import public_view_on_site
from casestudies.urls import place_urlpatterns
from casestudies.views import home

admin.site.site_header = "Co-production Case Study Portal: editors"
admin.site.site_title = "Portal editors"
admin.site.index_title = "Case studies, councils and resources"

urlpatterns = [
    path("", home, name="home"),
    path("", include("casestudies.urls")),
    path("", include((place_urlpatterns, "councils"))),
    # In place of the admin's own "View on site" view, which also leads to drafts' addresses.
    path(
        "admin/r/<int:content_type_id>/<path:object_id>/",
        admin.site.admin_view(public_view_on_site),
    ),
    path("admin/", admin.site.urls),
    path("editors/", include("casestudies.editors.urls")),
]
