"""Proposed updates of published entries, tried over HTTP: an update keeps the published
entry's region unless that region's lead changes it, and an update of an archived entry is not
"published" while the entry stays archived."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from casestudies.models import CaseStudy, Point, Status
from editorial.roles import REGIONAL_LEAD
from tests.helpers import (
    change_url,
    form_data,
    make_case_study,
    make_editor,
    spreadsheet_confirm,
    spreadsheet_upload,
)

pytestmark = pytest.mark.django_db


def workflow_url(case_study, action):
    return reverse("admin:casestudies_casestudy_workflow", args=[case_study.pk, action])


def move(client, user, case_study, action, comment=""):
    client.force_login(user)
    return client.post(workflow_url(case_study, action), {"comment": comment})


@pytest.fixture
def lead_west(west_midlands):
    return make_editor("lead.west", REGIONAL_LEAD, regions=[west_midlands])


@pytest.fixture
def joint(essex, shropshire):
    """A published entry in the West Midlands, made jointly with Essex (East of England)."""
    case_study = make_case_study(
        title="A joint carers service",
        region=shropshire.region,
        councils=[shropshire, essex],
        narrative="Two councils worked together.",
    )
    Point.objects.create(case_study=case_study, kind=Point.Kind.LEARNING, order=1, text="Share.")
    return case_study


def form_errors(response):
    return response.context["adminform"].form.errors if response.context else None


def proposed_update(client, officer, case_study):
    assert move(client, officer, case_study, "propose_update").status_code == 302
    return CaseStudy.objects.get(update_of=case_study)


def test_officer_edits_an_update_of_another_regions_entry_without_moving_it(
    client, joint, officer_essex, lead_west, west_midlands
):
    update = proposed_update(client, officer_essex, joint)
    assert update.region == west_midlands

    data = form_data(client.get(change_url(update)))
    data["standfirst"] = "Both councils now run it together."
    response = client.post(change_url(update), data)
    assert response.status_code == 302, form_errors(response)
    update.refresh_from_db()
    assert update.region == west_midlands
    assert update.standfirst == "Both councils now run it together."

    assert move(client, officer_essex, update, "submit").status_code == 302
    assert move(client, lead_west, update, "publish").status_code == 302
    joint.refresh_from_db()
    assert joint.status == Status.PUBLISHED
    assert joint.standfirst == "Both councils now run it together."
    assert joint.region == west_midlands


def test_officer_cannot_move_an_update_into_their_own_region(
    client, joint, officer_essex, lead_east, lead_west, east, west_midlands
):
    update = proposed_update(client, officer_essex, joint)
    page = client.get(change_url(update))
    data = form_data(page)
    data["region"] = east.pk
    data["standfirst"] = "Moved, if it worked."
    client.post(change_url(update), data)
    update.refresh_from_db()
    assert update.region == west_midlands
    assert 'name="region"' not in page.content.decode()  # shown, not offered

    # So the East of England's lead never gets it to publish, and the West Midlands' lead does.
    assert move(client, officer_essex, update, "submit").status_code == 302
    assert move(client, lead_east, update, "publish").status_code in (403, 404)
    assert move(client, lead_west, update, "publish").status_code == 302
    joint.refresh_from_db()
    assert joint.region == west_midlands


def test_update_moved_to_another_region_cannot_be_published_there(
    client, joint, officer_essex, lead_east, east, west_midlands
):
    """An update already in another region (made before the rule, or by a bulk edit) cannot
    carry the published entry out of its region: only that region's lead publishes it."""
    update = proposed_update(client, officer_essex, joint)
    CaseStudy.objects.filter(pk=update.pk).update(region=east, status=Status.IN_REVIEW)

    response = move(client, lead_east, update, "publish")
    assert response.status_code == 200
    assert "West Midlands" in response.content.decode()
    joint.refresh_from_db()
    assert joint.region == west_midlands
    assert CaseStudy.objects.filter(pk=update.pk).exists()


def test_lead_of_the_entrys_region_still_edits_its_update(
    client, joint, officer_essex, lead_west, west_midlands
):
    update = proposed_update(client, officer_essex, joint)
    client.force_login(lead_west)
    page = client.get(change_url(update))
    assert 'name="region"' in page.content.decode()
    data = form_data(page)
    data["standfirst"] = "The lead's wording."
    assert client.post(change_url(update), data).status_code == 302
    update.refresh_from_db()
    assert update.standfirst == "The lead's wording."
    assert update.region == west_midlands


def test_publishing_an_update_of_an_archived_entry_is_refused_and_says_why(
    client, full_case_study, officer_essex, lead_east
):
    update = proposed_update(client, officer_essex, full_case_study)
    client.force_login(officer_essex)
    data = form_data(client.get(change_url(update)))
    data["standfirst"] = "Written while the entry was public."
    assert client.post(change_url(update), data).status_code == 302
    assert move(client, lead_east, full_case_study, "archive").status_code == 302
    client.get(reverse("admin:index"))  # shows, and so clears, the messages so far

    response = move(client, lead_east, update, "publish")
    assert response.status_code == 200
    shown = [str(message) for message in get_messages(response.wsgi_request)]
    assert not any(message.startswith("Done") for message in shown), shown
    assert any("archived" in message for message in shown), shown
    full_case_study.refresh_from_db()
    assert full_case_study.status == Status.ARCHIVED
    assert full_case_study.standfirst != "Written while the entry was public."
    assert CaseStudy.objects.filter(pk=update.pk, status=Status.DRAFT).exists()
    assert not full_case_study.transitions.filter(action="publish_update").exists()

    # Publishing the entry again first, then the update, works as the message says.
    assert move(client, lead_east, full_case_study, "publish").status_code == 302
    assert move(client, lead_east, update, "publish").status_code == 302
    full_case_study.refresh_from_db()
    assert full_case_study.status == Status.PUBLISHED
    assert full_case_study.standfirst == "Written while the entry was public."


def test_spreadsheet_import_cannot_move_an_update_into_the_importers_region(
    client, joint, officer_essex, essex, east, west_midlands
):
    """Someone who leads the East of England and is also an Essex officer sees the update of
    the joint West Midlands entry; a spreadsheet row cannot put it in the East either."""
    from django.contrib.auth.models import Group

    from editorial.roles import COUNCIL_OFFICER

    update = proposed_update(client, officer_essex, joint)
    both = make_editor("lead.east.officer.essex", REGIONAL_LEAD, regions=[east])
    both.groups.add(Group.objects.get(name=COUNCIL_OFFICER))
    both.editor_profile.councils.add(essex)
    client.force_login(both)
    rows = (
        "slug,title,standfirst,narrative,region,councils,stage\n"
        f"{update.slug},Moved by import,{update.standfirst},What happened.,"
        f"{east.slug},{essex.slug},in_progress\n"
    )
    response = spreadsheet_upload(client, rows)
    assert "An update stays in the region of the published entry" in response.content.decode()
    spreadsheet_confirm(client, response)
    update.refresh_from_db()
    assert update.region == west_midlands
    assert update.title == "A joint carers service"
