"""Every page type has zero axe-core violations (WCAG 2.2 A and AA rules), and a keyboard-only
visitor can search, filter, open a result and come back. axe-core's script ships inside the
axe-playwright-python package: nothing is downloaded at run time."""

import pytest
from django.conf import settings

from tests.helpers import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_every_page_type_has_no_axe_violations(page, pages, screenshot):
    failures = {}
    for name, url in pages.items():
        page.goto(url)
        assert page.locator("h1").count() == 1, name
        violations = axe_violations(page)
        if violations:
            failures[name] = violations
        screenshot(f"a11y-{name}")
    assert failures == {}


def test_locked_out_page_has_no_axe_violations(page, screenshot):
    # django-axes shows it in place of the admin's sign-in page after repeated failures.
    page.goto("/admin/login/")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        page.fill("#id_username", "x")
        page.fill("#id_password", "wrong")
        with page.expect_navigation():
            page.press("#id_password", "Enter")
    assert page.locator("h1").inner_text() == "Signing in is paused for this account"
    assert axe_violations(page) == []
    screenshot("a11y-locked-out")


def test_keyboard_only_search_filter_open_and_back(page, pages):
    page.goto(pages["list"])
    # Reach the search box by keyboard alone and search.
    for _ in range(30):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "search-q":
            break
    else:
        pytest.fail("the search box could not be reached with Tab")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none", "focus must be visible"
    page.keyboard.type("carers")
    page.keyboard.press("Enter")
    page.wait_for_url("**q=carers**")
    # Tick the Essex council filter by keyboard and apply.
    page.locator("summary", has_text="Council").focus()
    page.keyboard.press("Enter")
    page.locator("#council-essex").focus()
    page.keyboard.press("Space")
    page.get_by_role("button", name="Apply filters").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**council=essex**")
    assert "1 case study" in page.locator("#result-count").inner_text()
    # Open the result by keyboard, then go back.
    link = page.get_by_role("link", name="Redesign of direct payment support")
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/case-studies/redesign-of-direct-payment-support/")
    page.go_back()
    assert "council=essex" in page.url
    assert "1 case study" in page.locator("#result-count").inner_text()


def test_shared_address_shows_the_same_results_elsewhere(browser, live_server, pages):
    url = live_server.url + pages["list"] + "?q=carers&region=east-of-england&council=norfolk"
    seen = []
    for _ in range(2):
        context = browser.new_context()
        other = context.new_page()
        other.goto(url)
        seen.append(other.locator("main").inner_text())
        context.close()
    assert seen[0] == seen[1]
    assert "Norfolk carers forum" in seen[0]
