"""sitemap.xml: every public page, at its address under settings.SITE_URL."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from councils.models import Council, Region

from ..models import Approach, CaseStudy, Publication, Resource, Topic


class PortalSitemap(Sitemap):
    """Addresses on settings.SITE_URL, whatever Host the request came with.

    `items` return lists, so each section is one query (a queryset would add a count).
    """

    def get_protocol(self, protocol=None):
        return urlsplit(settings.SITE_URL).scheme

    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc


class PagesSitemap(PortalSitemap):
    """The pages that are not records: the home page, the lists, about the data."""

    NAMES = [
        "home",
        "casestudies:list",
        "councils:list",
        "casestudies:resource-list",
        "casestudies:publication-list",
        "casestudies:how-to-add",
        "about-data",
    ]

    def items(self):
        return self.NAMES

    def location(self, name):
        return reverse(name)


class RecordsSitemap(PortalSitemap):
    """The pages of the records in `queryset` (whose addresses need only their slugs)."""

    def __init__(self, queryset):
        self.queryset = queryset

    def items(self):
        return list(self.queryset.only("slug").order_by("pk"))


class CaseStudySitemap(PortalSitemap):
    def items(self):
        return list(CaseStudy.objects.published().only("slug", "updated_at").order_by("pk"))

    def lastmod(self, case_study):
        return case_study.updated_at


SITEMAPS = {
    "pages": PagesSitemap,
    "case-studies": CaseStudySitemap,
    "councils": RecordsSitemap(Council.objects.all()),
    "regions": RecordsSitemap(Region.objects.all()),
    "topics": RecordsSitemap(Topic.objects.all()),
    "approaches": RecordsSitemap(Approach.objects.all()),
    "resources": RecordsSitemap(Resource.objects.published()),
    "publications": RecordsSitemap(Publication.objects.all()),
}
