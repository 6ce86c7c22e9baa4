"""Importing a report as drafts: the command, the service, and the admin's upload page."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from casestudies.models import CaseStudy, Contact, Link, Point, Status
from casestudies.report_import.reading import read_report_file
from casestudies.report_import.service import ReportImportError, report_import
from tests.helpers import SYNTHETIC_REPORT, load_seed_councils, seed_file

IMPORT_URL = "admin:casestudies_casestudy_import_report"


def synthetic_lines():
    return read_report_file("synthetic.txt", SYNTHETIC_REPORT.encode())


# ------------------------------------------------------------------ the service


@pytest.mark.django_db
def test_import_creates_drafts_with_their_lists_contacts_and_notes(essex, publication):
    result = report_import(
        by=None, lines=synthetic_lines(), source_name="synthetic.txt", publication=publication
    )
    assert len(result.created) == 2
    first = CaseStudy.objects.get(title="Synthetic case study one: a test title")
    assert first.status == Status.DRAFT
    assert list(first.councils.all()) == [essex]
    assert first.region == essex.region
    assert first.publication == publication
    assert [p.text for p in first.points.filter(kind=Point.Kind.LEARNING)] == [
        "Synthetic learning point one.",
        "Synthetic learning point two, which the PDF wrapped onto a second line.",
    ]
    contacts = list(first.contacts.all())
    assert [(c.name, c.email) for c in contacts] == [
        ("Test Person One", "test.one@example.org"),
        ("Test Person Two", "test.two@example.org"),
    ]
    assert all(c.consent == Contact.Consent.PUBLISHED_IN_SOURCE for c in contacts)
    # The document's opening text belongs to the publication, not to a case study's notes.
    assert "A synthetic report for testing the importer" not in first.editor_notes
    publication.refresh_from_db()
    assert publication.front_matter == "A synthetic report for testing the importer"
    second = CaseStudy.objects.get(title="Synthetic case study two: no barriers")
    assert second.barriers_heading == "What were the challenges?"
    assert second.points.filter(kind=Point.Kind.BARRIER).count() == 1
    assert "17" in second.editor_notes


@pytest.mark.django_db
def test_reimporting_creates_nothing_and_reports_what_differs(essex, publication):
    report_import(
        by=None, lines=synthetic_lines(), source_name="synthetic.txt", publication=publication
    )
    draft = CaseStudy.objects.get(title="Synthetic case study one: a test title")
    draft.standfirst = "An editor's better summary."
    draft.save()
    Link.objects.filter(case_study=draft).delete()

    again = report_import(
        by=None, lines=synthetic_lines(), source_name="synthetic.txt", publication=publication
    )
    assert again.created == []
    assert CaseStudy.objects.count() == 2
    first, second = again.outcomes
    assert first.existing == draft
    assert first.differences == ["standfirst", "further information links"]
    assert second.differences == []
    draft.refresh_from_db()
    assert draft.standfirst == "An editor's better summary."


@pytest.mark.django_db
def test_without_a_known_council_or_region_nothing_is_imported(east, publication):
    with pytest.raises(ReportImportError, match="Choose a region"):
        report_import(
            by=None, lines=synthetic_lines(), source_name="s.txt", publication=publication
        )
    assert CaseStudy.objects.count() == 0
    result = report_import(
        by=None, lines=synthetic_lines(), source_name="s.txt", publication=publication, region=east
    )
    draft = result.created[0].case_study
    assert draft.region == east
    assert "Essex County Council" in draft.editor_notes  # named, but not in the portal


@pytest.mark.django_db
def test_a_failure_part_way_leaves_nothing_behind(essex, publication, monkeypatch):
    calls = []

    def failing_bulk_create(objects, *args, **kwargs):
        calls.append(1)
        if len(calls) > 1:
            raise RuntimeError("the database went away")
        return original(objects, *args, **kwargs)

    original = Link.objects.bulk_create
    monkeypatch.setattr(Link.objects, "bulk_create", failing_bulk_create)
    with pytest.raises(RuntimeError):
        report_import(
            by=None, lines=synthetic_lines(), source_name="s.txt", publication=publication
        )
    assert len(calls) == 2
    assert CaseStudy.objects.count() == 0
    assert Point.objects.count() == 0


# ------------------------------------------------------------------ the command


@pytest.mark.django_db
def test_command_imports_the_east_of_england_collection_as_26_drafts(
    capsys, django_assert_num_queries
):
    load_seed_councils()
    path = seed_file("000")
    call_command("import_report", str(path), "--dry-run")
    out = capsys.readouterr().out
    assert "26 case studies found." in out
    assert "Dry run: nothing was changed. 26 drafts would be created." in out
    assert CaseStudy.objects.count() == 0

    call_command("import_report", str(path))
    out = capsys.readouterr().out
    assert "26 drafts created, 0 already imported." in out
    assert "1. Co-production with carers in the development of a carers' strategy" in out
    assert "Councils: Cambridgeshire County Council, Peterborough City Council" in out
    assert "Lists: learning 2, conditions 4, barriers 2, combined 0" in out
    assert CaseStudy.objects.count() == 26
    assert not CaseStudy.objects.exclude(status=Status.DRAFT).exists()
    thurrock = CaseStudy.objects.get(title="Good commissioning is dependent on co-production")
    assert thurrock.councils.get().slug == "thurrock"  # printed as "Thurrock Borough Council"
    # The Norfolk overview is not a case study, but its text is kept for the editor.
    norfolk = CaseStudy.objects.get(title__startswith="Designing an Early Help")
    assert "Overview of Norfolk's approach" in norfolk.editor_notes

    # Finding what was imported before is two queries (and their prefetches), not one per
    # title: the same 11 as for 1 or 5 case studies (see the test below).
    with django_assert_num_queries(11):
        call_command("import_report", str(path))
    assert "0 drafts created, 26 already imported." in capsys.readouterr().out
    assert CaseStudy.objects.count() == 26


def synthetic_report(count):
    """A synthetic report of `count` case studies, each with one list and one contact."""
    return "A synthetic report for testing the importer\n\n" + "".join(
        f"Essex County Council\n\nSynthetic case study number {number}\n\n"
        f"A one-line summary of synthetic case study {number}.\n\n"
        f"What were the barriers?\n\n- Synthetic barrier {number}.\n\n"
        f"Contact: Test Person {number} – test.{number}@example.org\n\n"
        for number in range(1, count + 1)
    )


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 5])
def test_reimporting_finds_what_was_imported_in_a_fixed_number_of_queries(
    essex, tmp_path, count, capsys, django_assert_num_queries
):
    report = tmp_path / "synthetic.txt"
    report.write_text(synthetic_report(count), encoding="utf-8")
    call_command("import_report", str(report))
    drafts = "1 draft" if count == 1 else f"{count} drafts"
    assert f"{drafts} created, 0 already imported." in capsys.readouterr().out
    # The councils; the heading phrases site administrators added; every title (to compare
    # them without case or punctuation); the regions (whose names a title may give); the case
    # studies with those titles, with their points, contacts, links and councils (5); a
    # savepoint and its release (2).
    with django_assert_num_queries(11):
        call_command("import_report", str(report))
    assert f"0 drafts created, {count} already imported." in capsys.readouterr().out
    assert sorted(CaseStudy.objects.values_list("title", flat=True)) == sorted(
        f"Synthetic case study number {number}" for number in range(1, count + 1)
    )


@pytest.mark.django_db
def test_command_imports_the_regional_programmes_each_in_the_region_its_title_names(capsys):
    load_seed_councils()
    call_command("import_report", str(seed_file("001")))
    out = capsys.readouterr().out
    assert "2 case studies found." in out
    assert "Lists: learning 10, conditions 0, barriers 0, combined 0" in out
    drafts = dict(CaseStudy.objects.values_list("title", "region__slug"))
    assert drafts == {
        "East of England ADASS": "east-of-england",
        "West Midlands ADASS": "west-midlands",
    }


@pytest.mark.django_db
def test_command_imports_a_single_project_report_as_one_draft(capsys):
    load_seed_councils()
    call_command("import_report", str(seed_file("003")), "--region", "north-west")
    out = capsys.readouterr().out
    assert "1 case study found." in out
    assert "is an appendix" not in out  # said in words a reader follows:
    assert "is a chapter or an appendix of the document" in out
    draft = CaseStudy.objects.get()
    assert draft.title == "Developing Co-production Across One Halton"
    assert draft.points.filter(kind="learning").count() == 12


@pytest.mark.django_db
def test_command_reports_a_guide_without_project_lists_and_imports_nothing(capsys):
    load_seed_councils()
    with pytest.raises(CommandError, match="No case studies found"):
        call_command("import_report", str(seed_file("004")))
    out = capsys.readouterr().out
    assert "0 case studies found" in out
    assert "“Top Tips for involving people in co-production” is a chapter" in out
    assert CaseStudy.objects.count() == 0


@pytest.mark.django_db
def test_command_rejects_unreadable_files_and_unknown_options(tmp_path):
    garbage = tmp_path / "report.txt"
    garbage.write_bytes(bytes(range(256)) * 4)
    with pytest.raises(CommandError, match="binary data. Nothing was imported"):
        call_command("import_report", str(garbage))
    with pytest.raises(CommandError, match="No such file"):
        call_command("import_report", str(tmp_path / "missing.txt"))
    text = tmp_path / "report.md"
    text.write_text(SYNTHETIC_REPORT)
    with pytest.raises(CommandError, match="--publication: no publication 'nope'"):
        call_command("import_report", str(text), "--publication", "nope")


# ------------------------------------------------------------------ the admin page


@pytest.fixture
def importer_client(client, lead_east):
    """A regional lead: the role has the import permission."""
    client.force_login(lead_east)
    return client


@pytest.fixture
def staff_client(client, officer_essex):
    """A council officer: edits their council's case studies but may not import reports."""
    client.force_login(officer_essex)
    return client


