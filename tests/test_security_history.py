"""The history pages (versions to view, compare, revert to and recover) of a case study accept
only versions of that case study, and a revert touches only it and its own parts.

django-reversion finds a version by its number and the object's number alone, whatever kind of
object it is; a version of a point, contact, link or quote whose number is the same as a case
study's could be opened at that case study's address. The tests build that coincidence on
purpose: each part of another entry gets the number of the editor's own draft.
"""

import datetime

import pytest
import reversion
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from reversion.models import Version

from casestudies.models import CaseStudy, Contact, Link, Point, Quote, Status
from tests.helpers import form_data, make_case_study

# Numbers no sequence reaches in a test run: the own draft and the other entry's parts share one.
SHARED_PK = 900_000_001
HIDDEN_NAME = "Hidden Person Withheld"
PARTS = {
    "point": (Point, {"kind": Point.Kind.LEARNING, "order": 1, "text": "An old point elsewhere."}),
    "contact": (
        Contact,
        {"order": 1, "name": HIDDEN_NAME, "email": "", "consent": Contact.Consent.NOT_GIVEN},
    ),
    "link": (Link, {"order": 1, "title": "An old link elsewhere", "url": ""}),
    "quote": (Quote, {"order": 1, "text": "An old quote elsewhere.", "attribution": "Someone"}),
}


def revision_url(case_study_pk, version):
    return reverse("admin:casestudies_casestudy_revision", args=[case_study_pk, version.pk])


def own_draft(council, pk=SHARED_PK, title="My own draft"):
    """A draft with one version, numbered `pk`."""
    with reversion.create_revision():
        case_study = make_case_study(
            pk=pk,
            title=title,
            region=council.region,
            councils=[council],
            status=Status.DRAFT,
            narrative="My story.",
        )
        Point.objects.create(case_study=case_study, kind=Point.Kind.LEARNING, order=1, text="Mine.")
    return case_study


def other_entry(council, part, title="Another region's entry"):
    """A published entry whose first version has a `part` numbered SHARED_PK (and the old title
    "Old words"); since then its title and state have changed, and the part with them."""
    with reversion.create_revision():
        entry = make_case_study(
            title="Old words",
            slug="another-entry",
            region=council.region,
            councils=[council],
            status=Status.DRAFT,
            narrative="Their story.",
        )
        model, fields = PARTS[part]
        model.objects.create(pk=SHARED_PK, case_study=entry, **fields)
    CaseStudy.objects.filter(pk=entry.pk).update(
        title=title, status=Status.PUBLISHED, published_on=datetime.date(2024, 5, 1)
    )
    model.objects.filter(pk=SHARED_PK).delete()
    return entry


def part_version(part):
    model = PARTS[part][0]
    return Version.objects.get_for_object_reference(model, SHARED_PK).get()


def snapshot(case_study):
    """What an entry is now: its state, title and parts."""
    case_study = CaseStudy.objects.get(pk=case_study.pk)
    return {
        "status": case_study.status,
        "title": case_study.title,
        "published_on": case_study.published_on,
        "parts": {
            name: sorted(getattr(case_study, name).values_list("pk", flat=True))
            for name in CaseStudy.part_names()
        },
    }


@pytest.fixture
def editors(officer_essex, lead_east, site_admin):
    return {"officer": officer_essex, "lead": lead_east, "admin": site_admin}


@pytest.mark.django_db
@pytest.mark.parametrize("part", list(PARTS))
@pytest.mark.parametrize("role", ["officer", "lead", "admin"])
def test_revision_page_refuses_a_version_of_another_entrys_part(
    client, editors, role, part, essex, shropshire
):
    mine = own_draft(essex)
    theirs = other_entry(shropshire, part)
    before = snapshot(theirs)
    mine_before = snapshot(mine)
    version = part_version(part)
    assert version.object_id == str(mine.pk)  # the coincidence the attack needs
    client.force_login(editors[role])
    url = revision_url(mine.pk, version)

    response = client.get(url)
    assert response.status_code == 404
    assert HIDDEN_NAME not in response.content.decode()
    assert version.object_repr not in response.content.decode()

    response = client.post(url, {"title": "My own draft", "slug": "my-own-draft"})
    assert response.status_code == 404
    assert snapshot(theirs) == before
    assert snapshot(mine) == mine_before


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["officer", "lead", "admin"])
def test_revision_page_refuses_another_entrys_version(client, editors, role, essex, shropshire):
    mine = own_draft(essex)
    with reversion.create_revision():
        theirs = make_case_study(title="Elsewhere", region=shropshire.region, status=Status.DRAFT)
    version = Version.objects.get_for_object(theirs).get()
    client.force_login(editors[role])
    response = client.get(revision_url(mine.pk, version))
    assert response.status_code == 404
    assert "Elsewhere" not in response.content.decode()


