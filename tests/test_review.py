"""Review for regional leads: the queue of case studies waiting for review, and the review page
where a lead returns one to its author with a comment or publishes it."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from casestudies import workflow
from casestudies.models import CaseStudy, Point, Status, Transition
from councils.stale_forms import stamp
from editorial.roles import COUNCIL_OFFICER, REGIONAL_LEAD
from tests.helpers import make_editor, publishable_case_study

pytestmark = pytest.mark.django_db

QUEUE = reverse("editors:review-queue")


def review_url(case_study):
    return reverse("editors:review", args=[case_study.pk])


def text(html):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def queue_rows(html):
    """Each row of the queue as a person reads it."""
    return [
        text(row) for row in re.findall(r"<tr class=\"govuk-table__row\">(.*?)</tr>", html, re.S)
    ][1:]


def submitted(case_study, officer, at):
    """The officer sends the entry for review at time `at`."""
    step = workflow.case_study_move(case_study=case_study, by=officer, action="submit")
    Transition.objects.filter(pk=step.pk).update(at=at)
    return CaseStudy.objects.get(pk=case_study.pk)


def when(day):
    return timezone.make_aware(datetime.datetime(2026, 3, day, 9, 30))


@pytest.fixture
def lead_west(west_midlands):
    return make_editor("lead.west", REGIONAL_LEAD, regions=[west_midlands])


@pytest.fixture
def in_review(essex, officer_essex):
    """A new case study from Essex, sent for review."""
    draft = publishable_case_study(essex, Status.DRAFT, title="Short breaks for carers")
    return submitted(draft, officer_essex, when(2))


@pytest.fixture
def update_in_review(full_case_study, officer_essex):
    """A proposed update of a published Essex case study, with a point added, sent for review."""
    step = workflow.case_study_move(
        case_study=full_case_study, by=officer_essex, action="propose_update"
    )
    update = step.case_study
    Point.objects.create(case_study=update, kind=Point.Kind.LEARNING, order=3, text="Be patient.")
    update.save()
    return submitted(update, officer_essex, when(5))


# ------------------------------------------------------------------ the queue


def test_lead_sees_their_regions_entries_in_review_longest_waiting_first(
    client, lead_east, officer_essex, essex, norfolk, shropshire, in_review, update_in_review
):
    officer_norfolk = make_editor("officer.norfolk", COUNCIL_OFFICER, councils=[norfolk])
    oldest = submitted(
        publishable_case_study(norfolk, Status.DRAFT, title="Day centres"), officer_norfolk, when(1)
    )
    publishable_case_study(essex, Status.DRAFT, title="Still a draft")
    publishable_case_study(shropshire, Status.IN_REVIEW, title="Elsewhere")
    client.force_login(lead_east)
    response = client.get(QUEUE)
    assert response.status_code == 200
    assert queue_rows(response.content.decode()) == [
        f"{oldest.title} New case study Norfolk officer.norfolk 1 March 2026, 09:30",
        f"{in_review.title} New case study Essex officer.essex 2 March 2026, 09:30",
        "Redesign of direct payment support Update of a published case study Essex "
        "officer.essex 5 March 2026, 09:30",
    ]
    assert f'href="{review_url(oldest)}"' in response.content.decode()


def test_site_administrator_sees_every_region(client, site_admin, in_review, shropshire):
    elsewhere = publishable_case_study(shropshire, Status.IN_REVIEW, title="Elsewhere")
    client.force_login(site_admin)
    rows = queue_rows(client.get(QUEUE).content.decode())
    # Put in review without a recorded step (as a spreadsheet import may): waiting longest.
    assert rows == [
        f"{elsewhere.title} New case study Shropshire Not recorded Not recorded",
        f"{in_review.title} New case study Essex officer.essex 2 March 2026, 09:30",
    ]


def test_officer_is_refused_the_queue_with_a_plain_message(client, officer_essex, in_review):
    client.force_login(officer_essex)
    response = client.get(QUEUE)
    assert response.status_code == 403
    html = response.content.decode()
    assert "Only regional leads and site administrators review case studies" in html
    assert in_review.title not in html


def test_anonymous_person_is_asked_to_sign_in(client, in_review):
    response = client.get(QUEUE)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("editors:sign-in"))
    assert client.get(review_url(in_review)).status_code == 302


def test_empty_queue_says_so(client, lead_west, in_review):
    client.force_login(lead_west)
    html = client.get(QUEUE).content.decode()
    assert "Nothing is waiting for review." in html
    assert in_review.title not in html


def test_queue_shows_when_an_entry_was_last_sent(client, lead_east, officer_essex, essex):
    """An entry returned and sent again is waiting since it was sent again."""
    draft = publishable_case_study(essex, Status.DRAFT, title="Sent twice")
    entry = submitted(draft, officer_essex, when(2))
    workflow.case_study_move(case_study=entry, by=lead_east, action="return", comment="Fix it.")
    submitted(CaseStudy.objects.get(pk=draft.pk), officer_essex, when(9))
    client.force_login(lead_east)
    ((shown, submission),) = client.get(QUEUE).context["rows"]
    assert (shown.pk, submission.at) == (draft.pk, when(9))


@pytest.mark.parametrize("count", [1, 4])
def test_queue_query_count_does_not_grow_with_entries(
    client, lead_east, officer_essex, essex, count, django_assert_num_queries
):
    for number in range(count):
        draft = publishable_case_study(essex, Status.DRAFT, title=f"Entry {number}")
        submitted(draft, officer_essex, when(number + 1))
    client.force_login(lead_east)
    # The session and the person (2), their groups, editor profile and regions (3), the entries
    # in review with their region and the entry they update (1), their councils (1), their
    # submissions with who sent them (1).
    with django_assert_num_queries(8):
        html = client.get(QUEUE).content.decode()
    assert queue_rows(html) == [
        f"Entry {number} in Essex New case study Essex officer.essex {number + 1} March 2026, 09:30"
        for number in range(count)
    ]


# ------------------------------------------------------------------ the review page


def test_review_page_shows_the_entry_as_published_and_its_history(client, lead_east, in_review):
    workflow.case_study_move(
        case_study=in_review, by=lead_east, action="return", comment="Add a quote."
    )
    entry = CaseStudy.objects.get(pk=in_review.pk)
    workflow.case_study_move(case_study=entry, by=lead_east, action="submit")
    client.force_login(lead_east)
    response = client.get(review_url(in_review))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<h1 class="govuk-heading-xl">{in_review.title}</h1>' in html
    assert "What happened." in html and "Listen." in html
    assert "What changed against the published version" not in html  # a new entry
    history = text(html.split('id="history"')[1].split('id="decision"')[0])
    assert history.index("Returned to the author by lead.east") < history.index(
        "Submitted for review by officer.essex"
    )
    assert "Add a quote." in history
    assert 'value="publish"' in html and 'value="return"' in html


def test_review_page_of_an_update_shows_what_changed_under_the_lists_own_heading(
    client, lead_east, update_in_review
):
    client.force_login(lead_east)
    html = client.get(review_url(update_in_review)).content.decode()
    changes = html.split('id="changes"')[1].split('id="history"')[0]
    assert re.findall(r"<h3[^>]*>(.*?)</h3>", changes) == [
        "What was the learning that supported success?"
    ]
    assert "Added as item 3" in changes and "Be patient." in changes
    assert "/static/css/changes.css" in html


def test_return_needs_a_comment_and_changes_nothing_without_one(client, lead_east, in_review):
    client.force_login(lead_east)
    response = client.post(
        review_url(in_review),
        {"action": "return", "comment": "  ", "seen_version": stamp(in_review)},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert (
        '<a href="#id_comment">Say what the author needs to change: the comment is required.</a>'
        in html
    )
    assert CaseStudy.objects.get(pk=in_review.pk).status == Status.IN_REVIEW
    assert not Transition.objects.filter(case_study=in_review, action="return").exists()


def test_return_with_a_comment_goes_back_to_the_author(client, lead_east, in_review):
    client.force_login(lead_east)
    response = client.post(
        review_url(in_review),
        {
            "action": "return",
            "comment": "Name the carers' group.",
            "seen_version": stamp(in_review),
        },
        follow=True,
    )
    assert response.redirect_chain == [(QUEUE, 302)]
    html = response.content.decode()
    assert "govuk-notification-banner--success" in html
    assert f"“{in_review.title}” has been returned to its author." in html
    entry = CaseStudy.objects.get(pk=in_review.pk)
    assert entry.status == Status.DRAFT
    assert entry.transitions.first().comment == "Name the carers' group."


def test_publish_puts_the_entry_on_the_public_site(client, lead_east, in_review):
    client.force_login(lead_east)
    response = client.post(
        review_url(in_review), {"action": "publish", "seen_version": stamp(in_review)}, follow=True
    )
    assert f"“{in_review.title}” has been published." in response.content.decode()
    assert CaseStudy.objects.published().filter(pk=in_review.pk).exists()
    assert client.get(in_review.get_absolute_url()).status_code == 200


def test_publishing_an_update_replaces_the_published_content(
    client, lead_east, full_case_study, update_in_review
):
    client.force_login(lead_east)
    response = client.post(
        review_url(update_in_review),
        {"action": "publish", "seen_version": stamp(update_in_review)},
        follow=True,
    )
    assert "the update replaced the published version" in response.content.decode()
    assert not CaseStudy.objects.filter(pk=update_in_review.pk).exists()
    learning = full_case_study.points.filter(kind="learning").values_list("text", flat=True)
    assert list(learning) == ["Listen early.", "Pay people for their time.", "Be patient."]


def test_publish_says_what_is_missing_and_does_not_publish(client, lead_east, officer_essex, essex):
    draft = publishable_case_study(essex, Status.DRAFT, title="No story yet")
    CaseStudy.objects.filter(pk=draft.pk).update(narrative="")
    entry = submitted(CaseStudy.objects.get(pk=draft.pk), officer_essex, when(3))
    client.force_login(lead_east)
    page = client.get(review_url(entry)).content.decode()
    assert "It cannot be published yet. It needs:" in page
    assert "the story" in page
    response = client.post(review_url(entry), {"action": "publish", "seen_version": stamp(entry)})
    assert response.status_code == 400
    summary = text(
        response.content.decode().split("govuk-error-summary__list")[1].split("</ul>")[0]
    )
    assert "This case study cannot be published yet. It needs: the story." in summary
    assert CaseStudy.objects.get(pk=entry.pk).status == Status.IN_REVIEW


def test_publish_refuses_an_entry_changed_since_the_page_was_opened(client, lead_east, in_review):
    opened = stamp(in_review)
    in_review.title = "Short breaks for carers, rewritten"
    in_review.save()
    client.force_login(lead_east)
    response = client.post(review_url(in_review), {"action": "publish", "seen_version": opened})
    assert response.status_code == 400
    html = response.content.decode()
    assert "since you opened this page, so nothing has been done" in html
    assert "Short breaks for carers, rewritten" in html  # the page shows it as it is now
    assert CaseStudy.objects.get(pk=in_review.pk).status == Status.IN_REVIEW
    # The page shown again carries the entry as it is now: choosing again publishes it.
    seen = re.search(r'name="seen_version" value="([^"]+)"', html).group(1)
    client.post(review_url(in_review), {"action": "publish", "seen_version": seen})
    assert CaseStudy.objects.get(pk=in_review.pk).status == Status.PUBLISHED


def test_lead_of_another_region_cannot_see_or_decide(client, lead_west, in_review):
    client.force_login(lead_west)
    assert client.get(review_url(in_review)).status_code == 404
    for action in ("publish", "return"):
        response = client.post(
            review_url(in_review),
            {"action": action, "comment": "No.", "seen_version": stamp(in_review)},
        )
        assert response.status_code == 404
    assert CaseStudy.objects.get(pk=in_review.pk).status == Status.IN_REVIEW


def test_officer_cannot_publish_their_own_submission(client, officer_essex, in_review):
    client.force_login(officer_essex)
    response = client.post(
        review_url(in_review), {"action": "publish", "seen_version": stamp(in_review)}
    )
    assert response.status_code == 403
    assert "Only regional leads and site administrators" in response.content.decode()
    assert CaseStudy.objects.get(pk=in_review.pk).status == Status.IN_REVIEW


def test_an_entry_not_in_review_offers_no_decision(client, lead_east, essex_draft):
    client.force_login(lead_east)
    html = client.get(review_url(essex_draft)).content.decode()
    assert "It is not waiting for review: there is nothing to decide." in html
    assert 'value="publish"' not in html
    response = client.post(review_url(essex_draft), {"action": "publish"})
    assert response.status_code == 400
    assert "is not waiting for your review, so nothing has been done" in response.content.decode()
    assert CaseStudy.objects.get(pk=essex_draft.pk).status == Status.DRAFT
