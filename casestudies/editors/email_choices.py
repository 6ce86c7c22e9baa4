"""The editors' "E-mails" page: each person chooses which e-mails the portal sends them
(casestudies/notifications.py sends them)."""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render

from editorial.models import EditorProfile
from editorial.roles import Scope

from .access import editor_required

LEAD_CHOICES = ["email_on_submission", "weekly_digest"]


class EmailChoicesForm(forms.ModelForm):
    class Meta:
        model = EditorProfile
        fields = ["email_on_submission", "weekly_digest", "email_on_outcome"]
        labels = {
            "email_on_submission": "When a case study in my regions is sent for review",
            "weekly_digest": "A weekly summary: what is waiting for review in my regions, "
            "and what was published in the last 7 days",
            "email_on_outcome": "When a case study I sent for review is returned to me or "
            "published",
        }

    def __init__(self, *args, is_lead, **kwargs):
        super().__init__(*args, **kwargs)
        if not is_lead:
            for name in LEAD_CHOICES:
                del self.fields[name]


@editor_required
def email_choices(request):
    profile, _ = EditorProfile.objects.get_or_create(user=request.user)
    form = EmailChoicesForm(
        request.POST if request.method == "POST" else None,
        instance=profile,
        is_lead=Scope.of(request.user).is_lead,
    )
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Your e-mail choices have been saved.")
        return redirect("editors:notifications")
    return render(
        request,
        "editors/email_choices.html",
        {"form": form, "email": request.user.email},
    )
