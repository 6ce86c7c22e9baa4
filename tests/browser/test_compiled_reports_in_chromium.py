"""A compiled report in a real browser: from the filtered list to the form, then the page to
print. No axe-core violations and no sideways scrolling, at desktop and phone widths."""

import pytest
from django.core.management import call_command

from tests.helpers import page_problems, save_screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_from_a_filtered_list_to_a_page_to_print(page, nine_regions):
    call_command("load_seed_content", verbosity=0)
    page.goto("/case-studies/?council=essex")
    page.get_by_role("link", name="Make a report of these case studies").click()
    assert page.locator("h1").inner_text() == "Make a report of these case studies"
    assert page.get_by_label("Title").input_value() == "Co-production case studies: Council: Essex"
    assert page_problems(page, "compiled-reports", "form") == []

    page.get_by_label("Introduction (optional)").fill("Essex's work with its residents.")
    page.get_by_label("Web page to print or save").check()
    page.get_by_role("button", name="Make the report").click()
    assert page.locator("h1").inner_text() == "Co-production case studies: Council: Essex"
    assert page.get_by_role("heading", name="Essex County Council", level=2).is_visible()
    assert page.get_by_role("heading", name="Redesign of Direct Payment Support offer").count() == 1
    assert page_problems(page, "compiled-reports", "page-to-print") == []
    page.emulate_media(media="print")
    save_screenshot(page, "compiled-reports", "page-to-print-as-printed")


def test_errors_at_their_fields_and_the_page_for_too_many_reports(page, nine_regions, settings):
    call_command("load_seed_content", verbosity=0)
    settings.COMPILED_REPORT_RATE_LIMIT = "1/hour"  # every form sent counts
    page.goto("/case-studies/report/?council=essex")
    page.get_by_label("Title").fill("")
    page.get_by_role("button", name="Make the report").click()
    assert page.locator("#title-error").is_visible()
    assert page.get_by_label("Word document (.docx)").is_checked()  # the choice is kept
    assert page_problems(page, "compiled-reports", "form-with-an-error") == []

    page.get_by_label("Title").fill("Essex")
    page.get_by_label("Web page to print or save").check()
    page.get_by_role("button", name="Make the report").click()
    assert page.locator("h1").inner_text() == "Too many reports in a short time"
    assert page_problems(page, "compiled-reports", "too-many-reports") == []
