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
    expect(page.get_by_text("Synthetic case study two: no barriers")).to_have_count(1)
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
