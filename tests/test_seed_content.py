"""The curated seed content: loading rules, and fidelity to the source documents.

The expected numbers in tests/data/seed_counts_*.csv were counted by hand from the source
documents, independently of the content files.
"""

import csv
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Count, Q

from casestudies.models import CaseStudy, Contact, Point, Resource, Status

DATA = Path(__file__).parent / "data"
CONTENT = Path(__file__).resolve().parent.parent / "fixtures" / "content"


def expected_rows(pattern):
    rows = []
    for path in sorted(DATA.glob(pattern)):
        with path.open(newline="", encoding="utf-8") as handle:
            rows.extend(csv.DictReader(handle))
    return rows


CASE_STUDY_ROWS = [row for row in expected_rows("seed_counts_*.csv") if "items" not in row]
RESOURCE_ROWS = expected_rows("seed_counts_*_resources.csv")


@pytest.fixture
def seeded(db):
    """The seed content, loaded by the test itself: for tests that change it or load again."""
    call_command("load_seed_content", verbosity=0)


@pytest.fixture(scope="class")
def seed_content(django_db_setup, django_db_blocker):
    """The seed content, loaded once for a class of tests that only read it.

    It is loaded in a transaction that is rolled back when the class is done, so every other
    test still starts from an empty database (class scope, not module scope, so that the
    loader's own tests below start empty too). Each test's own transaction is a savepoint
    inside this one.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_seed_content", verbosity=0)
        yield
        transaction.set_rollback(True)


def load(directory):
    call_command("load_seed_content", directory=str(directory), verbosity=0)


@pytest.mark.django_db
@pytest.mark.usefixtures("seed_content")
class TestSeedFidelity:
    def test_every_counted_case_study_is_loaded_with_its_lists(self):
        assert CASE_STUDY_ROWS, "no expected counts found in tests/data"
        counts = {
            case_study.slug: case_study
            for case_study in CaseStudy.objects.annotate(
                learning=Count("points", filter=Q(points__kind=Point.Kind.LEARNING), distinct=True),
                conditions=Count(
                    "points", filter=Q(points__kind=Point.Kind.CONDITION), distinct=True
                ),
                barriers=Count("points", filter=Q(points__kind=Point.Kind.BARRIER), distinct=True),
                combined=Count("points", filter=Q(points__kind=Point.Kind.COMBINED), distinct=True),
                contact_count=Count("contacts", distinct=True),
                link_count=Count("links", distinct=True),
                quote_count=Count("quotes", distinct=True),
            )
        }
        mismatches = []
        for row in CASE_STUDY_ROWS:
            case_study = counts.get(row["slug"])
            if case_study is None:
                mismatches.append(f"{row['slug']}: missing")
                continue
            actual = {
                "learning": case_study.learning,
                "conditions": case_study.conditions,
                "barriers": case_study.barriers,
                "combined": case_study.combined,
                "contacts": case_study.contact_count,
                "links": case_study.link_count,
                "quotes": case_study.quote_count,
            }
            for field, value in actual.items():
                if int(row[field] or 0) != value:
                    mismatches.append(f"{row['slug']}: {field} {value}, source has {row[field]}")
        assert mismatches == []

    def test_no_case_study_is_loaded_without_expected_counts(self):
        assert set(CaseStudy.objects.values_list("slug", flat=True)) == {
            row["slug"] for row in CASE_STUDY_ROWS
        }

    def test_every_counted_resource_is_loaded_with_its_items(self):
        assert RESOURCE_ROWS, "no expected resource counts found in tests/data"
        actual = dict(Resource.objects.annotate(n=Count("items")).values_list("slug", "n"))
        for row in RESOURCE_ROWS:
            assert actual.get(row["slug"]) == int(row["items"]), row["slug"]

    def test_seed_content_is_published_with_recorded_consent(self):
        assert not CaseStudy.objects.exclude(status=Status.PUBLISHED).exists()
        assert not Resource.objects.exclude(status=Status.PUBLISHED).exists()
        contacts = Contact.objects.select_related("case_study__publication")
        assert contacts.exists()
        for contact in contacts:
            assert contact.consent == Contact.Consent.PUBLISHED_IN_SOURCE
            assert contact.last_verified_on == contact.case_study.publication.source_date

    def test_every_case_study_has_a_region_and_a_source(self):
        assert CaseStudy.objects.exists()
        assert not CaseStudy.objects.filter(publication__isnull=True).exists()
        # The database requires a region; what the content can get wrong is a region that
        # does not match the councils the case study names.
        outside_their_region = [
            (case_study.slug, council.slug)
            for case_study in CaseStudy.objects.prefetch_related("councils")
            for council in case_study.councils.all()
            if council.region_id != case_study.region_id
        ]
        assert outside_their_region == []


@pytest.mark.django_db
class TestLoading:
    def test_loading_twice_changes_nothing(self, seeded):
        before = {c.slug: c.updated_at for c in CaseStudy.objects.all()}
        points = set(Point.objects.values_list("pk", flat=True))
        call_command("load_seed_content", update=True, verbosity=0)
        assert {c.slug: c.updated_at for c in CaseStudy.objects.all()} == before
        assert set(Point.objects.values_list("pk", flat=True)) == points

    def test_editors_changes_survive_a_second_load(self, seeded):
        case_study = CaseStudy.objects.first()
        case_study.standfirst = "Edited by a regional lead."
        case_study.save()
        call_command("load_seed_content", verbosity=0)
        case_study.refresh_from_db()
        assert case_study.standfirst == "Edited by a regional lead."

    def test_update_restores_the_files_content(self, seeded):
        case_study = CaseStudy.objects.filter(points__isnull=False).first()
        original = case_study.standfirst
        case_study.standfirst = "Edited."
        case_study.save()
        case_study.points.all().delete()
        call_command("load_seed_content", update=True, verbosity=0)
        case_study.refresh_from_db()
        assert case_study.standfirst == original
        assert case_study.points.exists()


def write(directory, name, text):
    directory.mkdir(exist_ok=True)
    (directory / name).write_text(text, encoding="utf-8")


CASE = """
case_studies:
  - slug: a-case
    title: A case
    standfirst: One line.
    region: {region}
    councils: [{council}]
    learning: [First.]
