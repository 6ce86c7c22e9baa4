"""Importing the case studies found in a report as drafts, in one transaction."""

import dataclasses
import re

import reversion
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Value
from django.utils import timezone

from councils.models import Council, Region
from councils.names import NameIndex
from editorial.roles import Scope, scope_place_error

from ..models import (
    POINT_LIST_BY_KIND,
    POINT_LISTS,
    CaseStudy,
    Contact,
    HeadingChoice,
    HeadingPhrase,
    Link,
    Point,
    Status,
    shorten,
)
from ..search import refresh_search_text_on_commit
from .headings import Role, Vocabulary
from .parsing import normalise, parse_report

MAX_CASE_STUDIES = 200  # in one import; the East of England collection has 26
MAX_PROBLEMS_SHOWN = 10


class ReportImportError(Exception):
    """The report was read but cannot be imported as it stands; the message says why."""


@dataclasses.dataclass
class ImportOutcome:
    """What the import does, or would do, with one case study found in the report."""

    found: object  # importer.ParsedCaseStudy
    councils: list  # Council objects matched
    unknown_councils: list  # names printed in the source that match no council
    region: object
    # Unknown names that more than one council goes by: {name: [those councils]}.
    shared_names: dict = dataclasses.field(default_factory=dict)
    number: int = (
        0  # its place in the report, from 1: how the preview's "Create it anyway" names it
    )
    existing: object = None  # the CaseStudy already imported from the same source and title
    differences: list = dataclasses.field(default_factory=list)
    # Other case studies with the same title (from any publication, or none): those the person
    # may see, and how many they may not (counted, never named).
    duplicates: list = dataclasses.field(default_factory=list)
    hidden_duplicates: int = 0
    allowed: bool = False  # the person chose to create it although its title is taken
    case_study: object = None  # the draft created, after a real import

    @property
    def is_duplicate(self):
        return self.existing is None and bool(self.duplicates or self.hidden_duplicates)

    @property
    def is_skipped(self):
        """Left out because its title is taken, unless the person chose to create it."""
        return self.is_duplicate and not self.allowed

    @property
    def is_new(self):
        return self.existing is None and not self.is_skipped

    @property
    def council_names(self):
        """The councils named in the source, in words: those matched (saying what replaced a
        council that merged or was renamed), then those not, saying why."""
        matched = [
            f"{council.name} (replaced by {council.replaced_by.name})"
            if council.replaced_by_id
            else council.name
            for council in self.councils
        ]
        return matched + self.unmatched_council_names

    @property
    def unmatched_council_names(self):
        """The names in the source that found no council, each saying why."""
        return [
            f"{name} (matches more than one council: "
            f"{', '.join(council.name for council in self.shared_names[name])})"
            if name in self.shared_names
            else f"{name} (not in the portal)"
            for name in self.unknown_councils
        ]

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
    headings: list = dataclasses.field(default_factory=list)  # parsing.FoundHeading, each met
    # Those given no role (kept in the story as subheadings), one for each wording.
    unrecognised_headings: list = dataclasses.field(default_factory=list)
    preamble: list = dataclasses.field(default_factory=list)  # the text before the first one
    preamble_kept: str = ""  # what was, or would be, done with the preamble, in a sentence
    remembered: list = dataclasses.field(default_factory=list)  # HeadingChoice rows saved
    # Headings chosen for but too long to remember (as printed), and the choices remembered
    # before that placed headings here ({heading_key: HeadingChoice}, with chosen_by).
    too_long_to_remember: list = dataclasses.field(default_factory=list)
    earlier_choices: dict = dataclasses.field(default_factory=dict)

    @property
    def created(self):
        return [outcome for outcome in self.outcomes if outcome.is_new]

    @property
    def already_imported(self):
        return [outcome for outcome in self.outcomes if outcome.existing is not None]

    @property
    def skipped(self):
        return [outcome for outcome in self.outcomes if outcome.is_skipped]

    @property
    def duplicates(self):
        return [outcome for outcome in self.outcomes if outcome.is_duplicate]


