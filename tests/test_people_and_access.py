"""People and access: site administrators and regional leads invite council officers by e-mail,
see who has access to which councils, take access away and give it back. Accounts are switched
off, never deleted."""

import datetime
import re

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone

from councils.models import Council
from editorial.models import EditorProfile, Invitation
from editorial.roles import COUNCIL_OFFICER, REGIONAL_LEAD, Scope
from tests.helpers import form_data, make_editor, make_synthetic_council

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-new-password-7"
PEOPLE = "/editors/people/"
INVITE = "/editors/people/invite/"


@pytest.fixture
def send(client, django_capture_on_commit_callbacks):
    """POST as a browser would, running what a commit runs (the e-mails)."""

    def post(url, data):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(url, data)

    return post


def invite(send, *councils, email="sam.new@example.org", name="Sam New", **extra):
    return send(
        INVITE, {"name": name, "email": email, "councils": [c.pk for c in councils], **extra}
    )


def link_in(message):
    match = re.search(r"http://127\.0\.0\.1:8000(/editors/invitation/[\w-]+/)", message.body)
    assert match, message.body
    return match.group(1)


def accept(client, link, password=PASSWORD):
    return client.post(link, {"new_password1": password, "new_password2": password})


# ------------------------------------------------------------------ who may open the page


def test_officer_cannot_open_the_people_page_or_invite(client, officer_essex, essex):
    client.force_login(officer_essex)
    assert client.get(PEOPLE).status_code == 403
    response = client.post(
        INVITE, {"name": "Sam New", "email": "sam.new@example.org", "councils": [essex.pk]}
    )
    assert response.status_code == 403
    assert not Invitation.objects.exists()
    for name in ("editors:person-remove", "editors:person-give-access"):
        assert client.get(reverse(name, args=[officer_essex.pk])).status_code == 403


def test_signed_out_people_are_sent_to_sign_in(client):
    response = client.get(PEOPLE)
    assert response["Location"].startswith("/editors/sign-in/")


def test_the_nav_offers_people_to_leads_and_administrators_only(
    client, officer_essex, lead_east, site_admin
):
    link = f'href="{PEOPLE}"'
    client.force_login(officer_essex)
    assert link not in client.get(reverse("editors:dashboard")).content.decode()
    for person in (lead_east, site_admin):
        client.force_login(person)
        assert link in client.get(reverse("editors:dashboard")).content.decode()


# ------------------------------------------------------------------ the people page


def test_lead_sees_every_council_of_their_region_and_who_has_access(
    client, lead_east, officer_essex, essex, norfolk, shropshire
):
    client.force_login(lead_east)
    page = client.get(PEOPLE).content.decode()
    assert "Essex County Council" in page
    assert "Norfolk County Council" in page  # no editors yet, still listed
    assert "No one has access yet" in page
    assert "officer.essex@example.org" in page
    assert "Shropshire Council" not in page  # another region


def test_site_administrator_sees_every_region(client, site_admin, officer_essex, shropshire):
    client.force_login(site_admin)
    page = client.get(PEOPLE).content.decode()
    assert '<h2 class="govuk-heading-l" id="east-of-england">East of England</h2>' in page
    assert '<h2 class="govuk-heading-l" id="west-midlands">West Midlands</h2>' in page
    assert "Shropshire Council" in page and "officer.essex@example.org" in page


def many_councils(region, count):
    start = Council.objects.count()
    return [
        Council.objects.create(
            name=f"Test Council {i}",
            short_name=f"Test {i}",
            slug=f"test-{i}",
            kind="unitary",
            region=region,
        )
        for i in range(start, start + count)
    ]


