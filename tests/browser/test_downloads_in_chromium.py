"""The list's download links and the data dictionary in a real browser, with the real world
loaded: no axe-core violations and no sideways scrolling, at desktop and phone widths, and a
download that is the file the list promises."""

import csv

import pytest

from tests.helpers import page_problems, save_screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_list_offers_this_search_as_a_file_and_the_file_holds_it(page, seed_world):
    page.goto("/case-studies/?topic=carers")
    count = page.locator("#result-count").inner_text().split()[0]
    downloads = page.locator(".downloads")
    assert downloads.get_by_role("heading").inner_text() == f"Download these {count} case studies"
    with page.expect_download() as download:
        downloads.get_by_role("link", name="CSV file, for spreadsheets").click()
    assert download.value.suggested_filename.startswith("case-studies-")
    with open(download.value.path(), encoding="utf-8-sig", newline="") as file:
        rows = list(csv.DictReader(file))
    assert len(rows) == int(count)
    assert all("Support for carers" in row["topics"] for row in rows)
    assert page_problems(page, "downloads", "list-with-downloads") == []
    save_screenshot(page, "downloads", "list-download-links", part=downloads)


def test_the_data_dictionary_has_no_problems_at_either_width(page, seed_world):
    page.goto("/case-studies/")
    page.get_by_role("link", name="What the files hold").click()
    assert page.locator("h1").inner_text() == "Download case studies: what the files hold"
    example = page.locator("#column-council_gss_codes .data-dictionary__example").inner_text()
    assert example.startswith("Example: E0")
    assert page_problems(page, "downloads", "data-dictionary") == []
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        for part in ("#filters + p + table", "#column-learning", "#column-links"):
            name = f"data-dictionary-{part.split('-')[-1].strip('#').split()[0]}-{width}"
            save_screenshot(page, "downloads", name, part=page.locator(part))