@pytest.mark.django_db
def test_a_revert_restores_nothing_but_the_entry_and_its_parts(
    client, officer_essex, essex, shropshire
):
    """A version whose revision also holds another entry (two saved in one go): reverting the
    editor's entry leaves the other one as it is now."""
    mine = make_case_study(
        title="My first words", region=essex.region, councils=[essex], status=Status.DRAFT
    )
    theirs = make_case_study(
        title="Their first words", region=shropshire.region, status=Status.DRAFT
    )
    Quote.objects.create(case_study=theirs, order=1, text="Their quote.", attribution="A carer")
    with reversion.create_revision():
        reversion.add_to_revision(mine)
        reversion.add_to_revision(theirs)
    CaseStudy.objects.filter(pk=mine.pk).update(title="My second words")
    CaseStudy.objects.filter(pk=theirs.pk).update(
        title="Their second words", status=Status.PUBLISHED
    )
    Quote.objects.filter(case_study=theirs).delete()
    before = snapshot(theirs)

    version = Version.objects.get_for_object(mine).get()
    client.force_login(officer_essex)
    url = revision_url(mine.pk, version)
    page = client.get(url)
    assert page.status_code == 200
    assert "Their" not in page.content.decode()
    response = client.post(url, form_data(page))
    assert response.status_code == 302
    assert CaseStudy.objects.get(pk=mine.pk).title == "My first words"
    assert snapshot(theirs) == before


@pytest.mark.django_db
def test_officer_reverts_own_draft_and_keeps_its_workflow_state(client, officer_essex, essex):
    mine = own_draft(essex)
    first = Version.objects.get_for_object(mine).get()
    with reversion.create_revision():
        CaseStudy.objects.filter(pk=mine.pk).update(title="Second words", slug="second-words")
        mine.refresh_from_db()
        Quote.objects.create(case_study=mine, order=1, text="A new quote.", attribution="A carer")
        Point.objects.filter(case_study=mine).update(text="Changed.")
        reversion.add_to_revision(mine)

    client.force_login(officer_essex)
    url = revision_url(mine.pk, first)
    page = client.get(url)
    assert page.status_code == 200
    assert "My own draft" in page.content.decode()
    assert client.post(url, form_data(page)).status_code == 302

    mine.refresh_from_db()
    assert mine.title == "My own draft"
    assert mine.slug == "second-words"  # its address is part of its identity: kept
    assert mine.status == Status.DRAFT
    assert list(mine.points.values_list("text", flat=True)) == ["Mine."]
    assert not mine.quotes.exists()
    latest = Version.objects.get_for_object(mine).first()
    assert latest.revision.comment.startswith("Reverted to previous version")
    assert latest.revision.user == officer_essex
    assert latest.field_dict["title"] == "My own draft"


@pytest.mark.django_db
def test_lead_reverts_a_published_entry_which_stays_published(client, lead_east, essex):
    mine = own_draft(essex)
    first = Version.objects.get_for_object(mine).get()
    CaseStudy.objects.filter(pk=mine.pk).update(
        title="Published words", status=Status.PUBLISHED, published_on=datetime.date(2024, 5, 1)
    )
    client.force_login(lead_east)
    url = revision_url(mine.pk, first)
    page = client.get(url)
    assert page.status_code == 200
    assert client.post(url, form_data(page)).status_code == 302
    mine.refresh_from_db()
    assert mine.title == "My own draft"
    assert mine.status == Status.PUBLISHED
    assert mine.published_on == datetime.date(2024, 5, 1)


@pytest.mark.django_db
def test_a_revert_that_takes_the_entry_out_of_reach_is_not_kept(
    client, officer_essex, essex, norfolk
):
    """An old version naming only another council: the officer could not save that form, so
    the revert must not be kept either (Django answers a missing entry with a redirect)."""
    with reversion.create_revision():
        mine = make_case_study(
            title="Norfolk words", region=norfolk.region, councils=[norfolk], status=Status.DRAFT
        )
    first = Version.objects.get_for_object(mine).get()
    CaseStudy.objects.filter(pk=mine.pk).update(title="Essex words")
    mine.councils.set([essex])
    client.force_login(officer_essex)
    url = revision_url(mine.pk, first)
    response = client.post(url, {"title": "Norfolk words"}, follow=True)
    assert "You cannot open or save this version: nothing was changed." in (
        response.content.decode()
    )
    mine.refresh_from_db()
    assert mine.title == "Essex words"
    assert list(mine.councils.all()) == [essex]


