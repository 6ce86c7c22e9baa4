"""Case studies as spreadsheet rows (CSV) for leads' bulk work, with the editorial rules.

The export has one row per case study the person may see, under plain-English headers, with
values in words: names of councils, region and vocabulary, each list of points numbered in
order, contacts, links, quotes, the public web address. It is UTF-8 with a byte order mark,
for Excel. An import reads the columns it can write back (`CaseStudyResource.import_columns`)
and ignores the others, so an exported file can be imported again.

A row that fails its checks is described in words (row, column, value and why). The person
may then import the file's other rows: the rows found wrong in the check are left out at the
confirmation even if they would pass by then.

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
from django.core.validators import validate_slug
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from import_export import fields, resources, widgets
from import_export.admin import ImportExportMixin
from import_export.forms import SelectableFieldsExportForm
from import_export.results import RowResult
from import_export.tmp_storages import MediaStorage
from reversion.models import Version

from councils.models import Council, Region
from editorial.roles import Scope, scope_place_error

from ..models import POINT_LISTS, CaseStudy, Status
from ..spreadsheet_cells import (
    formula_escaped,
    formula_unescaped,
    joined,
    links_cell,
    numbered,
    quotes_cell,
)

# The export's columns for the lists of points, by the lists' names (fields of the resource).
POINT_LIST_BY_NAME = {point_list.name: point_list for point_list in POINT_LISTS}

OUT_OF_SCOPE = "out_of_scope"


class NamedRecordWidget(widgets.ForeignKeyWidget):
    """A region written by its name. An import takes its name or its short web name (slug),
    in any case, and says which names there are when it knows none."""

    def __init__(self, model, names=("name", "slug")):
        super().__init__(model, field="name")
        self.names = names

    def find(self, value, choices):
        wanted = value.strip().casefold()
        for record in choices:
            if any(str(getattr(record, name)).casefold() == wanted for name in self.names):
                return record
        raise ValueError(
            f"no {self.model._meta.verbose_name} called ‘{value.strip()}’. Use one of: "
            f"{joined(getattr(record, self.names[0]) for record in choices)}."
        )

    def clean(self, value, row=None, **kwargs):
        if not value or not str(value).strip():
            return None
        return self.find(str(value), list(self.model.objects.all()))


class NamedRecordsWidget(widgets.ManyToManyWidget):
    """Councils written by name, separated by semicolons. An import takes full names, short
    names or short web names (slugs), separated by semicolons or, as exports before issue 10
    wrote them, commas."""

    def __init__(self, model, names=("name", "short_name", "slug")):
        super().__init__(model, field="name", separator="; ")
        self.single = NamedRecordWidget(model, names)

    def clean(self, value, row=None, **kwargs):
        if not value or not str(value).strip():
            return []
        separator = ";" if ";" in value else ","
        choices = list(self.model.objects.all())
        found = []
        for name in filter(None, (part.strip() for part in value.split(separator))):
            record = self.single.find(name, choices)
            if record not in found:
                found.append(record)
        return found


class ChoiceWidget(widgets.Widget):
    """A choice written in words ("In progress"); an import also takes the stored code."""

    def __init__(self, choices, name):
        super().__init__()
        self.choices = choices
        self.name = name

    def clean(self, value, row=None, **kwargs):
        text = str(value or "").strip()
        if not text:
            return text  # the model's own check says it is required
        for code, label in self.choices:
            if text.casefold() in (code.casefold(), str(label).casefold()):
                return code
        raise ValueError(
            f"no {self.name} called ‘{text}’. Use one of: "
            f"{joined(label for _code, label in self.choices)}."
        )

    def render(self, value, obj=None, **kwargs):
        return str(dict(self.choices).get(value, value or ""))


def column(attribute, name, **kwargs):
    return fields.Field(attribute=attribute, column_name=name, **kwargs)


def export_only(name):
    """A column the export writes and an import ignores (its `dehydrate_` method fills it)."""
    return fields.Field(column_name=name, readonly=True)


# The columns earlier exports wrote, under these short names; an import also accepts them.
OLD_HEADERS = (
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
)


class CaseStudyResource(resources.ModelResource):
    """One row per case study. The columns an import reads come first; the rest (declared
    with `export_only`) are written by the export and ignored by an import."""

    slug = column("slug", "Web address name")
    title = column("title", "Title")
    standfirst = column("standfirst", "Summary")
    narrative = column("narrative", "The story")
    region = column("region", "Region", widget=NamedRecordWidget(Region))
    councils = column("councils", "Councils", widget=NamedRecordsWidget(Council), m2m_add=False)
    stage = column(
        "stage", "Stage of the work", widget=ChoiceWidget(CaseStudy.Stage.choices, "stage")
    )
    started_on = column("started_on", "Work started", widget=widgets.DateWidget("%Y-%m-%d"))
    source_pages = column("source_pages", "Pages in the source publication")
    content_note = column("content_note", "Notes on this text (shown to the public)")
    editor_notes = column("editor_notes", "Editor notes")
    status = column("status", "State", widget=ChoiceWidget(Status.choices, "state"), readonly=True)
    partners = export_only("Partner organisations")
    topics = export_only("Topics")
    people = export_only("People involved")
    approaches = export_only("Approaches used")
    # Each list numbered in order, under its question (filled by export_field).
    learning = export_only(POINT_LIST_BY_NAME["learning"].default_heading)
    conditions = export_only(POINT_LIST_BY_NAME["conditions"].default_heading)
    barriers = export_only(POINT_LIST_BY_NAME["barriers"].default_heading)
    combined = export_only(POINT_LIST_BY_NAME["combined"].default_heading)
    public_contacts = export_only("Contacts that may be published")
    all_contacts = export_only("All contacts, with consent to publish")
    links = export_only("Further information")
    quotes = export_only("Quotes")
    publication = export_only("Source publication")
    published_on = export_only("First published")
    last_reviewed_on = export_only("Last reviewed")
    web_address = export_only("Public web address")

    # Django's messages that name its own words, in plain English.
    PLAIN_MESSAGES = {
        str(validate_slug.message): "Use only letters, digits, hyphens and underscores.",
    }

    class Meta:
        model = CaseStudy
        import_id_fields = ["slug"]
        fields = [
            *OLD_HEADERS,  # the same fields, in the same order, under plain-English headers
            "partners",
            "topics",
            "people",
            "approaches",
            "learning",
            "conditions",
            "barriers",
            "combined",
            "public_contacts",
            "all_contacts",
            "links",
            "quotes",
            "publication",
            "published_on",
            "last_reviewed_on",
            "web_address",
        ]
        skip_unchanged = True
        report_skipped = True
        use_transactions = True
        clean_model_instances = True  # the model's own checks: choices, slug characters, lengths

    def __init__(self, request=None, **kwargs):
        super().__init__(**kwargs)
        self.request = request

    @classmethod
    def import_columns(cls):
        return [field.column_name for field in cls().get_import_fields() if not field.readonly]

    @classmethod
    def export_only_columns(cls):
        return [field.column_name for field in cls().get_export_fields() if field.readonly]

    # Export.

    def filter_export(self, queryset, **kwargs):
        """Everything a row shows, in a fixed number of queries whatever the number of rows."""
        # pending_update: permitted_actions asks whether a published entry has one.
        return queryset.with_page_data().select_related("pending_update")

    def get_chunk_size(self):
        return 10_000  # one page of rows, so one set of prefetches

    def export_field(self, field, instance, **kwargs):
        point_list = POINT_LIST_BY_NAME.get(self.get_field_name(field))
        if point_list is not None:  # the columns named after the lists
            value = numbered(p.text for p in instance.points.all() if p.kind == point_list.kind)
        else:
            value = super().export_field(field, instance, **kwargs)
        return formula_escaped(value)

    def dehydrate_partners(self, case_study):
        return joined(case_study.organisations.all())

    def dehydrate_topics(self, case_study):
        return joined(case_study.topics.all())

    def dehydrate_people(self, case_study):
        return joined(case_study.people.all())

    def dehydrate_approaches(self, case_study):
        return joined(case_study.approaches.all())

    def dehydrate_public_contacts(self, case_study):
        return numbered(c.details() for c in case_study.published_contacts())

    def dehydrate_all_contacts(self, case_study):
        """Every contact with their consent in words, for those who may edit the entry (who
        see them on its page anyway); for anyone else, only that they are not shown."""
        user = getattr(self.request, "user", None)
        if user is None or "change" not in case_study.permitted_actions(user):
            return "Only for editors who may change this case study."
        return numbered(
            f"{contact.details()} (consent to publish: "
            f"{contact.get_consent_display().lower()}; last checked: "
            f"{contact.last_verified_on or 'never'})"
            for contact in case_study.contacts.all()
        )

    def dehydrate_links(self, case_study):
        return links_cell(case_study.links.all())

    def dehydrate_quotes(self, case_study):
        return quotes_cell(case_study.quotes.all())

    def dehydrate_publication(self, case_study):
        return str(case_study.publication or "")

    def dehydrate_published_on(self, case_study):
        return case_study.published_on.isoformat() if case_study.published_on else ""

    def dehydrate_last_reviewed_on(self, case_study):
        return case_study.last_reviewed_on.isoformat() if case_study.last_reviewed_on else ""

    def dehydrate_web_address(self, case_study):
        if not case_study.is_published:
            return "Not public"
        path = case_study.get_absolute_url()
        return self.request.build_absolute_uri(path) if self.request else path

    # Import.

    def before_import(self, dataset, **kwargs):
        """Headers matched without case or surrounding spaces; the old short names too."""
        known = {}
        for name in self.fields:
            field = self.fields[name]
            known[field.column_name.casefold()] = field.column_name
            if name in OLD_HEADERS:
                known[name] = field.column_name
        dataset.headers = [
            known.get(str(header).strip().casefold(), header) for header in dataset.headers
        ]

    def before_import_row(self, row, **kwargs):
        for column, value in row.items():
            row[column] = formula_unescaped(value)

    def import_row(self, row, instance_loader, **kwargs):
        """Each row is saved as a version of its case study, with who imported it. A row the
        check (the preview) found wrong is left out when its valid rows are imported. An entry
        with no version yet (made before versions were kept) first gets one of its text as it
        is, so that the import can be compared and undone."""
        if kwargs.get("row_number") in kwargs.get("rows_left_out", ()):
            result = self.get_row_result_class()()
            result.import_type = RowResult.IMPORT_TYPE_SKIP
            result.left_out = True
            return result
        keep_first_version(row.get(self.fields["slug"].column_name), kwargs.get("user"))
        with reversion.create_revision():
            if kwargs.get("user") is not None:
                reversion.set_user(kwargs["user"])
            result = super().import_row(row, instance_loader, **kwargs)
            if result.import_type == RowResult.IMPORT_TYPE_NEW:
                reversion.set_comment("Created by a spreadsheet import")
            else:
                reversion.set_comment("Changed by a spreadsheet import")
        if result.validation_error is not None:
            result.problems = self.problems(kwargs["row_number"], row, result.validation_error)
        return result

    def problems(self, row_number, row, error):
        """A row's errors in words: the row as the spreadsheet numbers it (the header is row
        1), the column and what the cell holds."""
        columns = {name: field.column_name for name, field in self.fields.items()}
        problems = []
        for name, texts in error.message_dict.items():
            for message in texts:
                if name == NON_FIELD_ERRORS:
                    problems.append(f"Row {row_number + 1}: {message}")
                    continue
                message = self.PLAIN_MESSAGES.get(message, message)
                column_name = columns.get(name) or CaseStudy._meta.get_field(name).verbose_name
                value = str(row.get(column_name) or "")
                held = f" The cell holds ‘{value}’." if value and value not in message else ""
                if not value and column_name not in row:
                    held = " The file has no such column."
                problems.append(f"Row {row_number + 1}, column ‘{column_name}’: {message}{held}")
        return problems

    def import_instance(self, instance, row, **kwargs):
        user = kwargs.get("user")
        if instance.pk and "change" not in instance.permitted_actions(user):
            # Says nothing about the entry: the person may not even be allowed to see it.
            raise ValidationError(
                {
                    NON_FIELD_ERRORS: ValidationError(
                        "No case study you may change has the web address name “%(slug)s”. "
                        "A new case study needs a web address name that no other entry uses.",
                        code=OUT_OF_SCOPE,
                        params={"slug": row.get(self.fields["slug"].column_name)},
                    )
                }
            )
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        try:
            councils_column = self.fields["councils"].column_name
            councils = self.fields["councils"].clean(row) if councils_column in row else []
        except ValueError as error:
            errors["councils"] = [ValidationError(str(error))]
            councils = []
        if errors:
            raise ValidationError(errors)
        region = instance.region if instance.region_id else None
        problem = scope_place_error(
            Scope.of(user),
            region=region,
            councils=councils,
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


class ExportForm(SelectableFieldsExportForm):
    """The export page's column choices, labelled with the columns' own headers."""

    def _get_field_label(self, resource, field_name):
        return resource.fields[field_name].column_name


class SpreadsheetImportMixin(ImportExportMixin):
    """django-import-export's import and export pages, where a stored import can be confirmed
    only by the person who uploaded it, in the same session, and only once."""

    tmp_storage_class = PendingImportStorage
    PENDING = "spreadsheet_import_pending"  # session key: the file waiting for confirmation
    import_template_name = "admin/casestudies/casestudy/spreadsheet_import.html"
    to_encoding = "utf-8-sig"  # with a byte order mark, so that Excel reads it as UTF-8
    export_form_class = ExportForm

    def get_export_resource_kwargs(self, request, **kwargs):
        return {**super().get_export_resource_kwargs(request, **kwargs), "request": request}

    def import_action(self, request, **kwargs):
        response = super().import_action(request, **kwargs)
        if request.method == "POST" and isinstance(response, TemplateResponse):
            self.offer_valid_rows(request, response.context_data)
            self.keep_pending_import(request, response.context_data)
        if isinstance(response, TemplateResponse):
            # "This importer will import the following fields": only those it reads.
            response.context_data["fields_list"] = [("", CaseStudyResource.import_columns())]
            response.context_data["export_only_columns"] = CaseStudyResource.export_only_columns()
        return response

    def offer_valid_rows(self, request, context):
        """A file with some rows in error can still be imported without them: its problems in
        words, and a confirm button for the valid rows (none for a file with none)."""
        result = context.get("result")
        if result is None:
            return
        context["problems"] = [
            problem for row in result.rows for problem in getattr(row, "problems", [])
        ]
        context["rows_left_out"] = [row.number for row in result.invalid_rows]
        context["valid_row_count"] = sum(
            result.totals[kind]
            for kind in (RowResult.IMPORT_TYPE_NEW, RowResult.IMPORT_TYPE_UPDATE)
        )
        if "confirm_form" not in context and not result.has_errors() and context["valid_row_count"]:
            context["confirm_form"] = self.create_confirm_form(request, import_form=context["form"])

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
            "rows_left_out": context.get("rows_left_out", []),
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
        if pending is None or {name: pending[name] for name in posted} != posted:
            return self.not_pending(request)
        self.forget_pending_import(request)
        try:
            return super().process_import(
                request, rows_left_out=frozenset(pending.get("rows_left_out", [])), **kwargs
            )
        except FileNotFoundError:  # confirmed twice at once: the first one imported it
            return self.not_pending(request)

    def add_success_message(self, result, request):
        new = result.totals[RowResult.IMPORT_TYPE_NEW]
        updated = result.totals[RowResult.IMPORT_TYPE_UPDATE]
        left_out = result.totals[RowResult.IMPORT_TYPE_INVALID] + sum(
            1 for row in result.rows if getattr(row, "left_out", False)
        )
        message = f"Import finished: {new} case studies added, {updated} changed."
        if left_out:
            message += f" {left_out} row{'' if left_out == 1 else 's'} with errors left out."
        messages.success(request, message)

    def not_pending(self, request):
        messages.error(
            request,
            "This import is not waiting for you to confirm it. Choose the file and check it again.",
        )
        return redirect(f"admin:{self.opts.app_label}_{self.opts.model_name}_import")
