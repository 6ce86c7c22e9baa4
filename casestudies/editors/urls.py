"""The editors' area: the portal's own pages for signed-in editors (council officers, regional
leads and site administrators), in the public site's design. The Django admin stays for
curation and site administration."""

from django.urls import path  # noqa: F401 - each part of the editors' area adds its paths

from . import accounts, email_choices

app_name = "editors"

urlpatterns = []

urlpatterns += [
    path("sign-in/", accounts.SignInView.as_view(), name="sign-in"),
    path("sign-out/", accounts.SignOutView.as_view(), name="sign-out"),
    path("password-reset/", accounts.PasswordResetView.as_view(), name="password-reset"),
    path(
        "password-reset/sent/",
        accounts.PasswordResetSentView.as_view(),
        name="password-reset-sent",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        accounts.PasswordResetConfirmView.as_view(),
        name="password-reset-confirm",
    ),
    path(
        "password-reset/done/",
        accounts.PasswordResetCompleteView.as_view(),
        name="password-reset-complete",
    ),
    path("notifications/", email_choices.email_choices, name="notifications"),
]