def test_the_people_page_costs_the_same_for_one_council_and_many(
    client, site_admin, lead_east, east, west_midlands, django_assert_num_queries
):
    """Session, user, the person's roles, the councils, the people, the invitations; a lead's
    profile and regions, two more."""
    first = many_councils(east, 1)[0]
    make_editor("one.officer", COUNCIL_OFFICER, councils=[first])
    Invitation.issue(email="a@example.org", name="A", councils=[first], invited_by=lead_east)
    client.force_login(lead_east)
    with django_assert_num_queries(8):
        page = client.get(PEOPLE).content.decode()
    assert page.count('class="people-council"') == 1
    client.force_login(site_admin)
    with django_assert_num_queries(6):
        page = client.get(PEOPLE).content.decode()
    assert page.count('class="people-council"') == 1
    assert "one.officer@example.org" in page and "a@example.org" in page

    councils = many_councils(east, 10) + many_councils(west_midlands, 10)
    for i, council in enumerate(councils):
        make_editor(f"officer.{i}", COUNCIL_OFFICER, councils=[council, first])
        Invitation.issue(
            email=f"invited.{i}@example.org",
            name=f"I {i}",
            councils=[council],
            invited_by=lead_east,
        )
    with django_assert_num_queries(6):
        page = client.get(PEOPLE).content.decode()
    assert page.count('class="people-council"') == 21
    assert "officer.19@example.org" in page and "invited.19@example.org" in page

    client.force_login(lead_east)
    with django_assert_num_queries(8):
        page = client.get(PEOPLE).content.decode()
    assert page.count('class="people-council"') == 11


# ------------------------------------------------------------------ inviting


def test_lead_invites_an_officer_who_sets_a_password_and_signs_in(
    client, send, mailoutbox, lead_east, essex, norfolk
):
    client.force_login(lead_east)
    form = client.get(INVITE).content.decode()
    assert "Essex County Council" in form and "Norfolk County Council" in form
    response = invite(send, essex, norfolk)
    assert response.status_code == 302
    assert (
        "An invitation has been sent to sam.new@example.org"
        in client.get(response["Location"]).content.decode()
    )

    invitation = Invitation.objects.get()
    assert invitation.invited_by == lead_east
    assert set(invitation.councils.all()) == {essex, norfolk}
    assert invitation.expires_at - invitation.created_at == datetime.timedelta(days=7)
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["sam.new@example.org"]
    link = link_in(message)
    assert invitation.token_hash not in message.body  # only the secret is e-mailed ...
    assert link.split("/")[-2] not in str(Invitation.objects.values_list())  # ... and not stored

    client.logout()
    page = client.get(link).content.decode()
    assert "lead.east@example.org" in page and "Essex County Council" in page
    response = accept(client, link)
    assert response["Location"] == "/editors/"
    assert "Welcome, Sam New" in client.get("/editors/").content.decode()

    account = User.objects.get(username="sam.new@example.org")
    assert account.get_full_name() == "Sam New" and account.is_active and account.is_staff
    assert Scope.of(account).officer_council_ids == {essex.pk, norfolk.pk}
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None and invitation.user == account

    client.logout()
    response = client.post(
        reverse("editors:sign-in"), {"username": "sam.new@example.org", "password": PASSWORD}
    )
    assert response["Location"] == "/editors/"


def test_the_valid_days_setting_sets_the_expiry(client, send, settings, lead_east, essex):
    settings.INVITATION_VALID_DAYS = 2
    client.force_login(lead_east)
    invite(send, essex)
    invitation = Invitation.objects.get()
    assert invitation.expires_at - invitation.created_at == datetime.timedelta(days=2)


def test_lead_inviting_for_a_council_outside_their_region_is_refused(
    client, send, mailoutbox, lead_east, essex, shropshire
):
    client.force_login(lead_east)
    assert "Shropshire Council" not in client.get(INVITE).content.decode()
    # A hand-made POST naming a council that the form does not offer.
    response = invite(send, essex, shropshire)
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert "Choose only councils in your regions" in page
    assert not Invitation.objects.exists()
    assert mailoutbox == []
    assert not User.objects.filter(email="sam.new@example.org").exists()


def test_the_invite_form_says_what_is_missing(client, send, lead_east):
    client.force_login(lead_east)
    page = send(INVITE, {"name": "", "email": "not-an-address", "councils": []}).content
    page = page.decode()
    assert "Enter the person’s name" in page
    assert "Enter an e-mail address in the right form, like name@example.org" in page
    assert "Choose at least one council" in page


