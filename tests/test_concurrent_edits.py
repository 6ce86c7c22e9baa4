"""Two editors with the same form open: the second save must not overwrite the first unseen."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from casestudies.models import CaseStudy, Point, Publication, Status
from councils.models import Council
from tests.helpers import change_url, form_data

pytestmark = pytest.mark.django_db

STALE = "Someone else changed this case study since you opened it"


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def opened(client, url):
    """The form as the editor opened it: the data their browser would send back."""
    response = client.get(url)
    assert response.status_code == 200
    return form_data(response)


def test_a_stale_case_study_form_saves_nothing_and_says_what_changed(
    essex_draft, officer_essex, lead_east
):
    url = change_url(essex_draft)
    lead, officer = signed_in(lead_east), signed_in(officer_essex)
    lead_form, officer_form = opened(lead, url), opened(officer, url)

    lead_form["title"] = "The lead's title"
    assert lead.post(url, lead_form).status_code == 302

    officer_form["standfirst"] = "The officer's summary."
    officer_form["points-learning-0-text"] = "The officer's point."
    response = officer.post(url, officer_form)
    assert response.status_code == 200
    page = response.content.decode()
    assert STALE in page
    assert "nothing has been saved" in page
    # What changed, and who changed it.
    assert "Title" in page
    assert "lead.east" in page
    # The officer's own input is still in the form.
    assert "The officer&#x27;s summary." in page
    assert "The officer&#x27;s point." in page
    # Nothing of the stale form was saved: neither the entry nor its points.
    essex_draft.refresh_from_db()
    assert essex_draft.title == "The lead's title"
    assert essex_draft.standfirst == "What happened in Carers design their own support."
    assert list(essex_draft.points.values_list("text", flat=True)) == ["Listen."]

    # Having seen the changes, the officer saves the form shown again: it is saved as is.
    response = officer.post(url, form_data(response))
    assert response.status_code == 302
    essex_draft.refresh_from_db()
    assert essex_draft.standfirst == "The officer's summary."
    assert essex_draft.title == "Carers design their own support"  # the officer's form held it
    assert list(essex_draft.points.values_list("text", flat=True)) == ["The officer's point."]


def test_a_change_to_the_points_alone_makes_other_forms_stale(
    essex_draft, officer_essex, lead_east
):
    url = change_url(essex_draft)
    lead, officer = signed_in(lead_east), signed_in(officer_essex)
    lead_form, officer_form = opened(lead, url), opened(officer, url)

    lead_form["points-learning-0-text"] = "Listen to carers first."
    assert lead.post(url, lead_form).status_code == 302

    officer_form["title"] = "The officer's title"
    response = officer.post(url, officer_form)
    assert STALE in response.content.decode()
    essex_draft.refresh_from_db()
    assert essex_draft.title == "Carers design their own support"
    assert list(essex_draft.points.values_list("text", flat=True)) == ["Listen to carers first."]


def test_a_form_opened_before_a_workflow_move_is_stale(essex_draft, officer_essex, lead_east):
    url = change_url(essex_draft)
    lead = signed_in(lead_east)
    lead_form = opened(lead, url)

    officer = signed_in(officer_essex)
    submit = reverse("admin:casestudies_casestudy_workflow", args=[essex_draft.pk, "submit"])
    assert officer.post(submit, {"comment": ""}).status_code == 302

    lead_form["title"] = "The lead's title"
    page = lead.post(url, lead_form).content.decode()
    assert STALE in page
    assert "Submit" in page  # the move is listed among the changes
    essex_draft.refresh_from_db()
    assert essex_draft.title == "Carers design their own support"
    assert essex_draft.status == Status.IN_REVIEW


def test_a_form_without_its_version_is_not_saved(essex_draft, lead_east):
    url = change_url(essex_draft)
    lead = signed_in(lead_east)
    data = opened(lead, url)
    del data["seen_version"]
    data["title"] = "A title from nowhere"
    assert STALE in lead.post(url, data).content.decode()
    essex_draft.refresh_from_db()
    assert essex_draft.title == "Carers design their own support"


def test_saving_an_up_to_date_form_twice_works(essex_draft, lead_east):
    url = change_url(essex_draft)
    lead = signed_in(lead_east)
    for title in ["First title", "Second title"]:
        data = opened(lead, url)
        data["title"] = title
        assert lead.post(url, data).status_code == 302
    essex_draft.refresh_from_db()
    assert essex_draft.title == "Second title"
    assert essex_draft.points.get(kind=Point.Kind.LEARNING).text == "Listen."


def test_a_stale_shared_record_form_is_not_saved(essex, site_admin, django_user_model):
    """Councils, organisations, publications and vocabulary have no history of their own: a
    stale form is refused all the same, naming the fields the editor's save would replace."""
    other_admin = django_user_model.objects.create_superuser("other.admin", "o@example.org")
    url = reverse("admin:councils_council_change", args=[essex.pk])
    first, second = signed_in(site_admin), signed_in(other_admin)
    first_form, second_form = opened(first, url), opened(second, url)

    first_form["name"] = "Essex Council"
    assert first.post(url, first_form).status_code == 302

    second_form["short_name"] = "Essex CC"
    response = second.post(url, second_form)
    page = response.content.decode()
    assert "Someone else changed this council since you opened it" in page
    assert "Name" in page
    essex.refresh_from_db()
    assert (essex.name, essex.short_name) == ("Essex Council", "Essex")

    assert second.post(url, form_data(response)).status_code == 302
    essex.refresh_from_db()
    assert (essex.name, essex.short_name) == ("Essex County Council", "Essex CC")


