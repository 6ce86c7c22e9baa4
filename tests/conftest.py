"""The small world the tests live in: Essex and Norfolk in the East of England, Shropshire in
the West Midlands, a few published case studies and one draft."""

import datetime
from importlib import import_module

import pytest
from django.db import connection
from django.test.utils import override_settings

from casestudies.models import (
    Approach,
    CaseStudy,
    Contact,
    Link,
    PeopleGroup,
    Point,
    Publication,
    Quote,
    Resource,
    ResourceItem,
    Status,
    Topic,
)
from councils.models import Council, Organisation, Region
from editorial.roles import COUNCIL_OFFICER, REGIONAL_LEAD, SITE_ADMINISTRATOR
from tests.helpers import make_case_study, make_editor


def pytest_configure(config):
    """Hash passwords with MD5 in every test: fast, and no test needs a strong hash.

    The production settings are untouched; override_settings also clears Django's cached
    hashers.
    """
    override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]).enable()


@pytest.fixture(autouse=True)
def spreadsheet_import_folder(settings, tmp_path):
    """Each test's spreadsheet imports wait in a folder of its own, never the project's."""
    settings.STORAGES = {
        **settings.STORAGES,
        "import_export": {
            **settings.STORAGES["import_export"],
            "OPTIONS": {**settings.STORAGES["import_export"]["OPTIONS"], "location": tmp_path},
        },
    }


def pytest_collection_modifyitems(items):
    """Skip the tests marked `postgresql` when the tests run on another database."""
    if connection.vendor == "postgresql":
        return
    for item in items:
        marker = item.get_closest_marker("postgresql")
        if marker is not None:
            why = marker.kwargs.get("reason", "it uses a feature only PostgreSQL has")
            skip = pytest.mark.skip(
                reason=f"needs PostgreSQL ({why}); these tests run on {connection.vendor}"
            )
            item.add_marker(skip)


def region(slug, name):
    """A region from the data migration (recreated after a transactional test's flush)."""
    return Region.objects.get_or_create(slug=slug, defaults={"name": name})[0]


@pytest.fixture
def nine_regions(db):
    """The regions of the data migration, which a transactional test's flush removes."""
    from django.apps import apps

    import_module("councils.migrations.0002_regions").add_regions(apps, None)
    import_module("councils.migrations.0003_register").add_adass_names(apps, None)


@pytest.fixture
def east(db):
    return region("east-of-england", "East of England")


@pytest.fixture
def west_midlands(db):
    return region("west-midlands", "West Midlands")


@pytest.fixture
def essex(east):
    return Council.objects.create(
        name="Essex County Council", short_name="Essex", slug="essex", kind="county", region=east
    )


@pytest.fixture
def norfolk(east):
    return Council.objects.create(
        name="Norfolk County Council",
        short_name="Norfolk",
        slug="norfolk",
        kind="county",
        region=east,
    )


@pytest.fixture
def shropshire(west_midlands):
    return Council.objects.create(
        name="Shropshire Council",
        short_name="Shropshire",
        slug="shropshire",
        kind="unitary",
        region=west_midlands,
    )


@pytest.fixture
def carers_topic(db):
    return Topic.objects.create(
        name="Support for carers", slug="carers", description="Help for unpaid carers."
    )


@pytest.fixture
def publication(db):
    return Publication.objects.create(
        title="A test report on co-production",
        slug="test-report",
        publisher="A test publisher",
        year=2023,
    )


@pytest.fixture
def full_case_study(essex, carers_topic, publication):
    """A published case study with every field and list filled in."""
    case_study = make_case_study(
        title="Redesign of direct payment support",
        region=essex.region,
        councils=[essex],
        standfirst="People who use direct payments helped redesign the support offer.",
        narrative="The council met people.\n\n## How it worked\n\n- Monthly meetings\n- Paid time",
        stage=CaseStudy.Stage.ESTABLISHED,
        publication=publication,
        source_pages="35-38",
        started_on=datetime.date(2021, 4, 1),
        published_on=datetime.date(2023, 6, 1),
        last_reviewed_on=datetime.date(2024, 1, 15),
        conditions_heading="What were the enablers?",
        content_note="The source spells the council's domain wrongly; corrected here.",
    )
    case_study.topics.set([carers_topic])
    case_study.people.set(
        [PeopleGroup.objects.create(name="Unpaid carers", slug="carers", description="Carers.")]
    )
    case_study.approaches.set(
        [
            Approach.objects.create(
                name="Working Together for Change", slug="wtfc", description="A method."
            )
        ]
    )
    case_study.organisations.set(
        [Organisation.objects.create(name="Essex Carers Network", slug="ecn", kind="voluntary")]
    )
    for order, text in enumerate(["Listen early.", "Pay people for their time."], start=1):
        Point.objects.create(
            case_study=case_study, kind=Point.Kind.LEARNING, order=order, text=text
        )
    Point.objects.create(
        case_study=case_study, kind=Point.Kind.CONDITION, order=1, text="Senior support."
    )
    Point.objects.create(
        case_study=case_study, kind=Point.Kind.BARRIER, order=1, text="Short deadlines."
    )
    Contact.objects.create(
        case_study=case_study,
        order=1,
        name="Jo Example",
        role="Commissioner",
        organisation="Essex County Council",
        email="jo.example@essex.gov.uk",
        consent=Contact.Consent.PUBLISHED_IN_SOURCE,
        last_verified_on=datetime.date(2023, 6, 1),
    )
    Contact.objects.create(
        case_study=case_study,
        order=2,
        name="Private Person",
        email="private.person@essex.gov.uk",
        consent=Contact.Consent.NOT_GIVEN,
    )
    Link.objects.create(case_study=case_study, order=1, title="Direct payments guide", url="")
    Link.objects.create(
        case_study=case_study, order=2, title="Council website", url="https://www.essex.gov.uk/"
    )
    Quote.objects.create(
        case_study=case_study, order=1, text="We were listened to.", attribution="A carer"
    )
    return case_study


@pytest.fixture
def essex_draft(essex):
    """A draft that could be published: it has a story and a point."""
    case_study = make_case_study(
        title="Carers design their own support",
        region=essex.region,
        councils=[essex],
        status=Status.DRAFT,
        narrative="Carers met the council every month.",
    )
    Point.objects.create(case_study=case_study, kind=Point.Kind.LEARNING, order=1, text="Listen.")
    return case_study


@pytest.fixture
def draft_case_study(norfolk):
    return make_case_study(
        title="An unfinished draft", region=norfolk.region, councils=[norfolk], status=Status.DRAFT
    )


@pytest.fixture
def charter(publication):
    resource = Resource.objects.create(
        title="Our co-production charter",
        slug="our-charter",
        kind=Resource.Kind.CHARTER,
        intro="We agreed these promises.",
        publication=publication,
        status=Status.PUBLISHED,
    )
    for order, text in enumerate(["We listen.", "We share power."], start=1):
        ResourceItem.objects.create(resource=resource, order=order, text=text)
    return resource


@pytest.fixture
def officer_essex(essex):
    return make_editor("officer.essex", COUNCIL_OFFICER, councils=[essex])


@pytest.fixture
def lead_east(east):
    return make_editor("lead.east", REGIONAL_LEAD, regions=[east])


@pytest.fixture
def site_admin(db):
    return make_editor("admin", SITE_ADMINISTRATOR)


@pytest.fixture
def personas(officer_essex, lead_east, site_admin):
    return {"officer": officer_essex, "lead": lead_east, "admin": site_admin}


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache: the API's rate limit counts requests there."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
