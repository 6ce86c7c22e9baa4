"""Importing a report whose councils are printed in any spelling the register knows: the
council and its region are found without being told."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from casestudies.models import CaseStudy
from casestudies.report_import.parsing import council_names_in, parse_report
from casestudies.report_import.reading import read_report_file
from casestudies.report_import.service import report_import
from councils.models import Council
from councils.names import NameIndex
from tests.helpers import (
    load_seed_councils,
    make_synthetic_council,
    seed_file,
    synthetic_report_under,
)

IMPORT_URL = "admin:casestudies_casestudy_import_report"


@pytest.fixture
def register(db):
    """The 153 councils of England, with the register's other spellings."""
    call_command("load_councils", stdout=io.StringIO())


def lines_of(text):
    return read_report_file("synthetic.txt", text.encode())


def import_command(tmp_path, text, *options):
    report = tmp_path / "synthetic.txt"
    report.write_text(text, encoding="utf-8")
    out = io.StringIO()
    call_command("import_report", str(report), *options, stdout=out)
    return out.getvalue()


def admin_preview(client, text):
    """The admin's preview of a report uploaded as a file (nothing is written)."""
    return client.post(
        reverse(IMPORT_URL), {"file": SimpleUploadedFile("synthetic.txt", text.encode())}
    )


def imported(heading):
    return CaseStudy.objects.get(title=f"Synthetic case study under {heading}")


# ------------------------------------------------------------------ the command, no --region


def test_norfolk_and_peterborough_import_into_the_east_of_england_without_a_region(
    register, tmp_path
):
    out = import_command(
        tmp_path, synthetic_report_under("Norfolk County Council", "Peterborough City Council")
    )
    assert "2 drafts created, 0 already imported." in out
    assert "Councils: Norfolk County Council" in out
    assert "Councils: Peterborough City Council" in out
    norfolk = imported("Norfolk County Council")
    peterborough = imported("Peterborough City Council")
    assert [council.slug for council in norfolk.councils.all()] == ["norfolk"]
    assert [council.slug for council in peterborough.councils.all()] == ["peterborough"]
    assert norfolk.region.slug == peterborough.region.slug == "east-of-england"


@pytest.mark.parametrize(
    ("heading", "council", "region"),
    [
        ("Leeds City Council", "leeds", "yorkshire-and-the-humber"),
        ("Essex CC", "essex", "east-of-england"),
        ("Thurrock Borough Council", "thurrock", "east-of-england"),
        ("Bath & North East Somerset UA", "bath-and-north-east-somerset", "south-west"),
        ("London Borough of Barking and Dagenham", "barking-and-dagenham", "london"),
    ],
)
def test_a_council_printed_in_another_spelling_is_found_with_its_region(
    register, tmp_path, heading, council, region
):
    out = import_command(tmp_path, synthetic_report_under(heading))
    assert "1 draft created" in out
    draft = imported(heading)
    assert [found.slug for found in draft.councils.all()] == [council]
    assert draft.region.slug == region
    assert "not in the portal" not in draft.editor_notes


def test_the_admin_preview_names_the_councils_and_regions_found(register, client, site_admin):
    client.force_login(site_admin)
    report = synthetic_report_under("Essex CC", "Thurrock Borough Council", "Leeds City Council")
    preview = admin_preview(client, report)
    outcomes = preview.context["result"].outcomes
    assert [[council.name for council in outcome.councils] for outcome in outcomes] == [
        ["Essex County Council"],
        ["Thurrock Council"],
        ["Leeds City Council"],
    ]
    assert [outcome.unknown_councils for outcome in outcomes] == [[], [], []]
    html = preview.content.decode()
    assert "Region: East of England" in html
    assert "Region: Yorkshire and the Humber" in html
    assert "Create 3 drafts" in html
    assert "not in the portal" not in html
    assert CaseStudy.objects.count() == 0


# ------------------------------------------------------------------ not guessed, not swapped


