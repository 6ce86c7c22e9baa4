"""Review for regional leads in a real browser: the queue and the review page have no axe-core
violation (WCAG 2.2 A and AA) and fit the screen at 1,280 and 390 pixels wide, and a lead
returns and publishes with JavaScript switched off."""

import pytest
from django.urls import reverse

from casestudies import workflow
from casestudies.models import CaseStudy, Point, Status
from tests.helpers import page_problems, publishable_case_study, save_screenshot, sign_in_on

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LONG_WORD = "co-production-with-carers-and-people-who-draw-on-care-" * 4


@pytest.fixture
def entries(full_case_study, officer_essex, essex, lead_east):
    """A new entry and a proposed update in review, both with long text to wrap."""
    new = publishable_case_study(essex, Status.DRAFT, title="Short breaks for carers")
    new.narrative = "Carers planned their own breaks. " * 30 + LONG_WORD
    new.save()
    workflow.case_study_move(case_study=new, by=officer_essex, action="submit")
    update = workflow.case_study_move(
        case_study=full_case_study, by=officer_essex, action="propose_update"
    ).case_study
    update.narrative += "\n\nTwo years on, the group still meets every month. " + LONG_WORD
    update.save()
    Point.objects.filter(case_study=update, kind="barrier").update(text="Deadlines set elsewhere.")
    Point.objects.create(case_study=update, kind="learning", order=3, text="Be patient.")
    workflow.case_study_move(case_study=update, by=officer_essex, action="submit")
    return {"new": new, "update": CaseStudy.objects.get(pk=update.pk)}


def test_queue_and_review_page_pass_axe_and_fit_the_screen(sign_in, entries, policy_violations):
    page = sign_in("lead.east")
    blocked = policy_violations(page)
    urls = {
        "queue": reverse("editors:review-queue"),
        "review-new": reverse("editors:review", args=[entries["new"].pk]),
        "review-update": reverse("editors:review", args=[entries["update"].pk]),
    }
    problems = []
    for name, url in urls.items():
        page.goto(url)
        assert page.locator("h1").count() == 1, name
        problems += page_problems(page, "review", name)
    # The page shown again with an error: a comment is needed to return an entry.
    page.goto(urls["review-new"])
    page.get_by_role("button", name="Return to the author").click()
    assert page.locator(".govuk-error-summary").count() == 1
    problems += page_problems(page, "review", "review-needs-a-comment")
    assert problems == []
    assert blocked == []
    page.goto(urls["review-update"])
    changes = page.locator(".changes")
    assert "Be patient." in changes.inner_text()
    assert "Deadlines set elsewhere." in changes.inner_text()


def test_return_and_publish_without_javascript(browser, live_server, entries, lead_east):
    context = browser.new_context(
        base_url=live_server.url, java_script_enabled=False, viewport={"width": 390, "height": 900}
    )
    try:
        page = sign_in_on(context.new_page(), lead_east)
        page.goto(reverse("editors:review-queue"))
        page.get_by_role("link", name="Short breaks for carers").click()
        # Returning without a comment: an error summary, and nothing changes.
        page.get_by_role("button", name="Return to the author").click()
        summary = page.locator(".govuk-error-summary")
        assert "Say what the author needs to change: the comment is required." in (
            summary.inner_text()
        )
        save_screenshot(page, "review", "review-error-390")
        assert CaseStudy.objects.get(pk=entries["new"].pk).status == Status.IN_REVIEW
        page.get_by_label("Your comment").fill("Say who the carers' group is.")
        page.get_by_role("button", name="Return to the author").click()
        page.wait_for_url(f"**{reverse('editors:review-queue')}")
        banner = page.locator(".govuk-notification-banner")
        assert "has been returned to its author" in banner.inner_text()
        assert CaseStudy.objects.get(pk=entries["new"].pk).status == Status.DRAFT
        # Publishing the update.
        page.get_by_role("link", name="Redesign of direct payment support").click()
        page.get_by_role("button", name="Publish").click()
        page.wait_for_url(f"**{reverse('editors:review-queue')}")
        save_screenshot(page, "review", "queue-after-publish-390")
        assert (
            "the update replaced the published version"
            in page.locator(".govuk-notification-banner").inner_text()
        )
        assert "Nothing is waiting for review." in page.content()
    finally:
        context.close()
