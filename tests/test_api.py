"""The read-only JSON API at /api/: published content only, the list page's filters, pages of
results, a rate limit for everyone, and cross-site reading allowed."""

import datetime
import json

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from casestudies.filters import CaseStudyFilter
from casestudies.models import CaseStudy, Contact, Resource, Status
from tests.helpers import (
    make_case_study,
    make_synthetic_council,
    stopped_by_the_time_limit,
    titles,
)

LIST = "/api/case-studies/"


def get_json(client, url, **extra):
    response = client.get(url, **extra)
    assert response.status_code == 200, (url, response.content[:300])
    assert response["Content-Type"].split(";")[0].endswith("json")  # or OpenAPI's +json
    return response.json()


def slugs(data):
    return [item["slug"] for item in data["results"]]


@pytest.fixture
def unpublished(essex):
    """One case study in each state that must never be public, all in Essex about carers."""
    return {
        status: make_case_study(
            title=f"Carers support {status}", region=essex.region, councils=[essex], status=status
        )
        for status in (Status.DRAFT, Status.IN_REVIEW, Status.ARCHIVED)
    }


@pytest.mark.django_db
class TestPublishedOnly:
    def test_list_shows_published_case_studies_only(self, client, full_case_study, unpublished):
        data = get_json(client, LIST)
        assert data["count"] == 1
        assert slugs(data) == [full_case_study.slug]

    @pytest.mark.parametrize("status", [Status.DRAFT, Status.IN_REVIEW, Status.ARCHIVED])
    def test_detail_of_an_unpublished_case_study_is_not_found(self, client, unpublished, status):
        response = client.get(f"{LIST}{unpublished[status].slug}/")
        assert response.status_code == 404
        assert unpublished[status].title not in response.content.decode()

    @pytest.mark.parametrize(
        "query", ["?q=carers", "?council=essex", "?region=east-of-england", "?sort=title"]
    )
    def test_filters_and_search_find_no_unpublished_case_study(
        self, client, full_case_study, unpublished, query
    ):
        for case_study in unpublished.values():
            case_study.topics.set(full_case_study.topics.all())
        CaseStudy.objects.refresh_search_vector()  # PostgreSQL's search text, as on commit
        body = client.get(LIST + query).content.decode()
        for case_study in unpublished.values():
            assert case_study.title not in body

    def test_contacts_without_consent_never_appear(self, client, full_case_study):
        for url in [LIST, f"{LIST}{full_case_study.slug}/", LIST + "?q=Private"]:
            body = client.get(url).content.decode()
            assert "Jo Example" in body or url.endswith("Private")
            assert "Private Person" not in body
            assert "private.person@essex.gov.uk" not in body

    def test_never_editor_notes_status_or_search_text(self, client, full_case_study):
        full_case_study.editor_notes = "Secret note for editors only"
        full_case_study.save()
        data = get_json(client, f"{LIST}{full_case_study.slug}/")
        body = str(data)
        assert "Secret note" not in body
        for field in ["editor_notes", "status", "search_vector", "update_of"]:
            assert field not in data

    def test_a_signed_in_site_administrator_sees_no_drafts(
        self, client, site_admin, full_case_study, unpublished
    ):
        client.force_login(site_admin)
        assert slugs(get_json(client, LIST)) == [full_case_study.slug]
        draft = unpublished[Status.DRAFT]
        assert client.get(f"{LIST}{draft.slug}/").status_code == 404

    def test_draft_resources_are_not_listed(self, client, charter):
        Resource.objects.create(
            title="A draft charter", slug="draft-charter", kind=Resource.Kind.CHARTER
        )
        data = get_json(client, "/api/resources/")
        assert slugs(data) == [charter.slug]
        assert data["results"][0]["items"] == ["We listen.", "We share power."]
        assert client.get("/api/resources/draft-charter/").status_code == 404


