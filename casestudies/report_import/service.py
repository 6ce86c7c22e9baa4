"""Importing the case studies found in a report as drafts, in one transaction."""

import dataclasses
import re

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from councils.models import Council

from ..models import POINT_LIST_BY_KIND, POINT_LISTS, CaseStudy, Contact, Link, Point, Status
from ..search import refresh_search_text_on_commit
from .parsing import normalise, parse_report


class ReportImportError(Exception):
    """The report was read but cannot be imported as it stands; the message says why."""


@dataclasses.dataclass
class ImportOutcome:
    """What the import does, or would do, with one case study found in the report."""

    found: object  # importer.ParsedCaseStudy
    councils: list  # Council objects matched
    unknown_councils: list  # names printed in the source that match no council
    region: object
    existing: object = None  # the CaseStudy already imported from the same source and title
    differences: list = dataclasses.field(default_factory=list)
    case_study: object = None  # the draft created, after a real import

    @property
    def is_new(self):
        return self.existing is None

    @property
    def counts(self):
        """(list name, number of points) for each of the four lists."""
        return [
            (POINT_LIST_BY_KIND[kind].name, count)
            for kind, count in self.found.list_counts().items()
        ]


@dataclasses.dataclass
class ImportResult:
    source_name: str
    outcomes: list
    notes: list
    unplaced: list  # (label, texts) outside any case study
    dry_run: bool

    @property
    def created(self):
        return [outcome for outcome in self.outcomes if outcome.is_new]

    @property
    def already_imported(self):
        return [outcome for outcome in self.outcomes if not outcome.is_new]


def report_import(*, lines, source_name, publication=None, region=None, dry_run=False):
    """Import the case studies of a report's lines as drafts, in one transaction.

    A case study already imported from the same publication with the same title is left
    alone; the result lists how it differs from the file. With `dry_run` nothing is written.
    Raises ReportImportError if any case study cannot be imported, and then nothing is.
    """
    councils = list(Council.objects.select_related("region"))
    known = [council.name for council in councils]
    report = parse_report(lines, known_councils=known)
    imported_before = {
        case_study.title: case_study
        for case_study in CaseStudy.objects.filter(
            publication=publication, title__in=[found.title for found in report.case_studies]
        ).prefetch_related("points", "contacts", "links", "councils")
    }
    outcomes = [
        _plan(found, councils=councils, region=region, existing=imported_before.get(found.title))
        for found in report.case_studies
    ]
    without_region = [outcome.found.title for outcome in outcomes if outcome.region is None]
    if without_region:
        raise ReportImportError(
            "The importer cannot tell which region these case studies belong to, because no "
            "council named in the file is in the portal: "
            + "; ".join(f"“{title}”" for title in without_region)
            + ". Choose a region for the import."
        )
    result = ImportResult(source_name, outcomes, report.notes, report.unplaced, dry_run)
    if not dry_run:
        with transaction.atomic():
            used_slugs = set()
            for outcome in result.created:
                outcome.case_study = _create_draft(
                    outcome, publication=publication, source_name=source_name, used=used_slugs
                )
    return result


def match_councils(names, councils):
    """Councils named in the source, matched by full name or by the place name in it."""
    generic = r"\b(?:county|city|borough|metropolitan|district|council|of|the)\b"
    by_name = {normalise(council.name): council for council in councils}
    by_place = {normalise(council.short_name): council for council in councils}
    found, unknown = [], []
    for name in names:
        council = by_name.get(normalise(name)) or by_place.get(
            normalise(re.sub(generic, " ", name, flags=re.IGNORECASE))
        )
        if council is None:
            unknown.append(name)
        elif council not in found:
            found.append(council)
    return found, unknown


def _plan(found, *, councils, region, existing):
    matched, unknown = match_councils(found.councils, councils)
    outcome = ImportOutcome(
        found=found,
        councils=matched,
        unknown_councils=unknown,
        region=matched[0].region if matched else region,
        existing=existing,
    )
    if existing is not None:
        outcome.differences = _differences(outcome.existing, outcome)
    return outcome


def _differences(existing, outcome):
    """What in the file differs from a case study imported before, in words for the editor."""
    found = outcome.found
    differences = []
    if existing.standfirst != found.standfirst:
        differences.append("standfirst")
    if existing.narrative != found.narrative:
        differences.append("narrative")
    for point_list in POINT_LISTS:
        kind = point_list.kind
        points = [point.text for point in existing.points.all() if point.kind == kind]
        if points != found.items(kind):
            differences.append(
                f"{kind.label.lower()} list ({len(points)} in the portal, "
                f"{len(found.items(kind))} in the file)"
            )
    contacts = [(contact.name, contact.email) for contact in existing.contacts.all()]
    if contacts != [(contact.name, contact.email) for contact in found.contacts]:
        differences.append("contacts")
    links = [(link.title, link.url) for link in existing.links.all()]
    if links != [(link.title, link.url) for link in found.links]:
        differences.append("further information links")
    if set(existing.councils.all()) != set(outcome.councils):
        differences.append("councils")
    return differences


def _unique_slug(title, used):
    base = slugify(title)[:100].strip("-") or "case-study"
    slug, number = base, 1
    while slug in used or CaseStudy.objects.filter(slug=slug).exists():
        number += 1
        slug = f"{base}-{number}"
    used.add(slug)
    return slug


def _editor_notes(outcome, source_name):
    found = outcome.found
    notes = [
        f"Imported from “{source_name}” on {timezone.localdate():%d %B %Y}. "
        "Check it against the source before sending it for review."
    ]
    if outcome.unknown_councils:
        notes.append(
            "Councils named in the source that are not in the portal: "
            + "; ".join(outcome.unknown_councils)
        )
    if not found.standfirst:
        notes.append("The source has no one-line summary under the title: write a standfirst.")
    if found.unplaced:
        notes.append("Text the importer could not place:")
        notes += found.unplaced
    return "\n\n".join(notes)


def _create_draft(outcome, *, publication, source_name, used):
    found = outcome.found
    headings = {
        point_list.heading_field: found.lists[point_list.kind].heading
        for point_list in POINT_LISTS
        if point_list.kind in found.lists
        and found.lists[point_list.kind].heading != point_list.default_heading
    }
    case_study = CaseStudy.objects.create(
        title=found.title[:300],
        slug=_unique_slug(found.title, used),
        standfirst=found.standfirst,
        narrative=found.narrative,
        region=outcome.region,
        publication=publication,
        status=Status.DRAFT,
        editor_notes=_editor_notes(outcome, source_name),
        **headings,
    )
    case_study.councils.set(outcome.councils)
    Point.objects.bulk_create(
        Point(case_study=case_study, kind=point_list.kind, order=order, text=text)
        for point_list in POINT_LISTS
        for order, text in enumerate(found.items(point_list.kind), start=1)
    )
    Contact.objects.bulk_create(
        Contact(
            case_study=case_study,
            order=order,
            name=contact.name[:200],
            email=contact.email,
            **Contact.consent_from_source(publication),
        )
        for order, contact in enumerate(found.contacts, start=1)
    )
    Link.objects.bulk_create(
        Link(case_study=case_study, order=order, title=link.title[:300], url=link.url[:500])
        for order, link in enumerate(found.links, start=1)
    )
    refresh_search_text_on_commit([case_study.pk])  # the lists were written in bulk
    return case_study
