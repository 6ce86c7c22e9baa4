"""The editorial journey in a real browser, as the demo accounts: draft, submit, return,
fix, publish, propose an update (the public page unchanged until it is published), revert."""

import re

import pytest
from django.core.management import call_command

from casestudies.models import CaseStudy, Status
from tests.helpers import save_screenshot

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "journey-password-1"  # the demo accounts'; sign_in gives its own


@pytest.fixture
def demo_accounts(settings, essex, norfolk, shropshire):
    settings.DEBUG = True
    call_command("create_demo_accounts", "--password", PASSWORD)


def choose(page, field, text):
    """Pick an option in one of the admin's autocomplete (select2) boxes, by keyboard."""
    page.locator(f".field-{field} .select2-selection").click()
    page.keyboard.type(text)
    page.locator(".select2-results__option--highlighted", has_text=text).wait_for()
    page.keyboard.press("Enter")
    if page.locator(".select2-container--open").count():
        page.keyboard.press("Escape")


def move(page, button, comment=""):
    """A workflow move from the change form: its button saves the form first and moves (or,
    for a return, opens the move's page for the comment); someone who cannot change the entry
    follows a link to the move's page."""
    page.wait_for_url(re.compile(r"/change/$"))
    saves_first = page.get_by_role("button", name=f"Save and {button.lower()}")
    with page.expect_navigation():
        if saves_first.count():
            saves_first.last.click()
        else:
            page.get_by_role("link", name=button, exact=True).click()
    if "/workflow/" in page.url:
        if comment:
            page.get_by_label(re.compile("Comment")).fill(comment)
        page.get_by_role("button", name=button).click()
    page.wait_for_url(re.compile(r"/change/$"))


def save(page):
    with page.expect_navigation():
        page.get_by_role("button", name="Save and continue editing").first.click()
    errors = page.locator(".errornote, .errorlist")
    assert errors.count() == 0, errors.all_inner_texts()
    assert page.url.endswith("/change/")


def test_draft_review_publish_update_and_revert(demo_accounts, sign_in, page, screenshot):
    officer = sign_in("officer.essex")
    expect(
        officer.get_by_role("heading", name="Your drafts and returned submissions")
    ).to_be_visible()
    officer.goto("/admin/casestudies/casestudy/add/")
    officer.get_by_label("Title:").fill("Carers shape the respite offer")
    officer.get_by_label("Summary (one sentence):").fill(
        "Carers and the council redesigned respite together."
    )
    choose(officer, "region", "East of England")
    choose(officer, "councils", "Essex")
    officer.locator("#points-learning-group").get_by_role(
        "button", name="Add another Point"
    ).click()
    officer.locator("#points-learning-group textarea:visible").first.fill(
        "Start with carers' own words."
    )
    save(officer)
    save_screenshot(officer, "", "journey-1-officer-draft")
    move(officer, "Submit for review")
    case_study = CaseStudy.objects.get(title="Carers shape the respite offer")
    assert case_study.status == Status.IN_REVIEW

    lead = sign_in("lead.east")
    expect(lead.get_by_role("heading", name="Awaiting your review")).to_be_visible()
    save_screenshot(lead, "", "journey-2-lead-start-page")
    lead.locator("#start-page").get_by_role(
        "link", name="Carers shape the respite offer", exact=True
    ).click()
    move(lead, "Return to the author", comment="Please tell the story: what happened?")

    officer.goto("/admin/")
    expect(officer.get_by_text("Please tell the story: what happened?")).to_be_visible()
    officer.locator("#start-page").get_by_role(
        "link", name="Carers shape the respite offer", exact=True
    ).click()
    expect(officer.get_by_text("Returned to you by lead.east")).to_be_visible()
    save_screenshot(officer, "", "journey-3-returned")
    officer.get_by_label("The story:").fill("Carers met the council every month for a year.")
    save(officer)
    move(officer, "Submit for review")

    lead.goto(f"/admin/casestudies/casestudy/{case_study.pk}/change/")
    move(lead, "Publish")
    public_url = f"/case-studies/{case_study.slug}/"
    page.goto(public_url)
    assert page.locator("h1").inner_text() == "Carers shape the respite offer"
    screenshot("journey-4-published")

    officer.goto(f"/admin/casestudies/casestudy/{case_study.pk}/change/")
    move(officer, "Propose an update")
    officer.get_by_label("Summary (one sentence):").fill(
        "Carers redesigned respite; now in its second year."
    )
    save(officer)
    move(officer, "Submit for review")
    page.goto(public_url)
    expect(page.get_by_text("Carers and the council redesigned respite together.")).to_be_visible()
    expect(page.get_by_text("now in its second year")).to_have_count(0)

    lead.goto("/admin/")
    lead.locator("#start-page").get_by_role(
        "link", name="Carers shape the respite offer", exact=True
    ).click()
    move(lead, "Publish")
    page.goto(public_url)
    expect(page.get_by_text("Carers redesigned respite; now in its second year.")).to_be_visible()
    screenshot("journey-5-update-published")

    # The lead changes the title, then reverts that edit from the history.
    lead.goto(f"/admin/casestudies/casestudy/{case_study.pk}/change/")
    lead.get_by_label("Title:").fill("A title changed by mistake")
    save(lead)
    lead.get_by_role("link", name="History").click()
    save_screenshot(lead, "", "journey-6-history")
    lead.locator("#change-history a, table a").filter(has_text=re.compile(r"\d")).nth(1).click()
    lead.get_by_role("button", name="Save").first.click()
    lead.wait_for_load_state()
    case_study.refresh_from_db()
    assert case_study.title == "Carers shape the respite offer"
    assert case_study.status == Status.PUBLISHED
    page.goto(public_url)
    assert page.locator("h1").inner_text() == "Carers shape the respite offer"
