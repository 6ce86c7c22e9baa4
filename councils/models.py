"""Places and partners: the regions, councils and organisations that case studies involve."""

import reversion
from django.db import models
from django.urls import reverse


class Region(models.Model):
    """One of the nine regions of England used by the Association of Directors of Adult Social
    Services (ADASS)."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "region"
        verbose_name_plural = "regions"

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("councils:region", args=[self.slug])


class Council(models.Model):
    """A local authority with adult social care responsibilities."""

    class Kind(models.TextChoices):
        COUNTY = "county", "County council"
        UNITARY = "unitary", "Unitary authority"
        METROPOLITAN_BOROUGH = "metropolitan_borough", "Metropolitan borough"
        LONDON_BOROUGH = "london_borough", "London borough"
        DISTRICT = "district", "District council"

    name = models.CharField(
        max_length=200, unique=True, help_text="The council's full name, e.g. Essex County Council."
    )
    short_name = models.CharField(
        max_length=100, help_text="The name people use day to day, e.g. Essex."
    )
    slug = models.SlugField(
        max_length=100, unique=True, help_text="Used in the council's web address."
    )
    kind = models.CharField(max_length=30, choices=Kind.choices)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="councils")
    website = models.URLField(blank=True)

    class Meta:
        ordering = ["short_name"]
        verbose_name = "council"
        verbose_name_plural = "councils"
        constraints = [
            models.CheckConstraint(condition=~models.Q(name=""), name="council_name_not_blank"),
            models.CheckConstraint(
                condition=~models.Q(short_name=""), name="council_short_name_not_blank"
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("councils:detail", args=[self.slug])


class Organisation(models.Model):
    """A partner that is not a council: an integrated care board, Healthwatch, a user-led or
    voluntary organisation, a provider or a national body."""

    class Kind(models.TextChoices):
        INTEGRATED_CARE_BOARD = "integrated_care_board", "Integrated care board"
        NHS = "nhs", "NHS organisation"
        HEALTHWATCH = "healthwatch", "Healthwatch"
        USER_LED = "user_led", "User-led organisation"
        VOLUNTARY = "voluntary", "Voluntary or community organisation"
        PROVIDER = "provider", "Care provider"
        NATIONAL_BODY = "national_body", "National body"
        REGIONAL_BODY = "regional_body", "Regional body"
        OTHER = "other", "Other"

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    kind = models.CharField(max_length=30, choices=Kind.choices, default=Kind.OTHER)
    website = models.URLField(blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "partner organisation"
        verbose_name_plural = "partner organisations"
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(name=""), name="organisation_name_not_blank"
            ),
        ]

    def __str__(self):
        return self.name


# Shown on every region's public pages, so every change is a version a site administrator can
# see and revert (django-reversion; the admin is councils/admin.py, SharedRecordAdmin).
for _model in (Region, Council, Organisation):
    reversion.register(_model)