def upload(name="synthetic.txt", content=None, **fields):
    if content is None:
        content = SYNTHETIC_REPORT.encode()
    return {"file": SimpleUploadedFile(name, content), **fields}


@pytest.mark.django_db
def test_staff_without_the_import_permission_are_refused(staff_client, essex):
    assert staff_client.get(reverse(IMPORT_URL)).status_code == 403
    assert staff_client.post(reverse(IMPORT_URL), upload()).status_code == 403
    changelist = staff_client.get(reverse("admin:casestudies_casestudy_changelist"))
    assert changelist.status_code == 200
    assert "Import a report" not in changelist.content.decode()
    assert CaseStudy.objects.count() == 0


@pytest.mark.django_db
def test_the_public_is_sent_to_the_login_page(client):
    response = client.get(reverse(IMPORT_URL))
    assert response.status_code == 302
    assert "/login/" in response["Location"]


@pytest.mark.django_db
def test_upload_preview_confirm_and_confirm_again(importer_client, essex, publication):
    changelist = importer_client.get(reverse("admin:casestudies_casestudy_changelist"))
    assert "Import a report" in changelist.content.decode()
    form = importer_client.get(reverse(IMPORT_URL))
    assert "Report file" in form.content.decode()

    preview = importer_client.post(reverse(IMPORT_URL), upload(publication=publication.pk))
    html = preview.content.decode()
    assert "Preview of “synthetic.txt”" in html
    assert "Synthetic case study one: a test title" in html
    assert "A one-line summary of the synthetic case study." in html
    assert "Learning: 2" in html and "Conditions: 1" in html and "Barriers: 0" in html
    assert "Create 2 drafts" in html
    assert CaseStudy.objects.count() == 0  # a preview writes nothing
    payload = preview.context["payload"]

    done = importer_client.post(reverse(IMPORT_URL), {"payload": payload})
    assert "2 draft case studies created from “synthetic.txt”" in done.content.decode()
    assert CaseStudy.objects.filter(status=Status.DRAFT, publication=publication).count() == 2

    CaseStudy.objects.filter(title__startswith="Synthetic case study two").update(
        standfirst="Changed by an editor."
    )
    again = importer_client.post(reverse(IMPORT_URL), {"payload": payload})
    html = again.content.decode()
    assert "0 draft case studies created" in html
    assert "2 were already imported" in html
    assert "The file differs in: standfirst." in html
    assert CaseStudy.objects.count() == 2


