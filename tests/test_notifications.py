"""E-mails about the workflow: the region's leads hear of a submission, the author of a return
or a publication, leads who ask for it get a weekly summary, and everyone can switch them off.

Sent on commit: `django_capture_on_commit_callbacks(execute=True)` runs what a commit would.
"""

import datetime
import io

import pytest
from django.contrib.auth.models import Group
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import CommandError, call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from casestudies.models import Status, Transition
from casestudies.notifications import send_weekly_digests
from casestudies.workflow import case_study_move
from editorial.models import EditorProfile
from editorial.roles import REGIONAL_LEAD, SITE_ADMINISTRATOR
from tests.helpers import make_editor, publishable_case_study

pytestmark = pytest.mark.django_db

SITE = "http://127.0.0.1:8000"
PREFERENCES = f"{SITE}/editors/notifications/"


@pytest.fixture
def move(django_capture_on_commit_callbacks):
    """move(case_study, by, action, comment=""): a workflow move, committed."""

    def make(case_study, by, action, comment=""):
        with django_capture_on_commit_callbacks(execute=True):
            return case_study_move(case_study=case_study, by=by, action=action, comment=comment)

    return make


@pytest.fixture
def second_lead_east(east):
    return make_editor("lead.east.two", REGIONAL_LEAD, regions=[east])


@pytest.fixture
def lead_west(west_midlands):
    return make_editor("lead.west", REGIONAL_LEAD, regions=[west_midlands])


def recipients(outbox):
    return sorted(address for message in outbox for address in message.to)


def set_choices(user, **choices):
    EditorProfile.objects.filter(user=user).update(**choices)


# ------------------------------------------------------------------ sent for review


def test_submission_emails_each_lead_of_the_region_once(
    move, mailoutbox, essex_draft, officer_essex, lead_east, second_lead_east, lead_west
):
    officer_essex.first_name, officer_essex.last_name = "Olive", "Officer"
    officer_essex.save()
    move(essex_draft, officer_essex, "submit")
    assert recipients(mailoutbox) == ["lead.east.two@example.org", "lead.east@example.org"]
    message = next(m for m in mailoutbox if m.to == ["lead.east@example.org"])
    assert message.subject == (
        "A case study is waiting for your review: Carers design their own support"
    )
    assert "Title: Carers design their own support" in message.body
    assert "Council or councils: Essex County Council" in message.body
    assert "Sent for review by: Olive Officer" in message.body
    assert f"{SITE}/editors/review/{essex_draft.pk}/" in message.body
    assert message.body.rstrip().endswith(PREFERENCES)
    assert "To stop these e-mails" in message.body


def test_a_lead_of_two_regions_gets_one_email(move, mailoutbox, essex_draft, officer_essex, east):
    from councils.models import Region

    other = Region.objects.create(name="Another region", slug="another-region")
    make_editor("lead.both", REGIONAL_LEAD, regions=[east, other])
    move(essex_draft, officer_essex, "submit")
    assert recipients(mailoutbox) == ["lead.both@example.org"]


def test_a_lead_who_submits_is_not_told_of_their_own_submission(
    move, mailoutbox, essex_draft, lead_east, second_lead_east
):
    move(essex_draft, lead_east, "submit")
    assert recipients(mailoutbox) == ["lead.east.two@example.org"]


def test_inactive_leads_and_leads_without_an_address_are_skipped(
    move, mailoutbox, essex_draft, officer_essex, lead_east, second_lead_east
):
    lead_east.is_active = False
    lead_east.save()
    second_lead_east.email = ""
    second_lead_east.save()
    make_editor("lead.east.three", REGIONAL_LEAD, regions=[essex_draft.region])
    move(essex_draft, officer_essex, "submit")
    assert recipients(mailoutbox) == ["lead.east.three@example.org"]


def test_a_lead_who_switched_submissions_off_gets_none(
    move, mailoutbox, essex_draft, officer_essex, lead_east, second_lead_east
):
    set_choices(lead_east, email_on_submission=False)
    move(essex_draft, officer_essex, "submit")
    assert recipients(mailoutbox) == ["lead.east.two@example.org"]


# ------------------------------------------------------------------ returned and published


