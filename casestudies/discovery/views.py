from django.conf import settings
from django.http import HttpResponse
from django.urls import reverse

# Paths that are not for the public: the admin and the editors' area.
PRIVATE_PATHS = ["/admin/", "/editors/"]


def robots_txt(request):
    """Crawlers may read the public site, not the editors' pages; the sitemap lists it all."""
    lines = [
        "User-agent: *",
        *(f"Disallow: {path}" for path in PRIVATE_PATHS),
        "",
        f"Sitemap: {settings.SITE_URL}{reverse('discovery:sitemap')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
