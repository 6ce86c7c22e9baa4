"""python manage.py import_report FILE [--publication SLUG] [--region SLUG] [--dry-run]
[--allow-duplicates] [--map "Heading text=role" ...]"""

import shlex
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from casestudies.models import POINT_LISTS, Publication, shorten
from casestudies.report_import.headings import heading_key, parse_role
from casestudies.report_import.reading import (
    MAX_UPLOAD_BYTES,
    UnreadableReport,
    read_report_file,
)
from casestudies.report_import.service import ReportImportError, describe_entry, report_import
from councils.models import Region


class Command(BaseCommand):
    help = (
        "Import the case studies in a report (.txt, .md, .docx, .pdf or .html) as drafts. "
        "Case studies already imported from the same publication with the same title are left "
        "alone and "
        "their differences reported; one whose title another case study already has is "
        "skipped unless --allow-duplicates is given. Nothing is published."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "file", help="the report: .txt, .md, .docx, .pdf (with its text) or .html"
        )
        parser.add_argument(
            "--publication", metavar="SLUG", help="the source publication the report is"
        )
        parser.add_argument(
            "--region",
            metavar="SLUG",
            help="region for case studies whose councils are not in the portal",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="show what would be imported; change nothing"
        )
        parser.add_argument(
            "--allow-duplicates",
            action="store_true",
            help=(
                "also create case studies whose title another case study already has "
                "(from any publication); without it they are skipped and named"
            ),
        )
        parser.add_argument(
            "--map",
            action="append",
            default=[],
            metavar='"HEADING=ROLE"',
            dest="mappings",
            help=(
                'where the text under a heading goes, such as --map "What held us back=barriers" '
                "(repeatable). With --publication, the choice is remembered for its publisher."
            ),
        )

    def handle(
        self, *args, file, publication, region, dry_run, allow_duplicates, mappings, **options
    ):
        choices = dict(heading_choice(mapping) for mapping in mappings)
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No such file: {file}")
        if path.stat().st_size > MAX_UPLOAD_BYTES:
            raise CommandError(
                f"{path.name} is larger than {MAX_UPLOAD_BYTES // 1024 // 1024} MB; "
                "the importer does not read files that large."
            )
        publication = self.lookup(Publication, publication, "--publication")
        region = self.lookup(Region, region, "--region")
        try:
            lines = read_report_file(path.name, path.read_bytes())
            result = report_import(
                lines=lines,
                source_name=path.name,
                publication=publication,
                region=region,
                by=None,  # the command line covers every region
                dry_run=dry_run,
                allow_duplicates=allow_duplicates or (),  # True: every one
                choices=choices,
            )
        except (UnreadableReport, ReportImportError) as error:
            raise CommandError(f"{error} Nothing was imported.") from None
        self.stdout.write(summary(result))
        if not result.outcomes:
            raise CommandError("No case studies found in the file; nothing was imported.")

    def lookup(self, model, slug, option):
        if not slug:
            return None
        try:
            return model.objects.get(slug=slug)
        except model.DoesNotExist:
            known = ", ".join(model.objects.values_list("slug", flat=True)) or "none"
            raise CommandError(
                f"{option}: no {model._meta.verbose_name} {slug!r} (known: {known})."
            ) from None


def heading_choice(mapping):
    """(heading key, Role) from a --map value "Heading text=role"."""
    heading, equals, role = mapping.rpartition("=")
    if not equals or not heading_key(heading):
        raise CommandError(
            f'--map "{mapping}": write the heading, then "=" and where its text goes, such as '
            '--map "What held us back=barriers".'
        )
    try:
        return heading_key(heading), parse_role(role)
    except ValueError as error:
        raise CommandError(f'--map "{mapping}": {error}') from None