@pytest.mark.django_db
class TestCaseStudyContent:
    def test_detail_has_every_public_part(self, client, settings, full_case_study):
        settings.SITE_URL = "https://portal.example.org"
        data = get_json(client, f"{LIST}{full_case_study.slug}/")
        assert data["title"] == full_case_study.title
        assert data["standfirst"] == full_case_study.standfirst
        assert data["narrative"].startswith("The council met people.")
        assert data["url"] == "https://portal.example.org" + full_case_study.get_absolute_url()
        assert data["region"]["slug"] == "east-of-england"
        assert [c["slug"] for c in data["councils"]] == ["essex"]
        assert [t["slug"] for t in data["topics"]] == ["carers"]
        assert [p["name"] for p in data["people"]] == ["Unpaid carers"]
        assert [a["slug"] for a in data["approaches"]] == ["wtfc"]
        assert [o["name"] for o in data["organisations"]] == ["Essex Carers Network"]
        assert data["stage"] == "established"
        assert data["publication"]["slug"] == "test-report"
        assert data["source_pages"] == "35-38"
        assert data["started_on"] == "2021-04-01"
        assert data["published_on"] == "2023-06-01"
        assert data["last_reviewed_on"] == "2024-01-15"
        assert data["lists"] == [
            {
                "list": "learning",
                "heading": "What was the learning that supported success?",
                "points": ["Listen early.", "Pay people for their time."],
            },
            {
                "list": "conditions",
                "heading": "What were the enablers?",
                "points": ["Senior support."],
            },
            {
                "list": "barriers",
                "heading": "What were the barriers?",
                "points": ["Short deadlines."],
            },
        ]
        assert data["contacts"] == [
            {
                "name": "Jo Example",
                "role": "Commissioner",
                "organisation": "Essex County Council",
                "email": "jo.example@essex.gov.uk",
                "phone": "",
            }
        ]
        assert data["links"] == [
            {"title": "Direct payments guide", "url": ""},
            {"title": "Council website", "url": "https://www.essex.gov.uk/"},
        ]
        assert data["quotes"] == [{"text": "We were listened to.", "attribution": "A carer"}]
        assert data["content_note"].startswith("The source spells")


@pytest.mark.django_db
class TestSameFiltersAsTheListPage:
    @pytest.fixture
    def several(self, east, essex, norfolk, shropshire, carers_topic):
        made = []
        for number, council in enumerate([essex, norfolk, shropshire, essex, norfolk]):
            case_study = make_case_study(
                title=f"Carers work {number}",
                region=council.region,
                councils=[council],
                published_on=datetime.date(2020, 1, 1 + number),
            )
            if number % 2 == 0:
                case_study.topics.set([carers_topic])
            made.append(case_study)
        CaseStudy.objects.refresh_search_vector()  # PostgreSQL's search text, as on commit
        return made

    @pytest.mark.parametrize(
        "query",
        [
            "",
            "?topic=carers",
            "?council=essex&council=norfolk",
            "?region=east-of-england&sort=title",
            "?q=carers",
            "?q=carers&sort=relevance",
            "?council=no-such-council",
            "?stage=nonsense&topic=carers",
            "?sort=sideways",
        ],
    )
    def test_same_query_same_case_studies_in_the_same_order(self, client, several, query):
        html = client.get(reverse("casestudies:list") + query).content.decode()
        data = get_json(client, LIST + query)
        assert [item["title"] for item in data["results"]] == titles(html)
        assert data["count"] == len(titles(html))
        assert titles(html), "the comparison needs results"

    def test_unknown_values_are_ignored_and_reported(self, client, several):
        data = get_json(client, LIST + "?council=no-such-council&topic=carers")
        assert data["count"] == 3
        assert data["notices"] == [
            "There is no council called “no-such-council”, so it was ignored."
        ]


@pytest.mark.django_db
class TestPages:
    def test_pages_have_count_next_and_previous(self, client, east):
        for number in range(25):
            make_case_study(title=f"Case {number:02d}", region=east)
        first = get_json(client, LIST)
        assert first["count"] == 25
        assert len(first["results"]) == 20
        assert first["previous"] is None
        second = get_json(client, first["next"])
        assert len(second["results"]) == 5
        assert second["next"] is None

    def test_page_size_has_a_maximum(self, client, east):
        for number in range(3):
            make_case_study(title=f"Case {number}", region=east)
        assert len(get_json(client, LIST + "?page_size=2")["results"]) == 2
        assert get_json(client, LIST + "?page_size=100000")["count"] == 3


