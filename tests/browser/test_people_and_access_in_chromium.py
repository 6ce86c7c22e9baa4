"""People and access, in Chromium: a lead invites an officer, who opens the e-mailed link, chooses
a password and lands on their case studies; the lead then takes the access away. Every page
has no axe-core violation (WCAG 2.2 A and AA), breaks no Content-Security-Policy and fits a
phone's width. Screenshots at 1,280 and 390 pixels wide go to test-artifacts/people/."""

import re

import pytest
from django.core import mail

from tests.helpers import SIGN_IN_PASSWORD, page_problems

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW_PASSWORD = "a-password-for-essex-carers-42"


def sign_in(page, username, password):
    page.goto("/editors/sign-in/")
    page.get_by_label("User name").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/editors/")


def test_a_lead_invites_an_officer_who_joins_and_later_loses_access(
    page, policy_violations, lead_east, essex, norfolk
):
    blocked = policy_violations(page)
    lead_east.set_password(SIGN_IN_PASSWORD)
    lead_east.save()
    problems = []

    sign_in(page, "lead.east", SIGN_IN_PASSWORD)
    page.get_by_role("link", name="People and access").click()
    page.wait_for_url("**/editors/people/")
    problems += page_problems(page, "people", "people-empty")

    page.get_by_role("button", name="Invite an officer").click()
    page.wait_for_url("**/editors/people/invite/")
    page.get_by_role("button", name="Send the invitation").click()
    assert page.locator(".govuk-error-summary").is_visible()
    problems += page_problems(page, "people", "invite-errors")
    page.get_by_label("Their name").fill("Sam New")
    page.get_by_label("Their e-mail address").fill("sam.new@example.org")
    page.get_by_label("Essex County Council").check()
    page.get_by_role("button", name="Send the invitation").click()
    page.wait_for_url("**/editors/people/")
    assert "An invitation has been sent" in page.locator(".govuk-notification-banner").inner_text()
    problems += page_problems(page, "people", "people-invited")

    # The invited person opens the link from the e-mail, signed out.
    page.get_by_role("button", name="Sign out").click()
    link = re.search(r"http://[^/\s]+(/editors/invitation/\S+/)", mail.outbox[-1].body)
    page.goto(link.group(1))
    problems += page_problems(page, "people", "invitation")
    page.get_by_label("Choose a password").fill(NEW_PASSWORD)
    page.get_by_label("Type the password again").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Create my account").click()
    page.wait_for_url("**/editors/")
    assert "Welcome, Sam New" in page.locator(".govuk-notification-banner").inner_text()
    assert page.locator("h1").inner_text() == "Your case studies"
    problems += page_problems(page, "people", "welcome")

    # The link works once.
    page.get_by_role("button", name="Sign out").click()
    page.goto(link.group(1))
    assert page.locator("h1").inner_text() == "This invitation has been used"
    problems += page_problems(page, "people", "invitation-used")

    # The lead takes the access away: the account is switched off, still listed.
    sign_in(page, "lead.east", SIGN_IN_PASSWORD)
    page.goto("/editors/people/")
    page.get_by_role("link", name="Remove access for Sam New to Essex County Council").click()
    problems += page_problems(page, "people", "remove")
    page.get_by_role("button", name="Yes, remove access").click()
    page.wait_for_url("**/editors/people/")
    assert "switched off" in page.locator(".govuk-notification-banner").inner_text()
    assert page.get_by_text("Switched off", exact=True).is_visible()
    problems += page_problems(page, "people", "people-switched-off")

    assert problems == []
    assert blocked == []


def test_an_invitation_the_lead_cannot_change_and_a_link_that_no_longer_works(
    page, policy_violations, lead_east, site_admin, essex, shropshire
):
    from django.contrib.auth.models import User

    from editorial.models import Invitation

    blocked = policy_violations(page)
    lead_east.set_password(SIGN_IN_PASSWORD)
    lead_east.save()
    Invitation.issue(
        email="mixed@example.org",
        name="Mo Mixed",
        councils=[essex, shropshire],
        invited_by=site_admin,
    )
    _, token = Invitation.issue(
        email="sam.new@example.org", name="Sam New", councils=[essex], invited_by=lead_east
    )
    problems = []

    sign_in(page, "lead.east", SIGN_IN_PASSWORD)
    page.goto("/editors/people/")
    assert page.get_by_text("Only a site administrator can send it again or cancel it").is_visible()
    assert (
        page.get_by_role("button", name="Cancel the invitation to mixed@example.org").count() == 0
    )
    problems += page_problems(page, "people", "people-other-regions-invitation")

    page.get_by_role("button", name="Sign out").click()
    User.objects.filter(pk=lead_east.pk).update(is_active=False)
    page.goto(f"/editors/invitation/{token}/")
    assert page.locator("h1").inner_text() == "This invitation no longer works"
    problems += page_problems(page, "people", "invitation-no-longer-works")

    assert problems == []
    assert blocked == []
