from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from reversion.models import Version
from reversion_compare.admin import CompareVersionAdmin

from .models import Council, Organisation, Region
from .stale_forms import StaleFormCheck


class SharedRecordAdmin(StaleFormCheck, CompareVersionAdmin):
    """The admin of a record every region's public pages show (a region, council, organisation,
    publication or term).

    Who may add, change or delete is the role's Django permission (casestudies/permissions.py:
    leads may add organisations and publications, only site administrators change or delete).
    Every add, change and delete is a version (django-reversion); the history page lists them to
    everyone who may view the record, and only those who may change it revert or recover one.
    """

    history_latest_first = True

    def revision_view(self, request, object_id, version_id, extra_context=None):
        if not self.has_change_permission(request):
            raise PermissionDenied
        # A version of this kind of record with this number, never another model's.
        get_object_or_404(
            Version.objects.get_for_model(self.model),
            pk=version_id,
            object_id=unquote(object_id),
        )
        return super().revision_view(request, object_id, version_id, extra_context)

    def recover_view(self, request, version_id, extra_context=None):
        if not self.has_change_permission(request):
            raise PermissionDenied
        get_object_or_404(Version.objects.get_deleted(self.model), pk=version_id)
        return super().recover_view(request, version_id, extra_context)

    def compare_view(self, request, object_id, extra_context=None):
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        return super().compare_view(request, object_id, extra_context)


@admin.register(Region)
class RegionAdmin(SharedRecordAdmin):
    list_display = ["name", "adass_name", "contact_name"]
    search_fields = ["name", "adass_name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Council)
class CouncilAdmin(SharedRecordAdmin):
    list_display = ["name", "short_name", "kind", "region", "gss_code", "replaced_by"]
    list_filter = ["region", "kind"]
    list_select_related = ["region", "replaced_by"]
    search_fields = ["name", "short_name", "other_names", "gss_code"]
    prepopulated_fields = {"slug": ["short_name"]}
    autocomplete_fields = ["replaced_by"]
    fieldsets = [
        (None, {"fields": ["name", "short_name", "slug", "kind", "region", "website"]}),
        (
            "From the register of councils",
            {
                "description": "The load_councils command keeps these up to date from the "
                "register (mySociety, UK Local Authority Names and Codes, CC BY 4.0).",
                "fields": [
                    "gss_code",
                    "register_code",
                    "other_names",
                    ("population", "population_year"),
                    ("latitude", "longitude"),
                ],
            },
        ),
        ("Merged or renamed", {"fields": ["replaced_by"]}),
    ]


@admin.register(Organisation)
class OrganisationAdmin(SharedRecordAdmin):
    list_display = ["name", "kind"]
    list_filter = ["kind"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