def test_site_administrator_invites_for_any_region(
    client, send, mailoutbox, site_admin, shropshire
):
    client.force_login(site_admin)
    invite(send, shropshire)
    assert list(Invitation.objects.get().councils.all()) == [shropshire]
    assert len(mailoutbox) == 1


def test_an_existing_account_gets_access_without_an_invitation(
    client, send, mailoutbox, lead_east, officer_essex, norfolk
):
    client.force_login(lead_east)
    response = invite(send, norfolk, email="OFFICER.essex@example.org")
    message = client.get(response["Location"]).content.decode()
    assert "already has an account" in message
    assert not Invitation.objects.exists()
    assert set(officer_essex.editor_profile.councils.values_list("slug", flat=True)) == {
        "essex",
        "norfolk",
    }
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["officer.essex@example.org"]
    assert "Norfolk County Council" in mailoutbox[0].body
    assert "/editors/" in mailoutbox[0].body


def test_an_existing_lead_is_also_made_an_officer(client, send, site_admin, lead_east, norfolk):
    client.force_login(site_admin)
    invite(send, norfolk, email="lead.east@example.org")
    roles = set(lead_east.groups.values_list("name", flat=True))
    assert roles == {REGIONAL_LEAD, COUNCIL_OFFICER}


def test_a_waiting_invitation_is_offered_again_and_the_old_link_stops(
    client, send, mailoutbox, lead_east, essex, norfolk
):
    client.force_login(lead_east)
    invite(send, essex)
    old_link = link_in(mailoutbox[0])
    response = invite(send, norfolk)
    page = response.content.decode()
    assert response.status_code == 200
    assert "An invitation to sam.new@example.org is already waiting" in page
    assert Invitation.objects.count() == 1 and len(mailoutbox) == 1

    response = invite(send, norfolk, send_again="1")
    assert response.status_code == 302
    assert len(mailoutbox) == 2
    new = Invitation.objects.pending().get()
    assert set(new.councils.all()) == {essex, norfolk}
    client.logout()
    assert client.get(old_link).status_code == 410
    assert client.get(link_in(mailoutbox[1])).status_code == 200


def test_send_again_from_the_list_renews_an_expired_invitation(
    client, send, mailoutbox, lead_east, essex
):
    old, _ = Invitation.issue(
        email="x@example.org", name="X", councils=[essex], invited_by=lead_east
    )
    Invitation.objects.filter(pk=old.pk).update(expires_at=timezone.now())
    client.force_login(lead_east)
    assert "Expired" in client.get(PEOPLE).content.decode()
    send(reverse("editors:invitation-send-again", args=[old.pk]), {})
    assert Invitation.objects.pending().get().email == "x@example.org"
    assert mailoutbox[0].to == ["x@example.org"]


def test_a_lead_cannot_resend_or_cancel_another_regions_invitation(
    client, send, mailoutbox, lead_east, site_admin, shropshire
):
    other, _ = Invitation.issue(
        email="x@example.org", name="X", councils=[shropshire], invited_by=site_admin
    )
    client.force_login(lead_east)
    assert send(reverse("editors:invitation-send-again", args=[other.pk]), {}).status_code == 404
    assert send(reverse("editors:invitation-cancel", args=[other.pk]), {}).status_code == 404
    assert Invitation.objects.pending().get() == other and mailoutbox == []


def test_a_cancelled_invitation_no_longer_works(client, send, mailoutbox, lead_east, essex):
    client.force_login(lead_east)
    invite(send, essex)
    send(reverse("editors:invitation-cancel", args=[Invitation.objects.get().pk]), {})
    client.logout()
    response = client.get(link_in(mailoutbox[0]))
    assert response.status_code == 410
    assert "This invitation has been cancelled" in response.content.decode()


# ------------------------------------------------------------------ the link


@pytest.fixture
def invited(client, send, mailoutbox, lead_east, essex):
    client.force_login(lead_east)
    invite(send, essex)
    client.logout()
    return link_in(mailoutbox[0])


