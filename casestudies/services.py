"""Operations that write several models at once.

- Importing a report as draft case studies (`report_import`; the reading is in importer.py).
- The editorial workflow: moves of a case study from one state to another. Each move checks
  that the person may make it (`CaseStudy.permitted_actions`), changes the entry, records a
  `Transition` and a new version in its history, all in one transaction.
"""

import dataclasses
import re

import reversion
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from councils.models import Council

from .importer import normalise, parse_report
from .models import (
    POINT_HEADING_FIELDS,
    POINT_LIST_NAMES,
    CaseStudy,
    Contact,
    Link,
    Point,
    PointKind,
    Quote,
    Status,
    Transition,
)


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
        return [(POINT_LIST_NAMES[kind], count) for kind, count in self.found.list_counts().items()]


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
    for kind in POINT_LIST_NAMES:
        points = [point.text for point in existing.points.all() if point.kind == kind]
        if points != found.items(kind):
            label = PointKind(kind).label.lower()
            differences.append(
                f"{label} list ({len(points)} in the portal, {len(found.items(kind))} in the file)"
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
        field: found.lists[kind].heading
        for kind, field in POINT_HEADING_FIELDS
        if kind in found.lists and found.lists[kind].heading != kind.default_heading
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
        Point(case_study=case_study, kind=kind, order=order, text=text)
        for kind in POINT_LIST_NAMES
        for order, text in enumerate(found.items(kind), start=1)
    )
    consent = Contact.Consent.PUBLISHED_IN_SOURCE if publication else Contact.Consent.NOT_GIVEN
    Contact.objects.bulk_create(
        Contact(
            case_study=case_study,
            order=order,
            name=contact.name[:200],
            email=contact.email,
            consent=consent,
            last_verified_on=publication.source_date if publication else None,
        )
        for order, contact in enumerate(found.contacts, start=1)
    )
    Link.objects.bulk_create(
        Link(case_study=case_study, order=order, title=link.title[:300], url=link.url[:500])
        for order, link in enumerate(found.links, start=1)
    )
    case_study.refresh_search_vector()
    return case_study


# ---------------------------------------------------------------- the editorial workflow

# What an update draft hands over to the published entry when it is published: everything
# an editor writes, and nothing that belongs to the entry's identity or workflow.
NOT_COPIED = {"id", "slug", "status", "update_of", "published_on", "created_at", "updated_at"}
RELATED_LISTS = [Point, Contact, Link, Quote]
MANY_TO_MANY = ["councils", "organisations", "topics", "people", "approaches"]


class WorkflowError(ValidationError):
    """A move that cannot be made now, with a message to show the editor."""


def _check(case_study, by, action):
    if action not in case_study.permitted_actions(by):
        raise PermissionDenied(f"You cannot {action.replace('_', ' ')} “{case_study}”.")


def _locked(case_study):
    """The entry re-read under a row lock, so two people cannot move it at once."""
    return (
        CaseStudy.objects.select_for_update(of=("self",))
        .prefetch_related("councils", "points", "contacts")
        .get(pk=case_study.pk)
    )


def _move(*, case_study, by, action, to_status, comment, revision_comment):
    from_status = case_study.status
    case_study.status = to_status
    case_study.save()
    step = Transition.objects.create(
        case_study=case_study,
        action=action,
        from_status=from_status,
        to_status=to_status,
        by=by,
        comment=comment,
    )
    reversion.add_to_revision(case_study)
    reversion.set_user(by)
    reversion.set_comment(revision_comment)
    return step


def _locked_move(*, case_study, by, check, action, to_status, comment):
    """Lock the entry, check the person may make the move, make it and record it."""
    with reversion.create_revision():
        case_study = _locked(case_study)
        _check(case_study, by, check)
        return _move(
            case_study=case_study,
            by=by,
            action=action,
            to_status=to_status,
            comment=comment,
            revision_comment=action.label,
        )


@transaction.atomic
def case_study_submit(*, case_study, by, comment=""):
    """A draft goes to its region's leads for review."""
    return _locked_move(
        case_study=case_study,
        by=by,
        check="submit",
        action=Transition.Action.SUBMIT,
        to_status=Status.IN_REVIEW,
        comment=comment,
    )