def report_import(
    *,
    lines,
    source_name,
    by,
    publication=None,
    region=None,
    dry_run=False,
    allow_duplicates=(),
    choices=None,
):
    """Import the case studies of a report's lines as drafts, in one transaction.

    `by` is the person importing: drafts go only where they may place them (their regions as
    a lead, their councils as an officer), and entries they may not see in the admin are
    neither named nor compared. None means the command line, which covers every region.
    A case study already imported from the same publication with the same title is left
    alone; the result lists how it differs from the file. One whose title (compared without
    case, spaces, punctuation or quotes: `title_key`) is already taken by another case study,
    from any publication or none, is skipped, unless `allow_duplicates` (True, or the numbers
    of the case studies in the report, from 1) says to create it anyway. Entries the person may
    not see still count as taken, but only published ones, which the public sees anyway, are
    named. With `dry_run` nothing is written.
    Headings are read through the importer's vocabulary (with the phrases site administrators
    added), the choices remembered for the publication's publisher, and `choices`
    ({heading_key: Role}, from the preview or --map), which win; on a real import with a
    publication, `choices` are remembered for its publisher. The document's text before its
    first case study goes to the publication's front matter (if that is empty), or without a
    publication to the first draft's editor notes.
    Raises ReportImportError if any case study cannot be imported, and then nothing is; the
    preview (`dry_run`) makes every check the import makes, so what previews imports.
    """
    scope = Scope(is_admin=True) if by is None else Scope.of(by)
    councils = NameIndex(Council.objects.select_related("region", "replaced_by"))
    choices = {key: Role(role) for key, role in (choices or {}).items()}
    vocabulary, earlier_choices = heading_vocabulary(publication, choices)
    report = parse_report(lines, known_councils=councils, vocabulary=vocabulary)
    if len(report.case_studies) > MAX_CASE_STUDIES:
        raise ReportImportError(
            f"The file holds {len(report.case_studies)} case studies; the importer takes at most "
            f"{MAX_CASE_STUDIES} case stud{'y' if MAX_CASE_STUDIES == 1 else 'ies'} at a time. "
            "Split the report into parts."
        )
    same_title = _same_titles([found.title for found in report.case_studies], by=by)
    regions = list(Region.objects.all()) if report.case_studies else []
    outcomes = [
        _plan(
            found,
            number=number,
            councils=councils,
            region=region_named_in(found.title, regions) or region,
            publication=publication,
            same_title=same_title.get(title_key(found.title), []),
            allowed=allow_duplicates is True or number in allow_duplicates,
        )
        for number, found in enumerate(report.case_studies, start=1)
    ]
    without_region = [outcome.found.title for outcome in outcomes if outcome.region is None]
    if without_region:
        raise ReportImportError(
            "The importer cannot tell which region these case studies belong to, because no "
            "council named in the file is in the portal: "
            + "; ".join(f"“{title}”" for title in without_region)
            + ". Choose a region for the import."
        )
    result = ImportResult(
        source_name,
        outcomes,
        report.notes,
        report.unplaced,
        dry_run,
        headings=report.headings,
        unrecognised_headings=report.unrecognised_headings,
        preamble=report.preamble,
        earlier_choices={
            heading.key: earlier_choices[heading.key]
            for heading in report.headings
            if heading.how == "choice" and heading.key in earlier_choices
        },
    )
    _check_places(result.created, scope)
    # Unless the publication keeps it, the preamble goes to the first draft's editor notes.
    why_not_kept = _why_preamble_not_kept(report.preamble, publication)
    preamble = report.preamble if why_not_kept else []
    drafts = [
        (
            outcome,
            _draft(
                outcome,
                publication=publication,
                source_name=source_name,
                preamble=preamble if position == 0 else [],
                why_not_kept=why_not_kept,
            ),
        )
        for position, outcome in enumerate(result.created)
    ]
    _check_fields([(shorten(outcome.found.title), objects) for outcome, objects in drafts])
    if not dry_run:
        with transaction.atomic():
            used_slugs = set()
            for outcome, (case_study, parts) in drafts:
                outcome.case_study = _save_draft(
                    case_study,
                    parts,
                    councils=outcome.councils,
                    used_slugs=used_slugs,
                    by=by,
                    source_name=source_name,
                )
            if publication is not None:
                _remember(result, choices, publication, by)
                if not why_not_kept:
                    _keep_preamble(report.preamble, publication)
    result.preamble_kept = _preamble_kept(result, publication, why_not_kept)
    return result


