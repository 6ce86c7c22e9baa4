"""The case study page and the list with what this part adds (metadata, reuse and citation,
"Get updates for this search") stay accessible at desktop and phone widths, and the
schema.org data block is not blocked by the Content-Security-Policy."""

import json

import pytest

from tests.helpers import page_problems

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_case_study_page_with_reuse_and_citation(page, full_case_study, policy_violations):
    violations = policy_violations(page)
    page.goto(full_case_study.get_absolute_url())
    citation = page.locator(".citation")
    assert "How to cite this case study" in page.locator("#cite").inner_text()
    assert "Last reviewed 15 January 2024" in citation.inner_text()
    data = json.loads(page.locator('script[type="application/ld+json"]').text_content())
    assert data["headline"] == full_case_study.title
    assert page_problems(page, "discovery", "case-study") == []
    assert violations == []


def test_list_offers_updates_for_this_search(page, full_case_study, policy_violations):
    violations = policy_violations(page)
    page.goto("/case-studies/?topic=carers")
    link = page.get_by_role("link", name="Get updates for this search")
    assert link.get_attribute("href") == "/feeds/case-studies/?topic=carers"
    assert page_problems(page, "discovery", "list") == []
    response = page.request.get(link.get_attribute("href"))
    assert response.headers["content-type"].startswith("application/atom+xml")
    assert full_case_study.title in response.text()
    assert violations == []
