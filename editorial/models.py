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

    class Meta:
        ordering = ["user__username"]
        verbose_name = "editor profile"
        verbose_name_plural = "editor profiles"

    def __str__(self):
        return f"Editor profile of {self.user.get_username()}"
