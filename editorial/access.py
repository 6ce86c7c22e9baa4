"""Giving and taking away council officers' access, for site administrators and regional leads.

A lead acts only on the councils of their regions (`councils_in_reach`); a site administrator on
every council. Accounts are never deleted, so the history of case studies keeps people's names:
an officer whose last council is taken away, and who has no other role, is switched off
(`is_active` False). Their profile keeps that last council, so the people page still lists
them under it, as switched off, with a way to give access again.

The pages and e-mails are in casestudies/editors/people.py.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import IntegrityError, transaction

from councils.models import Council

from .models import EditorProfile, Invitation
from .roles import COUNCIL_OFFICER


def councils_in_reach(scope):
    """The councils this person may give access to: all for a site administrator, their
    regions' for a lead, none for anyone else."""
    if scope.is_admin:
        return Council.objects.all()
    return Council.objects.filter(region_id__in=scope.lead_region_ids)


def manages_access(scope):
    return scope.is_admin or scope.is_lead


def only_an_officer(user):
    """Whether the account has no role but Council officer (and is not a superuser): the only
    accounts a lead may switch on again."""
    roles = {group.name for group in user.groups.all()}
    return not user.is_superuser and roles <= {COUNCIL_OFFICER}


def access_give(*, user, councils):
    """Make `user` a council officer for `councils` (added to those they have), switching the
    account on again if it was off."""
    with transaction.atomic():
        if not user.is_active or not user.is_staff:
            user.is_active = user.is_staff = True
            user.save(update_fields=["is_active", "is_staff"])
        user.groups.add(Group.objects.get(name=COUNCIL_OFFICER))
        profile, _ = EditorProfile.objects.get_or_create(user=user)
        profile.councils.add(*councils)


def access_remove(*, user, councils):
    """Take `councils` away from `user`. If none is left and they have no other role, the
    account is switched off instead of losing its last council. Returns True if switched off."""
    profile, _ = EditorProfile.objects.get_or_create(user=user)
    kept = set(profile.councils.values_list("pk", flat=True)) - {c.pk for c in councils}
    with transaction.atomic():
        if kept or not only_an_officer(user):
            profile.councils.remove(*councils)
            return False
        # Keep the last one on the profile: it gives nothing while the account is off.
        profile.councils.remove(*sorted(councils, key=lambda council: council.pk)[1:])
        user.is_active = False
        user.save(update_fields=["is_active"])
        return True


def invitation_accept(*, invitation, password):
    """Create the invited person's account (user name and e-mail: the invited address), make it
    a council officer for the invitation's councils and mark the invitation used. Returns the
    account, or None if the link no longer works (used, cancelled or expired meanwhile)."""
    model = get_user_model()
    with transaction.atomic():
        if model.objects.filter(username__iexact=invitation.email).exists():
            return None
        user = model(username=invitation.email, email=invitation.email, first_name=invitation.name)
        user.set_password(password)
        try:
            with transaction.atomic():
                user.save()
        except IntegrityError:  # someone else used the link a moment ago
            return None
        if not invitation.claim(user=user):
            transaction.set_rollback(True)
            return None
        access_give(user=user, councils=invitation.councils.all())
    return user


def invitation_replace(*, invitation, invited_by, councils=()):
    """Send an invitation again: a new one, for its councils and `councils`, and the old link
    stops working. Returns the new invitation and its secret."""
    with transaction.atomic():
        invitation.withdraw()
        return Invitation.issue(
            email=invitation.email,
            name=invitation.name,
            councils={*invitation.councils.all(), *councils},
            invited_by=invited_by,
        )
