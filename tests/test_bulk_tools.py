"""Safer bulk tools (issue 10): the report importer's duplicate check, the spreadsheet (CSV)
import's errors and valid rows, and the CSV export's columns."""

import codecs
import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from reversion.models import Version

from casestudies.models import CaseStudy, Status
from casestudies.report_import import service
from councils.models import Region
from editorial.roles import COUNCIL_OFFICER, REGIONAL_LEAD
from tests.helpers import (
    SYNTHETIC_REPORT,
    csv_choice,
    make_case_study,
    make_editor,
    seed_file,
    spreadsheet_upload,
)

IMPORT_REPORT = reverse("admin:casestudies_casestudy_import_report")
CARERS_STRATEGY = "Co-production with carers in the development of a carers' strategy"


def report_upload(content, name="report.txt", **fields):
    return {"file": SimpleUploadedFile(name, content), **fields}


# ------------------------------------------------------------------ report import: duplicates


def test_titles_are_compared_without_case_spaces_punctuation_or_quotes():
    key = service.title_key
    assert key("Carers’ “Voice”:  a  STRATEGY!") == key("carers voice - a strategy")
    assert key("Café for carers") != key("Caf for carers")
    assert key("A carers' strategy") != key("A carers strategy group")


@pytest.mark.django_db
def test_command_skips_and_names_every_published_duplicate_unless_allowed(capsys):
    """The East of England collection imported again with no publication chosen: before
    issue 10 this created 26 duplicates of the published seed entries without a word."""
    call_command("load_seed_content", verbosity=0)
    path = seed_file("000")
    before = set(CaseStudy.objects.values_list("pk", flat=True))

    call_command("import_report", str(path))
    out = capsys.readouterr().out
    assert "0 drafts created, 0 already imported." in out
    assert "26 skipped because another case study already has the title." in out
    assert out.count("   Another case study already has this title: ") == 26
    assert out.count("   Skipped: not created.") == 26
    assert (
        f"   Another case study already has this title: “{CARERS_STRATEGY}” (published; "
        "Bedford Borough Council; from “Putting People at the Heart of Care and Support: "
        "Emerging approaches to co-production”)."
    ) in out
    assert set(CaseStudy.objects.values_list("pk", flat=True)) == before

    call_command("import_report", str(path), "--allow-duplicates")
    out = capsys.readouterr().out
    assert "26 drafts created, 0 already imported." in out
    assert out.count("   Created a draft anyway (--allow-duplicates).") == 26
    created = CaseStudy.objects.exclude(pk__in=before)
    assert created.count() == 26
    assert set(created.values_list("status", flat=True)) == {Status.DRAFT}
    for case_study in created:
        versions = Version.objects.get_for_object(case_study)
        assert [v.revision.comment for v in versions] == ["Imported from “" + path.name + "”"]


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 5])
def test_finding_duplicates_takes_the_same_queries_for_one_or_several(
    essex, publication, tmp_path, count, capsys, django_assert_num_queries
):
    report = tmp_path / "synthetic.txt"
    report.write_text(
        "A synthetic report\n\n"
        + "".join(
            f"Essex County Council\n\nSynthetic case study number {number}\n\n"
            f"A one-line summary.\n\nWhat were the barriers?\n\n- Synthetic barrier.\n\n"
            for number in range(1, count + 1)
        ),
        encoding="utf-8",
    )
    for number in range(1, count + 1):
        make_case_study(
            title=f"SYNTHETIC case study number {number}.",
            region=essex.region,
            councils=[essex],
            publication=publication,
        )
    # The councils; the heading phrases site administrators added; every title; the regions
    # (whose names a title may give); the case studies with a matching title (with their
    # region and publication), their points, contacts, links and councils (5); a savepoint
    # and its release (2).
    with django_assert_num_queries(11):
        call_command("import_report", str(report))
    out = capsys.readouterr().out
    assert f"{count} skipped because another case study already has the title." in out
    for number in range(1, count + 1):
        assert (
            f"already has this title: “SYNTHETIC case study number {number}.” (published; "
            "Essex County Council; from “A test report on co-production”)." in out
        )
    assert CaseStudy.objects.count() == count


