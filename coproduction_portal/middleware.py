"""The Content-Security-Policy of every page: the public pages' strict policy, and for the
editors' admin the same with what its add-ons need."""

from csp.middleware import CSPMiddleware
from django.conf import settings


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, giving the admin's pages CONTENT_SECURITY_POLICY_ADMIN.

    A view that sets its own policy (django-csp's @csp decorator) keeps it: the admin's preview
    of a case study asks for the public policy, as it shows the page the public would see.
    """

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        match = request.resolver_match
        if not report_only and parts.config is None and match and match.namespace == "admin":
            parts.config = settings.CONTENT_SECURITY_POLICY_ADMIN["DIRECTIVES"]
        return parts
