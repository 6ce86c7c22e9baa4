"""Full-text search: a stored search vector on each case study, filled in for existing rows,
with a GIN index on PostgreSQL only (SQLite keeps the column empty and has no GIN indexes)."""

import django.contrib.postgres.search
from django.db import migrations, models

GIN_INDEX = "case_study_search_vector_gin"


def create_gin_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {GIN_INDEX} "
            "ON casestudies_casestudy USING gin (search_vector)"
        )


def drop_gin_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {GIN_INDEX}")


def fill_search_vectors(apps, schema_editor):
    """Existing case studies become searchable straight away."""
    if schema_editor.connection.vendor != "postgresql":
        return
    from casestudies.models import CaseStudy

    CaseStudy.objects.using(schema_editor.connection.alias).refresh_search_vector()


class Migration(migrations.Migration):
    dependencies = [
        ("casestudies", "0002_import_report_permission"),
        ("councils", "0002_regions"),
    ]

    operations = [
        migrations.AddField(
            model_name="casestudy",
            name="search_vector",
            field=django.contrib.postgres.search.SearchVectorField(
                editable=False,
                help_text="Words for full-text search, kept current for you.",
                null=True,
            ),
        ),
        migrations.AddIndex(
            model_name="casestudy",
            index=models.Index(fields=["status", "title"], name="case_study_status_title"),
        ),
        migrations.RunPython(create_gin_index, drop_gin_index, elidable=False),
        migrations.RunPython(fill_search_vectors, migrations.RunPython.noop),
    ]