@pytest.fixture
def lead_client(client, lead_east):
    client.force_login(lead_east)
    return client


@pytest.mark.django_db
def test_admin_preview_warns_of_26_duplicates_and_creates_only_those_ticked(lead_client):
    call_command("load_seed_content", verbosity=0)
    path = seed_file("000")
    before = CaseStudy.objects.count()
    preview = lead_client.post(IMPORT_REPORT, report_upload(path.read_bytes(), path.name))
    html = preview.content.decode()
    assert "26 case studies have the title of a case study already in the portal" in html
    assert html.count("Another case study already has this title.") == 26
    assert html.count('name="allow"') == 26
    assert "Create the ticked case studies" in html
    strategy = CaseStudy.objects.get(title=CARERS_STRATEGY)
    assert reverse("admin:casestudies_casestudy_change", args=[strategy.pk]) in html
    payload = preview.context["payload"]
    assert CaseStudy.objects.count() == before

    done = lead_client.post(IMPORT_REPORT, {"payload": payload})
    assert "0 draft case studies created" in done.content.decode()
    assert "26 were not created because another case study already has the title" in (
        done.content.decode()
    )
    assert CaseStudy.objects.count() == before

    first = preview.context["result"].outcomes[0]
    assert first.found.title == CARERS_STRATEGY
    lead_client.post(IMPORT_REPORT, {"payload": payload, "allow": [str(first.number)]})
    assert CaseStudy.objects.count() == before + 1
    assert CaseStudy.objects.filter(title=CARERS_STRATEGY, status=Status.DRAFT).count() == 1


@pytest.mark.django_db
def test_a_duplicate_another_region_cannot_see_is_skipped_but_not_named(
    lead_client, essex, shropshire
):
    """Issue 9's rule: no other region's unpublished entry is named. Issue 10's: nor is it
    duplicated without a word. The preview says one exists, and only that."""
    hidden = make_case_study(
        title="SYNTHETIC case study one — a test title!",
        slug="west-midlands-secret-draft",
        region=shropshire.region,
        councils=[shropshire],
        status=Status.DRAFT,
        standfirst="A secret West Midlands summary.",
    )
    published = make_case_study(
        title="Synthetic case study two: no barriers",
        slug="west-midlands-published",
        region=shropshire.region,
        councils=[shropshire],
        status=Status.PUBLISHED,
    )
    preview = lead_client.post(IMPORT_REPORT, report_upload(SYNTHETIC_REPORT.encode()))
    html = preview.content.decode()
    assert "west-midlands-secret-draft" not in html
    assert "A secret West Midlands summary." not in html
    assert "SYNTHETIC case study one — a test title!" not in html
    assert (
        "1 case study you cannot see: not published, and outside the councils and regions you cover"
        in html
    )
    # A published entry is public anyway: it is named, with its public page (not its admin one).
    assert f'<a href="{published.get_absolute_url()}">' in html
    assert reverse("admin:casestudies_casestudy_change", args=[published.pk]) not in html
    assert "published;\n              Shropshire Council;" in html

    lead_client.post(IMPORT_REPORT, {"payload": preview.context["payload"]})
    assert CaseStudy.objects.count() == 2  # nothing created: both titles are taken
    lead_client.post(IMPORT_REPORT, {"payload": preview.context["payload"], "allow": ["1", "2"]})
    own = CaseStudy.objects.exclude(pk__in=[hidden.pk, published.pk])
    assert {case_study.region for case_study in own} == {essex.region}
    assert own.count() == 2
    hidden.refresh_from_db()
    assert hidden.standfirst == "A secret West Midlands summary."


