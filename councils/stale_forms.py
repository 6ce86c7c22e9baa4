"""Concurrent edits in the admin: a form opened before someone else saved the record is not saved.

Every change form carries a hidden field, `seen_version`: when the editor opened the form, and
the version of the record they saw. The version is the record's `updated_at` where it has one
(a case study's changes through the admin always save the case study, so a change to its points,
contacts, links or quotes counts too), else a digest of its saved values and links. On saving,
the admin locks the record's row (`select_for_update`) before reading it, and the form compares:
if the record changed since, nothing is saved (neither the record nor its inlines). The form is
shown again with the editor's own input, what changed since they opened it (from the record's
versions, if django-reversion keeps them) and the fields their save would replace. The form shown
again carries the new version, so saving it again, having seen the changes, overwrites them.

It lives in the lowest app so that every app's admin can use it (apps depend one way).
"""

import hashlib

import reversion
from django import forms
from django.contrib.admin.utils import quote
from django.core import serializers
from django.core.exceptions import ValidationError
from django.db import router, transaction
from django.urls import NoReverseMatch, reverse
from django.utils import formats, timezone
from django.utils.dateparse import parse_datetime
from django.utils.html import format_html
from django.utils.text import capfirst, get_text_list
from reversion.models import Version

FIELD = "seen_version"


def version_of(obj):
    """What changes whenever `obj` is saved: its last-changed time if it keeps one, else a
    digest of its saved values and many-to-many links."""
    updated_at = getattr(obj, "updated_at", None)
    if updated_at is not None:
        return updated_at.isoformat()
    saved = serializers.serialize("json", [obj])
    return hashlib.sha256(saved.encode()).hexdigest()


def stamp(obj, *, opened_at=None):
    """The value of the hidden field: when the form was opened, and the version seen."""
    return f"{(opened_at or timezone.now()).isoformat()}|{version_of(obj)}"


def read_stamp(value):
    """(opened at, version) from the hidden field's value; (None, "") if it is not one."""
    opened, _, version = (value or "").partition("|")
    try:
        opened_at = parse_datetime(opened)
    except ValueError:
        opened_at = None
    if opened_at is None or timezone.is_naive(opened_at):
        return None, ""
    return opened_at, version


class VersionField(forms.CharField):
    """The hidden `seen_version`: never a change of its own (in the history's messages)."""

    widget = forms.HiddenInput

    def has_changed(self, initial, data):
        return False


class StaleCheckedForm(forms.ModelForm):
    """A change form that refuses to save over changes its editor has not seen."""

    seen_version = VersionField(required=False)

    # Set by StaleFormCheck.get_form: (obj, opened_at) -> list of messages on what changed.
    describe_changes = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.editing = not self.instance._state.adding
        if self.editing:
            # The instance is as saved now (on a save, read under the row lock).
            self.current_version = version_of(self.instance)
            self.fields[FIELD].initial = stamp(self.instance)

    def clean(self):
        cleaned = super().clean()
        if not self.editing:
            return cleaned
        opened_at, seen = read_stamp(self.data.get(self.add_prefix(FIELD)))
        if seen == self.current_version:
            return cleaned
        # The form shown again carries the version the editor now sees: saving it again
        # replaces the other changes, deliberately.
        self.data = self.data.copy()
        self.data[self.add_prefix(FIELD)] = stamp(self.instance)
        raise ValidationError(self.stale_messages(opened_at))

    def stale_messages(self, opened_at):
        name = self.instance._meta.verbose_name
        messages = [
            f"Someone else changed this {name} since you opened it, so nothing has been saved."
        ]
        if opened_at is not None and self.describe_changes is not None:
            messages += self.describe_changes(self.instance, opened_at)
        replaced = [
            capfirst(str(self.fields[field].label or field.replace("_", " ")))
            for field in self.changed_data
        ]
        if replaced:
            messages.append(
                "If you save again, your values replace the saved ones in: "
                + get_text_list(replaced, "and")
                + "."
            )
        messages.append(
            "Your own changes are still in the form below. Check them, then save again to keep "
            f"them, or open the {name} again to start from the latest version."
        )
        return messages


class StaleFormCheck:
    """ModelAdmin mixin: change forms refuse to save over changes their editor has not seen
    (see the module's docstring). Put it before ModelAdmin in the bases."""

    form = StaleCheckedForm

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or FIELD in {f for _n, options in fieldsets for f in options["fields"]}:
            return fieldsets
        # A hidden field on a line of its own: the admin hides the line.
        (name, options), *rest = fieldsets
        return [(name, {**options, "fields": [*options["fields"], FIELD]}), *rest]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        return type(
            form.__name__, (form,), {"describe_changes": staticmethod(self.describe_changes)}
        )

    def get_object(self, request, object_id, from_field=None):
        if request.method == "POST":
            self.lock_row(object_id, from_field)
        return super().get_object(request, object_id, from_field)

    def lock_row(self, object_id, from_field=None):
        """Lock the record's row until the save's transaction ends, so that the version the
        form compares is the latest and nobody saves in between."""
        using = router.db_for_write(self.model)
        if not transaction.get_connection(using).in_atomic_block:
            return  # not a save (the admin saves in a transaction)
        field = self.opts.pk if from_field is None else self.opts.get_field(from_field)
        try:
            value = field.to_python(object_id)
        except (ValidationError, ValueError):
            return  # get_object answers "not found"
        rows = self.model._default_manager.using(using).select_for_update(of=("self",))
        list(rows.filter(**{field.name: value}).order_by().values_list("pk"))

    def describe_changes(self, obj, opened_at):
        """What changed since `opened_at`, from the record's versions (django-reversion), with
        a link to compare the version the editor opened with the latest."""
        if not reversion.is_registered(type(obj)):
            return []
        versions = Version.objects.get_for_object(obj).select_related("revision__user")
        since = list(versions.filter(revision__date_created__gt=opened_at)[:10])
        messages = [
            "{when}, {who}: {what}".format(
                when=formats.date_format(
                    timezone.localtime(version.revision.date_created), "j F Y, H:i"
                ),
                who=version.revision.user.get_username() if version.revision.user else "the portal",
                what=version.revision.get_comment() or "changed",
            )
            for version in since
        ]
        if since:
            messages.insert(0, "What changed since you opened it:")
        opened = versions.filter(revision__date_created__lte=opened_at).first()
        latest = versions.first()
        if opened is not None and latest is not None and opened.pk != latest.pk:
            info = self.opts.app_label, self.opts.model_name
            try:
                url = reverse("admin:{}_{}_compare".format(*info), args=[quote(obj.pk)])
            except NoReverseMatch:
                return messages
            messages.append(
                format_html(
                    '<a href="{}?version_id1={}&amp;version_id2={}">Compare the version you '
                    "opened with the latest</a>.",
                    url,
                    opened.pk,
                    latest.pk,
                )
            )
        return messages
