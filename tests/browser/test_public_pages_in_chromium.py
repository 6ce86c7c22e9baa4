"""The public pages in a real browser: they render, and a keyboard user can get around."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_home_list_and_detail_render(page, screenshot, full_case_study):
    page.goto("/")
    assert page.locator("h1").inner_text() == "Co-production in adult social care"
    screenshot("home")

    page.get_by_role("link", name="Browse all case studies").click()
    assert page.locator("h1").inner_text() == "Case studies"
    page.get_by_role("link", name=full_case_study.title).click()
    assert page.locator("h1").inner_text() == full_case_study.title
    assert page.get_by_role("heading", name="What were the enablers?").is_visible()
    screenshot("case-study")


def test_skip_link_is_first_and_moves_focus_to_the_content(page, full_case_study):
    page.goto(full_case_study.get_absolute_url())
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused == "Skip to main content"
    assert page.get_by_role("link", name="Skip to main content").is_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main-content"


def test_one_h1_and_headings_in_order(page, full_case_study):
    page.goto(full_case_study.get_absolute_url())
    levels = page.eval_on_selector_all(
        "h1, h2, h3, h4, h5, h6", "els => els.map(e => Number(e.tagName[1]))"
    )
    assert levels.count(1) == 1 and levels[0] == 1
    assert all(later - earlier <= 1 for earlier, later in zip(levels, levels[1:], strict=False))
