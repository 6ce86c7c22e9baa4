"""The whole editors' journey in Chromium (issue 10, "Done when").

A new council officer signs in through the sign-in page, starts a case study in the guided
form, leaves halfway and comes back to find everything, finishes and submits it. The region's
lead is e-mailed, signs in through the e-mail's link, and returns it with a comment; the officer
is e-mailed the comment, sees it on their case studies and task list, fixes and resubmits; the
lead publishes; the officer is e-mailed; the case study is on its public page and found by the
public search.

With JavaScript on, every distinct page the journey visits has no axe-core violation (WCAG 2.2
A and AA), breaks no Content-Security-Policy rule, and fits a 1,280 and a 390 pixel wide window
(screenshots of each in test-artifacts/journey/). The same journey then runs with JavaScript off.

E-mails go to Django's in-memory outbox: the live server runs in this process.
"""

import re

import pytest
from django.core import mail
from django.urls import reverse

from casestudies.models import CaseStudy, Status
from tests.helpers import SIGN_IN_PASSWORD, click, open_section, page_problems

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "Test entry: Riverside carers' group"
SEARCH_WORD = "Riverside"
STORY = "Test story: carers met the council every month.\n\nTest story: they planned breaks."
FIX = "Test story: the group is run by the carers themselves."
COMMENT = "Test comment: say who runs the group."


# ------------------------------------------------------------------ looking at pages


class Looker:
    """look(page, name): on the first visit to each distinct page, no axe violation, one h1,
    nothing wider than the window at 1,280 and 390 pixels, and a screenshot at each width."""

    def __init__(self, watch):
        self.seen = set()
        self.watch = watch
        self.watched = []

    def open(self, context):
        """A new tab, whose Content-Security-Policy reports are kept."""
        page = context.new_page()
        if self.watch:
            self.watched.append(self.watch(page))
        return page

    @property
    def blocked(self):
        return [report for reports in self.watched for report in reports]

    def __call__(self, page, name):
        assert page.locator("h1").count() == 1, name
        if name in self.seen or self.watch is None:
            return
        self.seen.add(name)
        assert page_problems(page, "journey", f"{len(self.seen):02}-{name}") == []


def back_to_task_list(page):
    click(page, "Back to your case study", role="link")
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)


def expect_status(page, section, status):
    """A section's state on the task list: the description of its link."""
    expect(page.get_by_role("link", name=section, exact=True)).to_have_accessible_description(
        re.compile(status)
    )


def heading(page, text):
    return page.get_by_role("heading", name=text, exact=True)


def sign_in(page, user):
    """Type the user name and password on the portal's sign-in page."""
    expect(heading(page, "Sign in for editors")).to_be_visible()
    page.get_by_label("User name").fill(user.get_username())
    page.get_by_label("Password", exact=True).fill(SIGN_IN_PASSWORD)
    click(page, "Sign in")


def the_only_new_mail(sent_before, *, to):
    """The one e-mail sent since `sent_before` messages, to `to`, and its first link."""
    new = mail.outbox[sent_before:]
    assert [message.to for message in new] == [[to.email]]
    links = re.findall(r"^(http://\S+)$", new[0].body, re.M)
    return new[0], links[0]


def nav_names(page):
    nav = page.get_by_role("navigation", name="Editors' area")
    return nav.get_by_role("link").all_inner_texts()


# ------------------------------------------------------------------ the journey


