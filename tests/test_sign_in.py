"""A way in for editors: the footer link, the portal's sign-in page (who can have an account,
whom to ask), where signing in leads, the pause after repeated failures, signing out, and a new
password by e-mail."""

import datetime
import re

import pytest
from django.urls import reverse

from editorial.models import EditorProfile

PASSWORD = "the-right-password-9"
NEW_PASSWORD = "a-new-password-for-carers-42"

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(officer_essex):
    officer_essex.set_password(PASSWORD)
    officer_essex.save()
    return officer_essex


def sign_in(client, password=PASSWORD, next_url=None, **meta):
    data = {"username": "officer.essex", "password": password}
    if next_url is not None:
        data["next"] = next_url
    return client.post(reverse("editors:sign-in"), data, **meta)


def test_the_public_footer_links_to_signing_in(client):
    html = client.get(reverse("home")).content.decode()
    assert f'href="{reverse("editors:sign-in")}">Sign in for editors</a>' in html


def test_the_sign_in_page_says_who_can_have_an_account_and_whom_to_ask(client, settings):
    settings.EDITOR_ACCESS_CONTACT = "portal-team@example.org"
    html = client.get("/editors/sign-in/").content.decode()
    assert '<h1 class="govuk-heading-xl">Sign in for editors</h1>' in html
    for words in ("council officers", "regional leads", "site administrators"):
        assert words in html
    assert "ask the regional lead for your region" in html
    assert 'href="mailto:portal-team@example.org">portal-team@example.org</a>' in html
    assert 'href="/editors/password-reset/">I have forgotten my password</a>' in html
    assert 'autocomplete="current-password"' in html


def test_without_a_contact_the_page_still_says_whom_to_ask(client, settings):
    settings.EDITOR_ACCESS_CONTACT = ""
    html = client.get("/editors/sign-in/").content.decode()
    assert "mailto:" not in html
    assert "ask the portal's site team" in html


def test_signing_in_leads_to_the_editors_start_page(client, officer):
    response = sign_in(client)
    assert response.status_code == 302
    assert response["Location"] == "/editors/"
    assert client.session["_auth_user_id"] == str(officer.pk)


def test_signing_in_goes_on_to_the_page_asked_for(client, officer):
    response = sign_in(client, next_url="/editors/notifications/")
    assert response["Location"] == "/editors/notifications/"
    # And the page that sent them here says where it will go.
    page = client.get("/editors/sign-in/?next=/admin/").content.decode()
    assert '<input type="hidden" name="next" value="/admin/">' in page


@pytest.mark.parametrize(
    "next_url", ["https://evil.example.com/", "//evil.example.com/", "http:///evil.example.com"]
)
def test_an_off_site_next_is_refused(client, officer, next_url):
    response = sign_in(client, next_url=next_url)
    assert response.status_code == 302
    assert response["Location"] == "/editors/"


def test_a_wrong_password_says_so_in_plain_words(client, officer):
    response = sign_in(client, password="wrong")
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert "Enter a correct user name and password." in html
    assert "<title>Error: Sign in for editors" in html


def test_signing_in_here_is_paused_after_repeated_failures(client, settings, officer):
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        response = sign_in(client, password="wrong", REMOTE_ADDR="203.0.113.10")
    assert response.status_code == 429
    # Even the right password is refused now, from that address…
    response = sign_in(client, REMOTE_ADDR="203.0.113.10")
    assert response.status_code == 429
    assert "Signing in is paused" in response.content.decode()
    assert "_auth_user_id" not in client.session
    # …and the admin's page counts the same failures.
    response = client.post(
        reverse("admin:login"),
        {"username": "officer.essex", "password": PASSWORD},
        REMOTE_ADDR="203.0.113.10",
    )
    assert response.status_code == 429
    # From another address the officer signs in.
    assert sign_in(client, REMOTE_ADDR="198.51.100.20")["Location"] == "/editors/"


def test_the_admin_stays_reachable_and_its_sign_in_offers_a_reset(client, officer):
    html = client.get(reverse("admin:login")).content.decode()
    assert 'href="/admin/password-reset/"' in html
    response = client.get("/admin/password-reset/")
    assert response["Location"] == "/editors/password-reset/"
    client.force_login(officer)
    assert client.get(reverse("admin:index")).status_code == 200


