"""The admin's "Import a report" page: upload a file, preview what it holds, confirm."""

from django import forms
from django.contrib import messages
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse

from councils.models import Region
from editorial.roles import Scope

from ..models import Publication
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


class ConfirmForm(forms.Form):
    """The preview's hidden, signed copy of what was read, sent back to confirm."""

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
            raise forms.ValidationError(
                "This preview has expired or was changed. Upload the file again."
            ) from None
        # [text, kind, continues, level]; a preview signed before levels were kept has three.
        data["lines"] = [Line(*line) for line in data["lines"]]
        data["publication"] = Publication.objects.filter(pk=data["publication"]).first()
        data["region"] = Region.objects.filter(pk=data["region"]).first()
        return data

    def allowed_duplicates(self):
        """The numbers of the case studies ticked "Create it anyway" in the preview."""
        return {int(value) for value in self.data.getlist("allow") if value.isdigit()}


def sign_payload(name, lines, publication, region):
    return signing.dumps(
        {
            "name": name,
            "lines": [[line.text, line.kind, line.continues, line.level] for line in lines],
            "publication": publication.pk if publication else None,
            "region": region.pk if region else None,
        },
        salt=SIGNING_SALT,
        compress=True,
    )


def report_import_view(request, model_admin):
    """Upload → preview (nothing written) → confirm (drafts created in one transaction)."""
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
        if confirm.is_valid():
            data = confirm.cleaned_data["payload"]
            try:
                result = report_import(
                    lines=data["lines"],
                    source_name=data["name"],
                    publication=data["publication"],
                    region=data["region"],
                    by=request.user,
                    allow_duplicates=confirm.allowed_duplicates(),
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
        else:
            messages.error(request, " ".join(confirm.errors.get("payload", [])))
    elif request.method == "POST":
        form = ReportUploadForm(request.POST, request.FILES, user=request.user)
        if form.is_valid():
            data = form.cleaned_data
            name = data["file"].name
            try:
                result = report_import(
                    lines=data["lines"],
                    source_name=name,
                    publication=data["publication"],
                    region=data["region"],
                    by=request.user,
                    dry_run=True,
                )
                payload = sign_payload(name, data["lines"], data["publication"], data["region"])
                if len(payload) > MAX_PAYLOAD_CHARACTERS:
                    raise ReportImportError(
                        f"“{name}” holds too much text to import at once. Split it into parts."
                    )
            except ReportImportError as error:
                form.add_error(None, str(error))
            else:
                context["result"] = result
                context["payload"] = payload
    context["form"] = form
    return TemplateResponse(request, "admin/casestudies/casestudy/import_report.html", context)
