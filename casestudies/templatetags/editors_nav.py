"""The navigation of the editors' area: which of its pages this person may use."""

from django import template
from django.urls import reverse

from editorial.access import manages_access
from editorial.roles import Scope

register = template.Library()

# The guided submission's pages, under "Your case studies".
GUIDED_PAGES = {
    "start",
    "case-study",
    "check",
    "submitted",
    "propose-update",
    "item-add",
    "item",
    "item-move",
    "item-remove",
    "section",
}
# The pages under "People and access".
PEOPLE_PAGES = {"invite", "person-remove", "person-give-access"}


@register.simple_tag(takes_context=True)
def editors_nav(context):
    """The links of the editors' area for the signed-in person, each with its aria-current
    value: "page" on the page itself, "true" on a page under it, "" elsewhere."""
    request = context["request"]
    scope = Scope.of(request.user)
    url_name = request.resolver_match.url_name if request.resolver_match else ""
    links = [
        (
            "Your case studies",
            reverse("editors:dashboard"),
            _current(url_name, "dashboard", GUIDED_PAGES),
        )
    ]
    if scope.is_lead or scope.is_admin:
        links.append(
            (
                "Review",
                reverse("editors:review-queue"),
                _current(url_name, "review-queue", {"review"}),
            )
        )
    if manages_access(scope):
        links.append(
            (
                "People and access",
                reverse("editors:people"),
                _current(url_name, "people", PEOPLE_PAGES),
            )
        )
    links.append(("E-mails", reverse("editors:notifications"), _current(url_name, "notifications")))
    if request.user.is_staff:
        links.append(("Editors' admin", reverse("admin:index"), ""))
    return links


def _current(url_name, page, under=()):
    if url_name == page:
        return "page"
    return "true" if url_name in under else ""
