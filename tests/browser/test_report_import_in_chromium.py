"""Importing a report through the admin in a real browser: upload, preview, confirm."""

import pytest

from casestudies.models import CaseStudy, Status
from editorial.roles import REGIONAL_LEAD
from tests.helpers import SYNTHETIC_REPORT, make_editor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_regional_lead_uploads_previews_and_confirms(
    page, screenshot, essex, publication, tmp_path
):
    from playwright.sync_api import expect  # imported here: without Playwright, tests skip

    lead = make_editor("regional.lead", REGIONAL_LEAD, regions=[essex.region])
    lead.set_password("a-test-pw")
    lead.save()
    report = tmp_path / "synthetic-report.txt"
    report.write_text(SYNTHETIC_REPORT, encoding="utf-8")

    page.goto("/admin/login/?next=/admin/casestudies/casestudy/")
    page.get_by_label("Username").fill("regional.lead")
    page.get_by_label("Password").fill("a-test-pw")
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("link", name="Import a report").click()
    expect(page.get_by_role("heading", name="Import case studies from a report")).to_be_visible()

    page.get_by_label("Report file").set_input_files(str(report))
    page.get_by_label("Publication").select_option(label=str(publication))
    page.get_by_role("button", name="Preview").click()
    expect(page.get_by_role("heading", name="Preview of “synthetic-report.txt”")).to_be_visible()
    outcomes = page.locator("#import-outcomes")
    expect(outcomes.get_by_text("Synthetic case study two: no barriers")).to_have_count(1)
    screenshot("report-import-preview")
    assert CaseStudy.objects.count() == 0

    page.get_by_role("button", name="Create 2 drafts").click()
    expect(page.get_by_text("2 draft case studies created")).to_be_visible()
    screenshot("report-import-done")
    assert CaseStudy.objects.filter(status=Status.DRAFT).count() == 2

    page.get_by_role("link", name="Synthetic case study one: a test title").click()
    expect(page.get_by_label("Editor notes")).to_be_visible()
    assert "Imported from “synthetic-report.txt”" in page.get_by_label("Editor notes").input_value()


def test_preview_names_councils_found_in_other_spellings(page, nine_regions, tmp_path):
    """With the register loaded: "Essex CC" and "Leeds City Council" found with their regions,
    a replaced council said to be replaced. Checked with axe at 1280 and 390 pixels wide."""
    import io

    from django.core.management import call_command
    from playwright.sync_api import expect

    from councils.models import Council
    from editorial.roles import SITE_ADMINISTRATOR
    from tests.helpers import (
        make_synthetic_council,
        page_problems,
        sign_in_on,
        synthetic_report_under,
    )

    call_command("load_councils", stdout=io.StringIO())
    norfolk = Council.objects.get(slug="norfolk")
    make_synthetic_council("Synthetic Former", region=norfolk.region, replaced_by=norfolk)
    report = tmp_path / "synthetic-spellings.txt"
    report.write_text(
        synthetic_report_under(
            "Essex CC", "Leeds City Council", "Synthetic Former District Council"
        ),
        encoding="utf-8",
    )
    sign_in_on(page, make_editor("site.admin", SITE_ADMINISTRATOR))
    page.goto("/admin/casestudies/casestudy/import-report/")
    page.get_by_label("Report file").set_input_files(str(report))
    page.get_by_role("button", name="Preview").click()
    outcomes = page.locator("#import-outcomes")
    expect(outcomes).to_contain_text("Essex County Council")
    expect(outcomes).to_contain_text("Region: Yorkshire and the Humber")
    expect(outcomes).to_contain_text(
        "Synthetic Former District Council (replaced by Norfolk County Council)"
    )
    expect(page.get_by_role("button", name="Create 3 drafts")).to_be_visible()
    assert page_problems(page, "report-import", "preview-other-spellings") == []


def test_lead_imports_a_pdf_in_another_house_style_and_places_a_heading_it_did_not_know(
    page, nine_regions, publication, tmp_path
):
    """A lead uploads the practice examples as a PDF: three case studies, each list in its
    place, without choosing anything. Then a report with a heading no vocabulary knows: the
    lead places it under "Barriers", previews again and confirms. Checked with axe at 1280 and
    390 pixels wide."""
    from pathlib import Path

    from playwright.sync_api import expect

    from casestudies.models import HeadingChoice
    from councils.models import Region
    from tests.helpers import load_seed_councils, page_problems, sign_in_on
    from tests.test_report_import_choices import UNKNOWN_HEADING, choices_report

    load_seed_councils()
    lead = make_editor(
        "east.lead", REGIONAL_LEAD, regions=[Region.objects.get(slug="east-of-england")]
    )
    sign_in_on(page, lead)

    page.goto("/admin/casestudies/casestudy/import-report/")
    practice = Path(__file__).resolve().parents[1] / "data" / "reports" / "practice_examples.pdf"
    page.get_by_label("Report file").set_input_files(str(practice))
    page.get_by_role("button", name="Preview").click()
    expect(page.get_by_role("heading", name="Preview of “practice_examples.pdf”")).to_be_visible()
    outcomes = page.locator("#import-outcomes")
    expect(outcomes).to_contain_text("Equipment ambassadors for a community equipment service")
    expect(outcomes).to_contain_text("Cambridgeshire County Council")
    expect(outcomes).to_contain_text("Peterborough City Council")
    expect(
        page.get_by_role("heading", name="Headings the importer did not recognise")
    ).to_have_count(0)
    assert page_problems(page, "report-import", "preview-practice-examples-pdf") == []
    page.get_by_role("button", name="Create 3 drafts").click()
    expect(page.get_by_text("3 draft case studies created")).to_be_visible()
    assert CaseStudy.objects.filter(status=Status.DRAFT).count() == 3

    report = tmp_path / "synthetic-choices.md"
    report.write_text(choices_report(1), encoding="utf-8")
    page.goto("/admin/casestudies/casestudy/import-report/")
    page.get_by_label("Report file").set_input_files(str(report))
    page.get_by_label("Publication").select_option(label=str(publication))
    page.get_by_role("button", name="Preview").click()
    expect(
        page.get_by_role("heading", name="Headings the importer did not recognise")
    ).to_be_visible()
    assert page_problems(page, "report-import", "preview-unrecognised-heading") == []
    page.get_by_label(UNKNOWN_HEADING).select_option(label="Barriers: what got in the way")
    page.get_by_role("button", name="Preview again with these choices").click()
    expect(page.locator("#import-outcomes")).to_contain_text("Barriers: 1")
    page.get_by_role("button", name="Create 1 draft").click()
    expect(page.get_by_text("1 draft case studies created")).to_be_visible()
    draft = CaseStudy.objects.get(title__startswith="Synthetic case study 1")
    assert list(draft.points.filter(kind="barrier").values_list("text", flat=True)) == [
        "Synthetic slow-down point 1."
    ]
    assert HeadingChoice.objects.get(publisher=publication.publisher).role == "barrier"
