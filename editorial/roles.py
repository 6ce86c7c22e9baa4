"""The three editorial roles and what a signed-in editor's role covers.

Roles are Django groups (created by the migration editorial/0002_roles; what each may do is in
casestudies/permissions.py); the councils and regions a person works for are on their editor
profile.
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


def region_is_kept(scope, *, kept_region):
    """Whether this user must leave an entry in `kept_region`: an update of a published entry
    keeps that entry's region unless the person leads that region (or administers the site)."""
    return not (kept_region is None or scope.is_admin or kept_region.pk in scope.lead_region_ids)


def scope_place_error(scope, *, region, councils, kept_region=None):
    """Why this user may not put a case study in this region with these councils, or None.
    Shared by the admin form and the spreadsheet import; see `scope_place_problem`."""
    problem = scope_place_problem(scope, region=region, councils=councils, kept_region=kept_region)
    return problem and problem[1]


OWN_COUNCIL_NEEDED = (
    "Name at least one of your councils, so that you can go on editing this entry. Only "
    "regional leads can leave Councils empty, for a regional programme."
)


def scope_place_problem(scope, *, region, councils, kept_region=None):
    """(the field it is about, why) this user may not put a case study in this region with
    these councils, or None.

    Officers must name at least one of their councils and its region; leads must choose one of
    their regions. An update of a published entry stays in that entry's region (`kept_region`)
    unless its lead moves it."""
    if scope.is_admin:
        return None
    if region_is_kept(scope, kept_region=kept_region):
        if region is None or region.pk != kept_region.pk:
            return (
                "region",
                f"An update stays in the region of the published entry: {kept_region}. "
                "Only that region's lead can move it.",
            )
        if any(council.pk in scope.officer_council_ids for council in councils):
            return None
        return "councils", OWN_COUNCIL_NEEDED
    if region is not None and region.pk in scope.lead_region_ids:
        return None
    own = [council for council in councils if council.pk in scope.officer_council_ids]
    if not own:
        if scope.is_lead:
            return "region", "Choose one of your regions, or one of your councils."
        return "councils", OWN_COUNCIL_NEEDED
    if region is not None and region.pk not in {council.region_id for council in own}:
        return "region", f"Choose the region your council is in: {own[0].region}."
    return None
