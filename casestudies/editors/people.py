"""People and access: site administrators and regional leads see who looks after each council's
case studies, invite council officers by e-mail, take access away and give it back. The rules
(who may give access to which councils, switching accounts off) are in editorial/access.py.

The invitation's link (`invitation`) is the one page here for people who are not signed in: it
shows who sent the invitation and for which councils, and the new officer chooses a password.
"""

import functools

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.db import transaction
from django.db.models import Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from editorial.access import (
    access_give,
    access_remove,
    councils_in_reach,
    councils_to_offer,
    invitation_accept,
    invitation_problem,
    invitation_replace,
    invitations_changeable,
    manages_access,
    may_switch_on,
)
from editorial.models import EditorProfile, Invitation
from editorial.roles import COUNCIL_OFFICER, Scope

from ..addresses import absolute
from ..notifications import (
    compose,
    compose_to_address,
    person_name,
    send_once_committed,
)
from .access import editor_required, refused
from .accounts import SetPasswordForm

NOT_A_MANAGER = (
    "Only regional leads and site administrators give people access to councils. Ask your "
    "regional lead if someone needs access."
)
OUTSIDE_REACH = "Choose only councils in your regions. Ask a site administrator about others."
OTHER_INVITATION = (
    "This e-mail address already has an invitation that you cannot change. Ask a site "
    "administrator to add your councils to it."
)


