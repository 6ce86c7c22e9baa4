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

from casestudies.models import CaseStudy, Contact, Status
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


# The history pages with versions of other objects ---------------------------------------------
#
# Each try opens a page of the history of the persona's own entry (an Essex draft, which every
# editor may revert) with a version of: the entry itself ("same-entry"), or a contact of another
# entry in the officer's council, another council of the lead's region or another region. The
# contact is given the own entry's number, as django-reversion looks versions up by number
# alone. "recover" tries a version of the own entry after it was deleted, or the contact's.

HISTORY_EXPECTED = """
action         version-of     officer  lead   admin  anonymous
history        same-entry     allow    allow  allow  deny
history        own-council    deny     deny   deny   deny
history        other-council  deny     deny   deny   deny
history        other-region   deny     deny   deny   deny
revision-view  same-entry     allow    allow  allow  deny
revision-view  own-council    deny     deny   deny   deny
revision-view  other-council  deny     deny   deny   deny
revision-view  other-region   deny     deny   deny   deny
revision-save  same-entry     allow    allow  allow  deny
revision-save  own-council    deny     deny   deny   deny
revision-save  other-council  deny     deny   deny   deny
revision-save  other-region   deny     deny   deny   deny
compare        same-entry     allow    allow  allow  deny
compare        own-council    deny     deny   deny   deny
compare        other-council  deny     deny   deny   deny
compare        other-region   deny     deny   deny   deny
recover        same-entry     deny     deny   allow  deny
recover        own-council    deny     deny   deny   deny
recover        other-council  deny     deny   deny   deny
recover        other-region   deny     deny   deny   deny
"""

OWN_PK = 900_000_002  # a number no sequence reaches in a test run
WITHHELD = "Withheld Contact Name"


def history_expectations():
    lines = [line.split() for line in HISTORY_EXPECTED.strip().splitlines()]
    roles = lines[0][2:]
    for action, scope, *cells in lines[1:]:
        for role, expected in zip(roles, cells, strict=True):
            yield pytest.param(role, action, scope, expected, id=f"{role}-{action}-{scope}")


class HistoryWorld:
    """The own entry with two versions ("First words", then "Second words") and, unless the
    scope is "same-entry", another entry whose first version has a contact numbered like the
    own entry; since then that entry was renamed and published, and the contact removed."""

    def __init__(self, essex, scope, council):
        with reversion.create_revision():
            self.own = make_case_study(
                pk=OWN_PK,
                title="First words",
                region=essex.region,
                councils=[essex],
                status=Status.DRAFT,
            )
        self.first = reversion.models.Version.objects.get_for_object(self.own).get()
        with reversion.create_revision():
            self.own.title = "Second words"
            self.own.save()
        self.other = None
        if scope == "same-entry":
            self.version, self.marker = self.first, "First words"
            return
        with reversion.create_revision():
            self.other = make_case_study(
                title="Their first words",
                slug="their-entry",
                region=council.region,
                councils=[council],
                status=Status.DRAFT,
            )
            Contact.objects.create(pk=OWN_PK, case_study=self.other, order=1, name=WITHHELD)
        CaseStudy.objects.filter(pk=self.other.pk).update(
            title="Their second words", status=Status.PUBLISHED
        )
        Contact.objects.filter(pk=OWN_PK).delete()
        self.version = reversion.models.Version.objects.get_for_object_reference(
            Contact, OWN_PK
        ).get()
        self.marker = WITHHELD

    def changed(self):
        """Whether a version was put back: the own entry's first words, or the other entry's
        state, words or contact."""
        own = refreshed(self.own)
        if own is not None and own.title == "First words":
            return True
        if self.other is None:
            return False
        other = refreshed(self.other)
        return (
            other.title != "Their second words"
            or other.status != Status.PUBLISHED
            or Contact.objects.filter(pk=OWN_PK).exists()
        )

    def shown(self, response):
        return response.status_code == 200 and self.marker in response.content.decode()


def history_post(client, url):
    response = client.get(url)
    ok = response.status_code == 200 and "adminform" in (response.context or {})
    client.post(url, form_data(response) if ok else {"title": "First words"})


def try_history(client, world):
    response = client.get(admin_url("history", world.own.pk))
    revision = admin_url("revision", world.own.pk, world.version.pk)
    return response.status_code == 200 and f'href="{revision}"' in response.content.decode()


def try_revision_view(client, world):
    return world.shown(client.get(admin_url("revision", world.own.pk, world.version.pk)))


def try_revision_save(client, world):
    history_post(client, admin_url("revision", world.own.pk, world.version.pk))
    return world.changed()


def try_compare(client, world):
    latest = reversion.models.Version.objects.get_for_object(world.own).first()
    response = client.get(
        admin_url("compare", world.own.pk),
        {"version_id1": world.version.pk, "version_id2": latest.pk},
    )
    return world.shown(response)


def try_recover(client, world):
    if world.other is None:
        CaseStudy.objects.filter(pk=world.own.pk).delete()
    url = admin_url("recover", world.version.pk)
    shown = world.shown(client.get(url))
    history_post(client, url)
    return shown or world.changed()


HISTORY_ATTEMPTS = {
    "history": try_history,
    "revision-view": try_revision_view,
    "revision-save": try_revision_save,
    "compare": try_compare,
    "recover": try_recover,
}


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "action", "scope", "expected"), list(history_expectations()))
def test_history_matrix(role, action, scope, expected, client, personas, essex, councils_by_scope):
    if role != "anonymous":
        client.force_login(personas[role])
    world = HistoryWorld(essex, scope, councils_by_scope.get(scope))
    allowed = HISTORY_ATTEMPTS[action](client, world)
    assert allowed == (expected == "allow")


def test_history_matrix_covers_every_role_action_and_version():
    cells = {(r, a, s) for r, a, s, _ in (p.values for p in history_expectations())}
    assert len(cells) == 4 * len(HISTORY_ATTEMPTS) * 4
