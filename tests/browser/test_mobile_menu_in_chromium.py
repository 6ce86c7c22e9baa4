"""The header's menu collapses behind a "Menu" button on a narrow screen. GOV.UK Frontend's
script decides what "narrow" is from the breakpoints at the top of the vendored CSS, so a
build that spoils that first rule (a byte order mark after the banner did) leaves the menu open
and the button hidden."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_menu_collapses_on_a_phone_and_opens_with_its_button(page):
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto("/")
    navigation = page.get_by_role("navigation", name="Main menu")
    councils = navigation.get_by_role("link", name="Councils", exact=True)
    menu = page.get_by_role("button", name="Menu")
    expect(menu).to_be_visible()
    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(councils).to_be_hidden()
    menu.click()
    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(councils).to_be_visible()


def test_menu_is_open_without_a_button_on_a_wide_screen(page):
    page.goto("/")
    expect(page.get_by_role("button", name="Menu")).to_be_hidden()
    navigation = page.get_by_role("navigation", name="Main menu")
    expect(navigation.get_by_role("link", name="Councils", exact=True)).to_be_visible()
