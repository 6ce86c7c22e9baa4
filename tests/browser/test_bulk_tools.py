"""The safer bulk tools in Chromium, as a regional lead uses them, with JavaScript off: the
report preview's "Create it anyway" box (outside the confirm form, tied to it by its `form`
attribute) and the spreadsheet import's "Import the valid rows" button, under the admin's
Content-Security-Policy."""

import pytest
from django.urls import reverse

from casestudies.models import CaseStudy, Status
from tests.helpers import SYNTHETIC_REPORT, make_case_study, sign_in_on

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def lead_page(browser, live_server, lead_east, policy_violations):
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 1280, "height": 900}, java_script_enabled=False
    )
    page = sign_in_on(context.new_page(), lead_east)
    page.violations = policy_violations(page)
    yield page
    context.close()


def test_a_lead_creates_a_duplicate_only_by_ticking_it(lead_page, essex, publication, tmp_path):
    page = lead_page
    make_case_study(
        publication=publication,  # from another document than the report (none chosen)
        title="Synthetic case study one: a test title",
        slug="already-here",
        region=essex.region,
        councils=[essex],
        status=Status.PUBLISHED,
    )
    report = tmp_path / "report.txt"
    report.write_text(SYNTHETIC_REPORT, encoding="utf-8")
    page.goto(reverse("admin:casestudies_casestudy_import_report"))
    page.get_by_label("Report file").set_input_files(str(report))
    page.get_by_role("button", name="Preview").click()
    assert page.get_by_text("Another case study already has this title.").is_visible()
    page.get_by_label("Create it anyway").check()
    page.get_by_role("button", name="Create 1 draft and any ticked").click()
    assert page.get_by_text("2 draft case studies created").is_visible()
    titles = CaseStudy.objects.filter(status=Status.DRAFT).values_list("title", flat=True)
    assert sorted(titles) == [
        "Synthetic case study one: a test title",
        "Synthetic case study two: no barriers",
    ]
    assert page.violations == []


def test_a_lead_imports_the_valid_rows_of_a_spreadsheet(lead_page, essex, tmp_path):
    page = lead_page
    spreadsheet = tmp_path / "case-studies.csv"
    spreadsheet.write_text(
        "Web address name,Title,Summary,Region,Councils,Stage of the work\n"
        "a-good-row,A good row,One line.,East of England,Essex,In progress\n"
        "a-bad-row,A bad row,One line.,Eastern,Essex,In progress\n",
        encoding="utf-8",
    )
    page.goto(reverse("admin:casestudies_casestudy_import"))
    page.get_by_label("File to import").set_input_files(str(spreadsheet))
    page.get_by_label("Format").select_option(label="csv")
    page.get_by_role("button", name="Submit").click()
    assert page.get_by_text("Row 3, column ‘Region’: no region called ‘Eastern’.").is_visible()
    page.get_by_role("button", name="Import the 1 valid row").click()
    assert page.get_by_text("1 row with errors left out.").is_visible()
    assert list(CaseStudy.objects.values_list("slug", flat=True)) == ["a-good-row"]
    assert page.violations == []
