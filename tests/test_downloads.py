"""The CSV and JSON downloads of the case study list, and the data dictionary that explains them
(issue 13, part 3): only published content, the list's own filters and order, one row per case
study, safe to open in a spreadsheet."""

import csv
import datetime
import io
import json
import re

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from casestudies.filters import CaseStudyFilter
from casestudies.models import CaseStudy, Contact, Point, Status
from tests.helpers import make_case_study, stopped_by_the_time_limit, titles

CSV = reverse("casestudies:download-csv")
JSON = reverse("casestudies:download-json")
DICTIONARY = reverse("casestudies:data-dictionary")
LIST = reverse("casestudies:list")


def body(response):
    """All of a streamed download, as text (the CSV's byte order mark kept)."""
    assert response.streaming
    return b"".join(response.streaming_content).decode("utf-8")


def csv_rows(response):
    return list(csv.DictReader(io.StringIO(body(response).removeprefix("\ufeff"))))


def json_records(response):
    return json.loads(body(response))["case_studies"]


def downloaded_titles(client, query=""):
    """The titles in the CSV and in the JSON download for this query, which must agree."""
    from_csv = [row["title"] for row in csv_rows(client.get(CSV + query))]
    from_json = [record["title"] for record in json_records(client.get(JSON + query))]
    assert from_csv == from_json
    return from_csv


def listed_titles(client, query=""):
    return titles(client.get(LIST + query).content.decode())


# ------------------------------------------------------------------ only public content


@pytest.mark.django_db
def test_drafts_case_studies_in_review_and_archived_ones_are_never_downloaded(
    client, full_case_study, east
):
    for status in (Status.DRAFT, Status.IN_REVIEW, Status.ARCHIVED):
        make_case_study(title=f"Not public {status}", region=east, status=status)
    assert downloaded_titles(client) == [full_case_study.title]


@pytest.mark.django_db
def test_contacts_without_consent_to_publish_are_never_downloaded(client, full_case_study):
    for response in (client.get(CSV), client.get(JSON)):
        text = body(response)
        assert "jo.example@essex.gov.uk" in text
        assert "Private Person" not in text
        assert "private.person" not in text


@pytest.mark.django_db
def test_editor_notes_are_never_downloaded(client, full_case_study):
    full_case_study.editor_notes = "Ask Jo whether the figures are final."
    full_case_study.save()
    for response in (client.get(CSV), client.get(JSON)):
        text = body(response)
        assert full_case_study.title in text
        assert "figures are final" not in text


# ------------------------------------------------------------------ the list's filters and order


@pytest.fixture
def small_world(full_case_study, east, norfolk, shropshire):
    """Four published case studies in two regions, one about carers, with dates to sort by."""
    make_case_study(
        title="Norfolk carers forum",
        region=east,
        councils=[norfolk],
        published_on=datetime.date(2024, 2, 1),
    ).topics.set(full_case_study.topics.all())
    make_case_study(
        title="Advocacy in Shropshire",
        region=shropshire.region,
        councils=[shropshire],
        published_on=datetime.date(2022, 1, 1),
    )
    make_case_study(title="Budgets with people", region=east, published_on=None)
    CaseStudy.objects.refresh_search_vector()  # as on commit, which a test never reaches


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        "",
        "?topic=carers",
        "?region=east-of-england&sort=title",
        "?council=norfolk&council=shropshire",
        "?q=carers",
        "?stage=established",
        "?topic=no-such-topic&sort=title",
        "?page=2",
    ],
)
def test_a_download_has_the_case_studies_of_the_list_for_the_same_address_in_its_order(
    client, small_world, query
):
    expected = listed_titles(client, query.replace("?page=2", ""))
    assert expected  # a query that matches nothing would prove little
    assert downloaded_titles(client, query) == expected


@pytest.mark.django_db
def test_the_list_page_offers_downloads_of_what_it_shows_without_the_page_number(
    client, small_world
):
    html = client.get(LIST + "?topic=carers&sort=title&page=1").content.decode()
    assert "Download these 2 case studies" in html
    assert f'href="{CSV}?topic=carers&amp;sort=title"' in html
    assert f'href="{JSON}?topic=carers&amp;sort=title"' in html
    assert f'href="{DICTIONARY}"' in html


@pytest.mark.django_db
def test_a_list_with_no_results_offers_no_download(client, small_world):
    html = client.get(LIST + "?q=nothing+matches+this").content.decode()
    assert "Download these" not in html
    assert CSV not in html


# ------------------------------------------------------------------ the CSV file