def test_an_expired_link_says_whom_to_ask(client, invited, lead_east):
    Invitation.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    response = client.get(invited)
    assert response.status_code == 410
    page = response.content.decode()
    assert "This invitation has expired" in page
    assert "lead.east@example.org" in page
    assert accept(client, invited).status_code == 410
    assert not User.objects.filter(username="sam.new@example.org").exists()


def test_a_used_link_cannot_be_used_again(client, invited):
    accept(client, invited)
    client.logout()
    response = client.get(invited)
    assert response.status_code == 410
    page = response.content.decode()
    assert "This invitation has been used" in page
    assert reverse("editors:sign-in") in page
    assert accept(client, invited, password="another-password-9").status_code == 410
    assert User.objects.filter(username="sam.new@example.org").count() == 1
    response = client.post(
        reverse("editors:sign-in"), {"username": "sam.new@example.org", "password": PASSWORD}
    )
    assert response["Location"] == "/editors/"  # the first password still works


def test_an_unknown_token_is_not_found(client, invited):
    assert client.get("/editors/invitation/not-a-real-token/").status_code == 404
    assert client.get(invited.replace("/invitation/", "/invitation/x")).status_code == 404


def test_a_weak_password_is_refused_with_the_validators_words(client, invited):
    response = accept(client, invited, password="password")
    assert response.status_code == 200
    assert "This password is too common" in response.content.decode()
    assert not User.objects.filter(username="sam.new@example.org").exists()


def test_two_people_on_one_link_make_one_account(invited):
    invitation = Invitation.objects.get()
    from editorial.access import invitation_accept

    assert invitation_accept(invitation=invitation, password=PASSWORD)[0] is not None
    same = Invitation.objects.get()
    same.accepted_at = None  # as a second request saw it a moment before
    assert invitation_accept(invitation=same, password=PASSWORD)[0] is None
    assert User.objects.filter(username="sam.new@example.org").count() == 1


def test_the_claim_is_one_conditional_update(invited, lead_east):
    """Two requests that both read the invitation as unused: only the first claim counts."""
    first, second = Invitation.objects.get(), Invitation.objects.get()
    assert first.claim(user=lead_east) is True
    assert second.claim(user=lead_east) is False


# ------------------------------------------------------------------ taking access away


def remove_url(person, council):
    return reverse("editors:person-remove", args=[person.pk]) + f"?council={council.pk}"


def test_removing_the_last_council_switches_the_account_off_never_deletes_it(
    client, send, lead_east, officer_essex, essex
):
    client.force_login(lead_east)
    page = client.get(remove_url(officer_essex, essex)).content.decode()
    assert "Are you sure you want to remove" in page
    response = send(
        reverse("editors:person-remove", args=[officer_essex.pk]), {"councils": [essex.pk]}
    )
    assert response.status_code == 302
    officer_essex.refresh_from_db()
    assert not officer_essex.is_active
    assert Scope.of(officer_essex) == Scope()
    page = client.get(PEOPLE).content.decode()
    assert "Switched off" in page and "Give access again" in page


def test_removing_one_of_two_councils_keeps_the_account(client, send, lead_east, essex, norfolk):
    both = make_editor("officer.both", COUNCIL_OFFICER, councils=[essex, norfolk])
    client.force_login(lead_east)
    send(reverse("editors:person-remove", args=[both.pk]), {"councils": [essex.pk]})
    both.refresh_from_db()
    assert both.is_active
    assert list(both.editor_profile.councils.all()) == [norfolk]


def test_a_lead_cannot_remove_access_outside_their_region(
    client, send, lead_east, shropshire, essex
):
    other = make_editor("officer.shropshire", COUNCIL_OFFICER, councils=[shropshire])
    client.force_login(lead_east)
    response = send(
        reverse("editors:person-remove", args=[other.pk]), {"councils": [shropshire.pk]}
    )
    assert response.status_code == 404
    other.refresh_from_db()
    assert other.is_active and list(other.editor_profile.councils.all()) == [shropshire]