def test_a_name_two_councils_share_is_not_guessed(essex, norfolk, tmp_path, client, site_admin):
    shared = "Synthetic Shared Spelling"
    Council.objects.filter(pk__in=[essex.pk, norfolk.pk]).update(other_names=shared)
    report = synthetic_report_under(f"Norfolk County Council and {shared}")
    out = import_command(tmp_path, report, "--dry-run")
    assert (
        "Councils: Norfolk County Council, Synthetic Shared Spelling (matches more than one "
        "council: Essex County Council, Norfolk County Council)"
    ) in out

    client.force_login(site_admin)
    preview = admin_preview(client, report)
    (outcome,) = preview.context["result"].outcomes
    assert outcome.councils == [norfolk]
    assert outcome.unknown_councils == [shared]
    assert (
        "Synthetic Shared Spelling (matches more than one council: Essex County Council, "
        "Norfolk County Council)"
    ) in preview.content.decode()


def test_a_replaced_council_is_matched_and_the_person_is_told(
    norfolk, east, tmp_path, client, site_admin
):
    former = make_synthetic_council("Synthetic Former", region=east, replaced_by=norfolk)
    report = synthetic_report_under("Synthetic Former District Council")
    out = import_command(tmp_path, report, "--dry-run")
    assert (
        "Councils: Synthetic Former District Council (replaced by Norfolk County Council)"
    ) in out

    client.force_login(site_admin)
    preview = admin_preview(client, report)
    (outcome,) = preview.context["result"].outcomes
    assert outcome.councils == [former]  # not silently swapped
    assert (
        "Synthetic Former District Council (replaced by Norfolk County Council)"
        in preview.content.decode()
    )

    import_command(tmp_path, report)
    draft = imported("Synthetic Former District Council")
    assert list(draft.councils.all()) == [former]
    assert (
        "Synthetic Former District Council was replaced by Norfolk County Council"
        in draft.editor_notes
    )


# ------------------------------------------------------------------ the parser


def test_council_headings_are_recognised_in_any_spelling_the_portal_knows(register):
    index = NameIndex(Council.objects.all())
    for heading in [
        "Essex CC",
        "Thurrock Borough Council",
        "Bath & North East Somerset UA",
        "London Borough of Barking and Dagenham",
        "Essex CC and Thurrock Borough Council",
    ]:
        assert council_names_in(heading, index), heading
    assert council_names_in("Essex CC and Thurrock Borough Council", index) == [
        "Essex CC",
        "Thurrock Borough Council",
    ]
    report = parse_report(
        lines_of(synthetic_report_under("Essex CC", "Bath & North East Somerset UA")),
        known_councils=index,
    )
    assert [(found.title, found.councils) for found in report.case_studies] == [
        ("Synthetic case study under Essex CC", ["Essex CC"]),
        (
            "Synthetic case study under Bath & North East Somerset UA",
            ["Bath & North East Somerset UA"],
        ),
    ]


def test_council_matching_is_linear_on_long_lines(register):
    index = NameIndex(Council.objects.all())
    long_name = "Essex " * 20_000 + "CC"
    assert index.match(long_name).council is None
    assert council_names_in(long_name, index) == []
    assert council_names_in("Council " * 20_000, index) == []
    # Paragraphs are at most 10,000 characters (reading.py).
    text = synthetic_report_under("Essex CC") + ("Essex and " * 999) + "Council\n"
    report = report_import(lines=lines_of(text), source_name="s.txt", by=None, dry_run=True)
    assert [council.slug for council in report.outcomes[0].councils] == ["essex"]


@pytest.mark.django_db
def test_the_east_of_england_collection_reads_the_same_with_the_whole_register(tmp_path):
    """Council headings in any spelling must not turn other lines of the collection into
    council headings: the same 26 case studies, with the same councils, as with the seed's."""
    load_seed_councils()
    path = seed_file("000")
    out = io.StringIO()
    call_command("import_report", str(path), "--dry-run", stdout=out)
    with_seed_councils = out.getvalue()
    call_command("load_councils", stdout=io.StringIO())
    out = io.StringIO()
    call_command("import_report", str(path), "--dry-run", stdout=out)
    assert "26 case studies found." in with_seed_councils
    assert out.getvalue() == with_seed_councils
