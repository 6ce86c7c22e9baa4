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
from django.db.models import Exists, OuterRef, Q, Value

from councils.models import Council

from .models import EditorProfile, Invitation
from .roles import COUNCIL_OFFICER, Scope


def councils_in_reach(scope):
    """The councils this person may give access to: all for a site administrator, their
    regions' for a lead, none for anyone else. Replaced councils are among them, so that access
    to them stays listed; `councils_to_offer` leaves them out of the forms."""
    if scope.is_admin:
        return Council.objects.all()
    return Council.objects.filter(region_id__in=scope.lead_region_ids)


def councils_to_offer(scope):
    """The councils a form offers this person to give access to: those in reach not replaced by
    another council."""
    return councils_in_reach(scope).current()


def invitations_changeable(scope):
    """Waiting invitations, each with `changeable`: whether all its councils are within this
    person's reach, so that they may send it again or cancel it."""
    outside = Invitation.councils.through.objects.filter(invitation=OuterRef("pk")).exclude(
        council__in=councils_in_reach(scope)
    )
    changeable = Value(True) if scope.is_admin else ~Exists(outside)
    return Invitation.objects.waiting().annotate(changeable=changeable)


def invitation_in_force(invitation):
    """Whether the person who sent the invitation may still give access to all its councils:
    their account is on and their role still covers them."""
    inviter = invitation.invited_by
    if not inviter.is_active:
        return False
    reach = councils_in_reach(Scope.of(inviter))
    return not invitation.councils.exclude(pk__in=reach.values("pk")).exists()


def manages_access(scope):
    return scope.is_admin or scope.is_lead


def only_an_officer(user):
    """Whether the account has no role but Council officer (and is not a superuser): the only
    accounts a lead may switch on again."""
    roles = {group.name for group in user.groups.all()}
    return not user.is_superuser and roles <= {COUNCIL_OFFICER}


def may_switch_on(scope, user):
    """Whether this person may give `user` access: an account that is on, or one a site
    administrator switches on, or an officer-only account (a lead may switch that on)."""
    return user.is_active or scope.is_admin or only_an_officer(user)


def access_give(*, user, councils, by):
    """Make `user` a council officer for `councils` (added to those they have), switching the
    account on again if it was off. An account switched on again by a lead (`by`) keeps none of
    its old councils outside the lead's regions: the profile keeps the last council when
    access is taken away, and another region's lead or an administrator may have done that."""
    with transaction.atomic():
        if not user.is_active:
            scope = Scope.of(by)
            if not scope.is_admin:
                profile = EditorProfile.objects.filter(user=user).first()
                if profile is not None:
                    reach = councils_in_reach(scope)
                    profile.councils.remove(*profile.councils.exclude(pk__in=reach.values("pk")))
        if not user.is_active or not user.is_staff:
            user.is_active = user.is_staff = True
            user.save(update_fields=["is_active", "is_staff"])
        user.groups.add(Group.objects.get(name=COUNCIL_OFFICER))
        profile, _ = EditorProfile.objects.get_or_create(user=user)
        profile.councils.add(*councils)


def access_remove(*, user, councils):
    """Take `councils` away from `user`. If none is left and they have no other role, the
    account is switched off instead of losing its last council, and the invitations it sent
    and are still waiting are cancelled. Returns True if switched off. The profile is locked
    first, so that two people taking away its last two councils at once cannot both keep one."""
    with transaction.atomic():
        EditorProfile.objects.get_or_create(user=user)
        profile = EditorProfile.objects.select_for_update().get(user=user)
        kept = set(profile.councils.values_list("pk", flat=True)) - {c.pk for c in councils}
        if kept or not only_an_officer(user):
            profile.councils.remove(*councils)
            return False
        # Keep the last one on the profile: it gives nothing while the account is off.
        profile.councils.remove(*sorted(councils, key=lambda council: council.pk)[1:])
        account_switch_off(user=user)
        return True


def account_switch_off(*, user):
    """Switch the account off and cancel the invitations it sent that are still waiting: their
    links stop working."""
    with transaction.atomic():
        user.is_active = False
        user.save(update_fields=["is_active"])
        Invitation.objects.filter(invited_by=user).withdraw()


TAKEN = "taken"
NO_LONGER_IN_FORCE = "stopped"


def account_exists(email):
    """Whether an account already has this address as its user name or its e-mail."""
    return (
        get_user_model().objects.filter(Q(username__iexact=email) | Q(email__iexact=email)).exists()
    )


def invitation_problem(invitation):
    """Why the invitation's link cannot make an account now, or None: its state if not waiting,
    TAKEN if an account has its address, NO_LONGER_IN_FORCE if its sender may no longer give
    access to its councils."""
    state = invitation.state()
    if state != Invitation.State.WAITING:
        return state
    if account_exists(invitation.email):
        return TAKEN
    if not invitation_in_force(invitation):
        return NO_LONGER_IN_FORCE
    return None


def invitation_accept(*, invitation, password):
    """Create the invited person's account (user name and e-mail: the invited address), make it
    a council officer for the invitation's councils and mark the invitation used. Returns
    (the account, None), or (None, why not: see `invitation_problem`) if the link does not work
    now (used, cancelled or expired meanwhile, for example)."""
    model = get_user_model()
    with transaction.atomic():
        problem = invitation_problem(invitation)
        if problem is not None:
            return None, problem
        user = model(username=invitation.email, email=invitation.email, first_name=invitation.name)
        user.set_password(password)
        try:
            with transaction.atomic():
                user.save()
        except IntegrityError:  # someone else used the link a moment ago
            return None, Invitation.State.USED
        if not invitation.claim(user=user):
            transaction.set_rollback(True)
            invitation.refresh_from_db()
            return None, invitation.state()
        access_give(user=user, councils=invitation.councils.all(), by=invitation.invited_by)
    return user, None


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
