"""Roles are Django groups holding permissions; an action needs its permission *and* the scope.

Each role's permissions are written out here, not derived from casestudies/permissions.py, so
that a change to a role shows up as a failing test to review.
"""

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from casestudies.models import CaseStudy, Status
from casestudies.workflow import case_study_move
from editorial.roles import COUNCIL_OFFICER, REGIONAL_LEAD, SITE_ADMINISTRATOR
from tests.helpers import make_case_study

pytestmark = pytest.mark.django_db

PARTS = {f"{verb}_{model}" for model in ("point", "contact", "link", "quote") for verb in
         ("view", "add", "change", "delete")}  # fmt: skip
READ_VOCABULARY = {
    "view_topic",
    "view_peoplegroup",
    "view_approach",
    "view_publication",
    "view_council",
    "view_region",
    "view_organisation",
}
OFFICER = {
    "view_casestudy",
    "add_casestudy",
    "change_casestudy",
    "submit_casestudy",
    *PARTS,
    *READ_VOCABULARY,
}
LEAD = {
    *OFFICER,
    "publish_casestudy",
    "return_casestudy",
    "archive_casestudy",
    "export_casestudy",
    "import_casestudy",
    "import_report",
    "add_publication",
    "add_organisation",
}


def codenames(role):
    return set(Group.objects.get(name=role).permissions.values_list("codename", flat=True))


def test_each_role_has_exactly_its_permissions():
    assert codenames(COUNCIL_OFFICER) == OFFICER
    assert codenames(REGIONAL_LEAD) == LEAD
    assert codenames(SITE_ADMINISTRATOR) == set(
        Permission.objects.values_list("codename", flat=True)
    )


def fresh(user):
    """The user as the next request sees them: permissions are cached on the object."""
    return User.objects.get(pk=user.pk)


def take_away(role, codename):
    Group.objects.get(name=role).permissions.remove(
        Permission.objects.get(content_type__app_label="casestudies", codename=codename)
    )


@pytest.fixture
def in_review(essex_draft):
    CaseStudy.objects.filter(pk=essex_draft.pk).update(status=Status.IN_REVIEW)
    essex_draft.refresh_from_db()
    return essex_draft


@pytest.mark.parametrize(
    ("action", "codename"),
    [
        ("publish", "publish_casestudy"),
        ("return", "return_casestudy"),
        ("archive", "archive_casestudy"),
    ],
)
def test_removing_a_permission_from_the_lead_group_takes_the_action_away(
    client, lead_east, in_review, action, codename
):
    assert action in in_review.permitted_actions(fresh(lead_east))
    take_away(REGIONAL_LEAD, codename)
    lead = fresh(lead_east)
    assert action not in in_review.permitted_actions(lead)

    client.force_login(lead)
    change_page = client.get(reverse("admin:casestudies_casestudy_change", args=[in_review.pk]))
    assert change_page.status_code == 200
    move_url = reverse("admin:casestudies_casestudy_workflow", args=[in_review.pk, action])
    assert move_url not in change_page.content.decode()
    assert client.get(move_url).status_code == 403
    assert client.post(move_url, {"comment": "Tried anyway."}).status_code == 403
    with pytest.raises(PermissionDenied):
        case_study_move(case_study=in_review, by=lead, action=action, comment="Tried anyway.")
    in_review.refresh_from_db()
    assert in_review.status == Status.IN_REVIEW
    assert not in_review.transitions.exists()


def test_removing_submit_from_the_officer_group_takes_submitting_away(
    client, officer_essex, in_review
):
    CaseStudy.objects.filter(pk=in_review.pk).update(status=Status.DRAFT)
    in_review.refresh_from_db()
    assert "submit" in in_review.permitted_actions(fresh(officer_essex))
    take_away(COUNCIL_OFFICER, "submit_casestudy")
    officer = fresh(officer_essex)
    assert "submit" not in in_review.permitted_actions(officer)
    client.force_login(officer)
    move_url = reverse("admin:casestudies_casestudy_workflow", args=[in_review.pk, "submit"])
    assert client.post(move_url, {"comment": ""}).status_code == 403
    with pytest.raises(PermissionDenied):
        case_study_move(case_study=in_review, by=officer, action="submit")
    in_review.refresh_from_db()
    assert in_review.status == Status.DRAFT


def test_giving_a_permission_back_gives_the_action_back(client, lead_east, in_review):
    take_away(REGIONAL_LEAD, "publish_casestudy")
    assert "publish" not in in_review.permitted_actions(fresh(lead_east))
    Group.objects.get(name=REGIONAL_LEAD).permissions.add(
        Permission.objects.get(codename="publish_casestudy")
    )
    lead = fresh(lead_east)
    client.force_login(lead)
    move_url = reverse("admin:casestudies_casestudy_workflow", args=[in_review.pk, "publish"])
    assert client.post(move_url, {"comment": ""}).status_code == 302
    in_review.refresh_from_db()
    assert in_review.status == Status.PUBLISHED


def test_a_permission_outside_the_scope_still_allows_nothing(lead_east, shropshire):
    """The permission alone is not enough: the West Midlands is not the East lead's region."""
    elsewhere = make_case_study(
        title="Elsewhere", region=shropshire.region, councils=[shropshire], status=Status.IN_REVIEW
    )
    assert elsewhere.permitted_actions(fresh(lead_east)) == frozenset()
