from django.core.management.base import BaseCommand, CommandError

from councils.register import REGISTER_FILE, RegisterError, load_register


class Command(BaseCommand):
    help = (
        "Load the register of the 153 councils in England with adult social care duties "
        "(fixtures/reference/). Councils already in the portal are updated in place and keep "
        "their names, regions and case studies. Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--file", default=REGISTER_FILE, help="The register, as CSV (default: %(default)s)."
        )

    def handle(self, *args, file, **options):
        try:
            report = load_register(file)
        except RegisterError as error:
            raise CommandError(f"Register not loaded, nothing was changed. {error}") from None
        for line in report.lines():
            self.stdout.write(line)