@transaction.atomic
def case_study_return(*, case_study, by, comment=""):
    """A submission goes back to its author as a draft, with a comment saying what to fix."""
    if not comment.strip():
        raise WorkflowError("Say what the author needs to change: the comment is required.")
    return _locked_move(
        case_study=case_study,
        by=by,
        check="return",
        action=Transition.Action.RETURN,
        to_status=Status.DRAFT,
        comment=comment,
    )


@transaction.atomic
def case_study_archive(*, case_study, by, comment=""):
    """The entry leaves public lists and search; its page says it is archived."""
    return _locked_move(
        case_study=case_study,
        by=by,
        check="archive",
        action=Transition.Action.ARCHIVE,
        to_status=Status.ARCHIVED,
        comment=comment,
    )


@transaction.atomic
def case_study_publish(*, case_study, by, comment=""):
    """The entry goes public. An update draft instead replaces the content of the published
    entry it belongs to (which keeps its web address) and is then removed; its workflow
    steps move to that entry and its versions stay in the history."""
    with reversion.create_revision():
        case_study = _locked(case_study)
        _check(case_study, by, "publish")
        missing = case_study.can_be_published()
        if missing:
            raise WorkflowError(
                "This case study cannot be published yet. It needs: " + "; ".join(missing) + "."
            )
        if case_study.update_of_id is None:
            if case_study.published_on is None:
                case_study.published_on = timezone.localdate()
            return _move(
                case_study=case_study,
                by=by,
                action=Transition.Action.PUBLISH,
                to_status=Status.PUBLISHED,
                comment=comment,
                revision_comment="Published",
            )
        return _publish_update(update=case_study, by=by, comment=comment)


def _publish_update(*, update, by, comment):
    original = CaseStudy.objects.select_for_update(of=("self",)).get(pk=update.update_of_id)
    for field in CaseStudy._meta.concrete_fields:
        if field.name not in NOT_COPIED:
            setattr(original, field.attname, getattr(update, field.attname))
    original.last_reviewed_on = timezone.localdate()
    original.save()
    for name in MANY_TO_MANY:
        getattr(original, name).set(getattr(update, name).all())
    for model in RELATED_LISTS:
        model.objects.filter(case_study=original).delete()
        model.objects.filter(case_study=update).update(case_study=original)
    Transition.objects.filter(case_study=update).update(case_study=original)
    original.refresh_search_vector()  # the lists moved over in bulk, after save()
    step = Transition.objects.create(
        case_study=original,
        action=Transition.Action.PUBLISH_UPDATE,
        from_status=update.status,
        to_status=Status.PUBLISHED,
        by=by,
        comment=comment,
    )
    update.delete()
    reversion.add_to_revision(original)
    reversion.set_user(by)
    reversion.set_comment("Published an update")
    return step


@transaction.atomic
def case_study_propose_update(*, case_study, by, comment=""):
    """A draft copy of a published entry, to change and send for review while the public
    keeps seeing the published version. Returns the draft."""
    with reversion.create_revision():
        original = _locked(case_study)
        _check(original, by, "propose_update")
        update = CaseStudy.objects.get(pk=original.pk)
        update.pk = None
        update._state.adding = True
        update.slug = f"{original.slug[:100]}-update-{original.pk}"
        update.status = Status.DRAFT
        update.update_of = original
        update.save()
        for name in MANY_TO_MANY:
            getattr(update, name).set(getattr(original, name).all())
        for model in RELATED_LISTS:
            copies = list(model.objects.filter(case_study=original))
            for item in copies:
                item.pk = None
                item._state.adding = True
                item.case_study = update
            model.objects.bulk_create(copies)
        Transition.objects.create(
            case_study=update,
            action=Transition.Action.PROPOSE_UPDATE,
            from_status=Status.PUBLISHED,
            to_status=Status.DRAFT,
            by=by,
            comment=comment,
        )
        reversion.add_to_revision(update)
        reversion.set_user(by)
        reversion.set_comment(f"Update of “{original}” proposed")
        return update
