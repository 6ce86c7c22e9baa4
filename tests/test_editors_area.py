"""The editors' area as one place: its navigation, the public footer's way in, the links
between the guided form and the admin, and e-mail links that open the pages they name."""

import html
import re

import pytest
from django.urls import reverse

from casestudies.models import Status
from casestudies.workflow import case_study_move
from tests.helpers import make_editor, publishable_case_study

pytestmark = pytest.mark.django_db


def editors_nav(response):
    """The editors' navigation as (link text, address, aria-current or None), in order."""
    page = response.content.decode()
    nav = re.search(r'<nav class="editors-nav" aria-label="Editors\' area">(.*?)</nav>', page, re.S)
    assert nav, "no editors' navigation on the page"
    return [
        (html.unescape(text), href, current or None)
        for href, current, text in re.findall(
            r'<a class="[^"]*" href="([^"]+)"(?: aria-current="([^"]+)")?>([^<]+)</a>',
            nav.group(1),
        )
    ]


def footer(response):
    page = response.content.decode()
    found = re.search(r'<footer class="site-footer">(.*?)</footer>', page, re.S).group(1)
    return html.unescape(found)


# ------------------------------------------------------------------ the navigation


def test_officer_sees_their_case_studies_e_mails_and_admin_but_not_review(client, officer_essex):
    client.force_login(officer_essex)
    response = client.get(reverse("editors:dashboard"))
    assert editors_nav(response) == [
        ("Your case studies", "/editors/", "page"),
        ("E-mails", "/editors/notifications/", None),
        ("Editors' admin", "/admin/", None),
    ]
    assert "Sign out" in response.content.decode()


def test_officer_is_not_offered_a_review_queue_they_may_not_open(client, officer_essex):
    client.force_login(officer_essex)
    html = client.get(reverse("editors:dashboard")).content.decode()
    assert f'href="{reverse("editors:review-queue")}"' not in html
    assert client.get(reverse("editors:review-queue")).status_code == 403


def test_officer_on_a_guided_page_is_under_their_case_studies(client, officer_essex, essex_draft):
    client.force_login(officer_essex)
    response = client.get(reverse("editors:case-study", args=[essex_draft.pk]))
    assert editors_nav(response)[0] == ("Your case studies", "/editors/", "true")


def test_lead_sees_review_marked_on_the_queue_and_review_pages(
    client, lead_east, officer_essex, essex_draft
):
    case_study_move(case_study=essex_draft, by=officer_essex, action="submit")
    client.force_login(lead_east)
    queue = editors_nav(client.get(reverse("editors:review-queue")))
    assert queue == [
        ("Your case studies", "/editors/", None),
        ("Review", "/editors/review/", "page"),
        ("People and access", "/editors/people/", None),
        ("E-mails", "/editors/notifications/", None),
        ("Editors' admin", "/admin/", None),
    ]
    review = editors_nav(client.get(reverse("editors:review", args=[essex_draft.pk])))
    assert review[1] == ("Review", "/editors/review/", "true")
    choices = editors_nav(client.get(reverse("editors:notifications")))
    assert ("E-mails", "/editors/notifications/", "page") in choices


def test_site_administrator_sees_review(client, site_admin):
    client.force_login(site_admin)
    texts = [text for text, _, _ in editors_nav(client.get(reverse("editors:dashboard")))]
    assert texts == [
        "Your case studies",
        "Review",
        "People and access",
        "E-mails",
        "Editors' admin",
    ]


# ------------------------------------------------------------------ the public footer


def test_visitor_is_offered_sign_in_in_the_footer(client, full_case_study):
    for url in ("/", full_case_study.get_absolute_url()):
        text = footer(client.get(url))
        assert 'href="/editors/sign-in/">Sign in for editors</a>' in text, url
        assert "Editors' area" not in text, url


