"""E-mails about the workflow, and the regional leads' weekly summary.

When a workflow step is recorded (a `Transition` is created, by `workflow.case_study_move`),
the people it concerns get one e-mail each once the step's transaction commits, never if it
rolls back:

- sent for review: the regional leads of the entry's region, except the person who sent it;
- returned to the author: whoever last sent it for review, with the lead's comment;
- published (or an update published): whoever last sent it for review.

Nobody is mailed about their own move, and nobody inactive, without an e-mail address, or who
switched that e-mail off on their profile (`editorial.EditorProfile`). `workflow` knows nothing
of this: the receiver below listens for new steps.

The links lead to pages of the editors' area (the review page, the guided form's task list)
and to the public page, all on `SITE_URL`.
"""

import datetime
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from editorial.models import EditorProfile
from editorial.roles import REGIONAL_LEAD

from .addresses import absolute
from .models import CaseStudy, Status, Transition

PUBLISHED = (Transition.Action.PUBLISH, Transition.Action.PUBLISH_UPDATE)

logger = logging.getLogger(__name__)


def person_name(user):
    return user.get_full_name() or user.get_username()


def mailable(users):
    """Only active people with an e-mail address."""
    return users.filter(is_active=True).exclude(email="")


def leads_to_tell_of_submission(case_study, *, submitter):
    """The region's leads who want an e-mail for each submission, except the submitter."""
    if case_study.region_id is None:
        return []
    leads = mailable(get_user_model().objects).filter(
        groups__name=REGIONAL_LEAD,
        editor_profile__regions=case_study.region_id,
        editor_profile__email_on_submission=True,
    )
    if submitter is not None:
        leads = leads.exclude(pk=submitter.pk)
    return list(leads.distinct().order_by("pk"))


def author_to_tell(case_study, *, mover):
    """Whoever last sent the entry for review, if they want to hear of its outcome."""
    submit = (
        case_study.transitions.filter(action=Transition.Action.SUBMIT, by__isnull=False)
        .select_related("by__editor_profile")
        .first()
    )
    if submit is None or submit.by == mover:
        return []
    author = submit.by
    if not author.is_active or not author.email:
        return []
    profile = getattr(author, "editor_profile", None)
    if profile is not None and not profile.email_on_outcome:
        return []
    return [author]


def compose(name, *, to, context):
    """One plain-text e-mail to the account `to`, from templates/email/NAME_subject.txt and
    NAME.txt."""
    context = {
        **context,
        "recipient": person_name(to),
        "preferences_url": absolute(reverse("editors:notifications")),
    }
    return compose_to_address(name, address=to.email, context=context)


def compose_to_address(name, *, address, context):
    """One plain-text e-mail to an address that may have no account yet (an invitation)."""
    context = {**context, "site_url": settings.SITE_URL}
    subject = " ".join(render_to_string(f"email/{name}_subject.txt", context).split())
    body = render_to_string(f"email/{name}.txt", context)
    return EmailMessage(subject, body, to=[address])


def send(messages):
    if messages:
        get_connection().send_messages(messages)


def send_once_committed(messages):
    """Send the e-mails once the transaction commits (at once outside one). A failed send is
    logged and leaves what was saved as it is: the person acting does not get an error page."""
    transaction.on_commit(lambda: send(messages), robust=True)


def step_messages(step):
    """The e-mails a workflow step sends: one per person."""
    case_study = step.case_study
    context = {
        "case_study": case_study,
        "councils": ", ".join(council.name for council in case_study.councils.all()),
        "by": person_name(step.by) if step.by else "Someone",
        "comment": step.comment.strip(),
    }
    if step.action == Transition.Action.SUBMIT:
        context["link"] = absolute(reverse("editors:review", args=[case_study.pk]))
        return [
            compose("submitted", to=lead, context=context)
            for lead in leads_to_tell_of_submission(case_study, submitter=step.by)
        ]
    if step.action == Transition.Action.RETURN:
        context["link"] = absolute(reverse("editors:case-study", args=[case_study.pk]))
        name = "returned"
    elif step.action in PUBLISHED:
        context["link"] = absolute(case_study.get_absolute_url())
        name = "published"
    else:
        return []
    return [
        compose(name, to=author, context=context)
        for author in author_to_tell(case_study, mover=step.by)
    ]


def send_step_messages(step_pk):
    step = Transition.objects.select_related("case_study__region", "by").filter(pk=step_pk).first()
    if step is not None:
        send(step_messages(step))


@receiver(post_save, sender=Transition)
def workflow_step_recorded(sender, instance, created, raw=False, **kwargs):
    """Send the step's e-mails once its transaction commits. A failed send is logged and
    leaves the step as it is: it is already saved."""
    if created and not raw:
        transaction.on_commit(lambda: send_step_messages(instance.pk), robust=True)


# ------------------------------------------------------------------ the weekly summary


def week_start(day):
    """The Monday of `day`'s week: the summary goes out at most once from then to Sunday."""
    return day - datetime.timedelta(days=day.weekday())


def digest_for(profile, *, now):
    """What one lead's summary says: entries waiting for review in their regions, and those
    published in the last 7 days. None if there is nothing to say."""
    regions = list(profile.regions.all())
    waiting = list(
        CaseStudy.objects.filter(status=Status.IN_REVIEW, region__in=regions)
        .order_by("title")
        .prefetch_related("councils")
    )
    published = list(
        CaseStudy.objects.published()
        .filter(
            region__in=regions,
            transitions__action__in=PUBLISHED,
            transitions__at__gte=now - datetime.timedelta(days=7),
        )
        .distinct()
        .order_by("title")
    )
    if not waiting and not published:
        return None
    return {
        "regions": ", ".join(region.name for region in regions),
        "waiting": [
            {
                "case_study": case_study,
                "councils": ", ".join(c.name for c in case_study.councils.all()),
                "link": absolute(reverse("editors:review", args=[case_study.pk])),
            }
            for case_study in waiting
        ],
        "published": [
            {"case_study": case_study, "link": absolute(case_study.get_absolute_url())}
            for case_study in published
        ],
    }


def send_weekly_digests(*, now=None):
    """Send this week's summary to every lead who asked for one and has not had it this week.
    Returns the numbers sent and failed. Each lead is claimed before their e-mail goes, so two
    runs at once cannot both send it; a send that fails is logged and gives the claim back,
    for the next run, and the other leads still get theirs."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    monday = week_start(today)
    profiles = (
        EditorProfile.objects.filter(
            weekly_digest=True,
            user__is_active=True,
            user__groups__name=REGIONAL_LEAD,
        )
        .exclude(user__email="")
        .exclude(weekly_digest_sent_on__gte=monday)
        .select_related("user")
        .distinct()
    )
    sent = failed = 0
    for profile in profiles:
        digest = digest_for(profile, now=now)
        if digest is None:
            continue
        claimed = (
            EditorProfile.objects.filter(pk=profile.pk)
            .exclude(weekly_digest_sent_on__gte=monday)
            .update(weekly_digest_sent_on=today)
        )
        if not claimed:
            continue
        try:
            send([compose("weekly_digest", to=profile.user, context=digest)])
        except Exception:
            logger.exception("The weekly summary to %s could not be sent", profile.user.email)
            EditorProfile.objects.filter(pk=profile.pk).update(
                weekly_digest_sent_on=profile.weekly_digest_sent_on
            )
            failed += 1
        else:
            sent += 1
    return sent, failed