def test_giving_access_again_switches_the_account_on(
    client, send, mailoutbox, lead_east, officer_essex, essex
):
    client.force_login(lead_east)
    send(reverse("editors:person-remove", args=[officer_essex.pk]), {"councils": [essex.pk]})
    page = client.get(reverse("editors:person-give-access", args=[officer_essex.pk]))
    assert "Their account is switched off" in page.content.decode()
    response = send(
        reverse("editors:person-give-access", args=[officer_essex.pk]), {"councils": [essex.pk]}
    )
    assert response.status_code == 302
    officer_essex.refresh_from_db()
    assert officer_essex.is_active
    assert Scope.of(officer_essex).officer_council_ids == {essex.pk}
    assert mailoutbox[-1].to == ["officer.essex@example.org"]


def test_a_lead_cannot_switch_on_a_switched_off_lead_by_inviting_them(
    client, send, mailoutbox, lead_east, essex, east
):
    other_lead = make_editor("lead.old", REGIONAL_LEAD, regions=[east])
    User.objects.filter(pk=other_lead.pk).update(is_active=False)
    client.force_login(lead_east)
    response = invite(send, essex, email="lead.old@example.org")
    assert "belongs to an account that is switched off" in response.content.decode()
    assert not User.objects.get(pk=other_lead.pk).is_active
    assert mailoutbox == [] and not Invitation.objects.exists()


def test_a_lead_cannot_switch_on_a_switched_off_lead(client, send, lead_east, essex, east):
    other_lead = make_editor("lead.old", REGIONAL_LEAD, regions=[east])
    EditorProfile.objects.get(user=other_lead).councils.set([essex])
    User.objects.filter(pk=other_lead.pk).update(is_active=False)
    client.force_login(lead_east)
    response = send(
        reverse("editors:person-give-access", args=[other_lead.pk]), {"councils": [essex.pk]}
    )
    assert response.status_code == 403
    assert not User.objects.get(pk=other_lead.pk).is_active


# ------------------------------------------------------------------ the Django admin


def test_no_account_can_be_deleted_in_the_admin_even_by_a_superuser(client, officer_essex):
    root = User.objects.create_superuser("root", "root@example.org", "x")
    client.force_login(root)
    url = reverse("admin:auth_user_delete", args=[officer_essex.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"post": "yes"}).status_code == 403
    changelist = reverse("admin:auth_user_changelist")
    actions = client.get(changelist).context["action_form"].fields["action"].choices
    assert "delete_selected" not in dict(actions)
    response = client.post(
        changelist, {"action": "deactivate", "_selected_action": [officer_essex.pk]}
    )
    assert response.status_code == 302
    officer_essex.refresh_from_db()
    assert officer_essex.is_active is False


def test_invitations_are_read_only_in_the_admin(client, lead_east, essex):
    invitation, _ = Invitation.issue(
        email="x@example.org", name="X", councils=[essex], invited_by=lead_east
    )
    root = User.objects.create_superuser("root", "root@example.org", "x")
    client.force_login(root)
    page = client.get(reverse("admin:editorial_invitation_changelist")).content.decode()
    assert "x@example.org" in page and "Essex" in page and "Waiting" in page
    assert client.get(reverse("admin:editorial_invitation_add")).status_code == 403
    change = client.post(
        reverse("admin:editorial_invitation_change", args=[invitation.pk]), {"email": "y@x.org"}
    )
    assert change.status_code == 403
    assert Invitation.objects.get().email == "x@example.org"


# ------------------------------------------------------------------ defects a review found


@pytest.fixture
def lead_west(west_midlands):
    return make_editor("lead.west", REGIONAL_LEAD, regions=[west_midlands])


def test_inviting_a_switched_off_officer_keeps_no_council_outside_the_leads_regions(
    client, send, lead_east, lead_west, essex, shropshire
):
    officer = make_editor("officer.shropshire", COUNCIL_OFFICER, councils=[shropshire])
    client.force_login(lead_west)
    send(reverse("editors:person-remove", args=[officer.pk]), {"councils": [shropshire.pk]})
    officer.refresh_from_db()
    assert not officer.is_active
    client.force_login(lead_east)
    invite(send, essex, email="officer.shropshire@example.org")
    officer.refresh_from_db()
    assert officer.is_active
    assert list(officer.editor_profile.councils.all()) == [essex]


