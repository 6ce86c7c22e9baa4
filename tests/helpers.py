"""Helpers the tests share: builders for the small world, admin form data, the source documents.

Fixtures live in conftest.py files (which may use these helpers); test files import from here,
never from one another or from a conftest.
"""

import contextlib
import io
import os
import re
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend
from django.db import OperationalError
from django.urls import reverse

from casestudies.models import CaseStudy, Point, Status
from casestudies.permissions import roles_sync
from councils.models import Council, Region
from editorial.models import EditorProfile

# The source documents, kept outside the repository. Tests that read them skip without them,
# or fail with REQUIRE_SEEDS=1 (as in CI): go through seed_documents() or seed_file().
SEEDS = Path(settings.BASE_DIR).parent / "shared" / "seeds"
CONTENT = Path(settings.BASE_DIR) / "fixtures" / "content"
# Screenshots from the browser tests, to look at after a run.
ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"

# ------------------------------------------------------------------ the small world


def make_case_study(*, title, region, councils=(), status=Status.PUBLISHED, **fields):
    """A case study with the given councils; slug from the title."""
    slug = fields.pop("slug", None) or title.lower().replace(" ", "-")[:100]
    case_study = CaseStudy.objects.create(
        title=title,
        slug=slug,
        standfirst=fields.pop("standfirst", f"What happened in {title}."),
        region=region,
        status=status,
        **fields,
    )
    case_study.councils.set(councils)
    return case_study


def make_synthetic_council(short_name, *, region, **fields):
    """A clearly synthetic district council ("Synthetic Former District Council"), for tests of
    councils that were replaced: the register's councils are real and left as they are."""
    return Council.objects.create(
        name=f"{short_name} District Council",
        short_name=short_name,
        slug=short_name.lower().replace(" ", "-"),
        kind=Council.Kind.DISTRICT,
        region=region,
        **fields,
    )


def make_editor(username, role, *, councils=(), regions=()):
    """A staff account with one editorial role, covering the given councils or regions."""
    from django.contrib.auth.models import Group, Permission, User

    if not Group.objects.filter(name=role).exists():  # flushed by a transactional test
        roles_sync(group_model=Group, permission_model=Permission)
    # No password: tests sign in with force_login.
    user = User.objects.create(username=username, email=f"{username}@example.org", is_staff=True)
    user.groups.set([Group.objects.get(name=role)])
    profile = EditorProfile.objects.create(user=user)
    profile.councils.set(councils)
    profile.regions.set(regions)
    return user


def publishable_case_study(council, status, title="A case study"):
    """A complete case study (publishable) involving the council, in the given state."""
    case_study = make_case_study(
        title=f"{title} in {council.short_name}",
        region=council.region,
        councils=[council],
        status=status,
        narrative="What happened.",
    )
    Point.objects.create(case_study=case_study, kind=Point.Kind.LEARNING, order=1, text="Listen.")
    return case_study


# ------------------------------------------------------------------ the public pages


def stopped_by_the_time_limit(execute, sql, params, many, context):
    """A database execute wrapper that stops each statement reading the case studies' own
    table as the statement time limit stops a statement (SQLite's "interrupted", which
    `is_statement_timeout` recognises). Use with `connection.execute_wrapper(...)`."""
    if 'FROM "casestudies_casestudy"' in sql:
        try:
            raise sqlite3.OperationalError("interrupted")
        except sqlite3.OperationalError as cause:
            raise OperationalError("interrupted") from cause
    return execute(sql, params, many, context)


def titles(html):
    """The titles of the case studies a public page lists, in the order shown."""
    return re.findall(r'class="govuk-link" href="/case-studies/[^"]+/">([^<]+)</a></h3>', html)


# ------------------------------------------------------------------ the admin


def form_data(response):
    """The POST data a browser would send back for an unchanged admin change form (also one
    shown again after an error: then it holds what was posted)."""
    data = {}
    context = response.context
    for fieldset in context["adminform"]:
        for line in fieldset:
            for field in line:
                if field.is_readonly:
                    continue
                bound = field.field
                value = bound.value()
                if value is None:
                    continue
                data[bound.html_name] = (
                    [str(v) for v in value] if isinstance(value, list) else value
                )
    for inline in context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form  # bound when the form is shown again
        for name in management.fields:
            data[management.add_prefix(name)] = management[name].value()
        for form in formset.forms:
            for name in form.fields:
                value = form[name].value()
                if value is not None:
                    data[form.add_prefix(name)] = value
    return {key: value for key, value in data.items() if value is not False}


def csv_choice(form):
    """The value of the CSV option in an import or export form's format field."""
    return next(key for key, label in form.fields["format"].choices if label.lower() == "csv")


