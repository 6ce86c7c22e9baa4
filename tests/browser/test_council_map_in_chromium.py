"""The map of England in a real browser, with the 153 councils and the seed content: no axe
violations at 1280 and 390 pixels wide, every council's circle reached with Tab and showing
where the focus is, and the councils page working with JavaScript turned off."""

import io

import pytest
from django.core.management import call_command

from casestudies.models import CaseStudy
from councils.models import Council
from tests.helpers import page_problems, save_screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MAP_LINKS = "figure.council-map svg.council-map__svg a"

# What has the focus: the link's name, whether it is a link on the map, and whether its ring
# (the focus style) is drawn.
FOCUSED = """() => {
  const link = document.activeElement;
  const onMap = link.matches('figure.council-map svg.council-map__svg a');
  const ring = onMap ? link.querySelector('.council-map__focus') : null;
  return {
    name: link.getAttribute('aria-label') || link.textContent.trim(),
    onMap,
    ringShown: ring ? getComputedStyle(ring).visibility === 'visible' : false,
  };
}"""


@pytest.fixture
def england(nine_regions):
    call_command("load_seed_content", verbosity=0)
    call_command("load_councils", stdout=io.StringIO())


@pytest.mark.parametrize(
    ("url", "name"),
    [
        ("/councils/", "councils"),
        ("/councils/?topic=carers&show=with-case-studies", "councils-carers"),
        ("/councils/?topic=no-such-topic", "councils-unknown-topic"),
        ("/", "home"),
    ],
)
def test_the_map_pages_have_no_accessibility_problems(page, england, url, name):
    page.goto(url)
    assert page.locator(MAP_LINKS).count() > 0
    assert page_problems(page, "council-map", name) == []
    save_screenshot(page, "council-map", f"{name}-map", part=page.locator("figure.council-map"))


@pytest.mark.parametrize("url", ["/councils/", "/"])
def test_every_circle_is_reached_with_tab_and_shows_the_focus(page, england, url):
    page.goto(url)
    names = page.eval_on_selector_all(MAP_LINKS, "links => links.map(l => l.ariaLabel)")
    assert len(names) == 153

    # From the last thing before the map, Tab through to the first thing after it.
    before = page.locator("figure.council-map").evaluate(
        "figure => { const prev = figure.previousElementSibling;"
        " prev.setAttribute('tabindex', '-1'); prev.focus(); return prev.tagName; }"
    )
    assert before
    reached = []
    for _ in range(len(names) + 5):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused["onMap"]:
            assert focused["ringShown"], focused["name"]
            reached.append(focused["name"])
        elif reached:
            break
    assert reached == names

    page.locator(f'{MAP_LINKS}[aria-label="Essex: 4 case studies"]').focus()
    save_screenshot(
        page,
        "council-map",
        "focus-on-essex" if url != "/" else "home-focus-on-essex",
        part=page.locator("svg.council-map__svg--england"),
    )


def test_the_councils_page_works_without_javascript(browser, live_server, england):
    about_carers = CaseStudy.objects.published().filter(topics__slug="carers")
    expected = sorted(
        council.short_name
        for council in about_carers.count_per(Council.objects.all())
        if council.case_study_count
    )
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 390, "height": 900}, java_script_enabled=False
    )
    page = context.new_page()
    try:
        page.goto("/councils/")
        assert page.locator(MAP_LINKS).count() == 153
        page.get_by_label("Topic", exact=True).select_option(label="Support for carers")
        page.get_by_label("Only councils with case studies").check()
        page.get_by_role("button", name="Show councils").click()

        assert page.url.endswith("/councils/?topic=carers&show=with-case-studies")
        assert page.locator("h2#shown").inner_text() == (
            f"{len(expected)} councils with case studies about Support for carers"
        )
        names = page.eval_on_selector_all(MAP_LINKS, "links => links.map(l => l.ariaLabel)")
        assert sorted(name.split(":")[0] for name in names) == expected
        save_screenshot(page, "council-map", "no-javascript-carers-390")

        first = page.locator(MAP_LINKS).first
        council = first.get_attribute("aria-label").split(":")[0]
        first.click()
        assert (
            page.locator("h1").inner_text().startswith(Council.objects.get(short_name=council).name)
        )
    finally:
        context.close()
