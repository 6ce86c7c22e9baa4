"""The guided submission in Chromium: an officer starts a case study, leaves halfway, comes
back from their case studies and finds everything, finishes and sends it for review. Every
page passes axe (WCAG 2.2 A and AA), fits a 1,280 and a 390 pixel wide window, and breaks no
Content-Security-Policy rule; the journey works with JavaScript switched off too."""

import re

import pytest

from casestudies.models import CaseStudy, Contact, Status
from tests.helpers import click, open_section, page_problems, sign_in_on

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def check_page(page, name):
    """One h1, and nothing page_problems finds (screenshots in test-artifacts/guided/)."""
    assert page.locator("h1").count() == 1, name
    assert page_problems(page, "guided", name) == []


def status_of(page, section):
    """The status the task list gives a section (the text its link is described by)."""
    link = page.get_by_role("link", name=section, exact=True)
    return page.locator(f"#{link.get_attribute('aria-describedby')}")


def test_officer_starts_leaves_comes_back_finishes_and_submits(
    officer_essex, full_case_study, sign_in, policy_violations
):
    page = sign_in("officer.essex")
    violations = policy_violations(page)
    page.goto("/editors/")
    check_page(page, "01-dashboard")
    click(page, "Start a new case study", role="button")
    click(page, "Save and continue")  # nothing typed: errors, said plainly
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    check_page(page, "02-about-errors")
    page.get_by_label("Title", exact=True).fill("Carers plan respite together (browser test)")
    page.get_by_label("Summary in one sentence").fill("Carers and the council planned respite.")
    page.get_by_label("Month", exact=True).fill("4")
    page.get_by_label("Year", exact=True).fill("2021")
    click(page, "Save and continue")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Carers plan respite together (browser test)"
    )
    check_page(page, "03-task-list")
    case_study = CaseStudy.objects.get(title__endswith="(browser test)")

    open_section(page, "The story")
    check_page(page, "04-story")
    page.get_by_label("The story").fill("Carers met the council every month.\n\n- Paid time")
    click(page, "Save and continue")
    open_section(page, "What helped")
    page.get_by_label("The point").fill("Listen early.")
    click(page, "Save and add another point")
    page.get_by_label("The point").fill("Pay people for their time.")
    click(page, "Save and add another point")
    check_page(page, "05-what-helped")
    click(page, "Move up point 2")
    expect(page.get_by_role("definition").first).to_contain_text("Pay people for their time.")
    click(page, "Save and continue")

    # Halfway, the officer leaves for the public site, then comes back.
    page.goto("/")
    page.goto("/editors/")
    click(page, "Continue with Carers plan respite together (browser test)", role="link")
    expect(status_of(page, "The story")).to_have_text("Completed")
    expect(status_of(page, "What helped")).to_have_text("Completed")
    expect(status_of(page, "Barriers")).to_have_text("Not started")
    open_section(page, "The story")
    expect(page.get_by_label("The story")).to_have_value(
        "Carers met the council every month.\n\n- Paid time"
    )
    page.get_by_role("link", name="Back to your case study").first.click()
    open_section(page, "About the work")
    expect(page.get_by_label("Title", exact=True)).to_have_value(
        "Carers plan respite together (browser test)"
    )
    expect(page.get_by_label("Month", exact=True)).to_have_value("4")
    check_page(page, "06-about")
    page.get_by_role("link", name="Back to your case study").first.click()

    open_section(page, "Councils and partners")
    check_page(page, "07-councils-and-partners")
    click(page, "Save and continue")
    open_section(page, "Who took part and how")
    page.get_by_label("Unpaid carers").check()
    page.get_by_label("Support for carers").check()
    check_page(page, "08-who-took-part")
    click(page, "Save and continue")
    open_section(page, "Barriers")
    page.get_by_label("The point").fill("Short deadlines.")
    click(page, "Save and continue")
    open_section(page, "Contacts")
    page.get_by_label("Name", exact=True).fill("Sam Test")
    page.get_by_label("Email address").fill("sam.test@example.org")
    page.get_by_label("Yes", exact=True).check()
    click(page, "Save and add another contact")
    check_page(page, "09-contacts")
    click(page, "Remove contact 1", role="link")
    check_page(page, "10-remove-contact")
    page.get_by_role("link", name="No, keep it").click()
    click(page, "Change contact 1", role="link")
    check_page(page, "11-change-contact")
    click(page, "Save and continue")
    page.get_by_role("link", name="Back to your case study").first.click()
    open_section(page, "Links and quotes")
    check_page(page, "12-links-and-quotes")
    click(page, "Add a quote", role="button")
    page.get_by_label("The words").fill("We were listened to.")
    click(page, "Save and continue")
    expect(status_of(page, "Links and quotes")).to_have_text("Completed")

    click(page, "Check and submit", role="link")
    expect(page.get_by_role("heading", name="Nothing is missing")).to_be_visible()
    expect(page.get_by_role("region", name="How the public will see it")).to_contain_text(
        "Carers met the council every month."
    )
    check_page(page, "13-check")
    click(page, "Submit for review")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Your case study has been sent for review"
    )
    check_page(page, "14-sent")
    case_study.refresh_from_db()
    assert case_study.status == Status.IN_REVIEW
    assert list(case_study.points.order_by("kind", "order").values_list("kind", "text")) == [
        ("barrier", "Short deadlines."),
        ("learning", "Pay people for their time."),
        ("learning", "Listen early."),
    ]
    contact = case_study.contacts.get()
    assert contact.consent == Contact.Consent.GIVEN and contact.last_verified_on is not None

    page.goto("/editors/")
    expect(page.locator("#in-review + p + ul")).to_contain_text(case_study.title)
    click(page, case_study.title, role="link")
    expect(page.locator("#read-only")).to_contain_text("This case study is in review.")
    check_page(page, "15-in-review")
    assert violations == []


def test_the_journey_works_without_javascript(browser, live_server, officer_essex, essex):
    context = browser.new_context(
        base_url=live_server.url, java_script_enabled=False, viewport={"width": 390, "height": 900}
    )
    try:
        page = sign_in_on(context.new_page(), officer_essex)
        page.goto("/editors/")
        click(page, "Start a new case study", role="button")
        page.get_by_label("Title", exact=True).fill("Written without JavaScript")
        page.get_by_label("Summary in one sentence").fill("It still works.")
        click(page, "Save and continue")
        open_section(page, "The story")
        page.get_by_label("The story").fill("A story.")
        click(page, "Save and continue")
        open_section(page, "Conditions for success")
        for text in ("First.", "Second.", "Third."):
            page.get_by_label("The point").fill(text)
            click(page, "Save and add another point")
        click(page, "Move down point 1")
        click(page, "Remove point 3", role="link")
        click(page, "Yes, remove it")
        expect(page.get_by_role("alert")).to_contain_text("To put it back, add it again.")
        click(page, "Save and continue")
        click(page, "Check and submit", role="link")
        click(page, "Submit for review")
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Your case study has been sent for review"
        )
        case_study = CaseStudy.objects.get(title="Written without JavaScript")
        assert case_study.status == Status.IN_REVIEW
        assert list(case_study.points.order_by("order").values_list("order", "text")) == [
            (1, "Second."),
            (2, "First."),
        ]
        assert re.search(r"/editors/case-studies/\d+/sent/$", page.url)
    finally:
        context.close()
