"""The editorial workflow as editors and the public meet it: moves, updates, history."""

import datetime

import pytest
import reversion
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.urls import reverse
from reversion.models import Version

from casestudies.models import CaseStudy, Contact, Status, Transition
from casestudies.workflow import case_study_move
from tests.helpers import change_url, form_data, make_case_study, make_editor, try_import

pytestmark = pytest.mark.django_db


def workflow_url(case_study, action):
    return reverse("admin:casestudies_casestudy_workflow", args=[case_study.pk, action])


def test_officer_submits_lead_returns_with_comment_officer_sees_it(
    client, essex_draft, officer_essex, lead_east
):
    case_study_move(case_study=essex_draft, by=officer_essex, action="submit")
    case_study_move(case_study=essex_draft, by=lead_east, comment="Add a quote.", action="return")
    essex_draft.refresh_from_db()
    assert essex_draft.status == Status.DRAFT
    steps = list(essex_draft.transitions.values_list("action", "from_status", "to_status", "by"))
    assert steps == [
        ("return", "in_review", "draft", lead_east.pk),
        ("submit", "draft", "in_review", officer_essex.pk),
    ]
    client.force_login(officer_essex)
    start_page = client.get(reverse("admin:index")).content.decode()
    assert "Your drafts and returned submissions" in start_page
    assert "returned</strong>: Add a quote." in start_page
    page = client.get(change_url(essex_draft)).content.decode()
    assert "Returned to you by lead.east" in page
    assert "Add a quote." in page  # also in the workflow history table


def test_returning_needs_a_comment(client, essex_draft, officer_essex, lead_east):
    case_study_move(case_study=essex_draft, by=officer_essex, action="submit")
    client.force_login(lead_east)
    response = client.post(workflow_url(essex_draft, "return"), {"comment": " "})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    essex_draft.refresh_from_db()
    assert essex_draft.status == Status.IN_REVIEW


def test_lead_start_page_lists_what_awaits_review(client, essex_draft, officer_essex, lead_east):
    case_study_move(case_study=essex_draft, by=officer_essex, action="submit")
    client.force_login(lead_east)
    page = client.get(reverse("admin:index")).content.decode()
    assert "Awaiting your review" in page
    assert essex_draft.title in page


def test_publishing_says_what_is_missing(client, essex, lead_east):
    case_study = make_case_study(
        title="Thin entry", region=essex.region, councils=[essex], status=Status.IN_REVIEW
    )
    Contact.objects.create(
        case_study=case_study, order=1, name="Sam Example", consent=Contact.Consent.GIVEN
    )
    client.force_login(lead_east)
    page = client.get(workflow_url(case_study, "publish")).content.decode()
    assert "It cannot be published yet" in page
    assert "The story</li>" in page
    assert "At least one point" in page
    assert "The date consent to publish the contact Sam Example was recorded" in page
    response = client.post(workflow_url(case_study, "publish"), {"comment": ""}, follow=True)
    assert "cannot be published yet" in response.content.decode()
    case_study.refresh_from_db()
    assert case_study.status == Status.IN_REVIEW


def test_officer_cannot_publish_through_the_service(essex_draft, officer_essex):
    with pytest.raises(PermissionDenied):
        case_study_move(case_study=essex_draft, by=officer_essex, action="publish")
    essex_draft.refresh_from_db()
    assert essex_draft.status == Status.DRAFT
    assert not Transition.objects.exists()


def test_public_page_unchanged_while_an_update_is_in_review(
    client, full_case_study, officer_essex, lead_east
):
    public_url = full_case_study.get_absolute_url()
    before = client.get(public_url).content.decode()
    update = case_study_move(
        case_study=full_case_study, by=officer_essex, action="propose_update"
    ).case_study
    assert update.status == Status.DRAFT
    assert update.points.count() == full_case_study.points.count()

    # The officer edits the update through the admin and submits it.
    client.force_login(officer_essex)
    data = form_data(client.get(change_url(update)))
    data["standfirst"] = "A new summary after the second year."
    assert client.post(change_url(update), data).status_code == 302
    case_study_move(case_study=update, by=officer_essex, action="submit")

    client.logout()
    during = client.get(public_url).content.decode()
    assert "A new summary after the second year." not in during
    assert during == before
    assert client.get(update.get_absolute_url()).status_code == 404

    # The lead publishes the update: same address, new content, one entry.
    case_study_move(case_study=update, by=lead_east, comment="Thanks", action="publish")
    after = client.get(public_url).content.decode()
    assert "A new summary after the second year." in after
    assert not CaseStudy.objects.filter(pk=update.pk).exists()
    full_case_study.refresh_from_db()
    assert full_case_study.status == Status.PUBLISHED
    assert full_case_study.published_on == datetime.date(2023, 6, 1)
    actions = list(full_case_study.transitions.values_list("action", flat=True))
    assert actions == ["publish_update", "submit", "propose_update"]


