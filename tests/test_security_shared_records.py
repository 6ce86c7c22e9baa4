"""Shared records, tried over HTTP: organisations, publications, councils, regions and the
vocabulary appear on every region's public pages, so only site administrators change or delete
them, and every change is a version they can see and revert. Leads may still add new ones."""

import pytest
from django.urls import reverse
from reversion.models import Version

from casestudies.models import Approach, PeopleGroup, Publication, Topic
from councils.models import Council, Organisation, Region
from tests.helpers import form_data

pytestmark = pytest.mark.django_db


def admin_url(obj, view, *args):
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=[obj.pk, *args])


def add_url(model):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_add")


NAME_FIELD = {Publication: "title"}


@pytest.fixture
def shared(essex, east, carers_topic, publication):
    """One record of each shared kind, as the public pages show them."""
    return {
        "organisation": Organisation.objects.create(name="Essex Carers Network", slug="ecn"),
        "publication": publication,
        "council": essex,
        "region": east,
        "topic": carers_topic,
        "people group": PeopleGroup.objects.create(
            name="Unpaid carers", slug="unpaid-carers", description="Carers."
        ),
        "approach": Approach.objects.create(
            name="Working Together for Change", slug="wtfc", description="A method."
        ),
    }


KINDS = ["organisation", "publication", "council", "region", "topic", "people group", "approach"]


def name_of(obj):
    return getattr(obj, NAME_FIELD.get(type(obj), "name"))


@pytest.mark.parametrize("kind", KINDS)
def test_lead_cannot_rename_or_delete_a_shared_record(client, shared, site_admin, lead_east, kind):
    record = shared[kind]
    before = name_of(record)
    client.force_login(site_admin)
    data = form_data(client.get(admin_url(record, "change")))
    data[NAME_FIELD.get(type(record), "name")] = "Renamed by another region's lead"

    client.force_login(lead_east)
    assert client.post(admin_url(record, "change"), data).status_code == 403
    assert client.post(admin_url(record, "delete"), {"post": "yes"}).status_code == 403
    record.refresh_from_db()
    assert name_of(record) == before
    assert not Version.objects.get_for_object(record).exists()


@pytest.mark.parametrize(
    ("model", "data"),
    [
        (Organisation, {"name": "Colchester Carers Group", "slug": "ccg", "kind": "voluntary"}),
        (
            Publication,
            {"title": "A new report", "slug": "a-new-report", "publisher": "NDTi", "year": 2024},
        ),
    ],
)
def test_lead_still_adds_an_organisation_or_publication_and_it_is_versioned(
    client, lead_east, model, data
):
    client.force_login(lead_east)
    # As the case study form's "add" button does: the add page in a pop-up window.
    response = client.post(f"{add_url(model)}?_popup=1", {**data, "_popup": "1"})
    assert response.status_code == 200, response.context["adminform"].form.errors
    record = model.objects.get(slug=data["slug"])
    versions = Version.objects.get_for_object(record)
    assert versions.count() == 1
    assert versions.get().revision.user == lead_east


def test_case_study_form_offers_add_but_not_change_for_shared_records(client, lead_east):
    client.force_login(lead_east)
    page = client.get(reverse("admin:casestudies_casestudy_add")).content.decode()
    assert 'id="add_id_publication"' in page
    assert 'id="add_id_organisations"' in page
    assert 'id="change_id_publication"' not in page
    assert 'id="add_id_topics"' not in page


@pytest.mark.parametrize("kind", KINDS)
def test_site_administrators_change_is_a_version_in_the_history(client, shared, site_admin, kind):
    record = shared[kind]
    before = name_of(record)
    field = NAME_FIELD.get(type(record), "name")
    client.force_login(site_admin)
    data = form_data(client.get(admin_url(record, "change")))
    data[field] = f"{before} (renamed)"
    assert client.post(admin_url(record, "change"), data).status_code == 302
    record.refresh_from_db()
    assert name_of(record) == f"{before} (renamed)"

    version = Version.objects.get_for_object(record).get()
    assert version.revision.user == site_admin
    history = client.get(admin_url(record, "history")).content.decode()
    assert admin_url(record, "revision", version.pk) in history


def test_site_administrator_reverts_a_renamed_organisation(client, shared, site_admin):
    organisation = shared["organisation"]
    client.force_login(site_admin)
    data = form_data(client.get(admin_url(organisation, "change")))
    for name in ["Essex Carers Network (first)", "Essex Carers Network (second)"]:
        assert client.post(admin_url(organisation, "change"), {**data, "name": name}).status_code
    first = Version.objects.get_for_object(organisation).last()
    revision_url = admin_url(organisation, "revision", first.pk)
    response = client.post(revision_url, form_data(client.get(revision_url)))
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.name == "Essex Carers Network (first)"


def test_lead_cannot_revert_or_recover_shared_records(client, shared, site_admin, lead_east):
    organisation = shared["organisation"]
    client.force_login(site_admin)
    data = form_data(client.get(admin_url(organisation, "change")))
    client.post(admin_url(organisation, "change"), {**data, "name": "Renamed once"})
    version = Version.objects.get_for_object(organisation).get()

    client.force_login(lead_east)
    revision_url = admin_url(organisation, "revision", version.pk)
    assert client.post(revision_url, {**data, "name": "Through the history"}).status_code == 403
    assert client.get(reverse("admin:councils_organisation_recoverlist")).status_code == 403
    organisation.refresh_from_db()
    assert organisation.name == "Renamed once"


def test_revision_page_refuses_a_version_of_another_kind_of_record(client, shared, site_admin):
    """The version in the address must be one of this record's, not another model's with the
    same number."""
    organisation, topic = shared["organisation"], shared["topic"]
    client.force_login(site_admin)
    data = form_data(client.get(admin_url(topic, "change")))
    client.post(admin_url(topic, "change"), {**data, "name": "Carers"})
    topic_version = Version.objects.get_for_object(topic).get()
    Topic.objects.filter(pk=topic.pk).update(name="Support for carers")
    Organisation.objects.filter(pk=organisation.pk).update(id=topic.pk)
    organisation = Organisation.objects.get(pk=topic.pk)

    url = admin_url(organisation, "revision", topic_version.pk)
    assert client.get(url).status_code == 404
    assert client.post(url, {"name": "x", "slug": "x", "kind": "other"}).status_code == 404
    topic.refresh_from_db()
    assert topic.name == "Support for carers"


def test_lead_cannot_change_any_resource(client, charter, lead_east, east):
    """Resources are the site administrators' alone (leads hold no permission on them), in
    their region or not."""
    charter.region = east
    charter.save()
    client.force_login(lead_east)
    assert client.get(admin_url(charter, "change")).status_code == 403
    response = client.post(admin_url(charter, "change"), {"title": "Changed by a lead"})
    assert response.status_code == 403
    charter.refresh_from_db()
    assert charter.title == "Our co-production charter"


def test_every_shared_record_is_registered_for_versions():
    import reversion

    for model in (Region, Council, Organisation, Publication, Topic, PeopleGroup, Approach):
        assert reversion.is_registered(model), model
