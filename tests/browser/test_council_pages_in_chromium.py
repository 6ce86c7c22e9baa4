"""A council's page, a council with no case studies yet, a region's page and the page on how
to add a case study, in Chromium with the real register: no axe-core violations and no
horizontal scrolling at 1,280 and 390 pixels wide."""

import pytest

from tests.helpers import page_problems

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_council_region_and_how_to_add_pages(page, seed_world):
    problems = []

    page.goto("/councils/E10000012/")
    assert page.url.endswith("/councils/essex/")
    assert page.locator("h1").inner_text() == "Essex County Council"
    assert page.get_by_text("1,497,759 (mid-2020 estimate)").is_visible()
    assert page.get_by_role("heading", name="Similar councils").is_visible()
    problems += page_problems(page, "council-pages", "essex")

    page.goto("/councils/peterborough/")
    assert page.get_by_role("heading", name="Joint work").is_visible()
    assert page.get_by_role("link", name="Cambridgeshire County Council").count() == 1
    problems += page_problems(page, "council-pages", "peterborough")

    page.goto("/councils/leeds/")
    invitation = page.get_by_role("heading", name="Has your council co-produced something?")
    assert invitation.is_visible()
    problems += page_problems(page, "council-pages", "leeds")

    page.get_by_role("link", name="How to add a case study").click()
    assert page.locator("h1").inner_text() == "How to add a case study"
    problems += page_problems(page, "council-pages", "how-to-add")

    page.goto("/regions/east-of-england/")
    assert page.locator("h1").inner_text() == "East of England (Eastern)"
    problems += page_problems(page, "council-pages", "region")

    assert problems == []