"""


@pytest.mark.django_db
class TestLoadingErrors:
    def test_conflicting_definitions_are_refused(self, tmp_path):
        write(tmp_path, "a.yaml", "topics: [{slug: t, name: T, description: One.}]")
        write(tmp_path, "b.yaml", "topics: [{slug: t, name: T, description: Two.}]")
        with pytest.raises(
            CommandError, match="topics 't' is defined differently in a.yaml and b.yaml"
        ):
            load(tmp_path)

    def test_an_unknown_field_is_refused(self, tmp_path):
        write(tmp_path, "a.yaml", "topics: [{slug: t, name: T, description: D, colour: red}]")
        with pytest.raises(CommandError, match="unknown field colour"):
            load(tmp_path)

    def test_a_missing_field_is_refused(self, tmp_path):
        write(tmp_path, "a.yaml", "topics: [{slug: t, name: T}]")
        with pytest.raises(CommandError, match="missing description"):
            load(tmp_path)

    def test_a_bad_reference_loads_nothing_at_all(self, tmp_path):
        write(tmp_path, "a.yaml", "topics: [{slug: t, name: T, description: D}]")
        write(tmp_path, "b.yaml", CASE.format(region="east-of-england", council="atlantis"))
        with pytest.raises(CommandError, match="no council with slug 'atlantis'"):
            load(tmp_path)
        assert not CaseStudy.objects.exists()
        from casestudies.models import Topic

        assert not Topic.objects.exists()

    def test_invalid_yaml_is_reported_with_the_file_name(self, tmp_path):
        write(tmp_path, "broken.yaml", "topics: [unclosed")
        with pytest.raises(CommandError, match="broken.yaml is not valid YAML"):
            load(tmp_path)

    def test_an_empty_folder_is_an_error(self, tmp_path):
        with pytest.raises(CommandError, match="No content files"):
            load(tmp_path)


# Search text is refreshed when a transaction commits, so these tests commit their writes.
@pytest.mark.django_db(transaction=True)
@pytest.mark.postgresql(reason="the stored search text is PostgreSQL full-text search")
def test_loaded_and_restored_case_studies_are_found_by_their_points(client, nine_regions):
    from django.urls import reverse

    call_command("load_seed_content", verbosity=0)

    def found(words):
        return client.get(reverse("casestudies:list"), {"q": words}).content.decode()

    suffolk = CaseStudy.objects.get(slug="suffolk-all-age-carers-strategy")
    phrase = '"not a 9 am to 5 pm Monday to Friday option"'  # one of its learning points
    assert suffolk.get_absolute_url() in found(phrase)

    suffolk.points.all().delete()  # sends each point's post_delete: refreshed on commit
    assert suffolk.get_absolute_url() not in found(phrase)
    call_command("load_seed_content", update=True, verbosity=0)
    assert suffolk.get_absolute_url() in found(phrase)
