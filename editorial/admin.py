from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User

from .models import EditorProfile


class EditorProfileInline(admin.StackedInline):
    model = EditorProfile
    can_delete = False
    autocomplete_fields = ["councils", "regions"]
    verbose_name_plural = "Councils and regions this person works on, and their e-mails"
    fields = [
        "councils",
        "regions",
        "email_on_submission",
        "email_on_outcome",
        "weekly_digest",
        "weekly_digest_sent_on",
    ]
    readonly_fields = ["weekly_digest_sent_on"]


admin.site.unregister(User)


@admin.register(User)
class EditorAdmin(UserAdmin):
    """Accounts, with each editor's councils and regions. Only site administrators have the
    account permissions, so only they reach these pages."""

    inlines = [EditorProfileInline]
    list_display = ["username", "email", "roles", "is_active", "last_login"]
    list_filter = ["groups", "is_active", "is_staff", "is_superuser"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")

    @admin.display(description="Roles")
    def roles(self, obj):
        return ", ".join(group.name for group in obj.groups.all()) or "—"
