"""The spreadsheet (CSV) import and export, tried as a regional lead would attack them, and the
first version of every entry the seed loader or an import creates (issue 9)."""

import csv
import io
import os
import tempfile
import time
from pathlib import Path

import pytest
from django.core.files.storage import storages
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from reversion.models import Version

from casestudies.models import CaseStudy, Status
from councils.models import Region
from editorial.roles import REGIONAL_LEAD
from tests.helpers import csv_choice, make_case_study, make_editor, spreadsheet_upload

IMPORT = reverse("admin:casestudies_casestudy_import")
CONFIRM = reverse("admin:casestudies_casestudy_process_import")
EXPORT = reverse("admin:casestudies_casestudy_export")
HEADER = "slug,title,standfirst,narrative,region,councils,stage\n"
FORMULA = '=HYPERLINK("https://attacker.example/","Click me")'


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
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


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
    response = spreadsheet_upload(client, HEADER + row("carers-cafe", "Carers run a café", essex))
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
def test_a_file_checked_a_day_ago_and_never_confirmed_is_removed(client, essex, lead_east):
    folder = storages["import_export"]
    abandoned = folder.save("django-import-export/" + "a" * 32, io.BytesIO(HEADER.encode()))
    recent = folder.save("django-import-export/" + "b" * 32, io.BytesIO(HEADER.encode()))
    two_days_ago = time.time() - 2 * 24 * 3600
    os.utime(folder.path(abandoned), (two_days_ago, two_days_ago))
    try:
        client.force_login(lead_east)
        spreadsheet_upload(client, HEADER + row("carers-cafe", "Carers run a café", essex))
        assert not folder.exists(abandoned)
        assert folder.exists(recent)
    finally:
        folder.delete(abandoned)
        folder.delete(recent)


@pytest.mark.django_db
def test_a_lead_cannot_confirm_another_leads_pending_import(client, essex, east, lead_east):
    client.force_login(lead_east)
    data = confirm_data(
        spreadsheet_upload(client, HEADER + row("a-new-draft", "A new draft", essex))
    )
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


# ------------------------------------------------------------------ formulae in exports


@pytest.mark.django_db
def test_an_export_escapes_cells_a_spreadsheet_would_run_as_formulae(client, essex, lead_east):
    make_case_study(
        title=FORMULA,
        slug="formula",
        region=essex.region,
        councils=[essex],
        standfirst="+44 1234 567890",
        narrative="@SUM(1+1)",
        source_pages="\t=1+1",
        content_note="-2+3",
        editor_notes="\r=1",
    )
    make_case_study(title="A plain title", region=essex.region, councils=[essex])
    client.force_login(lead_east)
    rows = {row["Web address name"]: row for row in export_rows(client)}
    assert rows["formula"]["Title"] == "'" + FORMULA
    assert rows["formula"]["Summary"] == "'+44 1234 567890"
    assert rows["formula"]["The story"] == "'@SUM(1+1)"
    assert rows["formula"]["Pages in the source publication"] == "'\t=1+1"
    assert rows["formula"]["Notes on this text (shown to the public)"] == "'-2+3"
    assert rows["formula"]["Editor notes"] == "'\r=1"
    assert rows["a-plain-title"]["Title"] == "A plain title"


@pytest.mark.django_db
def test_an_exported_formula_imports_back_as_typed(client, essex, lead_east):
    """Escaping is undone on import: a round trip never adds a quote each time."""
    case_study = make_case_study(
        title=FORMULA, slug="formula", region=essex.region, councils=[essex], status=Status.DRAFT
    )
    client.force_login(lead_east)
    exported = export_rows(client)
    changed = io.StringIO()
    writer = csv.DictWriter(changed, fieldnames=list(exported[0]))
    writer.writeheader()
    for exported_row in exported:
        writer.writerow({**exported_row, "Summary": "'=Changed by the spreadsheet"})
    client.post(CONFIRM, confirm_data(spreadsheet_upload(client, changed.getvalue())))
    case_study.refresh_from_db()
    assert case_study.title == FORMULA
    assert case_study.standfirst == "=Changed by the spreadsheet"
    assert export_rows(client)[0]["Title"] == "'" + FORMULA