def test_returning_emails_the_author_with_the_comment_and_the_form(
    move, mailoutbox, essex_draft, officer_essex, lead_east
):
    move(essex_draft, officer_essex, "submit")
    mailoutbox.clear()
    move(essex_draft, lead_east, "return", "Add a quote from a carer.")
    assert recipients(mailoutbox) == ["officer.essex@example.org"]
    message = mailoutbox[0]
    assert message.subject == "Your case study needs changes: Carers design their own support"
    assert "lead.east has looked at your case study" in message.body
    assert "What to change:\nAdd a quote from a carer." in message.body
    assert f"{SITE}/editors/case-studies/{essex_draft.pk}/" in message.body
    assert message.body.rstrip().endswith(PREFERENCES)


def test_publishing_emails_the_author_the_public_link(
    move, mailoutbox, essex_draft, officer_essex, lead_east
):
    move(essex_draft, officer_essex, "submit")
    mailoutbox.clear()
    move(essex_draft, lead_east, "publish")
    assert recipients(mailoutbox) == ["officer.essex@example.org"]
    message = mailoutbox[0]
    assert message.subject == "Your case study is published: Carers design their own support"
    assert f"{SITE}/case-studies/carers-design-their-own-support/" in message.body
    assert message.body.rstrip().endswith(PREFERENCES)


def test_publishing_an_update_emails_whoever_submitted_the_update(
    move, mailoutbox, full_case_study, officer_essex, lead_east
):
    update = move(full_case_study, officer_essex, "propose_update").case_study
    move(update, officer_essex, "submit")
    mailoutbox.clear()
    move(update, lead_east, "publish")
    assert recipients(mailoutbox) == ["officer.essex@example.org"]
    assert mailoutbox[0].subject.startswith("Your case study is published")
    assert f"{SITE}{full_case_study.get_absolute_url()}" in mailoutbox[0].body


def test_an_author_who_switched_outcomes_off_gets_nothing(
    move, mailoutbox, essex_draft, officer_essex, lead_east
):
    set_choices(officer_essex, email_on_outcome=False)
    move(essex_draft, officer_essex, "submit")
    move(essex_draft, lead_east, "return", "Fix it.")
    move(essex_draft, officer_essex, "submit")
    move(essex_draft, lead_east, "publish")
    # Only the lead's two "waiting for your review": nothing to the officer.
    assert recipients(mailoutbox) == ["lead.east@example.org"] * 2


def test_an_inactive_author_or_one_without_an_address_gets_nothing(
    move, mailoutbox, essex_draft, officer_essex, lead_east
):
    move(essex_draft, officer_essex, "submit")
    mailoutbox.clear()  # the lead's
    officer_essex.email = ""
    officer_essex.save()
    move(essex_draft, lead_east, "return", "Fix it.")
    officer_essex.email, officer_essex.is_active = "officer.essex@example.org", False
    officer_essex.save()
    essex_draft.status = Status.IN_REVIEW
    essex_draft.save()
    move(essex_draft, lead_east, "publish")
    assert mailoutbox == []
    officer_essex.is_active = True
    officer_essex.save()
    essex_draft.status = Status.IN_REVIEW
    essex_draft.save()
    move(essex_draft, lead_east, "publish")  # the same, once the officer is active again
    assert recipients(mailoutbox) == ["officer.essex@example.org"]


def test_publishing_what_nobody_submitted_and_archiving_send_nothing(
    move, mailoutbox, essex_draft, lead_east, officer_essex
):
    move(essex_draft, lead_east, "publish")
    move(essex_draft, lead_east, "archive")
    assert mailoutbox == []
    # Submitted first, the author hears of its publication.
    submitted = publishable_case_study(essex_draft.councils.get(), Status.DRAFT)
    move(submitted, officer_essex, "submit")
    mailoutbox.clear()
    move(submitted, lead_east, "publish")
    assert recipients(mailoutbox) == ["officer.essex@example.org"]


def test_submitting_through_the_admin_emails_the_lead(
    client, django_capture_on_commit_callbacks, mailoutbox, essex_draft, officer_essex, lead_east
):
    client.force_login(officer_essex)
    url = reverse("admin:casestudies_casestudy_workflow", args=[essex_draft.pk, "submit"])
    seen = client.get(url).context["form"]["seen_version"].value()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"comment": "Ready.", "seen_version": seen})
    assert response.status_code == 302
    assert recipients(mailoutbox) == ["lead.east@example.org"]
    assert "Their note:\nReady." in mailoutbox[0].body