def test_a_lead_cannot_replace_another_regions_invitation(
    client, send, mailoutbox, lead_east, site_admin, essex, shropshire
):
    site_admin.first_name = "Ada"
    site_admin.save()
    other, _ = Invitation.issue(
        email="x@example.org", name="X", councils=[shropshire], invited_by=site_admin
    )
    client.force_login(lead_east)
    for extra in ({}, {"send_again": "1"}):
        response = invite(send, essex, email="x@example.org", **extra)
        page = response.content.decode()
        assert response.status_code == 200
        assert "already has an invitation that you cannot change" in page
        assert "Ada" not in page and "admin@example.org" not in page
        assert "Shropshire" not in page and "Send it again" not in page
    assert Invitation.objects.pending().get() == other
    assert list(other.councils.all()) == [shropshire] and mailoutbox == []


def test_an_invitation_partly_outside_the_leads_regions_is_listed_without_buttons(
    client, send, lead_east, site_admin, essex, shropshire
):
    mixed, _ = Invitation.issue(
        email="mixed@example.org", name="M", councils=[essex, shropshire], invited_by=site_admin
    )
    own, _ = Invitation.issue(
        email="own@example.org", name="O", councils=[essex], invited_by=lead_east
    )
    client.force_login(lead_east)
    page = client.get(PEOPLE).content.decode()
    assert "mixed@example.org" in page
    assert "Only a site administrator can send it again or cancel it" in page
    assert reverse("editors:invitation-send-again", args=[mixed.pk]) not in page
    assert reverse("editors:invitation-cancel", args=[mixed.pk]) not in page
    assert reverse("editors:invitation-send-again", args=[own.pk]) in page
    assert reverse("editors:invitation-cancel", args=[own.pk]) in page
    client.force_login(site_admin)
    page = client.get(PEOPLE).content.decode()
    assert reverse("editors:invitation-cancel", args=[mixed.pk]) in page
    assert "Only a site administrator" not in page


def test_a_switched_off_inviters_link_no_longer_works(client, invited, lead_east):
    User.objects.filter(pk=lead_east.pk).update(is_active=False)
    response = client.get(invited)
    assert response.status_code == 410
    assert "This invitation no longer works" in response.content.decode()
    assert accept(client, invited).status_code == 410
    assert not User.objects.filter(username="sam.new@example.org").exists()


def test_a_link_from_a_lead_who_lost_the_region_no_longer_works(client, invited, lead_east):
    lead_east.editor_profile.regions.clear()
    assert accept(client, invited).status_code == 410
    assert not User.objects.filter(username="sam.new@example.org").exists()


def test_switching_a_lead_off_in_the_admin_cancels_their_invitations(client, invited, lead_east):
    root = User.objects.create_superuser("root", "root@example.org", "x")
    client.force_login(root)
    client.post(
        reverse("admin:auth_user_changelist"),
        {"action": "deactivate", "_selected_action": [lead_east.pk]},
    )
    assert Invitation.objects.get().state() == Invitation.State.WITHDRAWN


def test_unticking_active_in_the_admin_cancels_the_accounts_invitations(client, invited, lead_east):
    root = User.objects.create_superuser("root", "root@example.org", "x")
    client.force_login(root)
    url = reverse("admin:auth_user_change", args=[lead_east.pk])
    data = form_data(client.get(url))
    assert data.pop("is_active") is True
    joined = data.pop("date_joined")  # the admin shows it as a date and a time
    data |= {
        "date_joined_0": joined.date().isoformat(),
        "date_joined_1": joined.strftime("%H:%M:%S"),
    }
    assert client.post(url, data).status_code == 302
    assert not User.objects.get(pk=lead_east.pk).is_active
    assert Invitation.objects.get().state() == Invitation.State.WITHDRAWN