@pytest.mark.django_db
def test_a_lead_of_the_region_sees_the_unpublished_duplicate_named(essex, east, publication):
    draft = make_case_study(
        publication=publication,
        title="Synthetic case study one: a test title",
        slug="essex-draft",
        region=essex.region,
        councils=[essex],
        status=Status.DRAFT,
    )
    other_lead = Client()
    other_lead.force_login(make_editor("lead.east.two", REGIONAL_LEAD, regions=[east]))
    html = other_lead.post(IMPORT_REPORT, report_upload(SYNTHETIC_REPORT.encode())).content
    html = html.decode()
    assert reverse("admin:casestudies_casestudy_change", args=[draft.pk]) in html
    assert "draft;\n              Essex County Council;\n              from “A test report" in html
    assert "you cannot see" not in html


# ------------------------------------------------------------------ spreadsheet (CSV) import

SPREADSHEET_IMPORT = reverse("admin:casestudies_casestudy_import")
SPREADSHEET_CONFIRM = reverse("admin:casestudies_casestudy_process_import")
SPREADSHEET_EXPORT = reverse("admin:casestudies_casestudy_export")
OLD_HEADER = "slug,title,standfirst,narrative,region,councils,stage\n"


def spreadsheet_row(slug, *, region="east-of-england", councils="essex", stage="in_progress"):
    return f'{slug},"Title of {slug}",One line.,What happened.,{region},"{councils}",{stage}\n'


@pytest.mark.django_db
def test_a_row_error_names_the_row_column_and_value_in_words(lead_client, essex, west_midlands):
    response = spreadsheet_upload(
        lead_client,
        OLD_HEADER + spreadsheet_row("a-good-row") + spreadsheet_row("a-bad-row", region="Eastern"),
    )
    html = response.content.decode()
    assert "Region matching query does not exist" not in html
    assert (
        "Row 3, column ‘Region’: no region called ‘Eastern’. Use one of: East Midlands; "
        "East of England; London;" in html
    )
    assert "West Midlands; Yorkshire and the Humber.</li>" in html
    assert "Rows are numbered as in your spreadsheet: the header is row 1." in html


@pytest.mark.django_db
def test_an_unknown_council_is_named_not_silently_dropped(lead_client, essex, norfolk):
    response = spreadsheet_upload(
        lead_client, OLD_HEADER + spreadsheet_row("two-councils", councils="Essex; Atlantis")
    )
    html = response.content.decode()
    assert "Row 2, column ‘Councils’: no council called ‘Atlantis’. Use one of: " in html
    assert "Essex County Council; Norfolk County Council." in html
    assert "Import the" not in html  # no valid row
    assert not CaseStudy.objects.exists()


@pytest.mark.django_db
def test_the_valid_rows_of_a_file_can_be_imported_without_the_others(lead_client, essex):
    response = spreadsheet_upload(
        lead_client,
        OLD_HEADER
        + spreadsheet_row("first-good-row")
        + spreadsheet_row("a-bad-row", region="Eastern")
        + spreadsheet_row("second-good-row", councils="Essex County Council"),
    )
    html = response.content.decode()
    assert "Import the 2 valid rows" in html
    assert "1 problem in 1 row" in html
    confirm = response.context["confirm_form"]
    # The row found wrong stays out even if it would pass now.
    Region.objects.create(name="Eastern", slug="eastern")
    done = lead_client.post(SPREADSHEET_CONFIRM, {**confirm.initial, "resource": "0"}, follow=True)
    assert "Import finished: 2 case studies added, 0 changed. 1 row with errors left out." in (
        done.content.decode()
    )
    assert sorted(CaseStudy.objects.values_list("slug", flat=True)) == [
        "first-good-row",
        "second-good-row",
    ]
    assert CaseStudy.objects.get(slug="second-good-row").councils.get() == essex
    for case_study in CaseStudy.objects.all():  # item 4: each has its first version
        versions = Version.objects.get_for_object(case_study)
        assert [v.revision.comment for v in versions] == ["Created by a spreadsheet import"]


