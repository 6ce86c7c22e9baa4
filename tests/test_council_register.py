"""The register of councils: loading all 153 councils of England, in place and idempotently."""

import csv
import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from reversion.models import Version

from councils.models import Council, Region
from councils.names import NameIndex, name_key
from councils.register import REGISTER_FILE, split_spellings
from tests.helpers import seeds_missing

SHARED_REGISTER = Path(settings.BASE_DIR).parent / "shared" / "data" / REGISTER_FILE.name


def load(path=REGISTER_FILE):
    out = io.StringIO()
    call_command("load_councils", file=str(path), stdout=out)
    return out.getvalue()


def register_rows():
    with REGISTER_FILE.open(encoding="utf-8", newline="") as file:
        reader = csv.DictReader(file)
        return reader.fieldnames, list(reader)


def write_register(path, fieldnames, rows):
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.DictWriter(file, fieldnames=fieldnames)
        writer.writeheader()
        writer.writerows(rows)
    return path


@pytest.fixture
def seeded(db):
    call_command("load_seed_content", verbosity=0)


def test_the_shipped_register_is_the_reference_data_unchanged():
    if not SHARED_REGISTER.exists():
        seeds_missing(f"The reference data is not beside the project ({SHARED_REGISTER})")
    assert REGISTER_FILE.read_bytes() == SHARED_REGISTER.read_bytes()


def test_after_the_seed_content_the_register_adds_every_council_and_keeps_the_seeds(seeded):
    essex = Council.objects.get(slug="essex")
    essex_case_studies = set(essex.case_studies.values_list("pk", flat=True))
    seeded_slugs = set(Council.objects.values_list("slug", flat=True))

    output = load()

    assert Council.objects.count() == 153
    assert Region.objects.count() == 9
    assert "Created 132, updated 21, unchanged 0 councils." in output
    essex = Council.objects.get(slug="essex")
    assert essex.gss_code == "E10000012"
    assert essex.population == 1497759 and essex.population_year == 2020
    assert set(essex.case_studies.values_list("pk", flat=True)) == essex_case_studies
    assert len(essex_case_studies) == 4
    assert seeded_slugs <= set(Council.objects.values_list("slug", flat=True))
    leeds = Council.objects.get(gss_code="E08000035")
    assert (leeds.name, leeds.short_name, leeds.kind, leeds.region.slug) == (
        "Leeds City Council",
        "Leeds",
        Council.Kind.METROPOLITAN_BOROUGH,
        "yorkshire-and-the-humber",
    )
    assert Council.objects.get(gss_code="E09000001").kind == Council.Kind.CITY_OF_LONDON
    # Every council has a point for the map.
    assert not Council.objects.filter(latitude=None).exists()


def test_a_second_load_changes_nothing_and_adds_no_version(seeded):
    load()
    versions = Version.objects.get_for_model(Council).count()
    before = list(Council.objects.order_by("pk").values())

    output = load()

    assert output.splitlines()[0] == "Created 0, updated 0, unchanged 153 councils."
    assert "Updated:" not in output
    assert list(Council.objects.order_by("pk").values()) == before
    assert Version.objects.get_for_model(Council).count() == versions


def test_a_changed_register_updates_the_council_in_place_and_says_what_changed(seeded, tmp_path):
    load()
    essex = Council.objects.get(slug="essex")
    fieldnames, rows = register_rows()
    for row in rows:
        if row["gss-code"] == "E10000012":
            row["pop-2020"] = "1500000.0"
            row["alt-names"] += ",The Essex Council"

    output = load(write_register(tmp_path / "register.csv", fieldnames, rows))

    assert "Created 0, updated 1, unchanged 152 councils." in output
    assert "Updated: Essex County Council: population 1497759 → 1500000" in output
    refreshed = Council.objects.get(pk=essex.pk)
    assert refreshed.slug == "essex" and refreshed.population == 1500000
    assert "The Essex Council" in refreshed.other_name_list
    assert refreshed.case_studies.count() == 4
    assert Version.objects.get_for_object(refreshed).first().revision.get_comment() == (
        "Updated from the register of councils"
    )


def test_names_and_regions_the_portal_chose_are_kept_and_reported(seeded):
    output = load()

    milton_keynes = Council.objects.get(slug="milton-keynes")
    assert milton_keynes.name == "Milton Keynes City Council"
    assert milton_keynes.region.slug == "east-of-england"
    assert (
        "Kept: Milton Keynes City Council: the register says official name “Milton Keynes "
        "Council”, the portal “Milton Keynes City Council”; the register says region “South "
        "East”, the portal “East of England”." in output
    )
    # The register's name is another spelling, so reports using it still find the council.
    assert NameIndex(Council.objects.all()).get("Milton Keynes Council") == milton_keynes


def test_the_register_loaded_before_the_seed_content_gives_the_seeds_their_addresses(db):
    load()
    assert Council.objects.filter(slug="bedford").exists()

    call_command("load_seed_content", verbosity=0)

    bedford = Council.objects.get(gss_code="E06000055")
    assert bedford.slug == "bedford-borough"
    assert bedford.case_studies.count() == 3
    assert Council.objects.count() == 153
    assert load().splitlines()[0] == "Created 0, updated 0, unchanged 153 councils."


