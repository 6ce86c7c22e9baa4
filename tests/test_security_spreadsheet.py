"""The spreadsheet (CSV) import and export, tried as a regional lead would attack them, and the
first version of every entry the seed loader or an import creates (issue 9)."""

import csv
import io
import tempfile
from pathlib import Path

import pytest
from django.core.files.storage import storages
from django.test import Client
from django.urls import reverse

from casestudies.models import CaseStudy, Status
from editorial.roles import REGIONAL_LEAD
from tests.helpers import csv_choice, make_editor

IMPORT = reverse("admin:casestudies_casestudy_import")
CONFIRM = reverse("admin:casestudies_casestudy_process_import")
EXPORT = reverse("admin:casestudies_casestudy_export")
HEADER = "slug,title,standfirst,narrative,region,councils,stage\n"
FORMULA = '=HYPERLINK("https://attacker.example/","Click me")'


def upload(client, text, name="case-studies.csv"):
    """The first step of an import: the file is read and checked, nothing is saved yet."""
    csv_format = csv_choice(client.get(IMPORT).context["form"])
    upload = io.BytesIO(text.encode())
    upload.name = name
    return client.post(IMPORT, {"resource": "0", "format": csv_format, "import_file": upload})


def confirm_data(response):
    """What the confirm button posts back, from the first step's page."""
    return {**response.context["confirm_form"].initial, "resource": "0"}


def export_rows(client):
    """The case studies the person may export, as the rows of the admin's CSV export."""
    form = client.get(EXPORT).context["form"]
    data = {"resource": "0", "format": csv_choice(form)}
    data.update({name: "on" for name in form.fields if name.startswith("casestudyresource_")})
    response = client.post(EXPORT, data)
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def row(slug, title, essex, *, stage="in_progress"):
    return f'{slug},"{title}",One line.,What happened.,{essex.region.slug},{essex.slug},{stage}\n'


# ------------------------------------------------------------------ the stored import file


@pytest.fixture
def someone_elses_file():
    """A file in the server's temporary folder that the import has nothing to do with."""
    with tempfile.NamedTemporaryFile(
        "w", suffix=".csv", delete=False, dir=tempfile.gettempdir()
    ) as handle:
        handle.write(HEADER)
    path = Path(handle.name)
    yield path
    path.unlink(missing_ok=True)


@pytest.mark.django_db
def test_confirming_an_import_of_a_file_the_portal_did_not_store_is_refused(
    client, lead_east, someone_elses_file
):
    client.force_login(lead_east)
    csv_format = csv_choice(client.get(IMPORT).context["form"])
    response = client.post(
        CONFIRM,
        {
            "import_file_name": someone_elses_file.name,
            "original_file_name": "case-studies.csv",
            "format": csv_format,
            "resource": "0",
        },
        follow=True,
    )
    assert someone_elses_file.exists()
    assert response.status_code == 200
    assert "This import is not waiting for you to confirm it" in response.content.decode()


@pytest.mark.django_db
def test_a_spreadsheet_import_still_works_end_to_end(client, essex, lead_east):
    client.force_login(lead_east)
    response = upload(client, HEADER + row("carers-cafe", "Carers run a café", essex))
    data = confirm_data(response)
    response = client.post(CONFIRM, data, follow=True)
    assert response.status_code == 200
    case_study = CaseStudy.objects.get(slug="carers-cafe")
    assert case_study.title == "Carers run a café"
    assert case_study.status == Status.DRAFT
    assert list(case_study.councils.all()) == [essex]
    # The stored file is gone, and confirming it again is refused.
    assert not storages["import_export"].exists(f"django-import-export/{data['import_file_name']}")
    again = client.post(CONFIRM, data, follow=True)
    assert "This import is not waiting for you to confirm it" in again.content.decode()


@pytest.mark.django_db
def test_a_lead_cannot_confirm_another_leads_pending_import(client, essex, east, lead_east):
    client.force_login(lead_east)
    data = confirm_data(upload(client, HEADER + row("a-new-draft", "A new draft", essex)))
    other_lead = Client()
    other_lead.force_login(make_editor("lead.east.two", REGIONAL_LEAD, regions=[east]))
    response = other_lead.post(CONFIRM, data, follow=True)
    assert "This import is not waiting for you to confirm it" in response.content.decode()
    assert not CaseStudy.objects.filter(slug="a-new-draft").exists()
    # The lead who uploaded it can still confirm it.
    client.post(CONFIRM, data)
    assert CaseStudy.objects.filter(slug="a-new-draft").exists()


@pytest.mark.django_db
def test_a_half_filled_import_form_is_shown_again(client, lead_east):
    client.force_login(lead_east)
    upload = io.BytesIO(HEADER.encode())
    upload.name = "case-studies.csv"
    response = client.post(IMPORT, {"import_file": upload})  # no format, no resource
    assert response.status_code == 200
    assert response.context.get("confirm_form") is None