@pytest.mark.django_db
@pytest.mark.parametrize("part", list(PARTS))
def test_compare_refuses_a_version_of_another_object(client, lead_east, part, essex, shropshire):
    mine = own_draft(essex)
    other_entry(shropshire, part)
    with reversion.create_revision():
        CaseStudy.objects.filter(pk=mine.pk).update(title="Second words")
        mine.refresh_from_db()
        reversion.add_to_revision(mine)
    first = Version.objects.get_for_object(mine).last()
    foreign = part_version(part)
    client.force_login(lead_east)
    compare = reverse("admin:casestudies_casestudy_compare", args=[mine.pk])
    for pair in ((first.pk, foreign.pk), (foreign.pk, first.pk)):
        response = client.get(compare, {"version_id1": pair[0], "version_id2": pair[1]})
        assert response.status_code == 404
        assert HIDDEN_NAME not in response.content.decode()


@pytest.mark.django_db
def test_history_lists_only_the_entrys_own_versions(client, officer_essex, essex, shropshire):
    mine = own_draft(essex)
    other_entry(shropshire, "contact")
    client.force_login(officer_essex)
    response = client.get(reverse("admin:casestudies_casestudy_history", args=[mine.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert revision_url(mine.pk, Version.objects.get_for_object(mine).get()) in html
    assert revision_url(mine.pk, part_version("contact")) not in html
    assert HIDDEN_NAME not in html


@pytest.mark.django_db
@pytest.mark.parametrize("part", list(PARTS))
def test_recover_refuses_a_version_that_is_not_a_deleted_case_study(
    client, site_admin, part, essex, shropshire
):
    mine = own_draft(essex)
    theirs = other_entry(shropshire, part)
    before, mine_before = snapshot(theirs), snapshot(mine)
    client.force_login(site_admin)
    url = reverse("admin:casestudies_casestudy_recover", args=[part_version(part).pk])
    response = client.get(url)
    assert response.status_code == 404
    assert HIDDEN_NAME not in response.content.decode()
    assert client.post(url, {"title": "x"}).status_code == 404
    assert snapshot(theirs) == before
    assert snapshot(mine) == mine_before
    # A version of a case study that still exists is not for recovery either.
    version = Version.objects.get_for_object(mine).get()
    url = reverse("admin:casestudies_casestudy_recover", args=[version.pk])
    assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_site_administrator_recovers_a_deleted_entry_with_its_parts(client, site_admin, essex):
    mine = own_draft(essex)
    version = Version.objects.get_for_object(mine).get()
    CaseStudy.objects.filter(pk=mine.pk).delete()
    client.force_login(site_admin)
    listing = client.get(reverse("admin:casestudies_casestudy_recoverlist"))
    url = reverse("admin:casestudies_casestudy_recover", args=[version.pk])
    assert url in listing.content.decode()
    page = client.get(url)
    assert page.status_code == 200
    assert not CaseStudy.objects.filter(pk=mine.pk).exists()  # looking changes nothing
    assert client.post(url, form_data(page)).status_code == 302
    recovered = CaseStudy.objects.get(pk=mine.pk)
    assert recovered.title == "My own draft"
    assert list(recovered.points.values_list("text", flat=True)) == ["Mine."]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["officer", "lead"])
def test_only_site_administrators_recover(client, editors, role, essex):
    mine = own_draft(essex)
    version = Version.objects.get_for_object(mine).get()
    CaseStudy.objects.filter(pk=mine.pk).delete()
    client.force_login(editors[role])
    url = reverse("admin:casestudies_casestudy_recover", args=[version.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"title": "My own draft"}).status_code == 403
    assert not CaseStudy.objects.filter(pk=mine.pk).exists()


# The admin's "view on site" address (/admin/r/<type>/<number>/) ------------------------------


def view_on_site(obj):
    content_type = ContentType.objects.get_for_model(obj)
    return reverse("admin:view_on_site", args=[content_type.pk, obj.pk])


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["officer", "lead", "admin"])
def test_view_on_site_does_not_reveal_an_unpublished_address(
    client, editors, role, essex, shropshire
):
    client.force_login(editors[role])
    for status in (Status.DRAFT, Status.IN_REVIEW, Status.ARCHIVED):
        draft = make_case_study(
            title=f"Secret plans {status}", region=shropshire.region, status=status
        )
        response = client.get(view_on_site(draft))
        assert response.status_code == 404, status
        assert "secret-plans" not in response.get("Location", "")
        assert "secret-plans" not in response.content.decode()


@pytest.mark.django_db
def test_view_on_site_leads_to_a_published_page(client, officer_essex, shropshire, charter):
    published = make_case_study(title="Open work", region=shropshire.region)
    client.force_login(officer_essex)
    response = client.get(view_on_site(published))
    assert response.status_code == 302
    assert response["Location"].endswith(published.get_absolute_url())
    response = client.get(view_on_site(charter))
    assert response["Location"].endswith(charter.get_absolute_url())
    response = client.get(view_on_site(shropshire))
    assert response["Location"].endswith(shropshire.get_absolute_url())
    client.logout()
    assert "/admin/login/" in client.get(view_on_site(published))["Location"]
