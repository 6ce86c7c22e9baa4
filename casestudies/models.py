"""Case studies, the resources published beside them, and the vocabulary that tags them."""

import dataclasses
import datetime

import reversion
from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from councils.models import Council
from editorial.roles import Scope

from .report_import.headings import DEFAULT_PHRASES, Role, heading_key
from .search import search_vector_expression, text_search


class Status(models.TextChoices):
    """Where an entry is in the editorial workflow. Only published entries are public."""

    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "In review"
    PUBLISHED = "published", "Published"
    ARCHIVED = "archived", "Archived"


def not_blank(field, name):
    """A database check that a text field holds something."""
    return models.CheckConstraint(condition=~models.Q(**{field: ""}), name=name)


def shorten(text, length=80):
    """Text cut to a length that fits an admin list or a breadcrumb."""
    return text if len(text) <= length else text[: length - 1] + "…"


def unique_position(parent, name):
    """Each item of an ordered list has its own position.

    Deferred to the end of the transaction, so an editor can swap two items in one save.
    (SQLite cannot defer, so there the rule is kept by the admin's forms only.)
    """
    return models.UniqueConstraint(
        fields=[parent, "order"], name=name, deferrable=models.Deferrable.DEFERRED
    )


class PublishedQuerySet(models.QuerySet):
    """The one door to public content: public pages start from `published()`."""

    def published(self):
        return self.filter(status=Status.PUBLISHED)


class Term(models.Model):
    """A word from the portal's small vocabulary, with a plain-English description."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    description = models.TextField(
        help_text="One or two plain-English sentences saying what this means."
    )

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self):
        return self.name


class Topic(Term):
    """What a case study is about, such as support for carers or direct payments."""

    class Meta(Term.Meta):
        verbose_name = "topic"
        verbose_name_plural = "topics"

    def get_absolute_url(self):
        return reverse("casestudies:topic", args=[self.slug])


class PeopleGroup(Term):
    """A group of people who took part, such as unpaid carers or autistic people."""

    class Meta(Term.Meta):
        verbose_name = "people involved"
        verbose_name_plural = "people involved"


class Approach(Term):
    """A method used to co-produce, such as Working Together for Change."""

    class Meta(Term.Meta):
        verbose_name = "approach"
        verbose_name_plural = "approaches"

    def get_absolute_url(self):
        return reverse("casestudies:approach", args=[self.slug])


class Publication(models.Model):
    """A published document that case studies and resources come from."""

    title = models.CharField(max_length=300)
    slug = models.SlugField(max_length=120, unique=True)
    publisher = models.CharField(max_length=200)
    year = models.PositiveSmallIntegerField()
    published_on = models.DateField(
        null=True, blank=True, help_text="Only if the document gives a full date."
    )
    url = models.URLField("web address", blank=True, max_length=500)
    description = models.TextField(blank=True, help_text="What the document is. Markdown.")
    terms = models.TextField(
        "terms for reuse",
        blank=True,
        help_text=(
            "What the document itself says about copying or reusing it (a copyright line or a "
            "licence), in its own words. Leave empty when it says nothing: the public pages "
            "then say it gives no terms."
        ),
    )
    front_matter = models.TextField(
        blank=True,
        help_text=(
            "The document's opening text (title page, contents, introduction) as the importer "
            "found it. Not shown on the portal."
        ),
    )

    class Meta:
        ordering = ["-year", "title"]
        verbose_name = "publication"
        verbose_name_plural = "publications"
        constraints = [not_blank("title", "publication_title_not_blank")]

    def __str__(self):
        return f"{self.title} ({self.year})"

    def get_absolute_url(self):
        return reverse("casestudies:publication", args=[self.slug])

    @property
    def source_date(self):
        """The date the document speaks from: its full date, or 1 January of its year."""
        return self.published_on or datetime.date(self.year, 1, 1)


class PointKind(models.TextChoices):
    """The three kinds of point the reports list, plus the one combined list some reports use."""

    LEARNING = "learning", "Learning that supported success"
    CONDITION = "condition", "Condition for success"
    BARRIER = "barrier", "Barrier"
    COMBINED = "combined", "Barrier or condition (combined list)"


@dataclasses.dataclass(frozen=True)
class PointList:
    """One of a case study's lists of points, and everything the portal needs to know of it."""

    kind: PointKind
    name: str  # in content files, imports and forms ("conditions" for the condition points)
    heading_field: str  # the CaseStudy field holding the source's own heading, if it has one
    default_heading: str  # the question the reports ask
    when_to_use: str = ""  # for editors, where the list's purpose needs saying

    def heading_of(self, case_study):
        """The list's heading on a case study: the source's own words, or the question."""
        return getattr(case_study, self.heading_field) or self.default_heading

    def heading_label(self):
        return f"heading of the {self.name} list"

    def heading_help(self):
        return " ".join(
            [
                self.when_to_use,
                "Only if the source document uses its own words for this list's heading.",
                f"Leave empty for: {self.default_heading}",
            ]
        ).strip()


