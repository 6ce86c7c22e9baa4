"""Demo accounts for trying the editorial workflow locally. Refuses to run with DEBUG off."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from councils.models import Council, Region
from editorial.models import EditorProfile
from editorial.roles import COUNCIL_OFFICER, REGIONAL_LEAD, SITE_ADMINISTRATOR

# user name, role, council slugs, region slugs
DEMO_ACCOUNTS = [
    ("officer.essex", COUNCIL_OFFICER, ["essex"], []),
    ("officer.norfolk", COUNCIL_OFFICER, ["norfolk"], []),
    ("lead.east", REGIONAL_LEAD, [], ["east-of-england"]),
    ("lead.westmidlands", REGIONAL_LEAD, [], ["west-midlands"]),
    ("admin", SITE_ADMINISTRATOR, [], []),
]


class Command(BaseCommand):
    help = (
        "Create (or reset) demo editor accounts: two council officers, two regional leads and "
        "a site administrator, all with the given password. Local use only: refuses to run "
        "when DEBUG is off. Needs the seed content (councils and regions) loaded first."
    )

    def add_arguments(self, parser):
        parser.add_argument("--password", required=True, help="Password for every demo account.")

    def handle(self, *args, password, **options):
        if not settings.DEBUG:
            raise CommandError(
                "Demo accounts are for local use only, and DEBUG is off. Nothing was created."
            )
        councils = {council.slug: council for council in Council.objects.all()}
        regions = {region.slug: region for region in Region.objects.all()}
        needed_councils = {
            slug for _user, _role, slugs, _regions in DEMO_ACCOUNTS for slug in slugs
        }
        needed_regions = {
            slug for _user, _role, _councils, slugs in DEMO_ACCOUNTS for slug in slugs
        }
        missing = sorted(needed_councils - councils.keys()) + sorted(
            needed_regions - regions.keys()
        )
        if missing:
            raise CommandError(
                f"Missing councils or regions: {', '.join(missing)}. Load the seed content "
                "first: python manage.py load_seed_content"
            )
        groups = {group.name: group for group in Group.objects.all()}
        if not {COUNCIL_OFFICER, REGIONAL_LEAD, SITE_ADMINISTRATOR} <= groups.keys():
            raise CommandError("The editorial roles are missing: run python manage.py migrate.")
        rows = []
        with transaction.atomic():
            for username, role, council_slugs, region_slugs in DEMO_ACCOUNTS:
                user, created = get_user_model().objects.get_or_create(username=username)
                user.email = f"{username}@example.org"
                user.is_staff = True
                user.is_active = True
                user.is_superuser = False
                user.set_password(password)
                user.save()
                user.groups.set([groups[role]])
                profile, _ = EditorProfile.objects.get_or_create(user=user)
                profile.councils.set([councils[slug] for slug in council_slugs])
                profile.regions.set([regions[slug] for slug in region_slugs])
                scope = (
                    ", ".join(
                        [councils[slug].short_name for slug in council_slugs]
                        + [regions[slug].name for slug in region_slugs]
                    )
                    or "everything"
                )
                rows.append((username, role, scope, "created" if created else "reset"))
        widths = [max(len(row[i]) for row in [*rows, HEADER]) for i in range(4)]
        for row in [HEADER, tuple("-" * width for width in widths), *rows]:
            self.stdout.write(
                "  ".join(
                    cell.ljust(width) for cell, width in zip(row, widths, strict=True)
                ).rstrip()
            )
        self.stdout.write(f"\nPassword for every account: {password}")


HEADER = ("user name", "role", "covers", "account")
