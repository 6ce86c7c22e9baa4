"""The editors' admin works under its Content-Security-Policy, for a site administrator: every
list and add page, a case study's change, history, compare, preview and workflow pages, and the
spreadsheet and report imports load without a violation, and the admin's scripts still run."""

import re

import pytest
import reversion
from django.contrib import admin
from django.urls import reverse

from tests.helpers import admin_has_add_page, sign_in_on

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def admin_page(page, site_admin, policy_violations):
    violations = policy_violations(page)
    sign_in_on(page, site_admin)
    page.violations = violations
    return page


@pytest.fixture
def case_study_with_history(full_case_study):
    for standfirst in ("First wording.", "Second wording."):
        with reversion.create_revision():
            full_case_study.standfirst = standfirst
            full_case_study.save()
    return full_case_study


def admin_urls(case_study):
    """Every model's list and add page, and each kind of page about one case study."""
    urls = [reverse("admin:index")]
    for model in admin.site._registry:
        info = model._meta.app_label, model._meta.model_name
        urls.append(reverse("admin:{}_{}_changelist".format(*info)))
        if admin_has_add_page(model):
            urls.append(reverse("admin:{}_{}_add".format(*info)))
    versions = reversion.models.Version.objects.get_for_object(case_study)
    pk = case_study.pk
    urls += [
        reverse("admin:casestudies_casestudy_change", args=[pk]),
        reverse("admin:casestudies_casestudy_history", args=[pk]),
        reverse("admin:casestudies_casestudy_compare", args=[pk])
        + f"?version_id1={versions[1].pk}&version_id2={versions[0].pk}",
        reverse("admin:casestudies_casestudy_preview", args=[pk]),
        reverse("admin:casestudies_casestudy_workflow", args=[pk, "archive"]),
        reverse("admin:casestudies_casestudy_import"),
        reverse("admin:casestudies_casestudy_export"),
        reverse("admin:casestudies_casestudy_import_report"),
        reverse("admin:casestudies_casestudy_recoverlist"),
    ]
    return urls


def test_no_admin_page_breaks_the_policy(admin_page, case_study_with_history):
    page = admin_page
    for url in admin_urls(case_study_with_history):
        response = page.goto(url)
        assert response.status == 200, url
        assert response.headers.get("content-security-policy"), url
    assert page.violations == [], "\n".join(page.violations)


def test_admin_scripts_still_work_under_the_policy(admin_page, essex):
    page = admin_page
    page.goto(reverse("admin:casestudies_casestudy_add"))
    # The slug follows the title (prepopulated fields).
    page.get_by_label("Title:").press_sequentially("Carers shape the respite offer")
    expect(page.get_by_label("Web address:")).to_have_value("carers-shape-the-respite-offer")
    # An autocomplete box opens and finds a council.
    page.locator(".field-councils .select2-selection").click()
    page.keyboard.type("Essex")
    expect(page.locator(".select2-results__option", has_text="Essex")).to_be_visible()
    page.keyboard.press("Escape")
    # "Add another" adds an inline row.
    group = page.locator("#points-learning-group")
    rows = group.locator("tr.form-row:not(.empty-form)")
    before = rows.count()
    group.get_by_role("button", name="Add another Point").click()
    expect(rows).to_have_count(before + 1)
    # The collapsed fieldsets open.
    page.get_by_text("List headings").click()
    expect(page.get_by_label(re.compile("learning", re.IGNORECASE)).first).to_be_visible()
    # The spreadsheet export's "Select all" box clears and ticks every field.
    page.goto(reverse("admin:casestudies_casestudy_export"))
    fields = page.locator('.selectable-field-export-row input[type="checkbox"]')
    assert fields.count() > 1
    page.locator("input.select-toggle").uncheck()
    assert fields.evaluate_all("boxes => boxes.filter(box => box.checked).length") == 0
    page.locator("input.select-toggle").check()
    assert fields.evaluate_all("boxes => boxes.every(box => box.checked)")
    assert page.violations == []
