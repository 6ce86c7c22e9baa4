"""The admin start page: what is waiting for each editor."""

import datetime

from django import template
from django.utils import timezone

from editorial.roles import Scope

from ..models import CaseStudy

register = template.Library()

CHECK_CONTACTS_EVERY = datetime.timedelta(days=365)
SHOWN = 20


@register.inclusion_tag("admin/casestudies/start_page.html", takes_context=True)
def start_page(context):
    user = context["request"].user
    scope = Scope.of(user)
    visible = CaseStudy.objects.visible_to(user)
    page = {"scope": scope}
    if scope.is_lead or scope.is_admin:
        page["awaiting_review"] = list(visible.awaiting_review().recently_changed()[:SHOWN])
    if scope.is_officer or scope.is_lead or scope.is_admin:
        drafts = visible.drafts().recently_changed().prefetch_related("transitions__by")
        page["drafts"] = [(draft, draft.last_return()) for draft in drafts[:SHOWN]]
        cutoff = timezone.localdate() - CHECK_CONTACTS_EVERY
        page["stale_contacts"] = [
            *visible.contacts_checked_before(cutoff)[:SHOWN],
            *visible.contacts_never_checked()[:SHOWN],
        ]
    if scope.is_officer:
        # What they sent stays in sight, with its state, until it is published and after.
        page["sent_for_review"] = [
            (entry, next(iter(entry.transitions.all()), None))
            for entry in visible.awaiting_review()
            .recently_changed()
            .prefetch_related("transitions")[:SHOWN]
        ]
        page["recently_published"] = list(
            visible.published().newest_first().select_related("region")[:SHOWN]
        )
    return page
