from django.contrib import admin

from .models import Council, Organisation, Region
from .stale_forms import StaleFormCheck


@admin.register(Region)
class RegionAdmin(StaleFormCheck, admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Council)
class CouncilAdmin(StaleFormCheck, admin.ModelAdmin):
    list_display = ["name", "short_name", "kind", "region"]
    list_filter = ["region", "kind"]
    list_select_related = ["region"]
    search_fields = ["name", "short_name"]
    prepopulated_fields = {"slug": ["short_name"]}


@admin.register(Organisation)
class OrganisationAdmin(StaleFormCheck, admin.ModelAdmin):
    list_display = ["name", "kind"]
    list_filter = ["kind"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