@pytest.mark.django_db
class TestCouncils:
    def test_by_slug_and_by_code(self, client, essex):
        essex.gss_code = "E10000012"
        essex.save()
        by_slug = get_json(client, "/api/councils/essex/")
        assert by_slug["gss_code"] == "E10000012"
        assert get_json(client, "/api/councils/E10000012/") == by_slug
        assert get_json(client, "/api/councils/e10000012/") == by_slug
        assert client.get("/api/councils/E99999999/").status_code == 404

    def test_filter_by_code_and_replacement(self, client, essex, east):
        essex.gss_code = "E10000012"
        essex.save()
        old = make_synthetic_council("Synthetic Former", region=east, replaced_by=essex)
        data = get_json(client, "/api/councils/?gss_code=E10000012")
        assert slugs(data) == ["essex"]
        former = get_json(client, f"/api/councils/{old.slug}/")
        assert former["is_current"] is False
        assert former["replaced_by"]["slug"] == "essex"
        assert former["gss_code"] is None

    def test_counts_published_case_studies_only(self, client, full_case_study, unpublished):
        data = get_json(client, "/api/councils/essex/")
        assert data["case_study_count"] == 1


@pytest.mark.django_db
class TestOtherRecords:
    def test_vocabulary_regions_and_publications(self, client, full_case_study):
        assert slugs(get_json(client, "/api/topics/")) == ["carers"]
        assert slugs(get_json(client, "/api/people/")) == ["carers"]
        assert slugs(get_json(client, "/api/approaches/")) == ["wtfc"]
        assert "east-of-england" in slugs(get_json(client, "/api/regions/"))
        publication = get_json(client, "/api/publications/test-report/")
        assert publication["title"] == "A test report on co-production"
        assert publication["year"] == 2023


@pytest.mark.django_db
class TestReadOnly:
    @pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
    def test_writing_is_refused(self, client, full_case_study, method):
        for url in [LIST, f"{LIST}{full_case_study.slug}/", "/api/councils/essex/"]:
            response = getattr(client, method)(url, {}, content_type="application/json")
            assert response.status_code == 405, (method, url)
        full_case_study.refresh_from_db()
        assert full_case_study.title == "Redesign of direct payment support"

    def test_json_only(self, client, full_case_study):
        response = client.get(LIST, HTTP_ACCEPT="text/html")
        assert response.status_code == 406 or response["Content-Type"].startswith(
            "application/json"
        )
        assert b"<html" not in response.content


@pytest.mark.django_db
class TestCrossSiteReading:
    def test_api_allows_any_origin_to_read(self, client, full_case_study):
        response = client.get(LIST, HTTP_ORIGIN="https://example.org")
        assert response["Access-Control-Allow-Origin"] == "*"
        assert "Access-Control-Allow-Credentials" not in response

    def test_preflight_allows_reading_only(self, client):
        response = client.options(
            LIST,
            HTTP_ORIGIN="https://example.org",
            HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
        )
        allowed = {m.strip() for m in response["Access-Control-Allow-Methods"].split(",")}
        assert allowed == {"GET", "HEAD", "OPTIONS"}

    def test_other_pages_do_not_allow_other_sites(self, client, full_case_study):
        for url in ["/", reverse("casestudies:list"), full_case_study.get_absolute_url()]:
            response = client.get(url, HTTP_ORIGIN="https://example.org")
            assert "Access-Control-Allow-Origin" not in response, url


@pytest.mark.django_db
def test_too_many_requests_are_refused_for_a_while(client, settings, full_case_study):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "2/minute"},
    }
    assert client.get(LIST).status_code == 200
    assert client.get("/api/topics/").status_code == 200
    response = client.get(LIST)
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0


@pytest.mark.django_db
class TestQueryCounts:
    """The number of queries of a list does not grow with the number of items."""

    @pytest.mark.parametrize("count", [2, 10])
    def test_case_studies(self, client, essex, full_case_study, count, django_assert_num_queries):
        for number in range(count - 1):
            case_study = make_case_study(
                title=f"Case {number}", region=essex.region, councils=[essex]
            )
            case_study.topics.set(full_case_study.topics.all())
            Contact.objects.create(
                case_study=case_study,
                name=f"Person {number}",
                email=f"person{number}@example.org",
                consent=Contact.Consent.GIVEN,
            )
        # The count, the page, and one query for each of the nine kinds of related record.
        with django_assert_num_queries(11):
            data = get_json(client, LIST)
        assert data["count"] == count
        assert sum(len(item["contacts"]) for item in data["results"]) == count

    @pytest.mark.parametrize("count", [2, 10])
    def test_councils(self, client, east, full_case_study, count, django_assert_num_queries):
        for number in range(count - 1):
            make_synthetic_council(f"Synthetic {number}", region=east)
        with django_assert_num_queries(2):
            data = get_json(client, "/api/councils/")
        assert data["count"] == count
        assert {item["region"]["slug"] for item in data["results"]} == {"east-of-england"}

    @pytest.mark.parametrize("count", [2, 10])
    def test_resources(self, client, charter, count, django_assert_num_queries):
        for number in range(count - 1):
            Resource.objects.create(
                title=f"Resource {number}",
                slug=f"resource-{number}",
                kind=Resource.Kind.TIPS,
                status=Status.PUBLISHED,
                publication=charter.publication,
            )
        with django_assert_num_queries(4):
            data = get_json(client, "/api/resources/")
        assert data["count"] == count