def spreadsheet_upload(client, text, name="case-studies.csv"):
    """The first step of the admin's spreadsheet (CSV) import: the file is read and checked,
    nothing is saved yet. Returns the response, with the confirm form if the check passed."""
    url = reverse("admin:casestudies_casestudy_import")
    csv_format = csv_choice(client.get(url).context["form"])
    upload = io.BytesIO(text.encode())
    upload.name = name
    return client.post(url, {"resource": "0", "format": csv_format, "import_file": upload})


def spreadsheet_confirm(client, response):
    """The second step: confirm the import checked in `response`, if it passed its check."""
    confirm = response.context and response.context.get("confirm_form")
    if confirm is not None:
        client.post(
            reverse("admin:casestudies_casestudy_process_import"),
            {**confirm.initial, "resource": "0"},
        )


def try_import(client, council):
    """Change a published entry's title through the admin's spreadsheet (CSV) import.

    Returns whether the title changed.
    """
    case_study = publishable_case_study(council, Status.PUBLISHED)
    if client.get(reverse("admin:casestudies_casestudy_import")).status_code != 200:
        return False
    rows = (
        "slug,title,standfirst,narrative,region,councils,stage\n"
        f"{case_study.slug},Imported title,{case_study.standfirst},What happened.,"
        f"{council.region.slug},{council.slug},in_progress\n"
    )
    spreadsheet_confirm(client, spreadsheet_upload(client, rows))
    return CaseStudy.objects.get(pk=case_study.pk).title == "Imported title"


# ------------------------------------------------------------------ the source documents


def seeds_missing(problem):
    """Skip the test saying what is missing, or fail it when REQUIRE_SEEDS=1 (as in CI)."""
    if os.environ.get("REQUIRE_SEEDS") == "1":
        pytest.fail(
            f"{problem}. REQUIRE_SEEDS=1 says the tests that read the source documents must "
            "run here: put the documents there, or unset REQUIRE_SEEDS to skip these tests.",
            pytrace=False,
        )
    pytest.skip(f"{problem}; tests that read the source documents need them.")


def seed_documents():
    """The folder of the source documents (../shared/seeds), if it is there."""
    if not SEEDS.is_dir():
        seeds_missing(f"The source documents are not in {SEEDS}")
    return SEEDS


def seed_file(prefix):
    """The source document whose name starts with `prefix`, if it is there."""
    matches = sorted(seed_documents().glob(f"{prefix}_*.txt"))
    if not matches:
        seeds_missing(f"There is no source document {prefix}_*.txt in {SEEDS}")
    return matches[0]


def load_seed_councils():
    """The councils of the seed content (regions come from the data migration)."""
    data = yaml.safe_load((CONTENT / "councils.yaml").read_text(encoding="utf-8"))
    for entry in data["councils"]:
        Council.objects.get_or_create(
            slug=entry["slug"],
            defaults={
                "name": entry["name"],
                "short_name": entry["short_name"],
                "kind": entry["kind"],
                "region": Region.objects.get(slug=entry["region"]),
            },
        )


# A clearly synthetic report in the layout the importer reads: invented councils' work,
# invented people at example.org addresses.
SYNTHETIC_REPORT = """\
A synthetic report for testing the importer

Essex County Council

Synthetic case study one: a test title

A one-line summary of the synthetic case study.

The story of the synthetic case study, told in a paragraph.

- a bullet in the narrative

What was the learning that supported success?

- Synthetic learning point one.
- Synthetic learning point two, which the PDF
 wrapped onto a second line.

What were the conditions for success?

- Synthetic condition.

Contact: Test Person One – test.one@example.org and Test Person Two - test.two@example.org

Further information:

Synthetic link title (example.org)

https://example.org/synthetic

Essex County Council

Synthetic case study two: no barriers

Another one-line summary.

What was the learning that supported success?

A learning point printed without its bullet marker.

What were the challenges?

- A synthetic challenge.

17

Contact: Test Person Three – test.three@example.org
"""


# ------------------------------------------------------------------ the production server


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url):
    with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - local test server
        return response.status, response.headers, response.read().decode()


