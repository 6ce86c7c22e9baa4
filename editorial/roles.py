"""The three editorial roles and what a signed-in editor's role covers.

Roles are Django groups (created by the migration editorial/0002_roles); the councils and
regions a person works for are on their editor profile.
"""

import dataclasses

COUNCIL_OFFICER = "Council officer"
REGIONAL_LEAD = "Regional lead"
SITE_ADMINISTRATOR = "Site administrator"
ROLES = [COUNCIL_OFFICER, REGIONAL_LEAD, SITE_ADMINISTRATOR]


@dataclasses.dataclass(frozen=True)
class Scope:
    """What a user's roles cover: everything, some regions (as a lead), some councils (as an
    officer). Worked out once per request and kept on the user object."""

    is_admin: bool = False
    lead_region_ids: frozenset = frozenset()
    officer_council_ids: frozenset = frozenset()

    @property
    def is_lead(self):
        return bool(self.lead_region_ids)

    @property
    def is_officer(self):
        return bool(self.officer_council_ids)

    @classmethod
    def of(cls, user):
        if user is None or not user.is_authenticated or not user.is_active:
            return cls()
        cached = getattr(user, "_editorial_scope", None)
        if cached is not None:
            return cached
        groups = set(user.groups.values_list("name", flat=True))
        if user.is_superuser or SITE_ADMINISTRATOR in groups:
            scope = cls(is_admin=True)
        else:
            profile = getattr(user, "editor_profile", None)
            regions = councils = frozenset()
            if profile is not None and REGIONAL_LEAD in groups:
                regions = frozenset(profile.regions.values_list("pk", flat=True))
            if profile is not None and COUNCIL_OFFICER in groups:
                councils = frozenset(profile.councils.values_list("pk", flat=True))
            scope = cls(lead_region_ids=regions, officer_council_ids=councils)
        user._editorial_scope = scope
        return scope


# Exactly what each role may do, as (app label, codename) pairs. Site administrators get every
# permission. Which councils and regions a person covers is not a permission: it comes from
# their editor profile (see Scope) and is enforced by CaseStudy.permitted_actions.
READ_VOCABULARY = [
    ("casestudies", "view_topic"),
    ("casestudies", "view_peoplegroup"),
    ("casestudies", "view_approach"),
    ("casestudies", "view_publication"),
    ("councils", "view_council"),
    ("councils", "view_region"),
    ("councils", "view_organisation"),
]
EDIT_LISTS = [
    ("casestudies", f"{verb}_{model}")
    for model in ("point", "contact", "link", "quote")
    for verb in ("view", "add", "change", "delete")
]
ROLE_PERMISSIONS = {
    COUNCIL_OFFICER: [
        ("casestudies", "view_casestudy"),
        ("casestudies", "add_casestudy"),
        ("casestudies", "change_casestudy"),
        ("casestudies", "submit_casestudy"),
        *EDIT_LISTS,
        *READ_VOCABULARY,
    ],
}
ROLE_PERMISSIONS[REGIONAL_LEAD] = [
    *ROLE_PERMISSIONS[COUNCIL_OFFICER],
    ("casestudies", "publish_casestudy"),
    ("casestudies", "return_casestudy"),
    ("casestudies", "archive_casestudy"),
    ("casestudies", "export_casestudy"),
    ("casestudies", "import_casestudy"),
    ("casestudies", "import_report"),
    ("casestudies", "add_publication"),
    ("casestudies", "change_publication"),
    ("councils", "add_organisation"),
    ("councils", "change_organisation"),
]


def roles_sync(*, group_model, permission_model):
    """Create the three groups and give them exactly their permissions. Run by the migration
    editorial/0002_roles (with its historical models) and after every `migrate` or test-database
    flush (post_migrate, connected in EditorialConfig.ready), so that permissions added later
    reach the right groups (site administrators get every permission there is)."""

    def find(pairs):
        return [
            permission_model.objects.get(content_type__app_label=app, codename=codename)
            for app, codename in pairs
        ]

    for role in (COUNCIL_OFFICER, REGIONAL_LEAD):
        group, _ = group_model.objects.get_or_create(name=role)
        group.permissions.set(find(ROLE_PERMISSIONS[role]))
    administrators, _ = group_model.objects.get_or_create(name=SITE_ADMINISTRATOR)
    administrators.permissions.set(permission_model.objects.all())


def roles_sync_after_migrate(**kwargs):
    from django.contrib.auth.models import Group, Permission

    roles_sync(group_model=Group, permission_model=Permission)


def scope_place_error(scope, *, region, councils):
    """Why this user may not put a case study in this region with these councils, or None.

    Officers must name at least one of their councils and its region; leads must choose one of
    their regions. Shared by the admin form and the spreadsheet import."""
    if scope.is_admin:
        return None
    if region is not None and region.pk in scope.lead_region_ids:
        return None
    own = [council for council in councils if council.pk in scope.officer_council_ids]
    if not own:
        if scope.is_lead:
            return "Choose one of your regions, or one of your councils."
        return "Name at least one of your councils, so that you can go on editing this entry."
    if region is not None and region.pk not in {council.region_id for council in own}:
        return f"Choose the region your council is in: {own[0].region}."
    return None
