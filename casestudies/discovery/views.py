from django.http import HttpResponse
from django.urls import reverse

from ..addresses import absolute

# Paths that are not for the public: the admin and the editors' area. And paths that are
# for people, not crawlers: a report or a download of every combination of filters.
PRIVATE_PATHS = ["/admin/", "/editors/"]
NOT_TO_CRAWL = ["/case-studies/report/", "/case-studies/download"]


def robots_txt(request):
    """Crawlers may read the public site, not the editors' pages, reports or downloads; the
    sitemap lists it all."""
    lines = [
        "User-agent: *",
        *(f"Disallow: {path}" for path in PRIVATE_PATHS + NOT_TO_CRAWL),
        "",
        f"Sitemap: {absolute(reverse('discovery:sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
