"""Who edits what: each editor's councils (as an officer) and regions (as a lead)."""

import datetime
import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone


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


def token_hash(token):
    """What is stored of an invitation's token: its SHA-256, in hex. The token itself is only
    in the e-mailed link."""
    return hashlib.sha256(token.encode()).hexdigest()


class InvitationQuerySet(models.QuerySet):
    def waiting(self):
        """Invitations not yet used, cancelled or replaced: unexpired or expired."""
        return self.filter(accepted_at__isnull=True, withdrawn_at__isnull=True)

    def pending(self, *, now=None):
        """Invitations whose link still works."""
        return self.waiting().filter(expires_at__gt=now or timezone.now())

    def withdraw(self, *, now=None):
        """Cancel those still waiting: their links stop working."""
        return self.waiting().update(withdrawn_at=now or timezone.now())

    def for_token(self, token):
        """The invitation whose link holds `token`, or None."""
        return self.select_related("invited_by").filter(token_hash=token_hash(token)).first()


class Invitation(models.Model):
    """An e-mailed invitation to become a council officer for some councils, by a site
    administrator or a regional lead (casestudies/editors/people.py sends and accepts them)."""

    class State(models.TextChoices):
        WAITING = "waiting", "Waiting"
        EXPIRED = "expired", "Expired"
        USED = "used", "Used"
        WITHDRAWN = "withdrawn", "Cancelled or sent again"

    email = models.EmailField("e-mail address", help_text="Where the invitation was sent.")
    name = models.CharField(
        max_length=150, help_text="The person's name, as their account will show it."
    )
    councils = models.ManyToManyField(
        "councils.Council",
        related_name="invitations",
        help_text="The councils whose case studies the person will look after.",
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="invitations_sent",
        help_text="Named on the invitation, as the person to ask about it.",
    )
    created_at = models.DateTimeField("sent at", default=timezone.now)
    expires_at = models.DateTimeField(
        help_text="The link stops working then (INVITATION_VALID_DAYS after it was sent)."
    )
    token_hash = models.CharField(
        max_length=64,
        unique=True,
        editable=False,
        help_text="The SHA-256 of the link's secret; the secret itself is never stored.",
    )
    accepted_at = models.DateTimeField("used at", null=True, blank=True)
    withdrawn_at = models.DateTimeField(
        "cancelled at",
        null=True,
        blank=True,
        help_text="When it was cancelled or replaced by a new invitation; its link then stops "
        "working.",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="invitations",
        verbose_name="account",
        help_text="The account the invitation created.",
    )

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "invitation"
        verbose_name_plural = "invitations"
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(email=""), name="invitation_email_not_blank"
            ),
            models.CheckConstraint(
                condition=models.Q(accepted_at__isnull=True) | models.Q(user__isnull=False),
                name="invitation_used_names_its_account",
            ),
        ]

    def __str__(self):
        return f"Invitation to {self.email}"

    @classmethod
    def issue(cls, *, email, name, councils, invited_by, now=None):
        """A new invitation and the secret for its link (returned once, never stored)."""
        token = secrets.token_urlsafe(32)
        now = now or timezone.now()
        invitation = cls.objects.create(
            email=email,
            name=name,
            invited_by=invited_by,
            created_at=now,
            expires_at=now + datetime.timedelta(days=settings.INVITATION_VALID_DAYS),
            token_hash=token_hash(token),
        )
        invitation.councils.set(councils)
        return invitation, token

    def state(self, *, now=None):
        if self.accepted_at is not None:
            return self.State.USED
        if self.withdrawn_at is not None:
            return self.State.WITHDRAWN
        if self.expires_at <= (now or timezone.now()):
            return self.State.EXPIRED
        return self.State.WAITING

    def claim(self, *, user, now=None):
        """Mark the invitation used by `user`'s new account, if its link still works. Only one
        of two people using the link at once gets True (one conditional UPDATE)."""
        now = now or timezone.now()
        claimed = (
            Invitation.objects.pending(now=now)
            .filter(pk=self.pk)
            .update(accepted_at=now, user=user)
        )
        if claimed:
            self.accepted_at, self.user = now, user
        return bool(claimed)

    def withdraw(self, *, now=None):
        """Stop the link working (the invitation is cancelled, or replaced by a new one)."""
        now = now or timezone.now()
        Invitation.objects.waiting().filter(pk=self.pk).update(withdrawn_at=now)
        self.withdrawn_at = now