def region_named_in(title, regions):
    """The region a case study's title names ("East of England ADASS", a regional
    programme), or None: the region of case studies that name no council."""
    padded = f" {normalise(title)} "
    named = [region for region in regions if f" {normalise(region.name)} " in padded]
    return named[0] if len(named) == 1 else None


def heading_vocabulary(publication, choices):
    """The vocabulary headings are read with (the built-in phrases and those site
    administrators added, and the choices remembered for the publisher with `choices` over
    them), and the remembered choices that `choices` leave in force ({heading_key:
    HeadingChoice}, with who chose each). One query, and one more with a publication."""
    phrases = [(row.phrase, Role(row.role)) for row in HeadingPhrase.objects.all()]
    remembered = {}
    if publication is not None:
        remembered = {
            row.heading_key: row
            for row in HeadingChoice.objects.filter(publisher=publication.publisher).select_related(
                "chosen_by"
            )
            if row.heading_key not in choices
        }
    in_force = {key: Role(row.role) for key, row in remembered.items()}
    return Vocabulary(phrases=phrases, choices={**in_force, **choices}), remembered


def _remember(result, choices, publication, by):
    """Save the choices made for this import, for the publisher's next report: those whose
    heading fits the field (a longer one is listed in `result.too_long_to_remember`)."""
    key_length = HeadingChoice._meta.get_field("heading_key").max_length
    heading_length = HeadingChoice._meta.get_field("heading").max_length
    printed = {}
    for heading in result.headings:
        printed.setdefault(heading.key, heading.text)
    for key, role in choices.items():
        if len(key) > key_length:
            result.too_long_to_remember.append(printed.get(key, key))
            continue
        choice, _created = HeadingChoice.objects.update_or_create(
            publisher=publication.publisher,
            heading_key=key,
            defaults={
                "heading": printed.get(key, key)[:heading_length],
                "role": role,
                "chosen_by": by,
            },
        )
        result.remembered.append(choice)


def _keep_preamble(preamble, publication):
    if preamble and not publication.front_matter:
        publication.front_matter = "\n\n".join(preamble)
        publication.save(update_fields=["front_matter"])


def _why_preamble_not_kept(preamble, publication):
    """Why the publication does not keep the document's opening text, in words ("" if it
    does, or there is none): then it goes to the first new draft's editor notes."""
    if not preamble:
        return ""
    if publication is None:
        return "no publication was chosen to keep it with"
    if publication.front_matter and publication.front_matter != "\n\n".join(preamble):
        return f"the publication “{publication.title}” already holds different opening text"
    return ""


def _preamble_kept(result, publication, why_not_kept):
    """What was, or would be, done with the text before the first case study, in words."""
    if not result.preamble:
        return ""
    count = len(result.preamble)
    text = f"The document's opening text ({count} paragraph{'s' if count != 1 else ''})"
    if not why_not_kept:
        verb = "is" if publication.front_matter else "will be"
        return f"{text} {verb} kept with the publication “{publication.title}” (not public)."
    choose = (
        " Choose the publication to keep it with the publication." if publication is None else ""
    )
    if not result.created:
        return (
            f"{text} was not kept anywhere: {why_not_kept}, and no new draft was created to "
            f"keep it in. Copy it from the file if it is needed.{choose}"
        )
    verb = "would go" if result.dry_run else "went"
    return (
        f"{text} {verb} into the editor notes of the first new draft, because {why_not_kept}."
        + choose
    )


