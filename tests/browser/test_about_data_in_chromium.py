"""The "About the data" page in a real browser, with the real world loaded: no axe-core
violations and no sideways scrolling, at desktop and phone widths."""

import io

import pytest
from django.core.management import call_command

from tests.helpers import page_problems

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_about_the_data_has_no_problems_at_either_width(page, nine_regions):
    call_command("load_seed_content", verbosity=0)
    call_command("load_councils", stdout=io.StringIO())
    page.goto("/")
    page.get_by_role("link", name="About the data").click()
    assert page.locator("h1").inner_text() == "About the data"
    assert page.get_by_role("link", name="Creative Commons Attribution 4.0 licence").is_visible()
    levels = page.eval_on_selector_all("h1, h2, h3", "els => els.map(e => Number(e.tagName[1]))")
    assert levels == [1, 2, 2, 2]
    assert page_problems(page, "about-data", "about-data") == []