def journey(new_context, look, officer, lead):
    """The whole journey; `new_context()` opens a browser window of its own."""
    officer.set_password(SIGN_IN_PASSWORD)
    officer.save()
    lead.set_password(SIGN_IN_PASSWORD)
    lead.save()
    officer_window = new_context()
    page = look.open(officer_window)

    # The officer finds the way in from the public site and signs in.
    page.goto("/")
    look(page, "home")
    click(page, "Sign in for editors", role="link")
    look(page, "sign-in")
    sign_in(page, officer)
    expect(heading(page, "Your case studies")).to_be_visible()
    assert nav_names(page) == ["Your case studies", "E-mails", "Editors' admin"]
    look(page, "dashboard")

    # The first half: about the work, the story, one point of learning.
    click(page, "Start a new case study")
    look(page, "about-the-work")
    page.get_by_label("Title", exact=True).fill(TITLE)
    page.get_by_label("Summary in one sentence").fill("Test summary: carers planned their breaks.")
    page.get_by_label("Month", exact=True).fill("4")
    page.get_by_label("Year", exact=True).fill("2022")
    click(page, "Save and continue")
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    look(page, "task-list")
    case_study = CaseStudy.objects.get(title=TITLE)
    assert case_study.status == Status.DRAFT
    open_section(page, "The story")
    look(page, "the-story")
    page.get_by_label("The story").fill(STORY)
    click(page, "Save and continue")
    open_section(page, "What helped")
    look(page, "what-helped")
    page.get_by_label("The point").fill("Test point: pay people for their time.")
    click(page, "Save and continue")
    expect_status(page, "What helped", "Completed")

    # The officer leaves for the public site, closes the tab, and comes back from their
    # case studies in a new one.
    page.goto("/")
    expect(page.get_by_role("link", name="Editors' area", exact=True)).to_be_visible()
    page.close()
    page = look.open(officer_window)
    page.goto("/")
    click(page, "Editors' area", role="link")
    expect(heading(page, "Drafts")).to_be_visible()
    click(page, f"Continue with {TITLE}", role="link")
    for section in ("About the work", "The story", "What helped"):
        expect_status(page, section, "Completed")
    for section in ("Barriers", "Contacts"):
        expect_status(page, section, "Not started")
    open_section(page, "About the work")
    expect(page.get_by_label("Title", exact=True)).to_have_value(TITLE)
    expect(page.get_by_label("Summary in one sentence")).to_have_value(
        "Test summary: carers planned their breaks."
    )
    expect(page.get_by_label("Year", exact=True)).to_have_value("2022")
    back_to_task_list(page)
    open_section(page, "The story")
    expect(page.get_by_label("The story")).to_have_value(STORY)
    back_to_task_list(page)
    open_section(page, "What helped")
    expect(page.get_by_text("Test point: pay people for their time.")).to_be_visible()
    back_to_task_list(page)

    # The second half: councils, people, a barrier, a contact.
    open_section(page, "Councils and partners")
    look(page, "councils-and-partners")
    click(page, "Save and continue")
    open_section(page, "Who took part and how")
    look(page, "who-took-part")
    page.get_by_label("Support for carers").check()
    click(page, "Save and continue")
    open_section(page, "Barriers")
    page.get_by_label("The point").fill("Test point: short deadlines.")
    click(page, "Save and continue")
    open_section(page, "Contacts")
    look(page, "contacts")
    page.get_by_label("Name", exact=True).fill("Test Contact")
    page.get_by_label("Email address").fill("contact.test@example.org")
    page.get_by_label("Yes", exact=True).check()
    click(page, "Save and continue")
    expect_status(page, "Contacts", "Completed")

    # Check and submit.
    click(page, "Check and submit", role="link")
    expect(heading(page, "Nothing is missing")).to_be_visible()
    expect(page.get_by_text("Test story: carers met the council every month.")).to_be_visible()
    look(page, "check")
    sent = len(mail.outbox)
    click(page, "Submit for review")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Your case study has been sent for review"
    )
    look(page, "sent-for-review")
    case_study.refresh_from_db()
    assert case_study.status == Status.IN_REVIEW
    message, review_link = the_only_new_mail(sent, to=lead)
    assert message.subject == f"A case study is waiting for your review: {TITLE}"
    assert review_link.endswith(reverse("editors:review", args=[case_study.pk]))
    page.goto("/editors/")
    expect(page.get_by_role("link", name=TITLE, exact=True)).to_be_visible()
    expect(page.get_by_text("In review", exact=True)).to_be_visible()

    # The lead opens the e-mail's link, signs in, and returns it with a comment.
    lead_page = look.open(new_context())
    lead_page.goto(review_link)
    sign_in(lead_page, lead)
    assert lead_page.url == review_link
    expect(lead_page.get_by_role("heading", level=1)).to_have_text(TITLE)
    assert nav_names(lead_page) == [
        "Your case studies",
        "Review",
        "People and access",
        "E-mails",
        "Editors' admin",
    ]
    look(lead_page, "review")
    lead_page.get_by_label("Your comment").fill(COMMENT)
    sent = len(mail.outbox)
    click(lead_page, "Return to the author")
    expect(lead_page.get_by_text(f"“{TITLE}” has been returned to its author.")).to_be_visible()
    look(lead_page, "review-queue")
    assert CaseStudy.objects.get(pk=case_study.pk).status == Status.DRAFT
    message, task_list_link = the_only_new_mail(sent, to=officer)
    assert COMMENT in message.body
    assert task_list_link.endswith(reverse("editors:case-study", args=[case_study.pk]))

    # The officer sees the comment on their case studies and the task list, fixes, resubmits.
    page.goto("/editors/")
    expect(heading(page, "Returned to you")).to_be_visible()
    expect(page.get_by_text(COMMENT)).to_be_visible()
    look(page, "dashboard-returned")
    click(page, f"Make changes to {TITLE}", role="link")
    expect(page.get_by_text(COMMENT)).to_be_visible()
    look(page, "task-list-returned")
    open_section(page, "The story")
    page.get_by_label("The story").fill(f"{STORY}\n\n{FIX}")
    click(page, "Save and continue")
    click(page, "Check and submit", role="link")
    expect(page.get_by_text(FIX)).to_be_visible()
    sent = len(mail.outbox)
    click(page, "Submit for review")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Your case study has been sent for review"
    )
    _message, review_link = the_only_new_mail(sent, to=lead)

    # The lead publishes it.
    lead_page.goto(review_link)
    expect(lead_page.get_by_text(FIX)).to_be_visible()
    sent = len(mail.outbox)
    click(lead_page, "Publish")
    expect(lead_page.get_by_text(f"“{TITLE}” has been published.")).to_be_visible()
    expect(lead_page.get_by_text("Nothing is waiting for review.")).to_be_visible()
    case_study.refresh_from_db()
    assert case_study.status == Status.PUBLISHED
    message, public_link = the_only_new_mail(sent, to=officer)
    assert "published" in message.subject
    assert public_link.endswith(case_study.get_absolute_url())

    # The officer sees it published, on its public page, and found by the public search.
    page.goto("/editors/")
    expect(heading(page, "Published")).to_be_visible()
    expect(page.get_by_role("link", name=TITLE, exact=True)).to_have_attribute(
        "href", case_study.get_absolute_url()
    )
    look(page, "dashboard-published")
    page.goto(public_link)
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.get_by_text(FIX)).to_be_visible()
    look(page, "public-case-study")
    visitor = look.open(new_context())
    visitor.goto(f"/case-studies/?q={SEARCH_WORD}")
    expect(visitor.get_by_role("link", name=TITLE, exact=True)).to_be_visible()
    look(visitor, "public-search")
    return look


@pytest.fixture
def windows(browser, live_server, settings):
    """new_context(**options): a browser window of its own; e-mail links point at the live
    server."""
    settings.SITE_URL = live_server.url
    contexts = []

    def new_context(**options):
        context = browser.new_context(
            base_url=live_server.url, viewport={"width": 1280, "height": 900}, **options
        )
        contexts.append(context)
        return context

    yield new_context
    for context in contexts:
        context.close()


def test_officer_and_lead_take_a_case_study_from_sign_in_to_published(
    windows, officer_essex, lead_east, carers_topic, policy_violations
):
    look = journey(windows, Looker(policy_violations), officer_essex, lead_east)
    assert len(look.seen) == 19
    assert look.blocked == []


def test_the_journey_works_without_javascript(windows, officer_essex, lead_east, carers_topic):
    journey(lambda: windows(java_script_enabled=False), Looker(None), officer_essex, lead_east)