def _check_places(outcomes, scope):
    """Refuse drafts in regions, or without councils, that the importer does not cover."""
    problems = []
    for outcome in outcomes:
        if scope_place_error(scope, region=outcome.region, councils=outcome.councils) is None:
            continue
        if scope.is_lead:
            problems.append(
                f"“{shorten(outcome.found.title)}” is in a region you do not cover "
                f"({outcome.region})"
            )
        else:
            problems.append(
                f"“{shorten(outcome.found.title)}” is not one of your councils' case studies "
                f"({outcome.region})"
            )
    if problems:
        raise ReportImportError(
            "You can import case studies only for the regions and councils you cover. "
            + _listed(problems)
        )


def _check_fields(drafts):
    """Every value checked against its field (length, e-mail and web address, required), so
    that a preview never promises what the database would refuse."""
    problems = []
    for title, (case_study, parts) in drafts:
        blank_standfirst = ["standfirst"] if not case_study.standfirst else []
        labelled = [("", case_study, ["slug", *blank_standfirst])]
        numbers = {}
        for part in parts:
            numbers[type(part)] = numbers.get(type(part), 0) + 1
            label = f"{part._meta.verbose_name} {numbers[type(part)]}, "
            labelled.append((label, part, []))
        for label, instance, exclude in labelled:
            try:
                instance.clean_fields(exclude=[*exclude, *_relation_fields(instance)])
            except ValidationError as error:
                for name, messages in error.message_dict.items():
                    field = instance._meta.get_field(name).verbose_name
                    problems += [f"“{title}”: {label}{field}: {message}" for message in messages]
    if problems:
        raise ReportImportError("The file holds text the portal cannot store. " + _listed(problems))


def _relation_fields(instance):
    return [field.name for field in instance._meta.concrete_fields if field.is_relation]


def _listed(problems):
    shown = problems[:MAX_PROBLEMS_SHOWN]
    more = len(problems) - len(shown)
    return "; ".join(shown) + (f"; and {more} more." if more else ".")


def match_councils(names, councils):
    """Councils named in the source, matched through every name they go by (`NameIndex`).

    Returns the councils found, the names that found none, and {name: councils} for those of
    them that more than one council goes by (not guessed)."""
    found, unknown, shared = [], [], {}
    for name in names:
        match = councils.match(name)
        if match.council is None:
            unknown.append(name)
            if match.candidates:
                shared[name] = sorted(match.candidates, key=lambda council: council.name)
        elif match.council not in found:
            found.append(match.council)
    return found, unknown, shared


def title_key(title):
    """A title as compared for duplicates: its words in lower case, without punctuation or
    quotes, single-spaced ("Carers’ “voice”" and "carers voice" are the same)."""
    return " ".join(re.findall(r"[^\W_]+", title.casefold()))


def _same_titles(titles, *, by):
    """The case studies whose titles match these (by `title_key`), grouped by that key.

    Each has `is_visible`: whether `by` may see it in the admin (None: the command line sees
    everything). Two queries (the titles, then the matches) and the matches' prefetches."""
    wanted = {title_key(title) for title in titles}
    pks = [
        pk
        for pk, title in CaseStudy.objects.values_list("pk", "title").order_by()
        if title_key(title) in wanted
    ]
    if not pks:
        return {}
    visible = (
        Value(True)
        if by is None
        else Exists(CaseStudy.objects.visible_to(by).filter(pk=OuterRef("pk")))
    )
    matches = (
        CaseStudy.objects.filter(pk__in=pks)
        .annotate(is_visible=visible)
        .select_related("region", "publication")
        .prefetch_related("points", "contacts", "links", "councils")
        .order_by("pk")
    )
    grouped = {}
    for case_study in matches:
        grouped.setdefault(title_key(case_study.title), []).append(case_study)
    return grouped


def describe_entry(case_study):
    """An existing case study in words: its title, state, councils and source publication."""
    councils = ", ".join(council.name for council in case_study.councils.all())
    source = (
        f"from “{case_study.publication.title}”"
        if case_study.publication_id
        else "no source publication"
    )
    return (
        f"“{case_study.title}” ({case_study.get_status_display().lower()}; "
        f"{councils or 'no council named'}; {source})"
    )