@pytest.mark.django_db
def test_the_csv_is_utf8_with_a_byte_order_mark_for_excel_and_an_attachment_named_by_date(
    client, full_case_study
):
    response = client.get(CSV)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == f'attachment; filename="case-studies-{today}.csv"'
    raw = b"".join(response.streaming_content)
    assert raw.startswith(b"\xef\xbb\xbf")
    assert "“We were listened to.”".encode() in raw  # UTF-8, not another encoding
    assert b"\r\n" in raw  # RFC 4180 line ends


@pytest.mark.django_db
def test_cells_a_spreadsheet_would_run_as_a_formula_get_a_quote_in_front_in_the_csv_only(
    client, full_case_study
):
    formula = '=HYPERLINK("https://attacker.example/","Click me")'
    full_case_study.standfirst = formula
    full_case_study.narrative = "\tTabbed in"
    full_case_study.title = "@SUM(A1)"
    full_case_study.save()
    row = csv_rows(client.get(CSV))[0]
    assert row["summary"] == "'" + formula
    assert row["story"] == "'\tTabbed in"
    assert row["title"] == "'@SUM(A1)"
    assert row["learning"].startswith("1. ")  # a numbered list starts with its number
    (record,) = json_records(client.get(JSON))
    assert record["summary"] == formula  # JSON is data, not a spreadsheet: kept as typed


@pytest.mark.django_db
def test_each_list_is_numbered_in_its_order_with_its_heading(client, full_case_study):
    # Written out of order: the download follows each point's position, not the row order.
    Point.objects.create(
        case_study=full_case_study, kind=Point.Kind.CONDITION, order=3, text="Time to plan."
    )
    Point.objects.create(
        case_study=full_case_study, kind=Point.Kind.CONDITION, order=2, text="A budget."
    )
    row = csv_rows(client.get(CSV))[0]
    assert row["learning"] == "1. Listen early.\n2. Pay people for their time."
    assert row["conditions"] == "1. Senior support.\n2. A budget.\n3. Time to plan."
    assert row["conditions_heading"] == "What were the enablers?"  # the source's own words
    assert row["learning_heading"] == "What was the learning that supported success?"
    assert row["combined"] == ""


@pytest.mark.django_db
def test_a_row_holds_the_case_study_in_words(client, full_case_study, settings):
    full_case_study.councils.first().__class__.objects.filter(slug="essex").update(
        gss_code="E10000012"
    )
    row = csv_rows(client.get(CSV))[0]
    assert row["web_address"] == settings.SITE_URL + full_case_study.get_absolute_url()
    assert row["councils"] == "Essex County Council"
    assert row["council_gss_codes"] == "E10000012"
    assert row["region"] == "East of England"
    assert row["topics"] == "Support for carers"
    assert row["stage"] == "Established"
    assert row["contacts"] == (
        "1. Jo Example, Commissioner, Essex County Council, jo.example@essex.gov.uk"
    )
    assert row["links"] == (
        "1. Direct payments guide\n2. Council website (https://www.essex.gov.uk/)"
    )
    assert row["quotes"] == "1. “We were listened to.” (A carer)"
    assert row["source_publication"] == "A test report on co-production (2023)"
    assert row["source_pages"] == "35-38"
    assert row["work_started"] == "2021-04-01"
    assert row["first_published"] == "2023-06-01"
    assert row["last_reviewed"] == "2024-01-15"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00", row["last_changed"])


# ------------------------------------------------------------------ the JSON file


@pytest.mark.django_db
def test_the_json_download_says_where_it_came_from_and_which_filters_made_it(
    client, small_world, settings
):
    response = client.get(JSON + "?topic=carers&topic=nonsense&sort=title&page=3")
    assert response["Content-Type"] == "application/json"
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == f'attachment; filename="case-studies-{today}.json"'
    data = json.loads(body(response))
    assert data["source"] == settings.SITE_URL + LIST + "?topic=carers&sort=title"
    assert data["data_dictionary"] == settings.SITE_URL + DICTIONARY
    assert data["filters"] == {"topic": ["carers"], "sort": ["title"]}
    assert data["licence"] == {
        "name": settings.CONTENT_LICENCE_NAME,
        "url": settings.CONTENT_LICENCE_URL,
    }
    assert data["filters_ignored"] == ["There is no topic called “nonsense”, so it was ignored."]
    assert data["downloaded_on"] == today
    assert "licence" in data
    assert data["count"] == 2 == len(data["case_studies"])
    assert [record["title"] for record in data["case_studies"]] == [
        "Norfolk carers forum",
        "Redesign of direct payment support",
    ]


# ------------------------------------------------------------------ queries