@pytest.mark.django_db(transaction=True)
def test_nothing_is_sent_when_the_move_is_rolled_back(mailoutbox, essex_draft, officer_essex):
    make_editor("lead.east", REGIONAL_LEAD, regions=[essex_draft.region])

    class Undo(Exception):
        pass

    with pytest.raises(Undo), transaction.atomic():
        case_study_move(case_study=essex_draft, by=officer_essex, action="submit")
        assert mailoutbox == []  # not before the commit
        raise Undo
    assert mailoutbox == []
    essex_draft.refresh_from_db()
    assert essex_draft.status == Status.DRAFT
    # The same move, committed, is sent.
    case_study_move(case_study=essex_draft, by=officer_essex, action="submit")
    assert recipients(mailoutbox) == ["lead.east@example.org"]


def test_an_email_server_that_is_down_is_logged_and_keeps_the_move(
    move, mailoutbox, essex_draft, officer_essex, lead_east, settings, caplog
):
    settings.EMAIL_BACKEND = "tests.test_notifications.Refusing"
    move(essex_draft, officer_essex, "submit")
    essex_draft.refresh_from_db()
    assert essex_draft.status == Status.IN_REVIEW
    assert "the e-mail server is down" in caplog.text


class Refusing(BaseEmailBackend):
    """An e-mail server that is down."""

    def send_messages(self, messages):
        raise ConnectionRefusedError("the e-mail server is down")


# ------------------------------------------------------------------ the weekly summary


@pytest.fixture
def week_of_work(essex, norfolk, officer_essex, move):
    """In the East of England: one entry waiting for review, one published 2 days ago, one
    published 10 days ago."""
    waiting = publishable_case_study(essex, Status.DRAFT, title="Waiting")
    move(waiting, officer_essex, "submit")
    recent = publishable_case_study(norfolk, Status.PUBLISHED, title="Recent")
    old = publishable_case_study(essex, Status.PUBLISHED, title="Old")
    for case_study, days in [(recent, 2), (old, 10)]:
        Transition.objects.create(
            case_study=case_study,
            action=Transition.Action.PUBLISH,
            from_status=Status.IN_REVIEW,
            to_status=Status.PUBLISHED,
            at=timezone.now() - datetime.timedelta(days=days),
        )
    return {"waiting": waiting, "recent": recent, "old": old}


def test_weekly_digest_lists_waiting_and_recently_published_once_a_week(
    mailoutbox, week_of_work, lead_east, second_lead_east, lead_west
):
    for lead in (lead_east, lead_west):
        set_choices(lead, weekly_digest=True)
    mailoutbox.clear()
    call_command("send_weekly_digest")
    # lead.east.two did not ask for it; lead.west has nothing in the West Midlands.
    assert recipients(mailoutbox) == ["lead.east@example.org"]
    body = mailoutbox[0].body
    assert mailoutbox[0].subject == "Your weekly summary of case studies"
    assert "Waiting for your review: 1\n" in body
    waiting = week_of_work["waiting"]
    assert f"- Waiting in Essex (Essex County Council)\n  {SITE}/editors/review/{waiting.pk}/" in (
        body
    )
    assert "Published in the last 7 days: 1\n" in body
    recent = week_of_work["recent"]
    assert f"- Recent in Norfolk\n  {SITE}{recent.get_absolute_url()}" in body
    assert "Old in Essex" not in body
    assert body.rstrip().endswith(PREFERENCES)

    mailoutbox.clear()
    call_command("send_weekly_digest")
    assert mailoutbox == []  # the same week: nothing again
    assert EditorProfile.objects.get(user=lead_east).weekly_digest_sent_on == timezone.localdate()

    next_week = timezone.now() + datetime.timedelta(days=7)
    assert send_weekly_digests(now=next_week) == (1, 0)
    assert recipients(mailoutbox) == ["lead.east@example.org"]


