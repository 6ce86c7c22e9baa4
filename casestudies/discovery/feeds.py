"""Atom feeds of new and changed case studies: /feeds/case-studies/ for all of them, and with
the parameters of /case-studies/ (`?topic=carers&council=essex`) for any filtered list, as
the list's "Get updates for this search" link offers."""

import datetime
import logging

from django.contrib.syndication.views import Feed
from django.db import OperationalError
from django.http import HttpResponseBadRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed

from ..addresses import absolute
from ..filters import CaseStudyFilter
from ..models import CaseStudy
from ..statement_timeout import SEARCH_TOO_LONG, is_statement_timeout
from .metadata import (
    PORTAL_NAME,
    authors,
    feed_path,
    feed_title,
    with_query,
)

logger = logging.getLogger(__name__)


class CaseStudyFeed(Feed):
    """The latest ENTRIES published case studies matching the filters, newest change first.

    Each entry is what a list shows (title, summary, councils, topics, dates), never contacts.
    """

    feed_type = Atom1Feed
    ENTRIES = 50
    author_name = PORTAL_NAME

    def __call__(self, request, *args, **kwargs):
        try:
            return super().__call__(request, *args, **kwargs)
        except OperationalError as error:
            if not is_statement_timeout(error):
                raise
        # As on the list page: a search that took too long asks for a simpler one.
        logger.warning("Case study feed stopped by the statement time limit: %s", request.GET)
        return HttpResponseBadRequest(SEARCH_TOO_LONG, content_type="text/plain; charset=utf-8")

    def get_object(self, request):
        return CaseStudyFilter(request.GET, queryset=CaseStudy.objects.published())

    def title(self, filterset):
        return feed_title(filterset)

    def subtitle(self, filterset):
        return (
            "Case studies of co-production in adult social care, as they are published or changed."
        )

    def link(self, filterset):
        return absolute(with_query(reverse("casestudies:list"), filterset.filter_state()))

    def feed_url(self, filterset):
        return absolute(feed_path(filterset))

    def items(self, filterset):
        return filterset.qs.with_list_data().order_by("-updated_at", "-pk")[: self.ENTRIES]

    def item_title(self, case_study):
        return case_study.title

    def item_description(self, case_study):
        return case_study.standfirst

    def item_link(self, case_study):
        return absolute(case_study.get_absolute_url())

    def item_updateddate(self, case_study):
        return case_study.updated_at

    def item_pubdate(self, case_study):
        if case_study.published_on is None:
            return None
        return timezone.make_aware(
            datetime.datetime.combine(case_study.published_on, datetime.time())
        )

    def item_author_name(self, case_study):
        return " and ".join(authors(case_study))

    def item_categories(self, case_study):
        return [topic.name for topic in case_study.topics.all()]