def test_officer_cannot_change_a_published_case_study_in_place(
    client, full_case_study, officer_essex
):
    client.force_login(officer_essex)
    response = client.get(change_url(full_case_study))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'name="_save"' not in page
    assert "Propose an update" in page
    response = client.post(change_url(full_case_study), {"title": "Hijacked"})
    assert response.status_code == 403
    full_case_study.refresh_from_db()
    assert full_case_study.title == "Redesign of direct payment support"


def test_archived_case_study_says_so_with_410(client, full_case_study, lead_east):
    case_study_move(case_study=full_case_study, by=lead_east, action="archive")
    response = client.get(full_case_study.get_absolute_url())
    assert response.status_code == 410
    assert "This case study has been archived" in response.content.decode()
    listing = client.get(reverse("casestudies:list")).content.decode()
    assert full_case_study.title not in listing


def test_preview_shows_a_draft_to_its_editors_only(
    client, essex_draft, officer_essex, lead_east, django_user_model, west_midlands
):
    url = reverse("admin:casestudies_casestudy_preview", args=[essex_draft.pk])
    client.force_login(officer_essex)
    page = client.get(url).content.decode()
    assert "Preview: draft." in page and essex_draft.title in page
    client.force_login(lead_east)
    response = client.get(url)
    assert response.status_code == 200
    assert essex_draft.title in response.content.decode()
    other_lead = make_editor("lead.wm", "Regional lead", regions=[west_midlands])
    client.force_login(other_lead)
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302  # to the sign-in page
    assert client.get(essex_draft.get_absolute_url()).status_code == 404


def test_revert_restores_inlines_and_keeps_the_workflow_state(
    client, essex_draft, lead_east, officer_essex
):
    with reversion.create_revision():
        essex_draft.save()  # the first version: one learning point
    client.force_login(officer_essex)
    data = form_data(client.get(change_url(essex_draft)))
    data["title"] = "A changed title"
    data["points-learning-0-text"] = "Listen carefully."
    data["points-barrier-TOTAL_FORMS"] = 1
    data["points-barrier-0-order"] = 1
    data["points-barrier-0-text"] = "Short deadlines."
    data["points-barrier-0-case_study"] = essex_draft.pk
    assert client.post(change_url(essex_draft), data).status_code == 302
    case_study_move(case_study=essex_draft, by=officer_essex, action="submit")
    assert essex_draft.points.count() == 2

    first = Version.objects.get_for_object(essex_draft).last()
    client.force_login(lead_east)
    url = reverse("admin:casestudies_casestudy_revision", args=[essex_draft.pk, first.pk])
    response = client.post(url, form_data(client.get(url)))
    assert response.status_code == 302
    essex_draft.refresh_from_db()
    assert essex_draft.title == "Carers design their own support"
    assert list(essex_draft.points.values_list("kind", "text")) == [("learning", "Listen.")]
    assert essex_draft.status == Status.IN_REVIEW  # a revert never moves the entry


def test_history_lists_versions_and_compares_them(client, essex_draft, lead_east):
    with reversion.create_revision():
        essex_draft.save()
    with reversion.create_revision():
        essex_draft.title = "Second title"
        essex_draft.save()
    client.force_login(lead_east)
    history = reverse("admin:casestudies_casestudy_history", args=[essex_draft.pk])
    first, second = Version.objects.get_for_object(essex_draft).order_by("pk")
    response = client.get(history)
    assert response.status_code == 200
    for version in (first, second):
        revision = reverse(
            "admin:casestudies_casestudy_revision", args=[essex_draft.pk, version.pk]
        )
        assert f'href="{revision}"' in response.content.decode()
    compare = reverse("admin:casestudies_casestudy_compare", args=[essex_draft.pk])
    page = client.get(compare, {"version_id1": first.pk, "version_id2": second.pk})
    assert page.status_code == 200
    assert "Second title" in page.content.decode()


def test_compare_is_refused_outside_the_editors_area(client, shropshire, lead_east):
    case_study = make_case_study(title="Elsewhere", region=shropshire.region, councils=[shropshire])
    with reversion.create_revision():
        case_study.save()
    with reversion.create_revision():
        case_study.save()
    first, second = Version.objects.get_for_object(case_study).order_by("pk")
    client.force_login(lead_east)
    compare = reverse("admin:casestudies_casestudy_compare", args=[case_study.pk])
    response = client.get(compare, {"version_id1": first.pk, "version_id2": second.pk})
    assert response.status_code == 404


def test_officer_must_name_one_of_their_councils(client, officer_essex, norfolk):
    client.force_login(officer_essex)
    add = reverse("admin:casestudies_casestudy_add")
    data = form_data(client.get(add))
    data.update(
        title="Not mine",
        slug="not-mine",
        standfirst="x",
        region=norfolk.region_id,
        councils=[norfolk.pk],
        stage="in_progress",
    )
    response = client.post(add, data)
    assert "Name at least one of your councils" in response.content.decode()
    assert not CaseStudy.objects.filter(slug="not-mine").exists()


