"""The admin of what case studies refer to: vocabulary, source publications and resources.

The vocabulary and publications are shared records (councils.admin.SharedRecordAdmin): leads may
add a publication, only site administrators change or delete them, and every change is versioned.
"""

from django.contrib import admin

from councils.admin import SharedRecordAdmin
from councils.stale_forms import StaleFormCheck

from ..models import Approach, PeopleGroup, Publication, Resource, ResourceItem, Topic
from .case_study import OrderedInline


class TermAdmin(SharedRecordAdmin):
    list_display = ["name", "description"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}


admin.site.register([Topic, PeopleGroup, Approach], TermAdmin)


@admin.register(Publication)
class PublicationAdmin(SharedRecordAdmin):
    list_display = ["title", "publisher", "year"]
    list_filter = ["publisher", "year"]
    search_fields = ["title", "publisher"]
    prepopulated_fields = {"slug": ["title"]}


class ResourceItemInline(OrderedInline):
    model = ResourceItem
    fields = ["order", "text"]


@admin.register(Resource)
class ResourceAdmin(StaleFormCheck, admin.ModelAdmin):
    list_display = ["title", "kind", "publication", "status"]
    list_filter = ["status", "kind", "region", "publication"]
    list_select_related = ["publication"]
    search_fields = ["title", "intro"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["publication", "region", "councils"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "kind", "intro"]}),
        ("Source", {"fields": ["publication", "source_pages", "region", "councils"]}),
        ("Status and notes", {"fields": ["status", "content_note"]}),
    ]
    inlines = [ResourceItemInline]
