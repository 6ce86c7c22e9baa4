"""Places and partners: the regions, councils and organisations that case studies involve."""

import re

import reversion
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Abs
from django.urls import reverse

# The shape of an Office for National Statistics (GSS) code: a letter and eight digits, e.g.
# E10000012. /councils/<code>/ leads to the council with that code, so no slug may look like one.
ONS_CODE = r"[A-Za-z][0-9]{8}"


class Region(models.Model):
    """One of the nine regions of England used by the Association of Directors of Adult Social
    Services (ADASS)."""

    name = models.CharField(
        max_length=100, unique=True, help_text="The region's official name, e.g. East of England."
    )
    slug = models.SlugField(max_length=100, unique=True)
    adass_name = models.CharField(
        "ADASS name",
        max_length=100,
        blank=True,
        help_text="What ADASS calls the region, where it differs from the official name, e.g. "
        "Eastern for the East of England. Leave empty where they are the same.",
    )
    contact_name = models.CharField(
        "contact's name",
        max_length=200,
        blank=True,
        help_text="Who a council in this region asks about adding a case study: shown on the "
        "pages of councils with no case studies yet. Usually the region's lead.",
    )
    contact_email = models.EmailField(
        "contact's e-mail address",
        blank=True,
        help_text="Shown on the public pages with the contact's name.",
    )

    class Meta:
        ordering = ["name"]
        verbose_name = "region"
        verbose_name_plural = "regions"

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("councils:region", args=[self.slug])

    @property
    def adass_name_differs(self):
        return bool(self.adass_name) and self.adass_name != self.name

    @property
    def adass_note(self):
        """A sentence saying what ADASS calls the region, where that differs, or ""."""
        if self.adass_name_differs:
            return (
                "The Association of Directors of Adult Social Services (ADASS) calls this "
                f"region {self.adass_name}."
            )
        return ""

    @property
    def full_name(self):
        """The official name, with ADASS's name where it differs: "East of England (Eastern)"."""
        if self.adass_name_differs:
            return f"{self.name} ({self.adass_name})"
        return self.name


class CouncilQuerySet(models.QuerySet):
    def current(self):
        """Councils that still exist: not replaced by another."""
        return self.filter(replaced_by__isnull=True)

    def similar_to(self, council):
        """Other current councils of the same kind in the same region, nearest in population to
        `council` first; equally near ones (and those without a population) by name."""
        similar = self.current().filter(kind=council.kind, region_id=council.region_id)
        similar = similar.exclude(pk=council.pk)
        if council.population is None:
            return similar.order_by("short_name", "pk")
        return similar.alias(distance=Abs(models.F("population") - council.population)).order_by(
            models.F("distance").asc(nulls_last=True), "short_name", "pk"
        )


class Council(models.Model):
    """A local authority with adult social care responsibilities."""

    class Kind(models.TextChoices):
        COUNTY = "county", "County council"
        UNITARY = "unitary", "Unitary authority"
        METROPOLITAN_BOROUGH = "metropolitan_borough", "Metropolitan borough"
        LONDON_BOROUGH = "london_borough", "London borough"
        DISTRICT = "district", "District council"
        CITY_OF_LONDON = "city_of_london", "City of London Corporation"

    name = models.CharField(
        "official name",
        max_length=200,
        unique=True,
        help_text="The council's full name, e.g. Essex County Council.",
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
    # From the register of councils (councils/register.py, the load_councils command).
    gss_code = models.CharField(
        "ONS code",
        max_length=9,
        blank=True,
        help_text="The Office for National Statistics code (GSS code), e.g. E10000012 for Essex.",
    )
    register_code = models.CharField(
        "register code",
        max_length=3,
        blank=True,
        help_text="The three-letter code of the register of councils the portal loads, e.g. ESS.",
    )
    other_names = models.TextField(
        "other spellings",
        blank=True,
        help_text="Other ways people write the council's name, one a line, e.g. Essex CC. "
        "Reports that name the council in any of these ways are matched to it.",
    )
    population = models.PositiveIntegerField(null=True, blank=True)
    population_year = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="The year of the population estimate."
    )
    latitude = models.FloatField(
        null=True, blank=True, help_text="A point inside the council's area, for the map."
    )
    longitude = models.FloatField(null=True, blank=True)
    register_facts = models.JSONField(
        default=dict,
        blank=True,
        editable=False,
        help_text="What the register said when it was last loaded, field by field: a field "
        "that differs from it was changed in the portal, and the next load keeps it.",
    )
    replaced_by = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replaced",
        help_text="For a council that merged into another or was renamed: the council that "
        "took over. Its case studies stay with it; its page says where it went.",
    )

    objects = CouncilQuerySet.as_manager()

    class Meta:
        ordering = ["short_name"]
        verbose_name = "council"
        verbose_name_plural = "councils"
        constraints = [
            models.UniqueConstraint(
                fields=["gss_code"], condition=~models.Q(gss_code=""), name="council_gss_unique"
            ),
            models.CheckConstraint(
                condition=~models.Q(replaced_by=models.F("pk")),
                name="council_not_replaced_by_itself",
            ),
            models.CheckConstraint(condition=~models.Q(name=""), name="council_name_not_blank"),
            models.CheckConstraint(
                condition=~models.Q(short_name=""), name="council_short_name_not_blank"
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("councils:detail", args=[self.slug])

    def clean(self):
        """A slug that does not look like an ONS code (that address leads to the council with
        the code); and a council not replaced by itself, nor by one that the chain of
        replacements leads back from (A replaced by B, B by A): the constraint, and loops, as a
        message on the field."""
        super().clean()
        errors = {}
        if re.fullmatch(ONS_CODE, self.slug or ""):
            errors["slug"] = (
                "This cannot look like an ONS code (a letter and eight digits): that address "
                "leads to the council with the code. Use the council's name."
            )
        problem = self.replacement_problem()
        if problem:
            errors["replaced_by"] = problem
        if errors:
            raise ValidationError(errors)

    def replacement_problem(self):
        if self.replaced_by_id is None:
            return None
        if self.pk is not None and self.replaced_by_id == self.pk:
            return (
                "A council cannot be replaced by itself. Choose the council that took over from it."
            )
        seen = {self.pk}
        council = self.replaced_by
        while council.replaced_by_id is not None:
            if council.replaced_by_id in seen:
                return (
                    f"{self.replaced_by.name} is itself replaced by "
                    f"{self.replaced_by.replaced_by.name}, so this would go round in a loop. "
                    "Choose the council that took over in the end."
                )
            seen.add(council.pk)
            council = council.replaced_by
        return None

    @property
    def is_current(self):
        """Whether the council still exists: not replaced by another (`current()`)."""
        return self.replaced_by_id is None

    @property
    def other_name_list(self):
        return [line.strip() for line in self.other_names.splitlines() if line.strip()]

    def all_names(self):
        """Every name the council is known by: official, short and other spellings."""
        return [self.name, self.short_name, *self.other_name_list]


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