@contextlib.contextmanager
def production_server(tmp_path, env, *, migrate=True):
    """Gunicorn with the production settings, as `make serve-prod` and the Dockerfile run it
    (collectstatic, migrate, gunicorn.conf.py, DEBUG off), on a free port; yields its address.

    `env` names the database (DATABASE_URL) and may set anything else, e.g. WEB_CONCURRENCY.
    """
    port = free_port()
    env = {
        **{k: v for k, v in os.environ.items() if k != "DATABASE_URL"},
        "DEBUG": "0",
        "SECRET_KEY": "test-only-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SITE_URL": "http://127.0.0.1",
        "STATIC_ROOT": str(tmp_path / "static"),
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        **env,
    }
    manage = [sys.executable, "manage.py"]
    steps = [["collectstatic", "--no-input", "-v0"]] + (
        [["migrate", "--no-input", "-v0"]] if migrate else []
    )
    for command in steps:
        subprocess.run(manage + command, env=env, cwd=settings.BASE_DIR, check=True)
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "--config", "gunicorn.conf.py"],
        env=env,
        cwd=settings.BASE_DIR,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _attempt in range(100):
            if server.poll() is not None:
                pytest.fail(f"gunicorn exited early:\n{server.stdout.read()}")
            try:
                fetch(base + "/")
                break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.fail("gunicorn did not answer")
        yield base
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=20)
        print(output)


# ------------------------------------------------------------------ the browser

# The password every editor signs in with in the browser tests (sign_in sets it).
SIGN_IN_PASSWORD = "browser-password-1"


def admin_has_add_page(model):
    """Whether the admin has an add page for `model`: not for the read-only ones, django-axes'
    records of sign-in attempts, invitations (sent from the editors' area) and the heading
    choices remembered for publishers (made in the import preview)."""
    return model._meta.app_label != "axes" and model._meta.label not in (
        "editorial.Invitation",
        "casestudies.HeadingChoice",
    )


def change_url(case_study):
    """The case study's change page in the admin."""
    return reverse("admin:casestudies_casestudy_change", args=[case_study.pk])


def sign_in_on(page, user):
    """Sign `user` in to the admin on `page`, having given them the browser tests' password."""
    user.set_password(SIGN_IN_PASSWORD)
    user.save()
    page.goto("/admin/login/")
    page.get_by_label("Username").fill(user.get_username())
    page.get_by_label("Password").fill(SIGN_IN_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r"/admin/$"))
    return page


def click(page, name, role="button"):
    """Click the button (or link, with role="link") named exactly `name`; wait for the next page."""
    with page.expect_navigation():
        page.get_by_role(role, name=name, exact=True).click()


def open_section(page, title):
    """Follow a task list's link to one section of the guided form; its heading is the title."""
    from playwright.sync_api import expect

    click(page, title, role="link")
    expect(page.get_by_role("heading", level=1)).to_have_text(title)


def save_screenshot(page, folder, name, *, part=None):
    """Save a full-page screenshot as test-artifacts/<folder>/<name>.png (folder "" for
    test-artifacts itself), to look at after a run. With `part` (a locator), only that part."""
    path = ARTIFACTS / folder / f"{name}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    if part is None:
        page.screenshot(path=str(path), full_page=True)
    else:
        part.screenshot(path=str(path))
    return path


# ------------------------------------------------------------------ accessibility

# The axe-core rules of WCAG 2.2 levels A and AA.
WCAG = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]}
}


def axe_violations(page):
    """What axe-core finds wrong on the page in the browser, one line per rule broken."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options=WCAG)
    return [
        f"{violation['id']}: {violation['help']} "
        f"({[node['target'] for node in violation['nodes']]})"
        for violation in results.response["violations"]
    ]


def page_problems(page, folder, name, widths=(1280, 390)):
    """What is wrong with the page at each width: axe-core violations and anything wider than the
    window, one line each, naming the page and the width. Saves a screenshot at each width
    (test-artifacts/<folder>/<name>-<width>.png) and leaves the window at the first width."""
    height = page.viewport_size["height"]
    problems = []
    for width in widths:
        page.set_viewport_size({"width": width, "height": height})
        problems += [f"{name} at {width}: {violation}" for violation in axe_violations(page)]
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        if overflow > 0:
            problems.append(f"{name} at {width}: {overflow} pixels wider than the window")
        save_screenshot(page, folder, f"{name}-{width}")
    page.set_viewport_size({"width": widths[0], "height": height})
    return problems


def synthetic_report_under(*headings):
    """A clearly synthetic report with one case study under each council heading, as printed
    (any spelling): the layout the importer reads, example.org contacts."""
    return "A synthetic report for testing the importer\n\n" + "".join(
        f"{heading}\n\nSynthetic case study under {heading}\n\n"
        f"A one-line summary of the synthetic case study under {heading}.\n\n"
        "What were the barriers?\n\n- A synthetic barrier.\n\n"
        f"Contact: Test Person {number} – test.{number}@example.org\n\n"
        for number, heading in enumerate(headings, start=1)
    )


class RefusingEmailBackend(BaseEmailBackend):
    """An e-mail server that is down: every send fails (settings.EMAIL_BACKEND =
    "tests.helpers.RefusingEmailBackend")."""

    def send_messages(self, messages):
        raise ConnectionRefusedError("the e-mail server is down")