@pytest.mark.django_db
def test_valid_rows_are_still_bound_to_the_person_and_session_that_checked_them(
    lead_client, essex, east
):
    response = spreadsheet_upload(
        lead_client,
        OLD_HEADER + spreadsheet_row("a-good-row") + spreadsheet_row("bad", region="Eastern"),
    )
    data = {**response.context["confirm_form"].initial, "resource": "0"}
    other_lead = Client()
    other_lead.force_login(make_editor("lead.east.two", REGIONAL_LEAD, regions=[east]))
    refused = other_lead.post(SPREADSHEET_CONFIRM, data, follow=True)
    assert "This import is not waiting for you to confirm it" in refused.content.decode()
    assert not CaseStudy.objects.exists()


@pytest.mark.django_db
def test_a_lead_cannot_slip_another_regions_row_in_among_valid_ones(
    client, west_midlands, shropshire, essex
):
    client.force_login(make_editor("lead.wm", REGIONAL_LEAD, regions=[west_midlands]))
    response = spreadsheet_upload(
        client,
        OLD_HEADER
        + spreadsheet_row("shropshire-row", region="west-midlands", councils="shropshire")
        + spreadsheet_row("essex-row"),
    )
    html = response.content.decode()
    assert "Row 3, column ‘Councils’: " in html
    assert "Import the 1 valid row" in html
    client.post(SPREADSHEET_CONFIRM, {**response.context["confirm_form"].initial, "resource": "0"})
    assert list(CaseStudy.objects.values_list("slug", flat=True)) == ["shropshire-row"]


# ------------------------------------------------------------------ spreadsheet (CSV) export


def export_response(client):
    form = client.get(SPREADSHEET_EXPORT).context["form"]
    data = {"resource": "0", "format": csv_choice(form)}
    data.update({name: "on" for name in form.fields if name.startswith("casestudyresource_")})
    return client.post(SPREADSHEET_EXPORT, data)


def exported(response):
    assert response.content.startswith(codecs.BOM_UTF8)  # so that Excel reads UTF-8
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


@pytest.mark.django_db
def test_export_holds_every_part_of_a_case_study_in_words(lead_client, full_case_study):
    (row,) = exported(export_response(lead_client))
    assert row["Title"] == "Redesign of direct payment support"
    assert row["Summary"] == full_case_study.standfirst
    assert row["Councils"] == "Essex County Council"
    assert row["Region"] == "East of England"
    assert row["Partner organisations"] == "Essex Carers Network"
    assert row["Topics"] == "Support for carers"
    assert row["People involved"] == "Unpaid carers"
    assert row["Approaches used"] == "Working Together for Change"
    assert row["Stage of the work"] == "Established"
    assert row["State"] == "Published"
    assert row["Work started"] == "2021-04-01"
    assert row["First published"] == "2023-06-01"
    assert row["Last reviewed"] == "2024-01-15"
    assert row["What was the learning that supported success?"] == (
        "1. Listen early.\n2. Pay people for their time."
    )
    assert row["What were the conditions for success?"] == "1. Senior support."
    assert row["What were the barriers?"] == "1. Short deadlines."
    assert row["What were the barriers and conditions for success?"] == ""
    assert row["Contacts that may be published"] == (
        "1. Jo Example, Commissioner, Essex County Council, jo.example@essex.gov.uk"
    )
    assert row["All contacts, with consent to publish"] == (
        "1. Jo Example, Commissioner, Essex County Council, jo.example@essex.gov.uk "
        "(consent to publish: published in the source document; last checked: 2023-06-01)\n"
        "2. Private Person, private.person@essex.gov.uk "
        "(consent to publish: not given: do not publish; last checked: never)"
    )
    assert row["Further information"] == (
        "1. Direct payments guide\n2. Council website (https://www.essex.gov.uk/)"
    )
    assert row["Quotes"] == "1. “We were listened to.” (A carer)"
    assert row["Source publication"] == "A test report on co-production (2023)"
    assert row["Pages in the source publication"] == "35-38"
    assert row["Public web address"] == (
        "http://testserver/case-studies/redesign-of-direct-payment-support/"
    )
    assert not any("_" in header for header in row)  # no field names, no codes
    page = lead_client.get(SPREADSHEET_EXPORT).content.decode()
    assert "Summary" in page and "Standfirst" not in page and "Narrative" not in page