# ------------------------------------------------------------------ validation and scope


@pytest.mark.django_db
def test_an_import_checks_each_field_like_the_admin_form(client, essex, lead_east):
    client.force_login(lead_east)
    response = spreadsheet_upload(
        client,
        HEADER
        + row("a-good-slug", "A bad stage", essex, stage="NOT-A-STAGE")
        + row("a bad/slug", "A bad slug", essex),
    )
    html = response.content.decode()
    assert response.context.get("confirm_form") is None
    assert storages["import_export"].listdir("django-import-export")[1] == []  # not kept
    assert (
        "Row 2, column ‘Stage of the work’: no stage called ‘NOT-A-STAGE’. Use one of: "
        "Early days; In progress; Established." in html
    )
    assert (
        "Row 3, column ‘Web address name’: Use only letters, digits, hyphens and underscores. "
        "The cell holds ‘a bad/slug’." in html
    )
    assert not CaseStudy.objects.exists()


@pytest.mark.django_db
def test_an_import_error_names_nothing_outside_the_persons_scope(client, essex, lead_east):
    elsewhere = make_case_study(
        title="Secret draft elsewhere",
        slug="secret-draft",
        region=Region.objects.get(slug="south-east"),
        status=Status.DRAFT,
        stage="early",
    )
    client.force_login(lead_east)
    response = spreadsheet_upload(client, HEADER + row("secret-draft", "Taken over", essex))
    html = response.content.decode()
    assert response.context.get("confirm_form") is None
    assert "Secret draft elsewhere" not in html
    assert "No case study you may change has the web address name “secret-draft”" in html
    elsewhere.refresh_from_db()
    assert elsewhere.title == "Secret draft elsewhere"


# ------------------------------------------------------------------ first versions


@pytest.mark.django_db
def test_an_imported_entry_has_a_version_saying_where_it_came_from(client, essex, lead_east):
    existing = make_case_study(
        title="An Essex draft", region=essex.region, councils=[essex], status=Status.DRAFT
    )
    client.force_login(lead_east)
    rows = row("a-new-draft", "A new draft", essex) + row(existing.slug, "A new title", essex)
    client.post(CONFIRM, confirm_data(spreadsheet_upload(client, HEADER + rows)))
    created = Version.objects.get_for_object(CaseStudy.objects.get(slug="a-new-draft"))
    assert [v.revision.comment for v in created] == ["Created by a spreadsheet import"]
    assert created[0].revision.user == lead_east
    changed = Version.objects.get_for_object(existing)
    # Newest first: the entry had no version, so its text from before is kept first.
    assert [v.revision.comment for v in changed] == [
        "Changed by a spreadsheet import",
        "As it was before a spreadsheet import",
    ]
    assert changed[0].field_dict["title"] == "A new title"


@pytest.mark.django_db
def test_every_seed_case_study_has_a_first_version_and_a_second_load_adds_none():
    call_command("load_seed_content", verbosity=0)
    case_studies = list(CaseStudy.objects.prefetch_related("points"))
    assert case_studies
    for case_study in case_studies:
        versions = Version.objects.get_for_object(case_study)
        assert [v.revision.comment for v in versions] == ["Loaded from the seed content"]
        points = versions[0].revision.version_set.filter(content_type__model="point")
        assert points.count() == len(case_study.points.all()), case_study.slug
    count = Version.objects.count()
    call_command("load_seed_content", verbosity=0)
    call_command("load_seed_content", update=True, verbosity=0)
    assert Version.objects.count() == count


@pytest.mark.django_db
def test_a_seed_update_that_restores_an_entry_adds_a_version():
    call_command("load_seed_content", verbosity=0)
    case_study = CaseStudy.objects.order_by("pk").first()
    case_study.standfirst = "Edited outside the portal."
    case_study.save()
    call_command("load_seed_content", update=True, verbosity=0)
    versions = Version.objects.get_for_object(case_study)
    assert [v.revision.comment for v in versions] == [
        "Restored from the seed content",
        "Loaded from the seed content",
    ]
