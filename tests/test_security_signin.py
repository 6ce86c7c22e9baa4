"""Signing in to the editors' admin: failed attempts pause one user name from one address only,
the address is the real client's (behind the TLS proxy too), and sessions end after a day's work.

Over HTTP through the admin's sign-in page. The proxy appends the address it sees to
X-Forwarded-For and connects from its own address (REMOTE_ADDR).
"""

import pytest
from django.urls import reverse

PASSWORD = "the-right-password-9"
PROXY = "10.0.0.5"
CLIENT_A = "203.0.113.10"
CLIENT_B = "198.51.100.20"

pytestmark = pytest.mark.django_db


@pytest.fixture
def lead(django_user_model):
    return django_user_model.objects.create_user("lead.east", password=PASSWORD, is_staff=True)


@pytest.fixture
def behind_proxy(settings):
    settings.BEHIND_TLS_PROXY = True
    settings.TRUSTED_PROXY_COUNT = 1


@pytest.fixture
def no_proxy(settings):
    settings.BEHIND_TLS_PROXY = False


def sign_in(client, password, **meta):
    client.logout()
    return client.post(
        reverse("admin:login"),
        {"username": "lead.east", "password": password, "next": reverse("admin:index")},
        **meta,
    )


def fail_until_paused(client, settings, **meta):
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        response = sign_in(client, "wrong", **meta)
    assert response.status_code == 429, "the last failure should pause signing in"


def signed_in(response):
    return response.status_code == 302 and response["Location"] == reverse("admin:index")


def paused(response):
    return response.status_code == 429 and "Signing in is paused" in response.content.decode()


def through_proxy(forwarded_for):
    return {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": forwarded_for}


def test_behind_proxy_failures_from_one_client_do_not_lock_out_another(
    client, settings, lead, behind_proxy
):
    fail_until_paused(client, settings, **through_proxy(CLIENT_A))
    assert signed_in(sign_in(client, PASSWORD, **through_proxy(CLIENT_B)))
    assert paused(sign_in(client, PASSWORD, **through_proxy(CLIENT_A)))


def test_behind_proxy_a_forged_forwarded_address_cannot_choose_whom_to_lock_out(
    client, settings, lead, behind_proxy
):
    # Client A sends "X-Forwarded-For: B"; the proxy appends A, the address it really sees.
    fail_until_paused(client, settings, **through_proxy(f"{CLIENT_B}, {CLIENT_A}"))
    assert signed_in(sign_in(client, PASSWORD, **through_proxy(CLIENT_B)))
    assert paused(sign_in(client, PASSWORD, **through_proxy(f"{CLIENT_B}, {CLIENT_A}")))
    assert paused(sign_in(client, PASSWORD, **through_proxy(CLIENT_A)))


def test_behind_two_proxies_the_client_is_second_from_the_right(
    client, settings, lead, behind_proxy
):
    settings.TRUSTED_PROXY_COUNT = 2
    edge = "192.0.2.99"  # the outer proxy, which the inner one appends
    fail_until_paused(client, settings, **through_proxy(f"{CLIENT_B}, {CLIENT_A}, {edge}"))
    assert signed_in(sign_in(client, PASSWORD, **through_proxy(f"{CLIENT_B}, {edge}")))
    assert paused(sign_in(client, PASSWORD, **through_proxy(f"{CLIENT_A}, {edge}")))


def test_without_proxy_the_forwarded_header_is_ignored(client, settings, lead, no_proxy):
    fail_until_paused(client, settings, REMOTE_ADDR=CLIENT_A, HTTP_X_FORWARDED_FOR=CLIENT_B)
    # Claiming another address changes nothing: the connection's address is what counts.
    assert paused(sign_in(client, PASSWORD, REMOTE_ADDR=CLIENT_A, HTTP_X_FORWARDED_FOR="192.0.2.1"))
    assert paused(sign_in(client, PASSWORD, REMOTE_ADDR=CLIENT_A))
    assert signed_in(sign_in(client, PASSWORD, REMOTE_ADDR=CLIENT_B, HTTP_X_FORWARDED_FOR=CLIENT_A))


def test_without_proxy_failures_from_one_address_do_not_lock_out_another(
    client, settings, lead, no_proxy
):
    fail_until_paused(client, settings, REMOTE_ADDR=CLIENT_A)
    assert signed_in(sign_in(client, PASSWORD, REMOTE_ADDR=CLIENT_B))


@pytest.mark.parametrize(("hours", "words"), [(1, "1\xa0hour"), (3, "3\xa0hours")])
def test_locked_out_page_gives_the_configured_pause(client, settings, lead, hours, words):
    settings.AXES_COOLOFF_TIME = hours
    fail_until_paused(client, settings, REMOTE_ADDR=CLIENT_A)
    html = sign_in(client, PASSWORD, REMOTE_ADDR=CLIENT_A).content.decode()
    assert f"Try again in {words}" in html
    assert "an hour" not in html


def test_an_editors_session_lasts_twelve_hours(client, lead):
    response = sign_in(client, PASSWORD)
    assert signed_in(response)
    cookie = response.cookies["sessionid"]
    assert cookie["max-age"] == 12 * 60 * 60
    assert client.session.get_expiry_age() == 12 * 60 * 60
