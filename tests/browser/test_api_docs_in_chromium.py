"""The API's documentation page in a real browser: no axe-core violations and no sideways
scrolling at desktop and phone widths, with every section open."""

import pytest

from tests.helpers import page_problems, save_screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_api_documentation_has_no_problems_at_either_width(page, full_case_study):
    page.goto("/api/")
    assert page.locator("h1").inner_text() == "Open data: the JSON API"
    page.get_by_role("link", name="List case studies").click()
    assert page.url.endswith("#case-studies-list")
    for summary in page.locator("summary").all():
        summary.click()
    levels = page.eval_on_selector_all(
        "main h1, main h2, main h3", "els => els.map(e => Number(e.tagName[1]))"
    )
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(later - earlier <= 1 for earlier, later in zip(levels, levels[1:], strict=False))
    assert page_problems(page, "api", "api-docs") == []
    # The opening, and the case study list's section with its fields shown, to look at.
    save_screenshot(
        page, "api", "api-docs-opening", part=page.locator("main .govuk-grid-row").first
    )
    section = page.locator(".govuk-grid-row", has=page.locator("#case-studies-list"))
    save_screenshot(page, "api", "api-docs-case-studies", part=section)
