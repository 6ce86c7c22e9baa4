from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from casestudies.admin.view_on_site import public_view_on_site
from casestudies.urls import place_urlpatterns
from casestudies.views import about_data, home

admin.site.site_header = "Co-production Case Study Portal: editors"
admin.site.site_title = "Portal editors"
admin.site.index_title = "Case studies, councils and resources"

urlpatterns = [
    path("", home, name="home"),
    path("about/data/", about_data, name="about-data"),
    path("", include("casestudies.urls")),
    path("", include((place_urlpatterns, "councils"))),
    # Feeds, sitemap.xml and robots.txt (casestudies/discovery/).
    path("", include("casestudies.discovery.urls")),
    # In place of the admin's own "View on site" view, which also leads to drafts' addresses.
    path(
        "admin/r/<int:content_type_id>/<path:object_id>/",
        admin.site.admin_view(public_view_on_site),
    ),
    # The admin's sign-in page links to a password reset when this name exists: the editors'.
    path(
        "admin/password-reset/",
        RedirectView.as_view(pattern_name="editors:password-reset"),
        name="admin_password_reset",
    ),
    path("admin/", admin.site.urls),
    path("editors/", include("casestudies.editors.urls")),
    # The read-only JSON API and its documentation (casestudies/api/).
    path("api/", include("casestudies.api.urls")),
]