def test_the_region_name_of_the_association_is_kept_where_it_differs(db):
    # Regions arrive with the schema (councils/migrations 0002 and 0003).
    east = Region.objects.get(slug="east-of-england")
    assert (east.adass_name, east.full_name) == ("Eastern", "East of England (Eastern)")
    london = Region.objects.get(slug="london")
    assert (london.adass_name, london.full_name) == ("", "London")


def test_a_broken_register_changes_nothing_and_says_why(seeded, tmp_path):
    fieldnames, rows = register_rows()
    rows[5]["local-authority-type"] = "NMD"
    before = Council.objects.count()

    with pytest.raises(CommandError) as error:
        load(write_register(tmp_path / "register.csv", fieldnames, rows))

    assert str(error.value) == (
        "Register not loaded, nothing was changed. line 7 (London Borough of Bexley): unknown "
        "type 'NMD'."
    )
    assert Council.objects.count() == before
    assert not Council.objects.exclude(gss_code="").exists()


def test_a_register_without_a_column_is_refused(db, tmp_path):
    fieldnames, rows = register_rows()
    fieldnames = [name for name in fieldnames if name != "gss-code"]
    rows = [{key: row[key] for key in fieldnames} for row in rows]

    with pytest.raises(CommandError, match="missing columns gss-code"):
        load(write_register(tmp_path / "register.csv", fieldnames, rows))


def test_a_missing_register_file_is_refused_plainly(db, tmp_path):
    with pytest.raises(CommandError, match="Cannot read the register .*: No such file"):
        load(tmp_path / "nowhere.csv")


def test_a_spelling_with_a_comma_in_it_is_kept_whole(db):
    load()
    bristol = Council.objects.get(gss_code="E06000023")
    assert "Bristol, City of" in bristol.other_name_list
    assert not {"City of", "city of", "County of"} & {
        name for council in Council.objects.all() for name in council.other_name_list
    }
    assert split_spellings("Herefordshire UA,herefordshire, county of,") == [
        "Herefordshire UA",
        "herefordshire, county of",
    ]


def test_names_compare_without_case_punctuation_or_ampersands():
    assert name_key("Barking & Dagenham") == name_key("barking and dagenham")
    assert name_key("St. Helens") == name_key("St Helens")


@pytest.mark.django_db
def test_a_name_two_councils_share_finds_neither(east):
    one = Council.objects.create(
        name="One Council",
        short_name="One",
        slug="one",
        kind="unitary",
        region=east,
        other_names="Shared Name",
    )
    Council.objects.create(
        name="Two Council",
        short_name="Two",
        slug="two",
        kind="unitary",
        region=east,
        other_names="shared name",
    )
    index = NameIndex(Council.objects.all())
    assert index.get("Shared Name") is None
    assert index.get("one council") == one


def test_a_correction_made_in_the_portal_survives_the_next_load(seeded, tmp_path):
    load()
    warwickshire = Council.objects.get(gss_code="E10000031")
    warwickshire.latitude, warwickshire.longitude = 52.3, -1.5  # an administrator's correction
    warwickshire.save()

    output = load()

    warwickshire.refresh_from_db()
    assert (warwickshire.latitude, warwickshire.longitude) == (52.3, -1.5)
    assert (
        "Kept: Warwickshire County Council: the register says latitude “51.8120439036”, the "
        "portal “52.3”; the register says longitude “-0.9016945808”, the portal “-1.5”." in output
    )
    # Once the register says the same, the two agree and nothing more is said.
    fieldnames, rows = register_rows()
    for row in rows:
        if row["gss-code"] == "E10000031":
            row["lat"], row["long"] = "52.3", "-1.5"
    output = load(write_register(tmp_path / "register.csv", fieldnames, rows))
    assert "Warwickshire" not in output


def test_a_council_the_register_added_follows_the_register_when_nobody_changed_it(db, tmp_path):
    load()
    fieldnames, rows = register_rows()
    for row in rows:
        if row["gss-code"] == "E10000007":  # Derbyshire
            row["region"] = "East Midlands"
            row["official-name"] = "Derbyshire Council"

    output = load(write_register(tmp_path / "register.csv", fieldnames, rows))

    derbyshire = Council.objects.get(gss_code="E10000007")
    assert (derbyshire.region.slug, derbyshire.name) == ("east-midlands", "Derbyshire Council")
    assert (
        "Updated: Derbyshire Council: official name Derbyshire County Council → Derbyshire "
        "Council; region West Midlands → East Midlands;" in output
    )
    # Reports that use the old name still find it.
    assert NameIndex(Council.objects.all()).get("Derbyshire County Council") == derbyshire


def test_a_point_far_from_its_regions_councils_is_reported_for_checking(db, tmp_path):
    fieldnames, rows = register_rows()
    cornwall = next(row for row in rows if row["gss-code"] == "E06000052")
    for row in rows:
        if row["gss-code"] == "E08000035":  # Leeds, placed in Cornwall
            row["lat"], row["long"] = cornwall["lat"], cornwall["long"]

    output = load(write_register(tmp_path / "register.csv", fieldnames, rows))

    assert (
        "Check: none of the 5 councils nearest the point of Leeds City Council is in its "
        "region, Yorkshire and the Humber. Is its point or its region wrong?" in output
    )
    assert "Check: none of the 5 councils nearest the point of Leeds" not in load()
