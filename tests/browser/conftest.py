"""Playwright for Python driving Debian's Chromium (its own browser download cannot be used).

Without Chromium the browser tests skip with a message saying how to install it; with
REQUIRE_BROWSER=1 (as in CI) they fail instead, so they can never be skipped silently there.
"""

import io
import os
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from casestudies.models import Status
from tests.helpers import make_case_study, save_screenshot, sign_in_on

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

# Playwright's sync API runs an event loop in this thread; Django's live server tests touch
# the database from the same thread, which Django would otherwise refuse.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_itemcollected(item):
    """Every test in this folder is end to end: a real browser against a live server."""
    item.add_marker(pytest.mark.e2e)


def chromium_missing_reason():
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        return f"Chromium not found at {CHROMIUM}: install it with `apt-get install chromium`"
    try:
        import playwright  # noqa: F401
    except ImportError:
        return "Playwright for Python is not installed (pip install -e '.[dev]')"
    return None


@pytest.fixture(scope="session")
def browser():
    reason = chromium_missing_reason()
    if reason:
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(f"Browser tests are required here but cannot run. {reason}")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def sign_in(browser, live_server, django_user_model):
    """sign_in(username): the admin, signed in as that editor in a browser window of its own."""
    contexts = []

    def open_as(username):
        context = browser.new_context(
            base_url=live_server.url, viewport={"width": 1280, "height": 900}
        )
        contexts.append(context)
        return sign_in_on(context.new_page(), django_user_model.objects.get(username=username))

    yield open_as
    for context in contexts:
        context.close()


@pytest.fixture
def seed_world(nine_regions):
    """The real world: the seed content and the register of councils."""
    call_command("load_seed_content", verbosity=0)
    call_command("load_councils", stdout=io.StringIO())


@pytest.fixture
def policy_violations():
    """watch(page): a list that fills with what the page's Content-Security-Policy blocks, as
    Chromium reports it on the console."""

    def watch(page):
        violations = []
        page.on(
            "console",
            lambda message: (
                violations.append(f"{page.url}: {message.text}")
                if "Content Security Policy" in message.text
                else None
            ),
        )
        return violations

    return watch


@pytest.fixture
def screenshot(page):
    """Save a full-page screenshot under test-artifacts/, to look at after the run."""

    def take(name):
        return save_screenshot(page, "", name)

    return take


@pytest.fixture
def pages(full_case_study, charter, norfolk, east):
    """One URL of every public page type, with content to show."""
    make_case_study(title="Norfolk carers forum", region=east, councils=[norfolk]).topics.add(
        *full_case_study.topics.all()
    )
    archived = make_case_study(title="Carers cafe", region=east, status=Status.ARCHIVED)
    return {
        "home": "/",
        "list": reverse("casestudies:list"),
        "list-search-filter": reverse("casestudies:list") + "?q=carers&topic=carers&council=bad",
        "detail": full_case_study.get_absolute_url(),
        "council-list": reverse("councils:list"),
        "council": full_case_study.councils.first().get_absolute_url(),
        "region": east.get_absolute_url(),
        "topic": "/topics/carers/",
        "approach": "/approaches/wtfc/",
        "resources": reverse("casestudies:resource-list"),
        "resource": charter.get_absolute_url(),
        "publications": reverse("casestudies:publication-list"),
        "publication": full_case_study.publication.get_absolute_url(),
        "archived": archived.get_absolute_url(),
        "not-found": "/no-such-page/",
        "about-data": reverse("about-data"),
    }
