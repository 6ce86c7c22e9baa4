"""The admin start page: what is waiting for each editor."""

import datetime

from django import template
from django.utils import timezone

from casestudies.models import CaseStudy, Contact
from editorial.roles import Scope

register = template.Library()

VERIFY_EVERY = datetime.timedelta(days=365)
SHOWN = 20


@register.inclusion_tag("editorial/start_page.html", takes_context=True)
def editorial_start_page(context):
    user = context["request"].user
    scope = Scope.of(user)
    visible = CaseStudy.objects.visible_to(user)
    lists = visible.select_related("region").order_by("-updated_at")
    page = {"scope": scope}
    if scope.is_lead or scope.is_admin:
        page["awaiting_review"] = list(lists.awaiting_review()[:SHOWN])
    if scope.is_officer or scope.is_lead or scope.is_admin:
        drafts = list(lists.drafts().prefetch_related("transitions__by")[:SHOWN])
        page["drafts"] = [(draft, draft.last_return()) for draft in drafts]
        cutoff = timezone.localdate() - VERIFY_EVERY
        page["stale_contacts"] = list(
            Contact.objects.filter(case_study__in=visible)
            .exclude(consent=Contact.Consent.NOT_GIVEN)
            .filter(last_verified_on__lt=cutoff)
            .select_related("case_study")
            .order_by("last_verified_on")[:SHOWN]
        ) + list(
            Contact.objects.filter(case_study__in=visible, last_verified_on__isnull=True)
            .exclude(consent=Contact.Consent.NOT_GIVEN)
            .select_related("case_study")[:SHOWN]
        )
    return page
