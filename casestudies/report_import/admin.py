"""The admin's "Import a report" page: upload a file, preview what it holds, confirm; and the
admin of the importer's heading vocabulary and of the choices remembered for publishers."""

import dataclasses

from django import forms
from django.contrib import admin, messages
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.utils import timezone

from councils.models import Region
from editorial.roles import Scope

from ..models import HeadingChoice, HeadingPhrase, Publication
from .headings import DEFAULT_PHRASES, Role
from .reading import (
    MAX_UPLOAD_BYTES,
    Line,
    UnreadableReport,
    read_report_file,
)
from .service import ReportImportError, report_import

SIGNING_SALT = "casestudies.report-import"
PREVIEW_MAX_AGE = 24 * 60 * 60  # seconds a preview can be confirmed for
# The preview's signed copy of the text is posted back to confirm, so it must fit in a request
# (Django's DATA_UPLOAD_MAX_MEMORY_SIZE, 2.5 MB by default). The text read is at most
# reading.MAX_TEXT_CHARACTERS; this bound also covers text that compresses badly.
MAX_PAYLOAD_CHARACTERS = 2_000_000


class ReportUploadForm(forms.Form):
    file = forms.FileField(
        label="Report file",
        help_text=(
            "A .txt, .md, .docx, .pdf or .html file of at most "
            f"{MAX_UPLOAD_BYTES // 1024 // 1024} MB. A PDF needs its text: a scan cannot be read."
        ),
    )
    publication = forms.ModelChoiceField(
        Publication.objects.all(),
        required=False,
        help_text=(
            "The published document the report is. Importing the same case study from the "
            "same publication twice creates nothing new."
        ),
    )
    region = forms.ModelChoiceField(
        Region.objects.all(),
        required=False,
        help_text="Only needed when the councils in the file are not in the portal.",
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        scope = Scope.of(user)
        if not scope.is_admin:
            # A lead's own regions (an officer's drafts take their councils' region).
            self.fields["region"].queryset = Region.objects.filter(pk__in=scope.lead_region_ids)

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("file")
        if upload is not None:
            if upload.size > MAX_UPLOAD_BYTES:
                raise forms.ValidationError(
                    f"The file is larger than {MAX_UPLOAD_BYTES // 1024 // 1024} MB."
                )
            try:
                cleaned["lines"] = read_report_file(upload.name, upload.read())
            except UnreadableReport as error:
                self.add_error("file", str(error))
        return cleaned


CHANGED = "This preview has expired or was changed. Upload the file again."
UNKNOWN_ROLE = "One of the places chosen for a heading is not one the importer knows. Choose again."


class ConfirmForm(forms.Form):
    """The preview's hidden, signed copy of what was read, sent back to confirm or to preview
    again, with the lead's choice for each heading (a select named "heading:<key>")."""

    payload = forms.CharField(
        widget=forms.HiddenInput,
        max_length=MAX_PAYLOAD_CHARACTERS,
        error_messages={"max_length": "This preview is too large. Upload the file again."},
    )

    def clean_payload(self):
        try:
            data = signing.loads(
                self.cleaned_data["payload"], salt=SIGNING_SALT, max_age=PREVIEW_MAX_AGE
            )
        except signing.BadSignature:
            raise forms.ValidationError(CHANGED) from None
        # [text, kind, continues, level]; a preview signed before levels were kept has three.
        data["lines"] = [Line(*line) for line in data["lines"]]
        data["publication"] = Publication.objects.filter(pk=data["publication"]).first()
        data["region"] = Region.objects.filter(pk=data["region"]).first()
        return data

    def clean(self):
        """The choices the lead made: the selects changed from the preview shown, and those
        chosen in earlier previews of the same upload. A select left as shown is no choice
        (nothing is remembered for it). `changed`: whether any select differs from the
        preview shown."""
        data = self.cleaned_data.get("payload")
        if data is None:
            return self.cleaned_data
        # A preview signed before headings could be placed has neither.
        choices = dict(data.get("choices", {}))
        changed = False
        for key, (shown, _how) in data.get("shown", {}).items():
            posted = self.data.get(f"heading:{key}", shown)
            if posted not in Role.values:
                raise forms.ValidationError(UNKNOWN_ROLE)
            changed = changed or posted != shown
            if posted != shown or key in choices:
                choices[key] = posted
        self.cleaned_data.update(choices=choices, choices_changed=changed)
        return self.cleaned_data

    def allowed_duplicates(self):
        """The numbers of the case studies ticked "Create it anyway" in the preview."""
        return {int(value) for value in self.data.getlist("allow") if value.isdigit()}


def sign_payload(name, lines, publication, region, *, choices=None, shown=None):
    """What the preview read and showed, signed: confirming imports exactly this. `choices`:
    those made so far; `shown`: each heading's role as shown, and how it was given
    ({key: [role, how]})."""
    return signing.dumps(
        {
            "name": name,
            "lines": [[line.text, line.kind, line.continues, line.level] for line in lines],
            "publication": publication.pk if publication else None,
            "region": region.pk if region else None,
            "choices": choices or {},
            "shown": shown or {},
        },
        salt=SIGNING_SALT,
        compress=True,
    )


@dataclasses.dataclass
class HeadingRow:
    """A heading as the preview lists it, with the select that places it (one for each
    wording: `select` is False where the same wording was met before)."""

    heading: object  # parsing.FoundHeading
    key: str
    role: str
    how: str
    select: bool
    number: int
    chosen: str = ""  # where how == "choice": who chose the place, and when


def heading_rows(result):
    rows, seen = [], set()
    for number, heading in enumerate(result.headings, start=1):
        role = heading.role or Role.STORY
        rows.append(
            HeadingRow(
                heading,
                heading.key,
                str(role),
                heading.how,
                heading.key not in seen,
                number,
                chosen=chosen_by(heading, result.earlier_choices),
            )
        )
        seen.add(heading.key)
    return rows


def chosen_by(heading, earlier_choices):
    """Who placed a heading placed by a choice, and when, in words ("" for any other)."""
    if heading.how != "choice":
        return ""
    choice = earlier_choices.get(heading.key)
    if choice is None:
        return "chosen by you in this preview"
    who = f"by {choice.chosen_by.get_username()}" if choice.chosen_by else "on the command line"
    chosen_on = timezone.localtime(choice.chosen_on)
    return f"chosen for reports from {choice.publisher} {who} on {chosen_on.day} {chosen_on:%B %Y}"


def preview(request, context, *, name, lines, publication, region, choices, allowed=()):
    """Import as a dry run and put the preview, and its signed payload, in the context.
    Raises ReportImportError."""
    result = report_import(
        lines=lines,
        source_name=name,
        publication=publication,
        region=region,
        by=request.user,
        dry_run=True,
        choices=choices,
    )
    rows = heading_rows(result)
    shown = {row.key: [row.role, row.how] for row in rows if row.select}
    payload = sign_payload(name, lines, publication, region, choices=choices, shown=shown)
    if len(payload) > MAX_PAYLOAD_CHARACTERS:
        raise ReportImportError(
            f"“{name}” holds too much text to import at once. Split it into parts."
        )
    context.update(
        result=result,
        payload=payload,
        allowed=allowed,
        publication=publication,
        roles=Role.choices,
        unrecognised_rows=[row for row in rows if row.select and row.how == "unrecognised"],
        heading_rows=rows,
    )


def report_import_view(request, model_admin):
    """Upload → preview (nothing written) → change where headings go and preview again →
    confirm (drafts created in one transaction)."""
    if not request.user.has_perm("casestudies.import_report"):
        raise PermissionDenied
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": "Import case studies from a report",
    }
    form = ReportUploadForm(user=request.user)
    if request.method == "POST" and "payload" in request.POST:
        confirm = ConfirmForm(request.POST)
        if not confirm.is_valid():
            problems = confirm.errors.get("payload") or confirm.non_field_errors()
            messages.error(request, " ".join(problems))
        elif "preview" in request.POST or confirm.cleaned_data["choices_changed"]:
            if "preview" not in request.POST:
                messages.warning(
                    request,
                    "You changed where some headings go, so nothing was imported yet. Check "
                    "the preview with your choices, then confirm.",
                )
            data = confirm.cleaned_data["payload"]
            try:
                preview(
                    request,
                    context,
                    name=data["name"],
                    lines=data["lines"],
                    publication=data["publication"],
                    region=data["region"],
                    choices=confirm.cleaned_data["choices"],
                    allowed=confirm.allowed_duplicates(),
                )
            except ReportImportError as error:
                messages.error(request, str(error))
        else:
            data = confirm.cleaned_data["payload"]
            try:
                result = report_import(
                    lines=data["lines"],
                    source_name=data["name"],
                    publication=data["publication"],
                    region=data["region"],
                    by=request.user,
                    allow_duplicates=confirm.allowed_duplicates(),
                    choices=confirm.cleaned_data["choices"],
                )
            except ReportImportError as error:
                messages.error(request, f"{error} Nothing was imported.")
            else:
                skipped = (
                    f" {len(result.skipped)} were not created because another case study "
                    "already has the title."
                    if result.skipped
                    else ""
                )
                messages.success(
                    request,
                    f"{len(result.created)} draft case studies created from “{data['name']}”; "
                    f"{len(result.already_imported)} were already imported.{skipped}",
                )
                context["result"] = result
    elif request.method == "POST":
        form = ReportUploadForm(request.POST, request.FILES, user=request.user)
        if form.is_valid():
            data = form.cleaned_data
            try:
                preview(
                    request,
                    context,
                    name=data["file"].name,
                    lines=data["lines"],
                    publication=data["publication"],
                    region=data["region"],
                    choices={},
                )
            except ReportImportError as error:
                form.add_error(None, str(error))
    context["form"] = form
    return TemplateResponse(request, "admin/casestudies/casestudy/import_report.html", context)