def test_signed_in_editor_is_offered_the_editors_area_in_the_footer(client, officer_essex):
    client.force_login(officer_essex)
    text = footer(client.get("/"))
    assert 'href="/editors/">Editors\' area</a>' in text
    assert "Sign in for editors" not in text


@pytest.mark.parametrize("signed_in, queries", [(False, 0), (True, 2)])
def test_footer_reads_the_session_only_for_a_signed_in_person(
    client, officer_essex, django_assert_num_queries, signed_in, queries
):
    """The not-found page runs no query of its own: what is left is the footer's question
    "who is this?", free for a visitor, a session and a user read for an editor."""
    if signed_in:
        client.force_login(officer_essex)
    with django_assert_num_queries(queries):
        response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert ("Editors' area" in footer(response)) is signed_in


# ------------------------------------------------------------------ the guided form and the admin


def test_admin_start_page_links_to_the_guided_form(client, officer_essex, essex_draft):
    client.force_login(officer_essex)
    html = client.get(reverse("admin:index")).content.decode()
    assert f'<a href="{reverse("editors:dashboard")}">use the guided form</a>' in html
    assert f'href="{reverse("editors:case-study", args=[essex_draft.pk])}"' in html


def test_dashboard_opens_a_draft_in_the_admin_the_officer_may_use(
    client, officer_essex, essex_draft
):
    client.force_login(officer_essex)
    html = client.get(reverse("editors:dashboard")).content.decode()
    admin_url = reverse("admin:casestudies_casestudy_change", args=[essex_draft.pk])
    assert f'href="{admin_url}">Open in the admin' in html
    assert client.get(admin_url).status_code == 200


# ------------------------------------------------------------------ e-mail links


@pytest.fixture
def moves(django_capture_on_commit_callbacks):
    def move(case_study, by, action, comment=""):
        with django_capture_on_commit_callbacks(execute=True):
            case_study_move(case_study=case_study, by=by, action=action, comment=comment)

    return move


def link_in(message):
    return re.search(r"^http://127\.0\.0\.1:8000(/\S*)$", message.body, re.M).group(1)


def test_e_mail_links_open_the_review_page_and_the_task_list(
    client, mailoutbox, moves, officer_essex, lead_east, essex
):
    case_study = publishable_case_study(essex, Status.DRAFT)
    moves(case_study, officer_essex, "submit")
    client.force_login(lead_east)
    response = client.get(link_in(mailoutbox[-1]))
    assert response.status_code == 200
    assert response.templates[0].name == "editors/review.html"

    moves(case_study, lead_east, "return", comment="Name the carers' group.")
    client.force_login(officer_essex)
    response = client.get(link_in(mailoutbox[-1]))
    assert response.status_code == 200
    assert response.templates[0].name == "editors/task_list.html"
    assert "Name the carers' group." in html.unescape(response.content.decode())


def test_e_mail_link_to_a_review_page_refuses_a_lead_of_another_region(
    client, mailoutbox, moves, officer_essex, lead_east, essex, west_midlands
):
    case_study = publishable_case_study(essex, Status.DRAFT)
    moves(case_study, officer_essex, "submit")
    client.force_login(make_editor("lead.west", "Regional lead", regions=[west_midlands]))
    assert client.get(link_in(mailoutbox[-1])).status_code in (403, 404)


def test_e_mail_link_asks_a_signed_out_lead_to_sign_in_on_the_portals_page(
    client, mailoutbox, moves, officer_essex, lead_east, essex
):
    """The review pages send a signed-out lead to the editors' sign-in page, which brings
    them back to the page the e-mail named (not to the admin's log-in)."""
    case_study = publishable_case_study(essex, Status.DRAFT)
    moves(case_study, officer_essex, "submit")
    link = link_in(mailoutbox[-1])
    response = client.get(link)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('editors:sign-in')}?next={link}"
    queue = client.get(reverse("editors:review-queue"))
    assert queue["Location"] == f"{reverse('editors:sign-in')}?next=/editors/review/"