@pytest.mark.django_db
def test_export_holds_only_what_the_person_may_see(
    client, full_case_study, draft_case_study, officer_essex, west_midlands
):
    """Officers may not export. A West Midlands lead who is also an Essex officer exports their
    region's entries and Essex's, but sees all contacts only where they may edit the entry."""
    from django.contrib.auth.models import Group

    client.force_login(officer_essex)
    assert client.get(SPREADSHEET_EXPORT).status_code == 403

    west = make_case_study(title="A West Midlands draft", region=west_midlands, status=Status.DRAFT)
    lead = make_editor(
        "lead.wm",
        REGIONAL_LEAD,
        regions=[west_midlands],
        councils=[*full_case_study.councils.all()],
    )
    lead.groups.add(Group.objects.get(name=COUNCIL_OFFICER))
    client.force_login(lead)
    rows = {row["Title"]: row for row in exported(export_response(client))}
    assert sorted(rows) == [west.title, full_case_study.title]  # not the Norfolk draft
    published = rows[full_case_study.title]  # published: an officer may view it, not change it
    assert published["All contacts, with consent to publish"] == (
        "Only for editors who may change this case study."
    )
    assert published["Contacts that may be published"].startswith("1. Jo Example")
    assert "Private Person" not in export_response(client).content.decode("utf-8-sig")
    assert draft_case_study.title not in export_response(client).content.decode("utf-8-sig")


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 3])
def test_export_takes_the_same_number_of_queries_for_one_entry_or_several(
    lead_client, full_case_study, count, django_assert_num_queries
):
    for number in range(2, count + 1):
        copy = make_case_study(
            title=f"Copy {number}",
            region=full_case_study.region,
            councils=[*full_case_study.councils.all()],
        )
        copy.topics.set(full_case_study.topics.all())
    form = lead_client.get(SPREADSHEET_EXPORT).context["form"]
    data = {"resource": "0", "format": csv_choice(form)}
    data.update({name: "on" for name in form.fields if name.startswith("casestudyresource_")})
    # The session, the user, their permissions (2), groups, profile and regions (3); the
    # export form's filter choices (region, topic, approach, publication: 4); the count and
    # page of case studies (2) and their nine prefetches (councils, partners, topics, people,
    # approaches, points, contacts, links, quotes).
    with django_assert_num_queries(22):
        response = lead_client.post(SPREADSHEET_EXPORT, data)
    rows = exported(response)
    assert len(rows) == count
    assert {row["Topics"] for row in rows} == {"Support for carers"}


@pytest.mark.django_db
def test_an_export_imports_back_what_it_can_and_ignores_the_rest(lead_client, essex_draft):
    (row,) = exported(export_response(lead_client))
    html = " ".join(lead_client.get(SPREADSHEET_IMPORT).content.decode().split())
    assert (
        "This importer will import the following fields: <code>Web address name, Title, "
        "Summary, The story, Region, Councils, Stage of the work, Work started, "
        "Pages in the source publication, Notes on this text (shown to the "
        "public), Editor notes</code>"
    ) in html
    assert "Public web address) are for reading only: an import ignores them." in html
    changed = io.StringIO()
    writer = csv.DictWriter(changed, fieldnames=list(row))
    writer.writeheader()
    writer.writerow({**row, "Title": "A new title", "Topics": "Not a topic at all"})
    response = spreadsheet_upload(lead_client, changed.getvalue())
    assert "Confirm import" in response.content.decode()
    lead_client.post(
        SPREADSHEET_CONFIRM, {**response.context["confirm_form"].initial, "resource": "0"}
    )
    essex_draft.refresh_from_db()
    assert essex_draft.title == "A new title"
    assert essex_draft.standfirst == row["Summary"]
    assert list(essex_draft.councils.all()) == [essex_draft.region.councils.get()]
    assert essex_draft.stage == CaseStudy.Stage.IN_PROGRESS
    assert essex_draft.topics.count() == 0
