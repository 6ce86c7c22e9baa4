"""What each editorial role may do: the Django permissions its group holds.

The roles themselves (names, and what a person's role covers) are in editorial/roles.py. Which
councils and regions a person covers is not a permission: it comes from their editor profile
and is checked, with these permissions, by `CaseStudy.permitted_actions`.

After every `migrate` (and test-database flush) `roles_sync` gives each group exactly its
permissions again, so permissions added later reach the right groups; site administrators get
every permission there is.
"""

from editorial.roles import COUNCIL_OFFICER, REGIONAL_LEAD, SITE_ADMINISTRATOR

from .models import CaseStudy

# As (app label, codename) pairs.
READ_VOCABULARY = [
    ("casestudies", "view_topic"),
    ("casestudies", "view_peoplegroup"),
    ("casestudies", "view_approach"),
    ("casestudies", "view_publication"),
    ("councils", "view_council"),
    ("councils", "view_region"),
    ("councils", "view_organisation"),
]
# Whoever may change a case study may change its parts: the lists, contacts, links, quotes.
EDIT_PARTS = [
    ("casestudies", f"{verb}_{model._meta.model_name}")
    for model in CaseStudy.part_models()
    for verb in ("view", "add", "change", "delete")
]
ROLE_PERMISSIONS = {
    COUNCIL_OFFICER: [
        ("casestudies", "view_casestudy"),
        ("casestudies", "add_casestudy"),
        ("casestudies", "change_casestudy"),
        ("casestudies", "submit_casestudy"),
        *EDIT_PARTS,
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
    # Shared records: a lead may add a publication or organisation while entering a case study
    # (the form's "add" buttons); changing or deleting one, which every region's pages show, is
    # for site administrators, who see each change in its history (councils/admin.py).
    ("casestudies", "add_publication"),
    ("councils", "add_organisation"),
]


def roles_sync(*, group_model, permission_model):
    """Create the three groups and give them exactly their permissions."""

    def find(pairs):
        return [
            permission_model.objects.get(content_type__app_label=app, codename=codename)
            for app, codename in pairs
        ]

    for role, pairs in ROLE_PERMISSIONS.items():
        group, _ = group_model.objects.get_or_create(name=role)
        group.permissions.set(find(pairs))
    administrators, _ = group_model.objects.get_or_create(name=SITE_ADMINISTRATOR)
    administrators.permissions.set(permission_model.objects.all())


def roles_sync_after_migrate(**kwargs):
    """Connected to post_migrate for this app, the last in INSTALLED_APPS, so that every
    app's permissions exist by then."""
    from django.contrib.auth.models import Group, Permission

    roles_sync(group_model=Group, permission_model=Permission)