# The lists, in the order the portal shows them. The one definition of each list.
POINT_LISTS = (
    PointList(
        PointKind.LEARNING,
        "learning",
        "learning_heading",
        "What was the learning that supported success?",
    ),
    PointList(
        PointKind.CONDITION,
        "conditions",
        "conditions_heading",
        "What were the conditions for success?",
    ),
    PointList(PointKind.BARRIER, "barriers", "barriers_heading", "What were the barriers?"),
    PointList(
        PointKind.COMBINED,
        "combined",
        "combined_heading",
        "What were the barriers and conditions for success?",
        when_to_use=(
            "The combined list is for a source document that puts barriers and conditions for "
            "success in one list. Otherwise use the separate lists."
        ),
    ),
)
POINT_LIST_BY_KIND = {point_list.kind: point_list for point_list in POINT_LISTS}


class Missing(str):
    """One thing a case study needs before it may be published: the words to show, and in
    `part` the field or part that holds it (title, standfirst, narrative, region, points,
    contacts), so that a form can link to where it is filled in."""

    def __new__(cls, words, *, part):
        missing = super().__new__(cls, words)
        missing.part = part
        return missing


class CaseStudyQuerySet(PublishedQuerySet):
    def with_list_data(self):
        """What a list of case studies shows, fetched in a fixed number of queries."""
        return self.select_related("region").prefetch_related("councils", "topics")

    def count_per(self, records):
        """`records` (topics, councils, regions…) annotated with `case_study_count`: how many
        of these case studies each is linked to. One query; records with none get 0."""
        return records.annotate(
            case_study_count=Count(
                "case_studies", filter=Q(case_studies__in=self.values("pk")), distinct=True
            )
        )

    def newest_first(self):
        return self.order_by(F("published_on").desc(nulls_last=True), "title")

    def joint_councils(self, council):
        """The other councils named with `council` on these case studies, with
        `case_study_count`: how many of them each shares with it. Most shared first."""
        shared = self.filter(councils=council).values("pk")
        partners = CaseStudy.councils.through.objects.filter(casestudy__in=shared)
        return (
            self.filter(pk__in=shared)
            .count_per(Council.objects.filter(pk__in=partners.values("council_id")))
            .exclude(pk=council.pk)
            .order_by("-case_study_count", "short_name")
        )

    def search(self, text):
        """Case studies matching the words in `text`, with `rank` and `snippet` annotations.

        PostgreSQL: full-text search on the stored `search_vector` (see casestudies/search.py).
        Other databases: every word must appear somewhere (a case-insensitive contains-match);
        `rank` is then 0 and `snippet` empty.
        """
        return text_search(self, text)

    def refresh_search_vector(self):
        """Recompute the stored search text of these case studies now: one UPDATE of one
        column, so it creates no history entries and sends no signals. Does nothing (returns 0)
        on databases without full-text search, such as SQLite. Code that writes case studies
        asks for a refresh on commit instead (`search.refresh_search_text_on_commit`)."""
        if connection.vendor != "postgresql":
            return 0
        return self.update(search_vector=search_vector_expression())

    def related_to(self, case_study, limit=3):
        """Other case studies sharing topics or approaches with `case_study`, most shared first.

        Reads `case_study.topics.all()` and `approaches.all()`, so prefetch them.
        """
        topic_ids = [topic.pk for topic in case_study.topics.all()]
        approach_ids = [approach.pk for approach in case_study.approaches.all()]
        if not topic_ids and not approach_ids:
            return self.none()
        shared_topics = self.filter(topics__in=topic_ids).values("pk")
        shared_approaches = self.filter(approaches__in=approach_ids).values("pk")
        return (
            self.exclude(pk=case_study.pk)
            .filter(Q(pk__in=shared_topics) | Q(pk__in=shared_approaches))
            .annotate(
                shared=Count("topics", filter=Q(topics__in=topic_ids), distinct=True)
                + Count("approaches", filter=Q(approaches__in=approach_ids), distinct=True)
            )
            .order_by("-shared", "title")[:limit]
        )

    def with_page_data(self):
        """Everything the case study page shows, fetched in a fixed number of queries."""
        return self.select_related("region", "publication").prefetch_related(
            "councils",
            "organisations",
            "topics",
            "people",
            "approaches",
            "points",
            "contacts",
            "links",
            "quotes",
        )

    def archived(self):
        return self.filter(status=Status.ARCHIVED)

    def visible_to(self, user):
        """The case studies an editor may see in the admin: everything for a site
        administrator, every state in a lead's regions, entries involving an officer's councils.
        """
        scope = Scope.of(user)
        if scope.is_admin:
            return self
        rule = models.Q(pk__in=[])
        if scope.lead_region_ids:
            rule |= models.Q(region_id__in=scope.lead_region_ids)
        if scope.officer_council_ids:
            rule |= models.Q(
                pk__in=CaseStudy.councils.through.objects.filter(
                    council_id__in=scope.officer_council_ids
                ).values("casestudy_id")
            )
        return self.filter(rule)

    def awaiting_review(self):
        return self.filter(status=Status.IN_REVIEW)

    def drafts(self):
        return self.filter(status=Status.DRAFT)

    def recently_changed(self):
        """For an editor's start page: newest changes first, with what a row shows."""
        return self.select_related("region").order_by("-updated_at")

    def contacts_checked_before(self, date):
        """The publishable contacts of these case studies last checked before `date`,
        oldest first."""
        return self._publishable_contacts().filter(last_verified_on__lt=date)

    def contacts_never_checked(self):
        """The publishable contacts of these case studies with no date of checking."""
        return self._publishable_contacts().filter(last_verified_on__isnull=True)

    def _publishable_contacts(self):
        return (
            Contact.objects.filter(case_study__in=self)
            .exclude(consent=Contact.Consent.NOT_GIVEN)
            .select_related("case_study")
            .order_by("last_verified_on", "pk")
        )


