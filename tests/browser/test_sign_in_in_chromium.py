"""The way in, in Chromium: the sign-in page, the password reset pages and the "E-mails" page
have no axe-core violation (WCAG 2.2 A and AA), break no Content-Security-Policy, and fit a
phone's width. Screenshots at 1,280 and 390 pixels wide go to test-artifacts/sign-in/, to look
at."""

import re

import pytest
from django.core import mail

from tests.helpers import SIGN_IN_PASSWORD, page_problems

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW_PASSWORD = "a-new-password-for-carers-42"


def test_sign_in_reset_and_email_choices_pages(page, policy_violations, lead_east):
    blocked = policy_violations(page)
    lead_east.set_password(SIGN_IN_PASSWORD)
    lead_east.save()
    problems = []

    # The footer leads to the sign-in page; a wrong password shows the error summary.
    page.goto("/")
    page.get_by_role("link", name="Sign in for editors").click()
    page.wait_for_url("**/editors/sign-in/")
    problems += page_problems(page, "sign-in", "sign-in")
    page.get_by_label("User name").fill("lead.east")
    page.get_by_label("Password").fill("wrong")
    page.get_by_role("button", name="Sign in").click()
    assert page.locator(".govuk-error-summary").is_visible()
    problems += page_problems(page, "sign-in", "sign-in-error")

    # A new password by e-mail.
    page.get_by_role("link", name="I have forgotten my password").click()
    problems += page_problems(page, "sign-in", "password-reset")
    page.get_by_label("Your e-mail address").fill("lead.east@example.org")
    page.get_by_role("button", name="Send the link").click()
    page.wait_for_url("**/editors/password-reset/sent/")
    problems += page_problems(page, "sign-in", "password-reset-sent")
    link = re.search(r"http://[^/\s]+(/editors/password-reset/\S+/)", mail.outbox[-1].body)
    page.goto(link.group(1))
    assert page.locator("h1").inner_text() == "Choose a new password"
    problems += page_problems(page, "sign-in", "password-reset-choose")
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Type the new password again").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Save the new password").click()
    page.wait_for_url("**/editors/password-reset/done/")
    problems += page_problems(page, "sign-in", "password-reset-done")

    # Signing in with the new password goes on to the page asked for.
    page.goto("/editors/sign-in/?next=/editors/notifications/")
    page.get_by_label("User name").fill("lead.east")
    page.get_by_label("Password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/editors/notifications/")
    problems += page_problems(page, "sign-in", "notifications")
    page.get_by_label("A weekly summary").check()
    page.get_by_role("button", name="Save my choices").click()
    assert (
        "Your e-mail choices have been saved."
        in page.locator(".govuk-notification-banner").inner_text()
    )
    assert page.get_by_label("A weekly summary").is_checked()
    problems += page_problems(page, "sign-in", "notifications-saved")

    # Signing out goes home and says so.
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(re.compile(r"/$"))
    assert "You have signed out." in page.locator(".govuk-notification-banner").inner_text()
    problems += page_problems(page, "sign-in", "signed-out")

    assert problems == []
    assert blocked == []
