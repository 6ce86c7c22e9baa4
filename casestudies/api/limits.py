"""The API's pages and rate limit, named in settings.REST_FRAMEWORK (so kept apart from the
views, which import REST framework's views, which read those settings)."""

from rest_framework.pagination import PageNumberPagination
from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle


class Pages(PageNumberPagination):
    """Pages of 20 results (?page=2); ?page_size= up to 100. A page past the last is 404."""

    page_size = 20
    page_size_query_param = "page_size"
    page_size_query_description = "How many results a page holds: 20 unless asked, at most 100."
    page_query_description = "Which page of the results, from 1."
    max_page_size = 100


class RateLimit(AnonRateThrottle):
    """A limit on requests per address (settings.API_RATE_LIMIT), for everyone: the API has no
    sign-in. The rate is read at each request, so a change of settings applies at once."""

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES[self.scope]
