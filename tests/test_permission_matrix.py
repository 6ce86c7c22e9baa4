"""Who may do what to which case study, tried through the admin's HTTP endpoints.

The personas: an Essex council officer, the East of England lead and a site administrator.
The scopes are three case studies: one involving Essex (the officer's council, in the lead's
region), one involving Norfolk (another council in the lead's region) and one involving
Shropshire (another region). Every cell is tried: an "allow" must change what it should, a
"deny" must change nothing.
"""

import pytest
import reversion
from django.urls import reverse

from casestudies.models import CaseStudy, Status
from councils.models import Region
from tests.helpers import (
    csv_choice,
    form_data,
    make_case_study,
    publishable_case_study,
    try_import,
)

EXPECTED = """
action           scope          officer  lead   admin
view             own-council    allow    allow  allow
view             other-council  deny     allow  allow
view             other-region   deny     deny   allow
add              own-council    allow    allow  allow
add              other-council  deny     allow  allow
add              other-region   deny     deny   allow
change           own-council    allow    allow  allow
change           other-council  deny     allow  allow
change           other-region   deny     deny   allow
change-published own-council    deny     allow  allow
change-published other-council  deny     allow  allow
change-published other-region   deny     deny   allow
delete           own-council    deny     deny   allow
delete           other-council  deny     deny   allow
delete           other-region   deny     deny   allow
submit           own-council    allow    allow  allow
submit           other-council  deny     allow  allow
submit           other-region   deny     deny   allow
publish          own-council    deny     allow  allow
publish          other-council  deny     allow  allow
publish          other-region   deny     deny   allow
return           own-council    deny     allow  allow
return           other-council  deny     allow  allow
return           other-region   deny     deny   allow
archive          own-council    deny     allow  allow
archive          other-council  deny     allow  allow
archive          other-region   deny     deny   allow
revert           own-council    allow    allow  allow
revert           other-council  deny     allow  allow
revert           other-region   deny     deny   allow
export           own-council    deny     allow  allow
export           other-council  deny     allow  allow
export           other-region   deny     deny   allow
import           own-council    deny     allow  allow
import           other-council  deny     allow  allow
import           other-region   deny     deny   allow
"""


def expectations():
    lines = [line.split() for line in EXPECTED.strip().splitlines()]
    roles = lines[0][2:]
    for action, scope, *cells in lines[1:]:
        for role, expected in zip(roles, cells, strict=True):
            yield pytest.param(role, action, scope, expected, id=f"{role}-{action}-{scope}")


# The state an entry is in when each action is tried on it.
STARTING_STATUS = {
    "change-published": Status.PUBLISHED,
    "publish": Status.IN_REVIEW,
    "return": Status.IN_REVIEW,
    "archive": Status.PUBLISHED,
    "export": Status.PUBLISHED,
    "import": Status.PUBLISHED,
}


@pytest.fixture
def councils_by_scope(essex, norfolk, shropshire):
    return {"own-council": essex, "other-council": norfolk, "other-region": shropshire}


def admin_url(view, *args):
    return reverse(f"admin:casestudies_casestudy_{view}", args=args)


def refreshed(case_study):
    return CaseStudy.objects.filter(pk=case_study.pk).first()


def try_view(client, council):
    case_study = publishable_case_study(council, Status.DRAFT)
    response = client.get(admin_url("change", case_study.pk))
    return response.status_code == 200 and case_study.title in response.content.decode()


def try_add(client, council):
    data = form_data(client.get(admin_url("add")))
    data.update(
        title="A new draft",
        slug="a-new-draft",
        standfirst="Something new.",
        region=council.region_id,
        councils=[council.pk],
        stage="in_progress",
    )
    client.post(admin_url("add"), data)
    return CaseStudy.objects.filter(slug="a-new-draft").exists()


def try_change(client, council, status=Status.DRAFT):
    case_study = publishable_case_study(council, status)
    response = client.get(admin_url("change", case_study.pk))
    if response.status_code != 200 or "adminform" not in (response.context or {}):
        data = {"title": "Changed title"}
    else:
        data = form_data(response)
        data["title"] = "Changed title"
    client.post(admin_url("change", case_study.pk), data)
    return refreshed(case_study).title == "Changed title"


def try_delete(client, council):
    case_study = publishable_case_study(council, Status.DRAFT)
    client.post(admin_url("delete", case_study.pk), {"post": "yes"})
    return refreshed(case_study) is None


def try_move(action):
    def attempt(client, council):
        case_study = publishable_case_study(council, STARTING_STATUS.get(action, Status.DRAFT))
        before = case_study.status
        client.post(
            admin_url("workflow", case_study.pk, action), {"comment": "Please add a quote."}
        )
        return refreshed(case_study).status != before

    return attempt


def try_revert(client, council):
    with reversion.create_revision():
        case_study = publishable_case_study(council, Status.DRAFT, title="First words")
    version = reversion.models.Version.objects.get_for_object(case_study).first()
    with reversion.create_revision():
        case_study.title = "Second words"
        case_study.save()
    url = admin_url("revision", case_study.pk, version.pk)
    response = client.get(url)
    data = form_data(response) if response.status_code == 200 else {"title": "x"}
    client.post(url, data)
    return refreshed(case_study).title.startswith("First words")


def try_export(client, council):
    case_study = publishable_case_study(council, Status.PUBLISHED)
    make_case_study(
        title="Secret elsewhere", region=Region.objects.get(slug="south-east"), status=Status.DRAFT
    )
    response = client.get(admin_url("export"))
    if response.status_code != 200:
        return False
    form = response.context["form"]
    data = {"resource": "0"}
    data["format"] = csv_choice(form)
    data.update({name: "on" for name in form.fields if name.startswith("casestudyresource_")})
    response = client.post(admin_url("export"), data)
    if not response.get("Content-Type", "").startswith("text/csv"):
        return False
    exported = response.content.decode()
    if client.role != "admin":
        assert "Secret elsewhere" not in exported  # never rows outside the editor's area
    return case_study.slug in exported


ATTEMPTS = {
    "view": try_view,
    "add": try_add,
    "change": try_change,
    "change-published": lambda client, council: try_change(client, council, Status.PUBLISHED),
    "delete": try_delete,
    "submit": try_move("submit"),
    "publish": try_move("publish"),
    "return": try_move("return"),
    "archive": try_move("archive"),
    "revert": try_revert,
    "export": try_export,
    "import": try_import,
}


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "action", "scope", "expected"), list(expectations()))
def test_permission_matrix(role, action, scope, expected, client, personas, councils_by_scope):
    client.force_login(personas[role])
    client.role = role
    allowed = ATTEMPTS[action](client, councils_by_scope[scope])
    assert allowed == (expected == "allow")


def test_matrix_covers_every_role_action_and_scope():
    cells = {(role, action, scope) for role, action, scope, _ in (p.values for p in expectations())}
    assert len(cells) == 3 * len(ATTEMPTS) * 3
