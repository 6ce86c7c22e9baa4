"""The register of councils: codes, other spellings, population, a point for the map, and
what replaced a council; ADASS's names for regions and who to contact in each."""

import django.db.models.deletion
from django.db import migrations, models

# Where the Association of Directors of Adult Social Services (ADASS) names a region otherwise
# than the Office for National Statistics does (see fixtures/reference/README.md).
ADASS_NAMES = {"east-of-england": "Eastern"}


def add_adass_names(apps, schema_editor):
    Region = apps.get_model("councils", "Region")
    for slug, adass_name in ADASS_NAMES.items():
        Region.objects.filter(slug=slug).update(adass_name=adass_name)


class Migration(migrations.Migration):
    dependencies = [
        ("councils", "0002_regions"),
    ]

    operations = [
        migrations.AddField(
            model_name="council",
            name="gss_code",
            field=models.CharField(
                blank=True,
                help_text="The Office for National Statistics code (GSS code), e.g. E10000012 for Essex.",
                max_length=9,
                verbose_name="ONS code",
            ),
        ),
        migrations.AddField(
            model_name="council",
            name="latitude",
            field=models.FloatField(
                blank=True, help_text="A point inside the council's area, for the map.", null=True
            ),
        ),
        migrations.AddField(
            model_name="council",
            name="longitude",
            field=models.FloatField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="council",
            name="other_names",
            field=models.TextField(
                blank=True,
                help_text="Other ways people write the council's name, one a line, e.g. Essex CC. Reports that name the council in any of these ways are matched to it.",
                verbose_name="other spellings",
            ),
        ),
        migrations.AddField(
            model_name="council",
            name="population",
            field=models.PositiveIntegerField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="council",
            name="population_year",
            field=models.PositiveSmallIntegerField(
                blank=True, help_text="The year of the population estimate.", null=True
            ),
        ),
        migrations.AddField(
            model_name="council",
            name="register_code",
            field=models.CharField(
                blank=True,
                help_text="The three-letter code of the register of councils the portal loads, e.g. ESS.",
                max_length=3,
                verbose_name="register code",
            ),
        ),
        migrations.AddField(
            model_name="council",
            name="replaced_by",
            field=models.ForeignKey(
                blank=True,
                help_text="For a council that merged into another or was renamed: the council that took over. Its case studies stay with it; its page says where it went.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="replaced",
                to="councils.council",
            ),
        ),
        migrations.AddField(
            model_name="region",
            name="adass_name",
            field=models.CharField(
                blank=True,
                help_text="What ADASS calls the region, where it differs from the official name, e.g. Eastern for the East of England. Leave empty where they are the same.",
                max_length=100,
                verbose_name="ADASS name",
            ),
        ),
        migrations.AddField(
            model_name="region",
            name="contact_email",
            field=models.EmailField(
                blank=True,
                help_text="Shown on the public pages with the contact's name.",
                max_length=254,
                verbose_name="contact's e-mail address",
            ),
        ),
        migrations.AddField(
            model_name="region",
            name="contact_name",
            field=models.CharField(
                blank=True,
                help_text="Who a council in this region asks about adding a case study: shown on the pages of councils with no case studies yet. Usually the region's lead.",
                max_length=200,
                verbose_name="contact's name",
            ),
        ),
        migrations.AlterField(
            model_name="council",
            name="kind",
            field=models.CharField(
                choices=[
                    ("county", "County council"),
                    ("unitary", "Unitary authority"),
                    ("metropolitan_borough", "Metropolitan borough"),
                    ("london_borough", "London borough"),
                    ("district", "District council"),
                    ("city_of_london", "City of London Corporation"),
                ],
                max_length=30,
            ),
        ),
        migrations.AlterField(
            model_name="council",
            name="name",
            field=models.CharField(
                help_text="The council's full name, e.g. Essex County Council.",
                max_length=200,
                unique=True,
                verbose_name="official name",
            ),
        ),
        migrations.AlterField(
            model_name="region",
            name="name",
            field=models.CharField(
                help_text="The region's official name, e.g. East of England.",
                max_length=100,
                unique=True,
            ),
        ),
        migrations.AddConstraint(
            model_name="council",
            constraint=models.UniqueConstraint(
                condition=models.Q(("gss_code", ""), _negated=True),
                fields=("gss_code",),
                name="council_gss_unique",
            ),
        ),
        migrations.AddConstraint(
            model_name="council",
            constraint=models.CheckConstraint(
                condition=models.Q(("replaced_by", models.F("pk")), _negated=True),
                name="council_not_replaced_by_itself",
            ),
        ),
        migrations.RunPython(add_adass_names, migrations.RunPython.noop),
    ]
