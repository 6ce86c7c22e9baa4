"""The public pages work under a strict Content-Security-Policy: no page needs inline code."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_no_public_page_breaks_the_policy(page, pages, policy_violations):
    violations = policy_violations(page)
    for url in pages.values():
        # goto() returns after the load event: the page, its styles, images and scripts are in,
        # and the browser has reported anything the policy blocked.
        page.goto(url)
        # The enhancement script ran (it is an external module, allowed by the policy).
        assert page.evaluate("document.body.classList.contains('js-enabled')"), url
    assert violations == []
