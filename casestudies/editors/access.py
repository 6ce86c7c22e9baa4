"""Who may use the editors' area: signed-in council officers, regional leads and site
administrators. Anyone signed out is sent to sign in (settings.LOGIN_URL) and brought back."""

import functools

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from editorial.roles import Scope

NO_ROLE = (
    "Your account is not set up as a council officer, regional lead or site administrator, "
    "so you cannot add or change case studies. If you need to, ask your regional lead or a "
    "site administrator of the portal to give your account a role."
)


def refused(request, *, title, message):
    """A plain page saying what the person cannot do here, and whom to ask (403)."""
    return render(request, "editors/refused.html", {"title": title, "message": message}, status=403)


def editor_required(view):
    """Signed-in editors only: anyone else is sent to sign in; a signed-in person with no
    editor role is told so."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        scope = Scope.of(request.user)
        if not (scope.is_admin or scope.is_lead or scope.is_officer):
            return no_role(request)
        return view(request, *args, **kwargs)

    return login_required(wrapped)


def no_role(request):
    return refused(request, title="You cannot use the editors' pages", message=NO_ROLE)