def test_a_stale_publication_form_is_not_saved(publication, site_admin, django_user_model):
    other_admin = django_user_model.objects.create_superuser("other.admin", "o@example.org")
    url = reverse("admin:casestudies_publication_change", args=[publication.pk])
    first, second = signed_in(site_admin), signed_in(other_admin)
    first_form, second_form = opened(first, url), opened(second, url)
    first_form["year"] = 2024
    assert first.post(url, first_form).status_code == 302
    second_form["publisher"] = "Another publisher"
    response = second.post(url, second_form)
    assert "Someone else changed this publication since you opened it" in response.content.decode()
    assert Publication.objects.get().publisher == "A test publisher"


def test_the_add_form_needs_no_version(client, lead_east, essex):
    client.force_login(lead_east)
    url = reverse("admin:casestudies_casestudy_add")
    data = opened(client, url)
    data.update(
        title="A new case study",
        slug="a-new-case-study",
        standfirst="What happened.",
        region=essex.region.pk,
        councils=[essex.pk],
    )
    data.pop("seen_version", None)
    assert client.post(url, data).status_code == 302
    assert CaseStudy.objects.filter(slug="a-new-case-study").exists()
    assert Council.objects.count() == 1


def move_data(response):
    """What a browser sends back from a workflow move's page."""
    form = response.context["form"]
    return {name: form[name].value() or "" for name in form.fields}


def test_a_move_chosen_on_a_page_opened_before_a_change_is_not_made(
    essex_draft, officer_essex, lead_east
):
    publish = reverse("admin:casestudies_casestudy_workflow", args=[essex_draft.pk, "publish"])
    lead = signed_in(lead_east)
    lead_page = lead.get(publish)
    assert lead_page.status_code == 200

    officer = signed_in(officer_essex)
    officer_form = opened(officer, change_url(essex_draft))
    officer_form["title"] = "A title the lead has not read"
    assert officer.post(change_url(essex_draft), officer_form).status_code == 302

    response = lead.post(publish, move_data(lead_page))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Someone else changed “A title the lead has not read” since you opened this page" in page
    assert "officer.essex" in page
    essex_draft.refresh_from_db()
    assert essex_draft.status == Status.DRAFT

    # Having seen the page again, the lead confirms: it is published.
    assert lead.post(publish, move_data(response)).status_code == 302
    essex_draft.refresh_from_db()
    assert essex_draft.status == Status.PUBLISHED


@pytest.mark.postgresql(reason="SQLite has no row locks: it lets one writer in at a time")
def test_saving_locks_the_row_before_reading_the_entry(essex_draft, lead_east):
    url = change_url(essex_draft)
    lead = signed_in(lead_east)
    data = opened(lead, url)
    data["title"] = "A locked save"
    with CaptureQueriesContext(connection) as queries:
        assert lead.post(url, data).status_code == 302
    reads = [
        query["sql"]
        for query in queries.captured_queries
        if query["sql"].startswith('SELECT "casestudies_casestudy"."id"')
    ]
    # The first read of the entry locks its row, so the version the form is compared with
    # cannot change before the save's transaction ends.
    assert reads and reads[0].endswith('FOR UPDATE OF "casestudies_casestudy"')