def test_signing_out_goes_home_and_says_so(client, officer):
    client.force_login(officer)
    page = client.get(reverse("editors:notifications")).content.decode()
    assert f'action="{reverse("editors:sign-out")}"' in page
    response = client.post(reverse("editors:sign-out"), follow=True)
    assert response.redirect_chain == [("/", 302)]
    html = response.content.decode()
    assert "You have signed out." in html
    assert "govuk-notification-banner--success" in html
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("editors:sign-out")).status_code == 405  # no sign-out by link


# ------------------------------------------------------------------ a new password by e-mail


def reset_link(message):
    match = re.search(
        r"http://127\.0\.0\.1:8000(/editors/password-reset/[^/\s]+/[^/\s]+/)", message
    )
    assert match, message
    return match.group(1)


def test_password_reset_from_asking_to_signing_in(client, mailoutbox, officer):
    page = client.get(reverse("editors:password-reset")).content.decode()
    assert "Reset your password" in page
    response = client.post(
        reverse("editors:password-reset"), {"email": "officer.essex@example.org"}
    )
    assert response["Location"] == "/editors/password-reset/sent/"
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["officer.essex@example.org"]
    assert message.subject == "Reset your password for the Co-production Case Study Portal"
    assert "Your user name is: officer.essex" in message.body
    link = reset_link(message.body)

    # The link leads to a page (its token moved into the session) to choose a password.
    response = client.get(link, follow=True)
    assert "Choose a new password" in response.content.decode()
    form_url = response.redirect_chain[-1][0]
    response = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response["Location"] == "/editors/password-reset/done/"
    assert "Your password has been changed" in client.get(response["Location"]).content.decode()

    assert sign_in(client, password=PASSWORD).status_code == 200  # the old one no longer works
    assert sign_in(client, password=NEW_PASSWORD)["Location"] == "/editors/"
    # The link works once.
    client.logout()
    assert "This link does not work" in client.get(link, follow=True).content.decode()


def test_an_unknown_address_gets_the_same_page_and_no_email(client, mailoutbox, officer):
    known = client.post(
        reverse("editors:password-reset"), {"email": "officer.essex@example.org"}, follow=True
    )
    unknown = client.post(
        reverse("editors:password-reset"), {"email": "nobody@example.org"}, follow=True
    )
    assert (
        unknown.redirect_chain == known.redirect_chain == [("/editors/password-reset/sent/", 302)]
    )
    assert unknown.content == known.content
    assert [message.to for message in mailoutbox] == [["officer.essex@example.org"]]


def test_password_reset_emails_an_account_at_most_once_in_fifteen_minutes(
    client, mailoutbox, officer
):
    for _ in range(5):
        response = client.post(
            reverse("editors:password-reset"), {"email": "officer.essex@example.org"}
        )
        assert response["Location"] == "/editors/password-reset/sent/"
    assert len(mailoutbox) == 1
    # A quarter of an hour later, another may go.
    profile = EditorProfile.objects.get(user=officer)
    profile.password_reset_sent_at -= datetime.timedelta(minutes=16)
    profile.save()
    client.post(reverse("editors:password-reset"), {"email": "officer.essex@example.org"})
    assert len(mailoutbox) == 2


def test_inactive_accounts_get_no_reset_email(client, mailoutbox, officer):
    officer.is_active = False
    officer.save()
    client.post(reverse("editors:password-reset"), {"email": "officer.essex@example.org"})
    assert mailoutbox == []


def test_the_reset_email_uses_the_portals_address(client, mailoutbox, officer, settings):
    settings.SITE_URL = "https://portal.example.org"
    client.post(
        reverse("editors:password-reset"),
        {"email": "officer.essex@example.org"},
        HTTP_HOST="127.0.0.1",
    )
    assert "https://portal.example.org/editors/password-reset/" in mailoutbox[0].body


@pytest.mark.parametrize(
    "url",
    [
        "/editors/sign-in/",
        "/editors/password-reset/",
        "/editors/password-reset/sent/",
        "/editors/password-reset/done/",
        "/editors/password-reset/MQ/not-a-token/",
    ],
)
def test_the_new_pages_have_the_public_pages_strict_policy(client, url):
    response = client.get(url, follow=True)
    assert response.status_code == 200
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe" not in policy