@pytest.mark.django_db
def test_preview_of_an_already_imported_file_offers_nothing_to_confirm(
    importer_client, essex, publication
):
    report_import(
        by=None, lines=synthetic_lines(), source_name="synthetic.txt", publication=publication
    )
    preview = importer_client.post(reverse(IMPORT_URL), upload(publication=publication.pk))
    html = preview.content.decode()
    assert "There is nothing new to import." in html
    assert 'name="payload"' not in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("report.pdf", b"%PDF-1.7", "is a damaged PDF"),
        ("report.txt", b"", "The submitted file is empty."),
        ("report.txt", bytes(range(256)) * 4, "binary data"),
    ],
)
def test_unreadable_uploads_show_a_message_and_import_nothing(
    importer_client, essex, name, content, message
):
    response = importer_client.post(reverse(IMPORT_URL), upload(name, content))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert "payload" not in response.context
    assert CaseStudy.objects.count() == 0


@pytest.mark.django_db
def test_a_tampered_preview_is_refused(importer_client, essex, publication):
    preview = importer_client.post(reverse(IMPORT_URL), upload(publication=publication.pk))
    payload = preview.context["payload"]
    response = importer_client.post(reverse(IMPORT_URL), {"payload": payload[:-3] + "abc"})
    assert "This preview has expired or was changed" in response.content.decode()
    assert CaseStudy.objects.count() == 0


