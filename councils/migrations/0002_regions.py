"""The nine regions of England, as the Association of Directors of Adult Social Services
(ADASS) groups councils. They are reference data, so they arrive with the schema."""

from django.db import migrations

REGIONS = [
    ("East Midlands", "east-midlands"),
    ("East of England", "east-of-england"),
    ("London", "london"),
    ("North East", "north-east"),
    ("North West", "north-west"),
    ("South East", "south-east"),
    ("South West", "south-west"),
    ("West Midlands", "west-midlands"),
    ("Yorkshire and the Humber", "yorkshire-and-the-humber"),
]


def add_regions(apps, schema_editor):
    Region = apps.get_model("councils", "Region")
    for name, slug in REGIONS:
        Region.objects.update_or_create(slug=slug, defaults={"name": name})


def remove_regions(apps, schema_editor):
    Region = apps.get_model("councils", "Region")
    Region.objects.filter(slug__in=[slug for _name, slug in REGIONS]).delete()


class Migration(migrations.Migration):
    dependencies = [("councils", "0001_initial")]

    operations = [migrations.RunPython(add_regions, remove_regions)]
