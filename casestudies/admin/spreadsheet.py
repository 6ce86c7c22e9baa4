"""Case studies as spreadsheet rows (CSV) for leads' bulk work, with the editorial rules.

An import can add drafts and change entries the importer may change; it never publishes, and
it never touches an entry outside the importer's councils or regions. Each row is checked like
the admin form (`full_clean`), and each imported row is a version in the entry's history, like
an edit in the admin.

Between checking a file and confirming its import, the file waits in the portal's own folder
(`STORAGES["import_export"]`) under a name the portal made up, and only the person who
uploaded it, in the same session, can confirm it.

Cells that a spreadsheet program would run as a formula (starting with =, +, -, @, a tab or a
carriage return) are exported with a single quote in front, as OWASP advises for CSV files;
an import takes that quote off again, so a round trip keeps the text as typed (a cell typed
as a quote followed by one of those characters loses its quote on import). django-import-export's
own IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT is not used: it only deletes a leading "=",
changing the text, and writes empty cells as "None".
"""

import datetime
import re

import reversion
from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from import_export import fields, resources, widgets
from import_export.admin import ImportExportMixin
from import_export.results import RowResult
from import_export.tmp_storages import MediaStorage
from reversion.models import Version

from councils.models import Council, Region
from editorial.roles import Scope, scope_place_error

from ..models import CaseStudy

# What a spreadsheet program may take for the start of a formula (OWASP, "CSV Injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
OUT_OF_SCOPE = "out_of_scope"