# Search text is refreshed when a transaction commits, so these tests commit their writes.
@pytest.mark.django_db(transaction=True)
@pytest.mark.postgresql(reason="the stored search text is PostgreSQL full-text search")
def test_imported_case_study_is_searchable_by_its_points_once_published(client, essex, publication):
    report_import(
        by=None, lines=synthetic_lines(), source_name="synthetic.txt", publication=publication
    )
    case_study = CaseStudy.objects.get(title="Synthetic case study one: a test title")
    CaseStudy.objects.filter(pk=case_study.pk).update(status=Status.PUBLISHED)
    html = client.get(reverse("casestudies:list"), {"q": "wrapped onto a second line"}).content
    assert case_study.title in html.decode()


@pytest.mark.django_db
def test_a_file_with_no_case_study_offers_its_headings_and_then_imports_once_placed(
    importer_client, essex
):
    """Before: "confirm to create 0 draft case studies" and "nothing new to import", with no
    way to say which headings were lists."""
    text = (
        b"# Synthetic project, Essex County Council (test data)\n\nLed by: Essex County Council\n\n"
        b"## What slowed us down\n\n- A synthetic slow-down.\n"
    )
    preview = importer_client.post(reverse(IMPORT_URL), upload("synthetic.md", text))
    html = preview.content.decode()
    assert "The importer found no case study in this file." in html
    assert "choose where they go below and preview again" in html
    assert "There is nothing new to import." not in html
    key = "what slowed us down"
    again = importer_client.post(
        reverse(IMPORT_URL),
        {"payload": preview.context["payload"], f"heading:{key}": "barrier", "preview": "1"},
    )
    assert "Create 1 draft" in again.content.decode()
    done = importer_client.post(
        reverse(IMPORT_URL), {"payload": again.context["payload"], f"heading:{key}": "barrier"}
    )
    assert "1 draft case studies created" in done.content.decode()
    assert list(CaseStudy.objects.get().points.values_list("kind", "text")) == [
        ("barrier", "A synthetic slow-down.")
    ]