@pytest.mark.django_db
@pytest.mark.parametrize("url", [CSV, JSON])
def test_a_download_makes_the_same_number_of_queries_for_2_and_for_10_case_studies(
    client, full_case_study, django_assert_num_queries, url
):
    def add_case_studies(count):
        for number in range(count):
            case_study = make_case_study(
                title=f"Another case study {CaseStudy.objects.count()}-{number}",
                region=full_case_study.region,
                councils=full_case_study.councils.all(),
            )
            case_study.topics.set(full_case_study.topics.all())
            Point.objects.create(case_study=case_study, kind=Point.Kind.LEARNING, text="Listen.")
            Contact.objects.create(
                case_study=case_study,
                name="Jo Example",
                consent=Contact.Consent.GIVEN,
                last_verified_on=datetime.date(2024, 1, 1),
            )

    def count_rows():
        return len(csv_rows(response)) if url == CSV else len(json_records(response))

    add_case_studies(1)
    # The topic's slug checked, the case studies, and their 9 lists (with_page_data).
    with django_assert_num_queries(11):
        response = client.get(url + "?topic=carers")
        assert count_rows() == 2
    add_case_studies(8)
    with django_assert_num_queries(11):
        response = client.get(url + "?topic=carers")
        assert count_rows() == 10


# ------------------------------------------------------------------ the data dictionary


@pytest.mark.django_db
def test_the_data_dictionary_explains_exactly_the_columns_the_csv_has(client, full_case_study):
    header = next(csv.reader(io.StringIO(body(client.get(CSV)).removeprefix("\ufeff"))))
    response = client.get(DICTIONARY)
    html = response.content.decode()
    explained = re.findall(r'<div class="data-dictionary__column" id="column-(\w+)">', html)
    assert explained == header
    assert set(json_records(client.get(JSON))[0]) == set(header)
    # Examples come from the published case studies, never from a draft's editor notes.
    assert "Redesign of direct payment support" in html
    assert "UTF-8" in html


@pytest.mark.django_db
def test_the_data_dictionary_takes_no_example_from_what_is_not_public(client, east):
    make_case_study(title="A secret draft", region=east, status=Status.DRAFT)
    html = client.get(DICTIONARY).content.decode()
    assert "A secret draft" not in html
    assert "title" in html


@pytest.mark.django_db
def test_about_the_data_leads_to_the_data_dictionary(client):
    html = client.get(reverse("about-data")).content.decode()
    assert f'href="{DICTIONARY}"' in html


@pytest.mark.django_db
def test_the_json_download_names_only_the_filters_the_list_knows_once_each_in_order(
    client, small_world, settings
):
    response = client.get(
        JSON + "?utm_source=mail&sort=title&topic=carers&region=east-of-england&page=2"
        "&utm_source=again&topic=carers"
    )
    data = json.loads(body(response))
    assert data["filters"] == {
        "region": ["east-of-england"],
        "topic": ["carers"],
        "sort": ["title"],
    }
    assert list(data["filters"]) == ["region", "topic", "sort"]
    assert data["source"] == (
        settings.SITE_URL + LIST + "?region=east-of-england&topic=carers&sort=title"
    )


@pytest.mark.django_db
def test_the_list_page_links_to_downloads_and_a_report_without_page_or_tracking(
    client, small_world
):
    html = client.get(LIST + "?utm_source=mail&topic=carers&sort=title&page=1").content.decode()
    query = "?topic=carers&amp;sort=title"
    assert f'href="{CSV}{query}"' in html
    assert f'href="{JSON}{query}"' in html
    assert f'href="{reverse("casestudies:report")}{query}"' in html
    assert "utm_source" not in html
    assert "page=1" not in html


@pytest.mark.django_db
@pytest.mark.parametrize("url", [CSV, JSON])
def test_a_download_whose_search_takes_too_long_is_a_message_not_a_cut_off_file(
    client, full_case_study, url
):
    CaseStudy.objects.refresh_search_vector()  # PostgreSQL's search text, as on commit
    with connection.execute_wrapper(stopped_by_the_time_limit):
        response = client.get(url + "?q=carers")
    assert response.status_code == 400
    assert not response.streaming
    assert response["Content-Type"].startswith("text/plain")
    assert response.content.decode() == (
        "The search took too long. Try fewer or more specific words."
    )
    assert downloaded_titles(client, "?q=direct") == [full_case_study.title]


@pytest.mark.django_db
def test_the_data_dictionary_names_every_filter_in_the_words_of_the_api_documentation(client):
    html = client.get(DICTIONARY).content.decode()
    table = html[html.index('id="filters"') :]
    names = re.findall(r'<td class="govuk-table__cell"><code>(\w+)</code></td>', table)
    assert names == ["q", *(name for name in CaseStudyFilter.base_filters if name != "q"), "sort"]
    api_docs = client.get(reverse("api:docs")).content.decode()
    for sentence in [
        "Council: the slug of one council (the last part of its page's address).",
        "<code>in_progress</code>",
        "<code>relevance</code>, best match first",
    ]:
        assert sentence in table
        assert sentence in api_docs
