from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from casestudies.seed import ContentError, seed_content_load


class Command(BaseCommand):
    help = (
        "Load the portal's curated seed content from fixtures/content/. Safe to run again: "
        "records that exist are left alone unless --update is given."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--directory",
            default=settings.BASE_DIR / "fixtures" / "content",
            help="Folder of content files (default: fixtures/content).",
        )
        parser.add_argument(
            "--update",
            action="store_true",
            help="Also overwrite existing records so that they match the files again.",
        )

    def handle(self, *args, directory, update, **options):
        try:
            report = seed_content_load(directory=directory, update=update)
        except (ContentError, ValidationError) as error:
            raise CommandError(f"Seed content not loaded, nothing was changed. {error}") from None
        for outcome in ("created", "updated", "unchanged"):
            tally = getattr(report, outcome)
            if tally:
                parts = ", ".join(f"{count} {section}" for section, count in tally.items())
                self.stdout.write(f"{outcome.capitalize()}: {parts}.")
        if not report.created and not report.updated:
            self.stdout.write("Seed content already loaded; nothing changed.")
