"""A way in for editors: signing in and out, and a new password by e-mail, in the portal's design.

Signing in goes through Django's `authenticate`, so django-axes counts failures and pauses
signing in here exactly as on the admin's page. A password reset e-mail goes to an account at
most once in `RESET_EMAIL_INTERVAL`, and the page after asking is the same whether or not the
address has an account.
"""

import datetime

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import views as auth_views
from django.urls import reverse_lazy
from django.utils import timezone

from editorial.models import EditorProfile

RESET_EMAIL_INTERVAL = datetime.timedelta(minutes=15)


class SignInForm(auth_forms.AuthenticationForm):
    """Django's sign-in form with plain labels and messages."""

    error_messages = {
        "invalid_login": "Enter a correct user name and password. Both are case-sensitive.",
        "inactive": "This account is switched off. Ask a site administrator.",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "User name"
        self.fields["password"].label = "Password"


class SignInView(auth_views.LoginView):
    template_name = "editors/sign_in.html"
    form_class = SignInForm

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "contact": settings.EDITOR_ACCESS_CONTACT}


class SignOutView(auth_views.LogoutView):
    """Sign out (a POST only) and go back to the home page, which says so."""

    next_page = "home"

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        messages.success(request, "You have signed out.")
        return response


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Django's form, sending to each account at most once in RESET_EMAIL_INTERVAL."""

    email = forms.EmailField(
        label="Your e-mail address",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def get_users(self, email):
        since = timezone.now() - RESET_EMAIL_INTERVAL
        for user in super().get_users(email):
            profile, _ = EditorProfile.objects.get_or_create(user=user)
            claimed = (
                EditorProfile.objects.filter(pk=profile.pk)
                .exclude(password_reset_sent_at__gt=since)
                .update(password_reset_sent_at=timezone.now())
            )
            if claimed:
                yield user


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "editors/password_reset.html"
    form_class = PasswordResetForm
    email_template_name = "email/password_reset.txt"
    subject_template_name = "email/password_reset_subject.txt"
    success_url = reverse_lazy("editors:password-reset-sent")

    def form_valid(self, form):
        self.extra_email_context = {"site_url": settings.SITE_URL}
        return super().form_valid(form)


class PasswordResetSentView(auth_views.PasswordResetDoneView):
    template_name = "editors/password_reset_sent.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "editors/password_reset_confirm.html"
    success_url = reverse_lazy("editors:password-reset-complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "editors/password_reset_complete.html"


class SetPasswordForm(auth_forms.SetPasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password2"].label = "Type the new password again"


PasswordResetConfirmView.form_class = SetPasswordForm