def formula_escaped(value):
    """The cell's text with a quote in front if a spreadsheet would run it as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return f"'{value}"
    return value


def formula_unescaped(value):
    """The text as typed, from a cell `formula_escaped` wrote."""
    if isinstance(value, str) and value.startswith("'") and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value


class CaseStudyResource(resources.ModelResource):
    region = fields.Field(
        attribute="region", column_name="region", widget=widgets.ForeignKeyWidget(Region, "slug")
    )
    councils = fields.Field(
        attribute="councils",
        column_name="councils",
        widget=widgets.ManyToManyWidget(Council, field="slug", separator=","),
    )
    status = fields.Field(attribute="status", column_name="status", readonly=True)

    class Meta:
        model = CaseStudy
        import_id_fields = ["slug"]
        fields = [
            "slug",
            "title",
            "standfirst",
            "narrative",
            "region",
            "councils",
            "stage",
            "started_on",
            "source_pages",
            "content_note",
            "editor_notes",
            "status",
        ]
        skip_unchanged = True
        report_skipped = True
        use_transactions = True
        clean_model_instances = True  # the model's own checks: choices, slug characters, lengths

    def export_field(self, field, instance, **kwargs):
        return formula_escaped(super().export_field(field, instance, **kwargs))

    def before_import_row(self, row, **kwargs):
        for column, value in row.items():
            row[column] = formula_unescaped(value)

    def import_row(self, row, instance_loader, **kwargs):
        """Each row is saved as a version of its case study, with who imported it. An entry
        with no version yet (made before versions were kept) first gets one of its text as it
        is, so that the import can be compared and undone."""
        keep_first_version(row.get("slug"), kwargs.get("user"))
        with reversion.create_revision():
            if kwargs.get("user") is not None:
                reversion.set_user(kwargs["user"])
            result = super().import_row(row, instance_loader, **kwargs)
            if result.import_type == RowResult.IMPORT_TYPE_NEW:
                reversion.set_comment("Created by a spreadsheet import")
            else:
                reversion.set_comment("Changed by a spreadsheet import")
            return result

    def import_instance(self, instance, row, **kwargs):
        user = kwargs.get("user")
        if instance.pk and "change" not in instance.permitted_actions(user):
            # Says nothing about the entry: the person may not even be allowed to see it.
            raise ValidationError(
                {
                    NON_FIELD_ERRORS: ValidationError(
                        "No case study you may change has the slug “%(slug)s”. A new case "
                        "study needs a slug that no other entry uses.",
                        code=OUT_OF_SCOPE,
                        params={"slug": row.get("slug")},
                    )
                }
            )
        super().import_instance(instance, row, **kwargs)
        region = instance.region if instance.region_id else None
        problem = scope_place_error(
            Scope.of(user),
            region=region,
            councils=self.fields["councils"].clean(row) or [],
            kept_region=instance.update_of.region if instance.update_of_id else None,
        )
        if problem:
            raise ValidationError({"councils": problem})

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        refused = import_validation_errors and any(
            error.code == OUT_OF_SCOPE
            for error in import_validation_errors.get(NON_FIELD_ERRORS, [])
        )
        if refused:  # the stored entry is not the person's business: check nothing of it
            raise ValidationError(import_validation_errors)
        super().validate_instance(instance, import_validation_errors, validate_unique)


def keep_first_version(slug, user):
    """Record the entry with this slug as it is, if it has no version and `user` may change it."""
    existing = CaseStudy.objects.filter(slug=slug).first() if slug else None
    if existing is None or user is None or "change" not in existing.permitted_actions(user):
        return
    if Version.objects.get_for_object(existing).exists():
        return
    with reversion.create_revision(manage_manually=True):
        reversion.add_to_revision(existing)
        reversion.set_comment("As it was before a spreadsheet import")


class PendingImportStorage(MediaStorage):
    """A checked file waiting for its import to be confirmed: in the portal's own folder
    (`STORAGES["import_export"]`), under a name the portal made up (32 hexadecimal digits, as
    `MediaStorage.save` names it). Any other name is refused before a file is touched."""

    NAME = re.compile(r"[0-9a-f]{32}")

    WAITS_AT_MOST = datetime.timedelta(days=1)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        if self.name is not None and not self.NAME.fullmatch(self.name):
            raise ValueError("Not the name of a stored spreadsheet import.")

    @classmethod
    def remove_abandoned(cls):
        """Remove the files checked more than a day ago and never confirmed."""
        folder = cls()
        try:
            _folders, names = folder._storage.listdir(folder.MEDIA_FOLDER)
        except FileNotFoundError:
            return
        cutoff = timezone.now() - cls.WAITS_AT_MOST
        for name in filter(cls.NAME.fullmatch, names):
            waiting = cls(name=name)
            if waiting._storage.get_modified_time(waiting.get_full_path()) < cutoff:
                waiting.remove()


class SpreadsheetImportMixin(ImportExportMixin):
    """django-import-export's import and export pages, where a stored import can be confirmed
    only by the person who uploaded it, in the same session, and only once."""

    tmp_storage_class = PendingImportStorage
    PENDING = "spreadsheet_import_pending"  # session key: the file waiting for confirmation

    def import_action(self, request, **kwargs):
        response = super().import_action(request, **kwargs)
        if request.method == "POST" and isinstance(response, TemplateResponse):
            self.keep_pending_import(request, response.context_data)
        return response

    def keep_pending_import(self, request, context):
        """Remember the checked file for its confirmation; drop a file that cannot be imported
        and the person's earlier file waiting for confirmation."""
        upload = getattr(context.get("form"), "cleaned_data", {}).get("import_file")
        stored = getattr(upload, "tmp_storage_name", None)
        if stored is None:
            return
        confirm = context.get("confirm_form")
        if confirm is None:
            PendingImportStorage(name=stored).remove()
            return
        self.forget_pending_import(request, remove=True)
        PendingImportStorage.remove_abandoned()
        request.session[self.PENDING] = {
            "import_file_name": stored,
            "format": str(confirm.initial["format"]),
        }

    def forget_pending_import(self, request, *, remove=False):
        pending = request.session.pop(self.PENDING, None)
        if pending and remove:
            PendingImportStorage(name=pending["import_file_name"]).remove()
        return pending

    def process_import(self, request, **kwargs):
        if request.method != "POST" or not self.has_import_permission(request):
            return super().process_import(request, **kwargs)  # refuses it
        pending = request.session.get(self.PENDING)
        posted = {name: request.POST.get(name) for name in ("import_file_name", "format")}
        if pending is None or pending != posted:
            return self.not_pending(request)
        self.forget_pending_import(request)
        try:
            return super().process_import(request, **kwargs)
        except FileNotFoundError:  # confirmed twice at once: the first one imported it
            return self.not_pending(request)

    def not_pending(self, request):
        messages.error(
            request,
            "This import is not waiting for you to confirm it. Choose the file and check it again.",
        )
        return redirect(f"admin:{self.opts.app_label}_{self.opts.model_name}_import")