def manager_required(view):
    """Regional leads and site administrators only; other editors get the refused page."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if not manages_access(Scope.of(request.user)):
            return refused(request, title="You cannot give people access", message=NOT_A_MANAGER)
        return view(request, *args, **kwargs)

    return editor_required(wrapped)


def reach(request):
    return councils_in_reach(Scope.of(request.user))


# ------------------------------------------------------------------ e-mails


def mail_invitation(invitation, token):
    message = compose_to_address(
        "invitation",
        address=invitation.email,
        context={
            "invitation": invitation,
            "by": person_name(invitation.invited_by),
            "councils": [council.name for council in invitation.councils.all()],
            "link": absolute(reverse("editors:invitation", args=[token])),
        },
    )
    send_once_committed([message])


def mail_access_given(user, councils, *, by):
    message = compose(
        "access_given",
        to=user,
        context={
            "name": person_name(user),
            "by": person_name(by),
            "councils": [council.name for council in councils],
            "username": user.get_username(),
            "link": absolute(reverse("editors:dashboard")),
            "reset_link": absolute(reverse("editors:password-reset")),
        },
    )
    send_once_committed([message])


# ------------------------------------------------------------------ the people page


@manager_required
def people(request):
    """Every council the person may give access to, grouped by region, each with the officers
    who have access (switched off or not) and the invitations not yet used."""
    officers = (
        EditorProfile.objects.filter(user__groups__name=COUNCIL_OFFICER)
        .select_related("user")
        .order_by("user__first_name", "user__username")
    )
    waiting = (
        invitations_changeable(Scope.of(request.user))
        .select_related("invited_by")
        .order_by("email")
    )
    councils = (
        reach(request)
        .select_related("region")
        .order_by("region__name", "name")
        .prefetch_related(
            Prefetch("editors", officers, to_attr="officers"),
            Prefetch("invitations", waiting, to_attr="waiting"),
        )
    )
    return render(
        request, "editors/people/people.html", {"councils": councils, "now": timezone.now()}
    )


# ------------------------------------------------------------------ inviting


class CouncilsField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def __init__(self, queryset, **kwargs):
        super().__init__(
            queryset.order_by("name"),
            label="Councils",
            error_messages={
                "required": "Choose at least one council",
                "invalid_choice": OUTSIDE_REACH,
            },
            **kwargs,
        )

    def label_from_instance(self, council):
        return council.name


class InviteForm(forms.Form):
    name = forms.CharField(
        label="Their name",
        max_length=150,
        error_messages={"required": "Enter the person’s name"},
    )
    email = forms.EmailField(
        label="Their e-mail address",
        error_messages={
            "required": "Enter their e-mail address",
            "invalid": "Enter an e-mail address in the right form, like name@example.org",
        },
    )
    send_again = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, scope, **kwargs):
        super().__init__(*args, **kwargs)
        self.scope = scope
        self.fields["councils"] = CouncilsField(
            councils_to_offer(scope),
            help_text="They will add and change these councils’ case studies.",
        )
        self.account = self.waiting = None

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()

    def clean(self):
        data = super().clean()
        email = data.get("email")
        if not email:
            return data
        accounts = list(
            get_user_model()
            .objects.filter(Q(email__iexact=email) | Q(username__iexact=email))
            .prefetch_related("groups")
        )
        if len(accounts) > 1:
            self.add_error(
                "email", "More than one account has this e-mail address. Ask a site administrator."
            )
        elif accounts:
            self.account = accounts[0]
            if not may_switch_on(self.scope, self.account):
                self.add_error(
                    "email",
                    "This e-mail address belongs to an account that is switched off. Ask a site "
                    "administrator to switch it on.",
                )
        else:
            waiting = (
                invitations_changeable(self.scope).pending().filter(email__iexact=email).first()
            )
            if waiting is not None and not waiting.changeable:
                self.add_error("email", OTHER_INVITATION)
            else:
                self.waiting = waiting
        return data


@manager_required
def invite(request):
    scope = Scope.of(request.user)
    form = InviteForm(request.POST or None, scope=scope)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        councils = list(data["councils"])
        if form.account is not None:
            with transaction.atomic():
                access_give(user=form.account, councils=councils, by=request.user)
                if form.account.email:
                    mail_access_given(form.account, councils, by=request.user)
            messages.success(
                request,
                f"{data['email']} already has an account, so no invitation was needed. It now "
                f"has access to {names(councils)}, and we have e-mailed them to say so.",
            )
            return redirect("editors:people")
        if form.waiting is not None and not data["send_again"]:
            return render_invite(request, form, waiting=form.waiting)
        with transaction.atomic():
            if form.waiting is not None:
                invitation, token = invitation_replace(
                    invitation=form.waiting, invited_by=request.user, councils=councils
                )
            else:
                invitation, token = Invitation.issue(
                    email=data["email"],
                    name=data["name"],
                    councils=councils,
                    invited_by=request.user,
                )
            mail_invitation(invitation, token)
        messages.success(
            request,
            f"An invitation has been sent to {invitation.email}. The link in it works for "
            f"{settings.INVITATION_VALID_DAYS} days.",
        )
        return redirect("editors:people")
    return render_invite(request, form)


def render_invite(request, form, waiting=None):
    return render(
        request,
        "editors/people/invite.html",
        {"form": form, "waiting": waiting, "valid_days": settings.INVITATION_VALID_DAYS},
    )


def names(councils):
    return ", ".join(council.name for council in councils)


def waiting_invitation(request, pk):
    """A waiting invitation whose councils are all within the person's reach, or 404."""
    changeable = invitations_changeable(Scope.of(request.user)).filter(changeable=True)
    return get_object_or_404(changeable, pk=pk)


@require_POST
@manager_required
def invitation_send_again(request, pk):
    old = waiting_invitation(request, pk)
    with transaction.atomic():
        invitation, token = invitation_replace(invitation=old, invited_by=request.user)
        mail_invitation(invitation, token)
    messages.success(request, f"A new invitation has been sent to {invitation.email}.")
    return redirect("editors:people")


@require_POST
@manager_required
def invitation_cancel(request, pk):
    invitation = waiting_invitation(request, pk)
    invitation.withdraw()
    messages.success(request, f"The invitation to {invitation.email} has been cancelled.")
    return redirect("editors:people")


# ------------------------------------------------------------ taking access away and back


