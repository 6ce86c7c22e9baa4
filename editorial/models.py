"""Who edits what: each editor's councils (as an officer) and regions (as a lead)."""

from django.conf import settings
from django.db import models


class EditorProfile(models.Model):
    """The councils and regions one editor works for. Their role comes from their group."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="editor_profile"
    )
    councils = models.ManyToManyField(
        "councils.Council",
        blank=True,
        related_name="editors",
        help_text="For council officers: the councils whose case studies they look after.",
    )
    regions = models.ManyToManyField(
        "councils.Region",
        blank=True,
        related_name="editors",
        help_text="For regional leads: the regions whose case studies they review and publish.",
    )
    # E-mails: each person chooses which they get (the editors' "E-mails" page, or the admin).
    email_on_submission = models.BooleanField(
        "e-mail me when a case study is sent for review",
        default=True,
        help_text="For regional leads: an e-mail for each case study sent for review in their "
        "regions.",
    )
    email_on_outcome = models.BooleanField(
        "e-mail me when my case study is returned or published",
        default=True,
        help_text="An e-mail when a lead returns a case study this person sent for review, "
        "with the lead's comment, or publishes it.",
    )
    weekly_digest = models.BooleanField(
        "send me a weekly summary",
        default=False,
        help_text="For regional leads: once a week, what is waiting for review in their regions "
        "and what was published in the last 7 days.",
    )
    weekly_digest_sent_on = models.DateField(
        "weekly summary last sent on",
        null=True,
        blank=True,
        help_text="Set by the send_weekly_digest command, so that nobody gets two in a week.",
    )
    password_reset_sent_at = models.DateTimeField(
        "password reset e-mail last sent at",
        null=True,
        blank=True,
        help_text="At most one password reset e-mail is sent to a person in a few minutes.",
    )

    class Meta:
        ordering = ["user__username"]
        verbose_name = "editor profile"
        verbose_name_plural = "editor profiles"

    def __str__(self):
        return f"Editor profile of {self.user.get_username()}"