def _plan(found, *, number, councils, region, publication, same_title, allowed):
    matched, unknown, shared = match_councils(found.councils, councils)
    publication_id = publication.pk if publication else None
    existing = next(
        (
            case_study
            for case_study in sorted(same_title, key=lambda c: c.update_of_id is not None)
            if case_study.is_visible and case_study.publication_id == publication_id
        ),
        None,
    )
    others = [case_study for case_study in same_title if case_study is not existing]
    outcome = ImportOutcome(
        found=found,
        number=number,
        councils=matched,
        unknown_councils=unknown,
        shared_names=shared,
        region=matched[0].region if matched else region,
        existing=existing,
        allowed=allowed,
    )
    if existing is not None:
        outcome.differences = _differences(existing, outcome)
    else:
        # Published entries are public anyway; others are named only to those who may see them.
        outcome.duplicates = [c for c in others if c.is_visible or c.is_published]
        outcome.hidden_duplicates = len(others) - len(outcome.duplicates)
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


def _editor_notes(outcome, source_name, preamble, why_not_kept):
    found = outcome.found
    notes = [
        f"Imported from “{source_name}” on {timezone.localdate():%d %B %Y}. "
        "Check it against the source before sending it for review."
    ]
    if outcome.unknown_councils:
        notes.append(
            "Councils named in the source that the importer did not match: "
            + "; ".join(outcome.unmatched_council_names)
        )
    notes += [
        f"{council.name} was replaced by {council.replaced_by.name}: the source names the "
        "council as it was. Check which council the case study should name."
        for council in outcome.councils
        if council.replaced_by_id
    ]
    if not found.standfirst:
        notes.append("The source has no one-line summary under the title: write a standfirst.")
    if found.unplaced:
        notes.append("Text the importer could not place:")
        notes += found.unplaced
    if preamble:
        notes.append(f"The document's opening text, before its first case study ({why_not_kept}):")
        notes += preamble
    return "\n\n".join(notes)


def _draft(outcome, *, publication, source_name, preamble, why_not_kept):
    """The draft and its parts (points, contacts, links) for one case study, not yet saved."""
    found = outcome.found
    headings = {
        point_list.heading_field: found.lists[point_list.kind].heading
        for point_list in POINT_LISTS
        if point_list.kind in found.lists
        and found.lists[point_list.kind].heading != point_list.default_heading
    }
    case_study = CaseStudy(
        title=found.title,
        standfirst=found.standfirst,
        narrative=found.narrative,
        region=outcome.region,
        publication=publication,
        status=Status.DRAFT,
        editor_notes=_editor_notes(outcome, source_name, preamble, why_not_kept),
        **headings,
    )
    points = [
        Point(kind=point_list.kind, order=order, text=text)
        for point_list in POINT_LISTS
        for order, text in enumerate(found.items(point_list.kind), start=1)
    ]
    contacts = [
        Contact(
            order=order,
            name=contact.name,
            email=contact.email,
            **Contact.consent_from_source(publication),
        )
        for order, contact in enumerate(found.contacts, start=1)
    ]
    links = [
        Link(order=order, title=link.title, url=link.url)
        for order, link in enumerate(found.links, start=1)
    ]
    return case_study, [*points, *contacts, *links]


def _save_draft(case_study, parts, *, councils, used_slugs, by, source_name):
    """Save a draft with its parts and councils, as the first version in its history."""
    # Managed by hand: one version, added once the parts and councils exist, instead of one
    # for each save and for the councils (each following every part).
    with reversion.create_revision(manage_manually=True):
        case_study.slug = CaseStudy.unique_slug(case_study.title, used_slugs)
        case_study.save()
        case_study.councils.set(councils)
        for model in (Point, Contact, Link):
            for_model = [part for part in parts if type(part) is model]
            for part in for_model:
                part.case_study = case_study
            model.objects.bulk_create(for_model)
        reversion.add_to_revision(case_study)
        reversion.set_user(by)
        reversion.set_comment(f"Imported from “{source_name}”")
    refresh_search_text_on_commit([case_study.pk])  # the lists were written in bulk
    return case_study
