"""Case studies as spreadsheet rows (CSV) for leads' bulk work, with the editorial rules.

An import can add drafts and change entries the importer may change; it never publishes, and
it never touches an entry outside the importer's councils or regions. Each imported row is a
version in the entry's history, like an edit in the admin.
"""

import reversion
from django.core.exceptions import ValidationError
from import_export import fields, resources, widgets

from councils.models import Council, Region
from editorial.roles import Scope, scope_place_error

from ..models import CaseStudy


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

    def import_row(self, row, instance_loader, **kwargs):
        """Each row is saved as a version of its case study, with who imported it."""
        with reversion.create_revision():
            if kwargs.get("user") is not None:
                reversion.set_user(kwargs["user"])
            reversion.set_comment("Changed by a spreadsheet import")
            return super().import_row(row, instance_loader, **kwargs)

    def import_instance(self, instance, row, **kwargs):
        user = kwargs.get("user")
        if instance.pk and "change" not in instance.permitted_actions(user):
            raise ValidationError(
                {"slug": f"You cannot change “{instance}”: it is not yours to change now."}
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