# ----------------------------------------------------------------------------- the vocabulary


@admin.register(HeadingPhrase)
class HeadingPhraseAdmin(admin.ModelAdmin):
    """Phrases site administrators add to the importer's vocabulary (only they hold the
    permissions: casestudies/permissions.py). The list page also shows the built-in phrases,
    read only, so that the whole vocabulary is in one place."""

    list_display = ["phrase", "role"]
    list_filter = ["role"]
    search_fields = ["phrase"]
    fields = ["phrase", "role"]

    def changelist_view(self, request, extra_context=None):
        built_in = [
            (role.label, [phrase for phrase, phrase_role in DEFAULT_PHRASES if phrase_role == role])
            for role in Role
        ]
        extra_context = {**(extra_context or {}), "built_in": [row for row in built_in if row[1]]}
        return super().changelist_view(request, extra_context)


@admin.register(HeadingChoice)
class HeadingChoiceAdmin(admin.ModelAdmin):
    """Where leads chose that a heading goes, per publisher: site administrators may look and
    delete a wrong choice (it is then asked again); choices are made in the import preview."""

    list_display = ["heading", "role", "publisher", "chosen_by", "chosen_on"]
    list_filter = ["publisher", "role"]
    list_select_related = ["chosen_by"]
    search_fields = ["heading", "publisher"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