class CaseStudy(models.Model):
    """One example of co-production, as a council or region reported it.

    Search: `search_vector` holds the case study's words for PostgreSQL full-text search,
    weighted A (title), B (standfirst), C (narrative, points), D (council and organisation
    names, publishable contacts, quotes). It is recomputed once per transaction, on commit, for
    every case study touched in it (`search.refresh_search_text_on_commit`): the receivers in
    casestudies/signals.py ask for it when a case study, one of its points, contacts or
    quotes, its councils or partners, or a council's or partner's name changes; bulk writes
    (seed loader, report import, workflow) ask for it themselves. On SQLite the column exists
    but stays empty, and search uses a contains-match. The GIN index on it is created by
    migration 0003 on PostgreSQL only.
    """

    # Its parts (its own rows) are listed once, in PART_MODELS at the end of this module.
    # The shared records it names: copied into an update and handed back like its parts.
    LINKS = ("councils", "organisations", "topics", "people", "approaches")
    # Its identity and place in the workflow: never copied from an update, never restored
    # from an earlier version. Everything else an editor writes is content.
    WORKFLOW_FIELDS = ("slug", "status", "update_of", "published_on")

    class Stage(models.TextChoices):
        EARLY = "early", "Early days"
        IN_PROGRESS = "in_progress", "In progress"
        ESTABLISHED = "established", "Established"

    title = models.CharField(max_length=300)
    slug = models.SlugField(
        "web address",
        max_length=120,
        unique=True,
        help_text=(
            "The end of the case study's web address: /case-studies/this-part/. Small letters, "
            "numbers and hyphens only. It is made from the title as you type it. Once the case "
            "study is published, links to it use this, so change it only before then."
        ),
    )
    standfirst = models.CharField(
        "summary (one sentence)",
        max_length=500,
        help_text=(
            "One sentence that says what happened, shown under the title and in lists. "
            "Up to 500 characters; under 200 reads best."
        ),
    )
    narrative = models.TextField(
        "the story",
        blank=True,
        help_text=(
            "What was done, with whom, and what changed. Leave a blank line between "
            "paragraphs. Start a line with “## ” for a subheading, or “- ” for a bullet point."
        ),
    )
    region = models.ForeignKey(
        "councils.Region",
        on_delete=models.PROTECT,
        related_name="case_studies",
        help_text="Every case study belongs to a region, even when no council is named.",
    )
    councils = models.ManyToManyField(
        "councils.Council",
        blank=True,
        related_name="case_studies",
        help_text=(
            "The councils that did the work. Council officers must name at least one of their "
            "own councils. Only regional leads can leave this empty, for a regional programme "
            "that no one council ran."
        ),
    )
    organisations = models.ManyToManyField(
        "councils.Organisation",
        blank=True,
        related_name="case_studies",
        verbose_name="partner organisations",
    )
    topics = models.ManyToManyField(Topic, blank=True, related_name="case_studies")
    people = models.ManyToManyField(
        PeopleGroup, blank=True, related_name="case_studies", verbose_name="people involved"
    )
    approaches = models.ManyToManyField(
        Approach, blank=True, related_name="case_studies", verbose_name="approaches used"
    )
    stage = models.CharField(
        "stage of the work", max_length=20, choices=Stage.choices, default=Stage.IN_PROGRESS
    )
    publication = models.ForeignKey(
        Publication,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="case_studies",
        verbose_name="source publication",
        help_text="The document this case study first appeared in, if any.",
    )
    source_pages = models.CharField(
        max_length=30, blank=True, help_text="Pages in the source publication, e.g. 6-7."
    )
    started_on = models.DateField("work started", null=True, blank=True)
    published_on = models.DateField("first published", null=True, blank=True)
    last_reviewed_on = models.DateField("last reviewed", null=True, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    update_of = models.OneToOneField(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="pending_update",
        verbose_name="proposed update of",
        help_text=(
            "Set when this draft proposes changes to a published case study. Publishing it "
            "replaces that case study's content and keeps its web address."
        ),
    )

    learning_heading = models.CharField(
        POINT_LISTS[0].heading_label(),
        max_length=200,
        blank=True,
        help_text=POINT_LISTS[0].heading_help(),
    )
    conditions_heading = models.CharField(
        POINT_LISTS[1].heading_label(),
        max_length=200,
        blank=True,
        help_text=POINT_LISTS[1].heading_help(),
    )
    barriers_heading = models.CharField(
        POINT_LISTS[2].heading_label(),
        max_length=200,
        blank=True,
        help_text=POINT_LISTS[2].heading_help(),
    )
    combined_heading = models.CharField(
        POINT_LISTS[3].heading_label(),
        max_length=200,
        blank=True,
        help_text=POINT_LISTS[3].heading_help(),
    )
    content_note = models.TextField(
        blank=True,
        help_text="Shown to the public: corrections made to the source text, and why.",
    )
    editor_notes = models.TextField(
        blank=True, help_text="Only for editors: text still to place, questions, reminders."
    )
    created_at = models.DateTimeField("added", auto_now_add=True)
    updated_at = models.DateTimeField("last changed", auto_now=True)
    search_vector = SearchVectorField(
        null=True, editable=False, help_text="Words for full-text search, kept current for you."
    )

    objects = CaseStudyQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        verbose_name = "case study"
        verbose_name_plural = "case studies"
        permissions = [
            ("import_report", "Can import case studies from a report"),
            ("submit_casestudy", "Can submit a case study for review"),
            ("publish_casestudy", "Can publish a case study"),
            ("return_casestudy", "Can return a case study to its author"),
            ("archive_casestudy", "Can archive a case study"),
            ("import_casestudy", "Can import case studies from a spreadsheet"),
            ("export_casestudy", "Can export case studies to a spreadsheet"),
        ]
        constraints = [
            not_blank("title", "case_study_title_not_blank"),
            not_blank("slug", "case_study_slug_not_blank"),
        ]
        indexes = [
            models.Index(fields=["status", "-published_on"], name="case_study_status_date"),
            models.Index(fields=["status", "stage"], name="case_study_status_stage"),
            models.Index(fields=["status", "title"], name="case_study_status_title"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("casestudies:detail", args=[self.slug])

    @classmethod
    def part_models(cls):
        """The models of its parts: Point, Contact, Link, Quote (see PART_MODELS)."""
        return PART_MODELS

    @staticmethod
    def part_name(model):
        """The related name of one kind of part, such as "points" for Point."""
        return model._meta.get_field("case_study").remote_field.related_name

    @classmethod
    def part_names(cls):
        """The related names of its parts: points, contacts, links, quotes."""
        return tuple(cls.part_name(model) for model in PART_MODELS)

    @classmethod
    def unique_slug(cls, title, used=None):
        """A web address made from `title` that no case study has, nor any in `used` (those
        given out but not yet saved, to which it is added)."""
        base = slugify(title)[:100].strip("-") or "case-study"
        taken = set(cls.objects.filter(slug__startswith=base).values_list("slug", flat=True))
        taken |= used or set()
        slug, number = base, 1
        while slug in taken:
            number += 1
            slug = f"{base}-{number}"
        if used is not None:
            used.add(slug)
        return slug

    @classmethod
    def content_fields(cls):
        """The fields an editor writes: what a proposed update hands to the published entry."""
        return [
            field
            for field in cls._meta.concrete_fields
            if field.editable and not field.primary_key and field.name not in cls.WORKFLOW_FIELDS
        ]

    @property
    def is_published(self):
        return self.status == Status.PUBLISHED

    def missing_for_publication(self):
        """What is missing before this case study may be published: an empty list when
        nothing is. Each item is a `Missing`: words to show, and the part that needs filling
        in. Reads `points.all()` and `contacts.all()`, so prefetching makes it cheap."""
        missing = []
        if not self.title.strip():
            missing.append(Missing("a title", part="title"))
        if not self.standfirst.strip():
            missing.append(
                Missing("a summary (the one sentence under the title)", part="standfirst")
            )
        if not self.narrative.strip():
            missing.append(Missing("the story", part="narrative"))
        if self.region_id is None:
            missing.append(Missing("a region", part="region"))
        if not self.points.all():
            missing.append(
                Missing(
                    "at least one point: learning, a condition for success or a barrier",
                    part="points",
                )
            )
        for contact in self.contacts.all():
            # Contacts without consent are never shown; a shown one needs its consent dated.
            if contact.may_be_published and contact.last_verified_on is None:
                missing.append(
                    Missing(
                        f"the date consent to publish the contact {contact} was recorded "
                        "(fill in “Date consent to publish was recorded”), or set their consent "
                        "to “Not given”",
                        part="contacts",
                    )
                )
        return missing

    # The Django permission each action needs on top of the rules below. Roles are groups
    # holding these permissions (casestudies/permissions.py); a site administrator who takes
    # one away from a group takes the action away from its members.
    ACTION_PERMISSIONS = {
        "view": "casestudies.view_casestudy",
        "change": "casestudies.change_casestudy",
        "revert": "casestudies.change_casestudy",
        "submit": "casestudies.submit_casestudy",
        "publish": "casestudies.publish_casestudy",
        "return": "casestudies.return_casestudy",
        "archive": "casestudies.archive_casestudy",
        "propose_update": "casestudies.add_casestudy",
        "delete": "casestudies.delete_casestudy",
    }

    def permitted_actions(self, user):
        """What this user may do with this case study, as a set of action names.

        The one place the editorial rules for a single entry live: the admin's permission
        checks, its buttons and the workflow moves all ask here. An action needs both the
        row-level rule (the entry's state, and the councils or regions the person covers) and
        the Django permission in `ACTION_PERMISSIONS`.
        """
        return frozenset(
            action
            for action in self._actions_in_scope(Scope.of(user))
            if user.has_perm(self.ACTION_PERMISSIONS[action])
        )

    def _actions_in_scope(self, scope):
        """The actions the row-level rules allow: by state and by what the person covers."""
        council_ids = {council.pk for council in self.councils.all()}
        is_lead = scope.is_admin or self.region_id in scope.lead_region_ids
        is_officer = bool(council_ids & scope.officer_council_ids)
        if not (is_lead or is_officer):
            return frozenset()
        actions = {"view"}
        status = self.status
        if is_lead:
            actions |= {"change", "revert"}
            if status == Status.DRAFT:
                actions.add("submit")
            if status in (Status.DRAFT, Status.IN_REVIEW) or (
                status == Status.ARCHIVED and self.update_of_id is None
            ):
                actions.add("publish")
            if status == Status.IN_REVIEW:
                actions.add("return")
            if status != Status.ARCHIVED and self.update_of_id is None:
                actions.add("archive")
            if scope.is_admin:
                actions.add("delete")
        elif status == Status.DRAFT:
            actions |= {"change", "revert", "submit"}
        if status == Status.PUBLISHED and not self.has_pending_update():
            actions.add("propose_update")
        return actions

    def has_pending_update(self):
        try:
            return self.pending_update is not None
        except CaseStudy.DoesNotExist:
            return False

    def last_return(self):
        """The latest time a lead returned this entry, if it is still a returned draft."""
        if self.status != Status.DRAFT:
            return None
        latest = next(iter(self.transitions.all()), None)  # newest first; prefetch-friendly
        return latest if latest and latest.action == Transition.Action.RETURN else None

    def published_contacts(self):
        """Contacts whose details may be shown publicly. Reads `contacts.all()`."""
        return [contact for contact in self.contacts.all() if contact.may_be_published]

    def point_sections(self):
        """The lists of points under their headings, in the order the portal shows them.

        Reads `points.all()`, so a prefetch of `points` makes this free.
        """
        by_kind = {}
        for point in self.points.all():
            by_kind.setdefault(point.kind, []).append(point)
        sections = []
        for point_list in POINT_LISTS:
            if by_kind.get(point_list.kind):
                sections.append(
                    {
                        "kind": point_list.kind,
                        "heading": point_list.heading_of(self),
                        "points": by_kind[point_list.kind],
                    }
                )
        return sections


class Transition(models.Model):
    """One move of a case study through the editorial workflow: who, when, from, to and why."""

    class Action(models.TextChoices):
        SUBMIT = "submit", "Submitted for review"
        PUBLISH = "publish", "Published"
        RETURN = "return", "Returned to the author"
        ARCHIVE = "archive", "Archived"
        PROPOSE_UPDATE = "propose_update", "Update proposed"
        PUBLISH_UPDATE = "publish_update", "Update published"

    case_study = models.ForeignKey(CaseStudy, on_delete=models.CASCADE, related_name="transitions")
    action = models.CharField(max_length=20, choices=Action.choices)
    from_status = models.CharField("from", max_length=20, choices=Status.choices)
    to_status = models.CharField("to", max_length=20, choices=Status.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="case_study_transitions",
    )
    at = models.DateTimeField("when", default=timezone.now)
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = "workflow step"
        verbose_name_plural = "workflow steps"
        indexes = [models.Index(fields=["case_study", "-at"], name="transition_case_study_at")]

    def __str__(self):
        who = self.by.get_username() if self.by else "someone"
        return f"{self.get_action_display()} by {who}"


class Point(models.Model):
    """One item in one of a case study's lists: learning, conditions or barriers."""

    Kind = PointKind

    case_study = models.ForeignKey(CaseStudy, on_delete=models.CASCADE, related_name="points")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    order = models.PositiveIntegerField(default=1, help_text="Position in its list, from 1.")
    text = models.TextField()

    class Meta:
        ordering = ["case_study", "kind", "order"]
        verbose_name = "point"
        verbose_name_plural = "points"
        constraints = [
            models.UniqueConstraint(
                fields=["case_study", "kind", "order"],
                name="point_unique_position",
                deferrable=models.Deferrable.DEFERRED,
            ),
            not_blank("text", "point_text_not_blank"),
        ]

    def __str__(self):
        return shorten(self.text)


class CaseStudyPart(models.Model):
    """One item of a case study's ordered lists: its contacts, links and quotes."""

    case_study = models.ForeignKey(CaseStudy, on_delete=models.CASCADE, related_name="%(class)ss")
    order = models.PositiveIntegerField(default=1, help_text="Position in its list, from 1.")

    class Meta:
        abstract = True
        ordering = ["case_study", "order"]
        constraints = [unique_position("case_study", "%(class)s_unique_position")]


class Contact(CaseStudyPart):
    """A person or mailbox to ask about a case study. Personal data: published only with consent."""

    class Consent(models.TextChoices):
        PUBLISHED_IN_SOURCE = "published_in_source", "Published in the source document"
        GIVEN = "given", "Given to the portal"
        NOT_GIVEN = "not_given", "Not given: do not publish"

    name = models.CharField(
        max_length=200, blank=True, help_text="Leave empty for a shared mailbox."
    )
    role = models.CharField(max_length=200, blank=True)
    organisation = models.CharField(max_length=200, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=50, blank=True)
    consent = models.CharField(
        "consent to publish",
        max_length=30,
        choices=Consent.choices,
        default=Consent.NOT_GIVEN,
        help_text="Whether this person agreed to have their details on the public site. "
        "Contacts without consent are never shown.",
    )
    last_verified_on = models.DateField(
        "date consent to publish was recorded",
        null=True,
        blank=True,
        help_text=(
            "Publishing needs this date for every contact with consent: the day the person "
            "agreed, or the date of the source document that printed their details. Leave it "
            "empty only when consent is “Not given”."
        ),
    )

    class Meta(CaseStudyPart.Meta):
        verbose_name = "contact"
        verbose_name_plural = "contacts"
        constraints = [
            *CaseStudyPart.Meta.constraints,
            models.CheckConstraint(
                condition=~models.Q(name="", email=""), name="contact_has_name_or_email"
            ),
        ]

    def __str__(self):
        return self.name or self.email

    def details(self):
        """Everything that says who they are and how to reach them, on one line."""
        parts = [self.name, self.role, self.organisation, self.email, self.phone]
        return ", ".join(part for part in parts if part)

    @property
    def may_be_published(self):
        return self.consent != self.Consent.NOT_GIVEN

    @classmethod
    def consent_from_source(cls, publication):
        """Consent for a contact taken from a document, as field values: a contact printed in
        a publication was "published in the source", checked on the publication's date; one
        from a document that is not a publication has no consent until someone records it."""
        if publication is None:
            return {"consent": cls.Consent.NOT_GIVEN, "last_verified_on": None}
        return {
            "consent": cls.Consent.PUBLISHED_IN_SOURCE,
            "last_verified_on": publication.source_date,
        }


class Link(CaseStudyPart):
    """A further-information link. The address may be unknown when the source gives only a title."""

    title = models.CharField(max_length=300)
    url = models.URLField("web address", blank=True, max_length=500)

    class Meta(CaseStudyPart.Meta):
        verbose_name = "further information link"
        verbose_name_plural = "further information links"
        constraints = [
            *CaseStudyPart.Meta.constraints,
            not_blank("title", "link_title_not_blank"),
        ]

    def __str__(self):
        return self.title


class Quote(CaseStudyPart):
    """Words from someone involved, in their own voice."""

    text = models.TextField()
    attribution = models.CharField(
        max_length=200, blank=True, help_text="Who said it, as they agreed to be named."
    )

    class Meta(CaseStudyPart.Meta):
        verbose_name = "quote"
        verbose_name_plural = "quotes"
        constraints = [
            *CaseStudyPart.Meta.constraints,
            not_blank("text", "quote_text_not_blank"),
        ]

    def __str__(self):
        return shorten(self.text)


class Resource(models.Model):
    """A charter, checklist, set of tips or recommendations from a source document."""

    class Kind(models.TextChoices):
        CHARTER = "charter", "Charter"
        CHECKLIST = "checklist", "Checklist"
        TIPS = "tips", "Tips"
        RECOMMENDATIONS = "recommendations", "Recommendations"
        PRINCIPLES = "principles", "Principles"
        OTHER = "other", "Other"

    title = models.CharField(max_length=300)
    slug = models.SlugField(max_length=120, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    intro = models.TextField(blank=True, help_text="Text shown before the items. Markdown.")
    publication = models.ForeignKey(
        Publication,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="resources",
        verbose_name="source publication",
    )
    source_pages = models.CharField(max_length=30, blank=True)
    region = models.ForeignKey(
        "councils.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="resources",
    )
    councils = models.ManyToManyField("councils.Council", blank=True, related_name="resources")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    content_note = models.TextField(
        blank=True, help_text="Shown to the public: corrections made to the source text."
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = PublishedQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        verbose_name = "resource"
        verbose_name_plural = "resources"
        constraints = [not_blank("title", "resource_title_not_blank")]
        indexes = [models.Index(fields=["status", "kind"], name="resource_status_kind")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("casestudies:resource", args=[self.slug])


class ResourceItem(models.Model):
    """One numbered item of a resource."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="items")
    order = models.PositiveIntegerField(default=0)
    text = models.TextField(help_text="Markdown.")

    class Meta:
        ordering = ["resource", "order"]
        verbose_name = "item"
        verbose_name_plural = "items"
        constraints = [
            unique_position("resource", "resource_item_unique_position"),
            not_blank("text", "resource_item_text_not_blank"),
        ]

    def __str__(self):
        return shorten(self.text)


class HeadingPhrase(models.Model):
    """A heading's words that the report importer reads as one part of a case study, added by
    a site administrator to the importer's built-in vocabulary."""

    phrase = models.CharField(
        max_length=200,
        help_text=(
            "A heading as reports print it, such as “What slowed us down?”. Capitals, "
            "punctuation and extra words around it do not matter."
        ),
    )
    key = models.CharField(
        max_length=200,
        editable=False,
        help_text="The phrase as the importer compares it: its words in lower case.",
    )
    role = models.CharField(
        "where its text goes",
        max_length=20,
        choices=Role.choices,
        help_text="The list, or other part of the case study, that the text under it goes to.",
    )

    class Meta:
        ordering = ["role", "key"]
        verbose_name = "heading phrase"
        verbose_name_plural = "heading phrases"
        constraints = [
            models.UniqueConstraint(
                fields=["key"],
                name="heading_phrase_unique_key",
                violation_error_message="This phrase is already in the vocabulary.",
            ),
            not_blank("key", "heading_phrase_key_not_blank"),
        ]

    def __str__(self):
        return f"{self.phrase} ({self.get_role_display()})"

    def save(self, *args, **kwargs):
        self.key = heading_key(self.phrase)  # the key is the phrase's, always
        super().save(*args, **kwargs)

    def clean(self):
        key = self.key = heading_key(self.phrase)
        if not key:
            raise ValidationError({"phrase": "The phrase has no words. Write the heading's words."})
        built_in = {heading_key(phrase): role for phrase, role in DEFAULT_PHRASES}
        if key in built_in:
            raise ValidationError(
                {
                    "phrase": "The built-in vocabulary already has this phrase, as "
                    f"“{Role(built_in[key]).label}”. Only add phrases it does not have."
                }
            )
        if HeadingPhrase.objects.filter(key=key).exclude(pk=self.pk).exists():
            raise ValidationError(
                {"phrase": "This phrase is already in the vocabulary. Change that one instead."}
            )


class HeadingChoice(models.Model):
    """Where a lead chose that a heading goes, remembered for reports from one publisher."""

    publisher = models.CharField(
        max_length=200, help_text="As the publication names it (Publication.publisher)."
    )
    heading_key = models.CharField(
        max_length=300,
        help_text="The heading as the importer compares it: its words in lower case.",
    )
    heading = models.CharField(
        "heading as printed", max_length=300, help_text="The heading as the report printed it."
    )
    role = models.CharField("where its text goes", max_length=20, choices=Role.choices)
    chosen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Empty when the choice was made on the command line.",
    )
    chosen_on = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["publisher", "heading_key"]
        verbose_name = "remembered heading choice"
        verbose_name_plural = "remembered heading choices"
        constraints = [
            models.UniqueConstraint(
                fields=["publisher", "heading_key"], name="heading_choice_unique_per_publisher"
            )
        ]

    def __str__(self):
        return f"{self.heading} → {self.get_role_display()} ({self.publisher})"


# The parts of a case study, in one place: its own ordered rows. They are versioned with it
# (django-reversion, so that a revert restores them together; see README, "Dependencies"),
# copied into a proposed update and handed back when the update is published, edited on its
# admin page, and changed by whoever may change the entry (casestudies/permissions.py).
PART_MODELS = (Point, Contact, Link, Quote)

for _model in PART_MODELS:
    reversion.register(_model)
# Shared records: the vocabulary and the source publications appear on every region's pages, so
# their changes are versioned too (as councils' regions, councils and organisations are).
for _model in (Topic, PeopleGroup, Approach, Publication):
    reversion.register(_model)
reversion.register(CaseStudy, follow=CaseStudy.part_names())