def test_weekly_digest_skips_inactive_leads_and_those_without_an_address(
    mailoutbox, week_of_work, lead_east, second_lead_east
):
    set_choices(lead_east, weekly_digest=True)
    set_choices(second_lead_east, weekly_digest=True)
    lead_east.is_active = False
    lead_east.save()
    second_lead_east.email = ""
    second_lead_east.save()
    mailoutbox.clear()
    assert send_weekly_digests() == (0, 0)
    assert mailoutbox == []


class RefusingOneAddress(BaseEmailBackend):
    """An e-mail server that refuses lead.east's address and takes the others (kept in
    `taken`)."""

    taken = []

    def send_messages(self, messages):
        for message in messages:
            if "lead.east@example.org" in message.to:
                raise ConnectionRefusedError("mailbox unavailable")
            self.taken.append(message)
        return len(messages)


def test_weekly_digest_failure_leaves_the_lead_to_try_again_and_the_others_get_theirs(
    week_of_work, lead_east, second_lead_east, settings
):
    set_choices(lead_east, weekly_digest=True)
    set_choices(second_lead_east, weekly_digest=True)
    settings.EMAIL_BACKEND = "tests.test_notifications.RefusingOneAddress"
    RefusingOneAddress.taken = []
    with pytest.raises(CommandError, match="1 weekly summary could not be sent"):
        call_command("send_weekly_digest", stdout=io.StringIO())
    assert [message.to for message in RefusingOneAddress.taken] == [[second_lead_east.email]]
    assert EditorProfile.objects.get(user=lead_east).weekly_digest_sent_on is None
    assert EditorProfile.objects.get(user=second_lead_east).weekly_digest_sent_on is not None


# ------------------------------------------------------------------ the "E-mails" page


def test_a_lead_switches_emails_off_on_the_emails_page(client, lead_east):
    client.force_login(lead_east)
    page = client.get(reverse("editors:notifications")).content.decode()
    assert "When a case study in my regions is sent for review" in page
    assert "A weekly summary" in page
    assert "We send e-mails to lead.east@example.org." in page
    response = client.post(reverse("editors:notifications"), {"weekly_digest": "on"}, follow=True)
    assert "Your e-mail choices have been saved." in response.content.decode()
    profile = EditorProfile.objects.get(user=lead_east)
    assert (profile.email_on_submission, profile.weekly_digest, profile.email_on_outcome) == (
        False,
        True,
        False,
    )


def test_an_officer_sees_only_the_outcome_choice(client, officer_essex):
    client.force_login(officer_essex)
    page = client.get(reverse("editors:notifications")).content.decode()
    assert "When a case study I sent for review is returned to me or published" in page
    assert "A weekly summary" not in page
    # A lead's choice posted by an officer is ignored.
    client.post(reverse("editors:notifications"), {"weekly_digest": "on"})
    profile = EditorProfile.objects.get(user=officer_essex)
    assert (profile.weekly_digest, profile.email_on_outcome) == (False, False)


def test_the_emails_page_changes_only_ones_own_choices(client, lead_east, officer_essex):
    client.force_login(lead_east)
    client.post(reverse("editors:notifications"), {"weekly_digest": "on"})
    officer = EditorProfile.objects.get(user=officer_essex)
    assert (officer.email_on_outcome, officer.weekly_digest) == (True, False)
    assert EditorProfile.objects.get(user=lead_east).weekly_digest is True


def test_someone_without_a_profile_gets_one_when_choosing(client, django_user_model):
    """A site administrator needs no profile to have their role; choosing e-mails makes one."""
    user = django_user_model.objects.create(username="no.profile", email="np@example.org")
    user.groups.add(Group.objects.get(name=SITE_ADMINISTRATOR))
    client.force_login(user)
    client.post(reverse("editors:notifications"), {})
    assert EditorProfile.objects.get(user=user).email_on_outcome is False


def test_the_emails_page_needs_signing_in(client):
    response = client.get(reverse("editors:notifications"))
    assert response.status_code == 302
    assert response["Location"] == "/editors/sign-in/?next=/editors/notifications/"


def test_the_admin_offers_the_choices_on_a_persons_account(client, site_admin, lead_east):
    client.force_login(site_admin)
    page = client.get(reverse("admin:auth_user_change", args=[lead_east.pk])).content.decode()
    assert "E-mail me when a case study is sent for review" in page
    assert "Send me a weekly summary" in page
