"""The admin of councils and regions: what replaced a council, ADASS's names and the regions'
contacts, and finding a council by any spelling or its ONS code."""

import pytest
from django.urls import reverse

from councils.models import Council
from tests.helpers import form_data, make_synthetic_council


def council_url(council):
    return reverse("admin:councils_council_change", args=[council.pk])


def region_url(region):
    return reverse("admin:councils_region_change", args=[region.pk])


@pytest.fixture
def admin_client(client, site_admin):
    client.force_login(site_admin)
    return client


def save_council(client, council, **changes):
    data = form_data(client.get(council_url(council)))
    data.update(changes)
    return client.post(council_url(council), data)


def test_site_administrator_marks_a_council_as_replaced_by_another(admin_client, essex, norfolk):
    # The field is an autocomplete: it finds the council by its name as typed.
    found = admin_client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "councils",
            "model_name": "council",
            "field_name": "replaced_by",
            "term": "Norfolk",
        },
    )
    assert [result["text"] for result in found.json()["results"]] == ["Norfolk County Council"]
    page = admin_client.get(council_url(essex)).content.decode()
    assert "admin-autocomplete" in page

    response = save_council(admin_client, essex, replaced_by=norfolk.pk)
    assert response.status_code == 302
    essex.refresh_from_db()
    assert essex.replaced_by == norfolk


def test_a_council_cannot_be_replaced_by_itself(admin_client, essex):
    response = save_council(admin_client, essex, replaced_by=essex.pk)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["replaced_by"] == [
        "A council cannot be replaced by itself. Choose the council that took over from it."
    ]
    essex.refresh_from_db()
    assert essex.replaced_by is None


def test_replacements_cannot_go_round_in_a_loop(admin_client, essex, norfolk, east):
    Council.objects.filter(pk=norfolk.pk).update(replaced_by=essex)
    response = save_council(admin_client, essex, replaced_by=norfolk.pk)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["replaced_by"] == [
        "Norfolk County Council is itself replaced by Essex County Council, so this would go "
        "round in a loop. Choose the council that took over in the end."
    ]
    essex.refresh_from_db()
    assert essex.replaced_by is None

    # A longer loop: A → B → C → A.
    third = make_synthetic_council("Synthetic Third", region=east, replaced_by=norfolk)
    response = save_council(admin_client, essex, replaced_by=third.pk)
    assert "go round in a loop" in str(response.context["adminform"].form.errors["replaced_by"])
    # A chain that ends is fine: Essex → Norfolk, which nothing replaces.
    Council.objects.filter(pk=norfolk.pk).update(replaced_by=None)
    assert save_council(admin_client, essex, replaced_by=norfolk.pk).status_code == 302


@pytest.mark.parametrize(
    ("term", "found"),
    [("Essex CC", "Essex County Council"), ("E10000012", "Essex County Council")],
)
def test_councils_are_found_by_other_spellings_and_ons_code(
    admin_client, essex, norfolk, term, found
):
    Council.objects.filter(pk=essex.pk).update(gss_code="E10000012", other_names="Essex\nEssex CC")
    changelist = admin_client.get(reverse("admin:councils_council_changelist"), {"q": term})
    assert [council.name for council in changelist.context["cl"].result_list] == [found]


def test_site_administrator_sets_a_regions_adass_name_and_contact(admin_client, east):
    data = form_data(admin_client.get(region_url(east)))
    data.update(
        adass_name="Eastern",
        contact_name="Synthetic Contact",
        contact_email="synthetic.contact@example.org",
    )
    assert admin_client.post(region_url(east), data).status_code == 302
    east.refresh_from_db()
    assert (east.adass_name, east.contact_name, east.contact_email) == (
        "Eastern",
        "Synthetic Contact",
        "synthetic.contact@example.org",
    )
    assert east.full_name == "East of England (Eastern)"
    changelist = admin_client.get(reverse("admin:councils_region_changelist"), {"q": "Eastern"})
    assert [region.name for region in changelist.context["cl"].result_list] == ["East of England"]


@pytest.mark.parametrize("persona", ["lead", "officer"])
def test_leads_and_officers_see_but_cannot_change_a_regions_contact(
    client, personas, east, persona
):
    client.force_login(personas[persona])
    page = client.get(region_url(east))
    assert page.status_code == 200  # they may look
    html = page.content.decode()
    assert 'name="contact_email"' not in html and 'name="adass_name"' not in html
    response = client.post(
        region_url(east),
        {"name": east.name, "slug": east.slug, "contact_email": "someone@example.org"},
    )
    assert response.status_code == 403
    east.refresh_from_db()
    assert east.contact_email == ""


@pytest.mark.parametrize("persona", ["lead", "officer"])
def test_leads_and_officers_cannot_mark_a_council_replaced(
    client, personas, essex, norfolk, persona
):
    client.force_login(personas[persona])
    response = client.post(
        council_url(essex),
        {
            "name": essex.name,
            "short_name": essex.short_name,
            "slug": essex.slug,
            "kind": essex.kind,
            "region": essex.region_id,
            "replaced_by": norfolk.pk,
        },
    )
    assert response.status_code == 403
    essex.refresh_from_db()
    assert essex.replaced_by is None