def test_switching_an_account_off_by_removing_access_cancels_its_invitations(
    client, send, lead_east, officer_essex, essex
):
    sent, _ = Invitation.issue(
        email="x@example.org", name="X", councils=[essex], invited_by=officer_essex
    )
    client.force_login(lead_east)
    send(reverse("editors:person-remove", args=[officer_essex.pk]), {"councils": [essex.pk]})
    sent.refresh_from_db()
    assert sent.state() == Invitation.State.WITHDRAWN


def test_access_is_given_even_if_the_e_mail_cannot_be_sent(
    client, send, settings, caplog, lead_east, officer_essex, norfolk
):
    settings.EMAIL_BACKEND = "tests.helpers.RefusingEmailBackend"
    client.force_login(lead_east)
    response = invite(send, norfolk, email="officer.essex@example.org")
    assert response.status_code == 302
    assert norfolk in officer_essex.editor_profile.councils.all()
    response = invite(send, norfolk)
    assert response.status_code == 302
    assert Invitation.objects.pending().get().email == "sam.new@example.org"
    assert "the e-mail server is down" in caplog.text


def test_removing_access_locks_the_profile_first(lead_east, officer_essex, essex):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from editorial.access import access_remove

    if not connection.features.has_select_for_update:
        pytest.skip("SQLite has no row locks: it locks the whole database on write.")
    with CaptureQueriesContext(connection) as queries:
        access_remove(user=officer_essex, councils=[essex])
    sql = [query["sql"] for query in queries.captured_queries]
    locked = next(i for i, text in enumerate(sql) if "FOR UPDATE" in text)
    assert "editorial_editorprofile" in sql[locked]
    assert not any("editorprofile_councils" in text for text in sql[:locked])


def test_removing_the_last_two_councils_one_at_a_time_switches_the_account_off(
    lead_east, essex, norfolk
):
    from editorial.access import access_remove

    both = make_editor("officer.both", COUNCIL_OFFICER, councils=[essex, norfolk])
    first, second = User.objects.get(pk=both.pk), User.objects.get(pk=both.pk)
    assert access_remove(user=first, councils=[essex]) is False
    assert access_remove(user=second, councils=[norfolk]) is True
    assert not User.objects.get(pk=both.pk).is_active


def test_an_account_with_the_invited_e_mail_is_told_to_sign_in(client, invited):
    User.objects.create(username="sam", email="Sam.New@example.org")
    response = client.get(invited)
    assert response.status_code == 410
    page = response.content.decode()
    assert "You already have an account" in page and "cancelled" not in page
    response = accept(client, invited)
    assert response.status_code == 410
    assert "You already have an account" in response.content.decode()
    assert User.objects.filter(email__iexact="sam.new@example.org").count() == 1


def test_accepting_says_why_it_failed(invited):
    from editorial.access import invitation_accept

    invitation = Invitation.objects.get()
    User.objects.create(username="someone", email="sam.new@example.org")
    assert invitation_accept(invitation=invitation, password=PASSWORD) == (None, "taken")
    assert Invitation.objects.pending().exists()


def test_an_inviter_without_an_e_mail_address_is_not_shown_with_an_empty_one(
    client, invited, lead_east
):
    User.objects.filter(pk=lead_east.pk).update(email="", first_name="Lee")
    page = client.get(invited).content.decode()
    assert "Lee" in page and "()" not in page
    Invitation.objects.update(withdrawn_at=timezone.now())
    page = client.get(invited).content.decode()
    assert "This invitation has been cancelled" in page and "mailto:" not in page


def test_replaced_councils_are_not_offered_but_their_access_stays_listed(
    client, lead_east, east, essex
):
    old = make_synthetic_council("Synthetic Former", region=east, replaced_by=essex)
    make_editor("officer.old", COUNCIL_OFFICER, councils=[old])
    client.force_login(lead_east)
    assert "Synthetic Former District Council" not in client.get(INVITE).content.decode()
    page = client.get(PEOPLE).content.decode()
    assert "Synthetic Former District Council" in page and "officer.old@example.org" in page