def person_in_reach(request, pk):
    """An account with at least one council within the person's reach, and those councils."""
    person = get_object_or_404(
        get_user_model().objects.prefetch_related("groups").select_related("editor_profile"),
        pk=pk,
    )
    profile = getattr(person, "editor_profile", None)
    councils = reach(request).filter(pk__in=profile.councils.all()) if profile else None
    if councils is None or not councils.exists():
        raise Http404
    return person, councils


class CouncilsChoiceForm(forms.Form):
    def __init__(self, *args, councils, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["councils"] = CouncilsField(councils)


@manager_required
def person_remove(request, pk):
    person, councils = person_in_reach(request, pk)
    form = CouncilsChoiceForm(
        request.POST or None,
        councils=councils,
        initial={"councils": request.GET.getlist("council")},
    )
    if request.method == "POST" and form.is_valid():
        chosen = list(form.cleaned_data["councils"])
        switched_off = access_remove(user=person, councils=chosen)
        text = f"{person_name(person)} no longer has access to {names(chosen)}."
        if switched_off:
            text += " Their account is switched off. Their name stays in the case studies’ history."
        messages.success(request, text)
        return redirect("editors:people")
    return render(
        request,
        "editors/people/remove.html",
        {"form": form, "person": person, "person_name": person_name(person)},
    )


@manager_required
def person_give_access(request, pk):
    person, councils = person_in_reach(request, pk)
    scope = Scope.of(request.user)
    if not may_switch_on(scope, person):
        return refused(
            request,
            title="You cannot switch this account on",
            message="This account had another role than council officer. Ask a site "
            "administrator to switch it on.",
        )
    form = CouncilsChoiceForm(
        request.POST or None,
        councils=councils_to_offer(scope),
        initial={"councils": list(councils)},
    )
    if request.method == "POST" and form.is_valid():
        chosen = list(form.cleaned_data["councils"])
        with transaction.atomic():
            access_give(user=person, councils=chosen, by=request.user)
            if person.email:
                mail_access_given(person, chosen, by=request.user)
        messages.success(request, f"{person_name(person)} now has access to {names(chosen)}.")
        return redirect("editors:people")
    return render(
        request,
        "editors/people/give_access.html",
        {"form": form, "person": person, "person_name": person_name(person)},
    )


# ------------------------------------------------------------------ the invitation's link


class AcceptForm(SetPasswordForm):
    """Django's set-password form (and its password validators) for the account to be made."""

    def __init__(self, invitation, *args, **kwargs):
        model = get_user_model()
        user = model(username=invitation.email, email=invitation.email, first_name=invitation.name)
        super().__init__(user, *args, **kwargs)
        self.fields["new_password1"].label = "Choose a password"
        self.fields["new_password2"].label = "Type the password again"


@never_cache
def invitation(request, token):
    invitation = Invitation.objects.for_token(token)
    if invitation is None:
        raise Http404
    problem = invitation_problem(invitation)
    if problem is not None:
        return closed(request, invitation, problem)
    form = AcceptForm(invitation, request.POST or None)
    if request.method == "POST" and form.is_valid():
        user, problem = invitation_accept(
            invitation=invitation, password=form.cleaned_data["new_password1"]
        )
        if user is None:  # used, cancelled or expired a moment ago, for example
            return closed(request, invitation, problem)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(
            request,
            f"Welcome, {person_name(user)}. Your account is ready: your user name is "
            f"{user.get_username()}.",
        )
        return redirect("editors:dashboard")
    return render(
        request,
        "editors/people/invitation.html",
        {
            "form": form,
            "invitation": invitation,
            "councils": invitation.councils.all(),
            "by": person_name(invitation.invited_by),
        },
    )


def closed(request, invitation, state):
    """The page of a link that no longer works (410): why, and whom to ask."""
    return render(
        request,
        "editors/people/invitation_closed.html",
        {"invitation": invitation, "state": state, "by": person_name(invitation.invited_by)},
        status=410,
    )