def test_stale_contacts_on_the_start_page(client, full_case_study, lead_east):
    client.force_login(lead_east)
    page = client.get(reverse("admin:index")).content.decode()
    assert "Contacts not checked for 12 months" in page
    assert "Jo Example" in page  # last checked June 2023
    assert "Private Person" not in page  # never published, so nothing to check


def test_create_demo_accounts_is_idempotent_and_refuses_without_debug(
    settings, essex, norfolk, east, west_midlands, capsys, django_user_model
):
    settings.DEBUG = True
    call_command("create_demo_accounts", "--password", "first-password-1")
    call_command("create_demo_accounts", "--password", "second-password-2")
    output = capsys.readouterr().out
    assert "officer.essex" in output and "lead.westmidlands" in output
    assert "reset" in output
    users = django_user_model.objects.filter(
        username__in=["officer.essex", "officer.norfolk", "lead.east", "lead.westmidlands", "admin"]
    )
    assert users.count() == 5
    lead = users.get(username="lead.east")
    assert lead.check_password("second-password-2")
    assert list(lead.groups.values_list("name", flat=True)) == ["Regional lead"]
    assert list(lead.editor_profile.regions.values_list("slug", flat=True)) == ["east-of-england"]
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG is off"):
        call_command("create_demo_accounts", "--password", "third-password-3")


def test_sign_in_is_paused_after_repeated_failures(client, settings, django_user_model):
    django_user_model.objects.create_user("lead.east", password="the-right-password-9")
    login = reverse("admin:login")
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        response = client.post(login, {"username": "lead.east", "password": "wrong"})
        assert response.status_code == 200
        assert "Please enter the correct username and password" in response.content.decode()
    response = client.post(login, {"username": "lead.east", "password": "wrong"})
    assert response.status_code == 429
    response = client.post(login, {"username": "lead.east", "password": "the-right-password-9"})
    assert response.status_code == 429
    assert "Signing in is paused" in response.content.decode()


def found_by_search(client, case_study, words):
    html = client.get(reverse("casestudies:list"), {"q": words}).content.decode()
    return case_study.title in html


# Search text is refreshed when a transaction commits, so these tests commit their writes.
@pytest.mark.django_db(transaction=True)
@pytest.mark.postgresql(reason="the stored search text is PostgreSQL full-text search")
def test_published_update_is_found_by_its_new_points(
    client, full_case_study, officer_essex, lead_east
):
    update = case_study_move(
        case_study=full_case_study, by=officer_essex, action="propose_update"
    ).case_study
    update.points.filter(text="Listen early.").update(text="Meet carers in libraries.")
    case_study_move(case_study=update, by=officer_essex, action="submit")
    case_study_move(case_study=update, by=lead_east, action="publish")
    assert found_by_search(client, full_case_study, "libraries")
    assert not found_by_search(client, full_case_study, "listen early")


@pytest.mark.django_db(transaction=True)
@pytest.mark.postgresql(reason="the stored search text is PostgreSQL full-text search")
def test_revert_brings_back_the_search_text_of_the_version(client, full_case_study, lead_east):
    with reversion.create_revision():
        full_case_study.save()  # the version to go back to
    first = Version.objects.get_for_object(full_case_study).first()
    client.force_login(lead_east)
    data = form_data(client.get(change_url(full_case_study)))
    data["points-learning-0-text"] = "Meet carers in libraries."
    assert client.post(change_url(full_case_study), data).status_code == 302
    assert found_by_search(client, full_case_study, "libraries")

    url = reverse("admin:casestudies_casestudy_revision", args=[full_case_study.pk, first.pk])
    assert client.post(url, form_data(client.get(url))).status_code == 302
    client.logout()
    assert found_by_search(client, full_case_study, "listen early")
    assert not found_by_search(client, full_case_study, "libraries")


def test_a_spreadsheet_import_is_a_version_in_the_history(client, essex, lead_east):
    client.force_login(lead_east)
    assert try_import(client, essex) is True  # changes an Essex entry's title by CSV
    case_study = CaseStudy.objects.get(title="Imported title")
    latest = Version.objects.get_for_object(case_study).first()
    assert latest.revision.comment == "Changed by a spreadsheet import"
    assert latest.revision.user == lead_east
    assert latest.field_dict["title"] == "Imported title"


def test_only_site_administrators_are_offered_recovery(
    client, officer_essex, lead_east, site_admin
):
    changelist = reverse("admin:casestudies_casestudy_changelist")
    recover = reverse("admin:casestudies_casestudy_recoverlist")
    for user, offered in [(officer_essex, False), (lead_east, False), (site_admin, True)]:
        client.force_login(user)
        html = client.get(changelist).content.decode()
        assert (f'href="{recover}"' in html) is offered, user
        assert client.get(recover).status_code == (200 if offered else 403), user
