"""The editors' admin has a Content-Security-Policy too: scripts only from the portal, and the
preview gets the public pages' strict policy, so a Markdown image from another host is blocked.
(tests/browser/test_admin_content_security_policy.py checks the admin still works under it.)"""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def directives(response):
    header = response.headers.get("Content-Security-Policy")
    assert header, "the page should have a Content-Security-Policy"
    return {
        name: values
        for name, *values in (part.split() for part in header.split(";") if part.strip())
    }


def test_admin_pages_allow_scripts_only_from_the_portal(client, site_admin):
    client.force_login(site_admin)
    for url in (
        reverse("admin:index"),
        reverse("admin:casestudies_casestudy_changelist"),
        reverse("admin:casestudies_casestudy_add"),
    ):
        policy = directives(client.get(url))
        assert policy["script-src"] == ["'self'"], url
        assert policy["object-src"] == ["'none'"], url
        assert policy["frame-ancestors"] == ["'none'"], url


def test_the_sign_in_page_has_the_policy(client):
    policy = directives(client.get(reverse("admin:login")))
    assert policy["script-src"] == ["'self'"]


def test_preview_blocks_a_markdown_image_from_another_host(client, lead_east, essex_draft):
    essex_draft.narrative = "Carers met.\n\n![Tracking pixel](https://tracker.example.net/p.gif)"
    essex_draft.save()
    client.force_login(lead_east)
    url = reverse("admin:casestudies_casestudy_preview", args=[essex_draft.pk])
    response = client.get(url)
    # The image is in the page; only the policy keeps the browser from fetching it.
    assert '<img src="https://tracker.example.net/p.gif"' in response.content.decode()
    policy = directives(response)
    assert policy["img-src"] == ["'self'", "data:"]
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    # Not even the admin's few allowances (style attributes, one export-page handler).
    assert "style-src-attr" not in policy
    assert "script-src-attr" not in policy