@pytest.mark.django_db
class TestSchemaAndDocumentation:
    def test_schema_is_openapi_json_with_the_list_pages_filters(self, client):
        schema = get_json(client, "/api/schema/")
        assert schema["openapi"].startswith("3.")
        operation = schema["paths"]["/api/case-studies/"]["get"]
        names = {parameter["name"] for parameter in operation["parameters"]}
        assert set(CaseStudyFilter.base_filters) | {"sort", "page", "page_size"} <= names
        assert all(parameter.get("description") for parameter in operation["parameters"])
        for path, operations in schema["paths"].items():
            assert set(operations) == {"get"}, path

    def test_documentation_page_shows_every_address_and_parameter(self, client):
        schema = get_json(client, "/api/schema/")
        response = client.get("/api/")
        assert response["Content-Type"].startswith("text/html")
        html = response.content.decode()
        assert '<h1 class="govuk-heading-xl">Open data: the JSON API</h1>' in html
        for path, operations in schema["paths"].items():
            assert f"GET {path}" in html
            for parameter in operations["get"].get("parameters", []):
                assert f"<code>{parameter['name']}</code>" in html
        assert "<script" not in html.replace(
            '<script type="module" src="/static/js/portal.mjs">', ""
        )


@pytest.mark.django_db
def test_schema_passes_drf_spectaculars_own_validation(tmp_path):
    schema = tmp_path / "schema.json"
    call_command(
        "spectacular", "--validate", "--fail-on-warn", "--format", "openapi-json", "--file", schema
    )
    assert json.loads(schema.read_text())["info"]["version"] == "1"


@pytest.mark.django_db
def test_about_the_data_leads_to_the_api(client):
    html = client.get(reverse("about-data")).content.decode()
    assert f'href="{reverse("api:docs")}">the JSON API</a>' in html


@pytest.mark.django_db
def test_a_search_that_takes_too_long_gets_a_message_not_an_error(client, full_case_study):
    CaseStudy.objects.refresh_search_vector()  # PostgreSQL's search text, as on commit
    with connection.execute_wrapper(stopped_by_the_time_limit):
        response = client.get(LIST, {"q": "carers"})
    assert response.status_code == 400
    assert response.json() == {
        "detail": "The search took too long. Try fewer or more specific words."
    }
    assert get_json(client, LIST + "?q=direct")["count"] == 1


@pytest.mark.django_db
def test_addresses_are_on_site_url_whatever_host_the_request_came_with(
    client, settings, full_case_study
):
    settings.SITE_URL = "https://portal.example.org"
    settings.ALLOWED_HOSTS = ["localhost", "testserver"]
    detail = get_json(client, f"{LIST}{full_case_study.slug}/", HTTP_HOST="localhost")
    assert detail["url"] == "https://portal.example.org" + full_case_study.get_absolute_url()
    listed = get_json(client, LIST, HTTP_HOST="localhost")
    assert listed["results"][0]["url"] == detail["url"]
    docs = client.get(reverse("api:docs"), HTTP_HOST="localhost").content.decode()
    assert "https://portal.example.org/api/case-studies/?topic=carers" in docs
    assert "http://localhost" not in docs


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["?topic=carers", "?topic=no-such-topic", "?q=nothing+at+all"])
def test_one_case_study_is_found_by_its_slug_whatever_filters_the_address_has(
    client, full_case_study, query
):
    data = get_json(client, f"{LIST}{full_case_study.slug}/{query}")
    assert data["slug"] == full_case_study.slug


@pytest.mark.django_db
def test_the_documentation_says_where_parameters_go_and_who_is_limited_in_plain_words(client):
    html = client.get(reverse("api:docs")).content.decode()
    assert "after the ? in the address." in html
    assert ", query." not in html
    assert "Each computer (by its internet address) may make a limited number" in html
