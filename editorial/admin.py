from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User

from .access import account_switch_off
from .models import EditorProfile, Invitation


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
    actions = ["deactivate"]
    list_display = ["username", "email", "roles", "is_active", "last_login"]
    list_filter = ["groups", "is_active", "is_staff", "is_superuser"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")

    @admin.display(description="Roles")
    def roles(self, obj):
        return ", ".join(group.name for group in obj.groups.all()) or "—"

    def has_delete_permission(self, request, obj=None):
        """Accounts are never deleted, so the history of case studies keeps people's names.
        Switch an account off instead (the "Deactivate" action, or "Active" on its page)."""
        return False

    def save_model(self, request, obj, form, change):
        """An account switched off here ("Active" unticked) also has its waiting invitations
        cancelled."""
        super().save_model(request, obj, form, change)
        if change and "is_active" in form.changed_data and not obj.is_active:
            account_switch_off(user=obj)

    @admin.action(description="Deactivate the selected accounts (they are kept, switched off)")
    def deactivate(self, request, queryset):
        """Switch the accounts off, and cancel the invitations they sent that are still
        waiting."""
        accounts = list(queryset.filter(is_active=True))
        for account in accounts:
            account_switch_off(user=account)
        self.message_user(
            request,
            f"{len(accounts)} account(s) switched off, and their waiting invitations cancelled. "
            "Nothing was deleted.",
        )


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    """Invitations to become a council officer, to look at: they are sent, sent again and
    cancelled on the editors' "People and access" page."""

    list_display = ["email", "name", "council_names", "invited_by", "created_at", "state"]
    list_select_related = ["invited_by"]
    search_fields = ["email", "name"]
    date_hierarchy = "created_at"
    fields = [
        "email",
        "name",
        "councils",
        "invited_by",
        "created_at",
        "expires_at",
        "accepted_at",
        "withdrawn_at",
        "user",
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("councils")

    @admin.display(description="Councils")
    def council_names(self, obj):
        return ", ".join(council.short_name for council in obj.councils.all())

    @admin.display(description="State")
    def state(self, obj):
        return obj.state().label

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
