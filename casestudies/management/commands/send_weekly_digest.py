"""Send regional leads who asked for it their weekly summary (run it from cron, e.g. Mondays)."""

from django.core.management.base import BaseCommand, CommandError

from casestudies.notifications import send_weekly_digests


class Command(BaseCommand):
    help = (
        "E-mail each regional lead who chose the weekly summary what is waiting for review in "
        "their regions and what was published in the last 7 days. At most once a week each: "
        "running it again the same week sends nothing."
    )

    def handle(self, *args, **options):
        sent, failed = send_weekly_digests()
        self.stdout.write(f"Weekly summaries sent: {sent}.")
        if failed:
            # A failure the cron job reports; those leads are tried again on the next run.
            raise CommandError(
                f"{failed} weekly summar{'y' if failed == 1 else 'ies'} could not be sent "
                "(see the log); the next run tries again."
            )