def summary(result):
    """The import's result as plain text, one block per case study."""
    lines = [f"{result.source_name}: {counted(len(result.outcomes), 'case study')} found."]
    for number, outcome in enumerate(result.outcomes, start=1):
        found = outcome.found
        lines.append("")
        lines.append(f"{number}. {found.title}")
        lines.append(f"   Councils: {', '.join(outcome.council_names) or 'none named'}")
        lines.append(f"   Standfirst: {found.standfirst or '(none found)'}")
        counts = ", ".join(f"{name} {count}" for name, count in outcome.counts)
        lines.append(f"   Lists: {counts}")
        lines.append(f"   Contacts: {len(found.contacts)}, links: {len(found.links)}")
        if found.unplaced:
            lines.append(f"   Kept in editor notes: {len(found.unplaced)} pieces of text")
        if outcome.is_duplicate:
            lines += duplicate_lines(outcome, result.dry_run)
        elif outcome.existing is None:
            verb = "Would create" if result.dry_run else "Created"
            lines.append(f"   {verb} a draft.")
        elif outcome.differences:
            lines.append(
                f"   Already imported (“{outcome.existing.slug}”), left alone. The file "
                f"differs in: {'; '.join(outcome.differences)}."
            )
        else:
            lines.append(f"   Already imported (“{outcome.existing.slug}”), unchanged.")
    for note in result.notes:
        lines += ["", note]
    lines += heading_lines(result)
    if result.preamble_kept:
        lines += ["", result.preamble_kept]
    if result.unplaced and not result.outcomes:
        total = sum(len(texts) for _label, texts in result.unplaced)
        lines += ["", f"{total} paragraphs of text were not placed in any case study."]
    lines += ["", totals(result)]
    created = len(result.created)
    if result.dry_run:
        lines.append(f"Dry run: nothing was changed. {counted(created, 'draft')} would be created.")
    else:
        lines.append(
            f"{counted(created, 'draft')} created, {len(result.already_imported)} already imported."
        )
    if result.skipped:
        lines.append(
            f"{len(result.skipped)} skipped because another case study already has the title. "
            "Add --allow-duplicates to create them anyway."
        )
    return "\n".join(lines) + "\n"


def heading_lines(result):
    """The headings the importer did not recognise, with the option that places each, and the
    choices remembered for the publisher."""
    lines = []
    if result.unrecognised_headings:
        lines += [
            "",
            "Headings the importer did not recognise (their text stays in the story). To place "
            "one, import again with:",
        ]
        lines += [
            f"   --map {shlex.quote(f'{heading.text}=<role>')}   (in “{heading.case_study}”)"
            for heading in result.unrecognised_headings
        ]
        lines.append(
            "   where <role> is one of learning, conditions, barriers, combined, story, "
            "contact, council, links or leave-out."
        )
    if result.remembered:
        lines += ["", f"Remembered for reports from {result.remembered[0].publisher}:"]
        lines += [
            f"   “{choice.heading}” → {choice.get_role_display()}" for choice in result.remembered
        ]
    if result.too_long_to_remember:
        lines += ["", "Not remembered, because the heading is too long to remember:"]
        lines += [f"   “{shorten(heading)}”" for heading in result.too_long_to_remember]
    return lines


def totals(result):
    found = [outcome.found for outcome in result.outcomes]
    counts = {
        point_list.name: sum(len(case_study.items(point_list.kind)) for case_study in found)
        for point_list in POINT_LISTS
    }
    listed = ", ".join(f"{name} {count}" for name, count in counts.items())
    contacts = sum(len(case_study.contacts) for case_study in found)
    links = sum(len(case_study.links) for case_study in found)
    return (
        f"Found {counted(len(found), 'case study')} with "
        f"{counted(sum(counts.values()), 'list item')} ({listed}), "
        f"{counted(contacts, 'contact')} and {counted(links, 'link')}."
    )


def counted(number, noun):
    """ "1 case study", "2 case studies", "0 links"."""
    if number == 1:
        return f"1 {noun}"
    plural = noun[:-1] + "ies" if noun.endswith("y") else noun + "s"
    return f"{number:,} {plural}"


def duplicate_lines(outcome, dry_run):
    """What a case study whose title is taken is, and what was done with it. (The command
    line sees every entry, so every one is named.)"""
    lines = [
        f"   Another case study already has this title: {describe_entry(case_study)}."
        for case_study in outcome.duplicates
    ]
    if outcome.allowed:
        verb = "Would create" if dry_run else "Created"
        lines.append(f"   {verb} a draft anyway (--allow-duplicates).")
    else:
        lines.append("   Skipped: not created.")
    return lines
