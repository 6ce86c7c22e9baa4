"""What a member of the public sees, through HTTP."""

import datetime
import re

import pytest
from django.urls import reverse

from casestudies.models import Contact, Link, Point, Quote, Status
from tests.helpers import make_case_study, titles


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


@pytest.mark.django_db
class TestHome:
    def test_home_explains_and_lists_latest(self, client, full_case_study, draft_case_study):
        html = page(client, "/")
        assert "Co-production means people who draw on care and support" in html
        assert full_case_study.title in html
        assert draft_case_study.title not in html
        assert "There is 1 case study" in html


@pytest.mark.django_db
class TestCaseStudyList:
    def test_lists_published_only(self, client, full_case_study, draft_case_study):
        html = page(client, reverse("casestudies:list"))
        assert full_case_study.title in html
        assert full_case_study.standfirst in html
        assert "Essex" in html
        assert draft_case_study.title not in html
        assert "1 case study" in html

    def test_pages_of_twenty(self, client, east):
        for number in range(25):
            make_case_study(title=f"Case {number:02d}", region=east)
        first = page(client, reverse("casestudies:list"))
        second = page(client, reverse("casestudies:list") + "?page=2")
        assert first.count('class="result"') == 20
        assert second.count('class="result"') == 5
        assert "Page 2 of 2" in second

    def test_nonsense_page_number_shows_a_page(self, client, full_case_study):
        assert full_case_study.title in page(client, reverse("casestudies:list") + "?page=abc")

    @pytest.mark.parametrize("count", [1, 20])
    def test_query_count_does_not_grow_with_results(
        self, client, east, essex, carers_topic, count, django_assert_num_queries
    ):
        for number in range(count):
            case_study = make_case_study(title=f"Case {number}", region=east, councils=[essex])
            case_study.topics.set([carers_topic])
        # The count, one page of results with their councils and topics (3), and one facet
        # count per filter (7).
        with django_assert_num_queries(11):
            html = page(client, reverse("casestudies:list"))
        assert sorted(titles(html)) == sorted(f"Case {number}" for number in range(count))
        assert html.count('result__meta">Essex</p>') == count
        assert html.count('govuk-tag--grey">Support for carers</strong>') == count


@pytest.mark.django_db
class TestCaseStudyDetail:
    def test_shows_every_field(self, client, full_case_study):
        html = page(client, full_case_study.get_absolute_url())
        for text in [
            full_case_study.title,
            full_case_study.standfirst,
            "Essex County Council",
            "East of England",
            "Essex Carers Network",
            "Unpaid carers",
            "Support for carers",
            "Working Together for Change",
            "Established",
            "April 2021",
            "1 June 2023",
            "15 January 2024",
            "The council met people.",
            "<h3>How it worked</h3>",
            "<li>Paid time</li>",
            "What was the learning that supported success?",
            "Pay people for their time.",
            "What were the enablers?",
            "Senior support.",
            "What were the barriers?",
            "Short deadlines.",
            "We were listened to.",
            "A carer",
            "Jo Example",
            "Commissioner",
            'href="mailto:jo.example@essex.gov.uk"',
            "Direct payments guide",
            "(the source gives no web address)",
            'href="https://www.essex.gov.uk/"',
            "A test report on co-production",
            "pages 35-38",
            "The source spells the council",
        ]:
            assert text in html, text

    def test_contact_without_consent_is_not_shown(self, client, full_case_study):
        html = page(client, full_case_study.get_absolute_url())
        assert "Jo Example" in html  # the contact who agreed is shown
        assert "Private Person" not in html
        assert "private.person@essex.gov.uk" not in html

    # Archived entries answer 410 Gone instead: see tests/test_workflow.py.
    @pytest.mark.parametrize("status", [Status.DRAFT, Status.IN_REVIEW])
    def test_unpublished_case_study_is_not_found(self, client, east, status):
        case_study = make_case_study(title="Secret plans", region=east, status=status)
        response = client.get(case_study.get_absolute_url())
        assert response.status_code == 404
        assert "Secret plans" not in response.content.decode()
        assert "Page not found" in response.content.decode()

    def test_narrative_html_is_shown_as_text(self, client, east):
        case_study = make_case_study(
            title="Escaping",
            region=east,
            narrative="<script>alert(1)</script> [x](javascript:alert(1))",
        )
        html = page(client, case_study.get_absolute_url())
        assert "<script>alert(1)</script>" not in html
        assert "&lt;script&gt;" in html
        assert 'href="javascript:' not in html

    @pytest.mark.parametrize("count", [1, 5])
    def test_query_count_does_not_grow_with_its_lists(
        self, client, full_case_study, count, django_assert_num_queries
    ):
        for number in range(count):
            order = 10 + number
            Point.objects.create(
                case_study=full_case_study, kind="barrier", order=order, text=f"Barrier {order}."
            )
            Contact.objects.create(
                case_study=full_case_study,
                order=order,
                name=f"Contact {order}",
                consent=Contact.Consent.PUBLISHED_IN_SOURCE,
            )
            Link.objects.create(case_study=full_case_study, order=order, title=f"Link {order}")
            Quote.objects.create(case_study=full_case_study, order=order, text=f"Quote {order}.")
        # The case study with its region and publication; its councils, organisations,
        # topics, people and approaches (5); points, contacts, links and quotes (4); related
        # case studies (1; there are none here, so nothing of theirs is prefetched: with
        # some, 13, see test_discovery.py).
        with django_assert_num_queries(11):
            html = page(client, full_case_study.get_absolute_url())
        for order in range(10, 10 + count):
            for text in [
                f"Barrier {order}.",
                f"Contact {order}",
                f"Link {order}",
                f"Quote {order}.",
            ]:
                assert text in html, text
        assert "Short deadlines." in html and "Jo Example" in html


@pytest.mark.django_db
class TestPlaces:
    def test_council_page_lists_its_published_case_studies(
        self, client, full_case_study, essex, norfolk, draft_case_study
    ):
        html = page(client, essex.get_absolute_url())
        assert "Essex County Council" in html
        assert full_case_study.title in html
        assert draft_case_study.title not in page(client, norfolk.get_absolute_url())

    def test_region_page_lists_its_case_studies(self, client, full_case_study, west_midlands, east):
        assert full_case_study.title in page(client, east.get_absolute_url())
        assert full_case_study.title not in page(client, west_midlands.get_absolute_url())

    def test_council_list_counts_published_only(
        self, client, essex, norfolk, full_case_study, draft_case_study
    ):
        html = page(client, reverse("councils:list"))
        row = r'href="/councils/{}/">{}</a></th>\s*<td class="govuk-table__cell[^"]*">{}</td>'
        assert re.search(row.format("essex", "Essex", 1), html)
        assert re.search(row.format("norfolk", "Norfolk", 0), html)

    def test_unknown_council_is_not_found(self, client, db):
        assert client.get("/councils/atlantis/").status_code == 404


@pytest.mark.django_db
class TestResources:
    def test_resource_list_and_detail(self, client, charter):
        assert charter.title in page(client, reverse("casestudies:resource-list"))
        html = page(client, charter.get_absolute_url())
        assert "We agreed these promises." in html
        assert "We share power." in html
        assert "A test report on co-production" in html

    def test_draft_resource_is_not_found(self, client, charter):
        charter.status = Status.DRAFT
        charter.save()
        assert client.get(charter.get_absolute_url()).status_code == 404
        assert charter.title not in page(client, reverse("casestudies:resource-list"))


@pytest.mark.django_db
class TestPublications:
    def test_publication_page_shows_its_text_and_published_content(
        self, client, publication, full_case_study, east
    ):
        publication.description = "Written by people who **draw on care**."
        publication.save()
        make_case_study(title="Hidden draft", region=east, publication=publication, status="draft")
        html = page(client, publication.get_absolute_url())
        assert "<strong>draw on care</strong>" in html
        assert full_case_study.title in html
        assert "Hidden draft" not in html
        assert publication.title in page(client, reverse("casestudies:publication-list"))

    def test_case_study_links_to_its_source_document(self, client, full_case_study):
        html = page(client, full_case_study.get_absolute_url())
        assert f'href="{full_case_study.publication.get_absolute_url()}"' in html


@pytest.mark.django_db
class TestDatesAsPreciselyAsKnown:
    def test_a_source_with_only_a_year_shows_the_year(self, client, full_case_study, publication):
        # The publication gives only 2023; content from it is dated 1 January 2023 internally.
        full_case_study.published_on = publication.source_date
        full_case_study.last_reviewed_on = publication.source_date
        full_case_study.save()
        full_case_study.contacts.update(last_verified_on=publication.source_date)
        html = page(client, full_case_study.get_absolute_url())
        assert "1 January 2023" not in html
        assert "Details as the source document published them (2023)." in html

    def test_a_full_date_is_shown_in_full(self, client, full_case_study, publication):
        publication.published_on = datetime.date(2023, 6, 1)
        publication.save()
        html = page(client, full_case_study.get_absolute_url())
        assert "1 June 2023" in html
        assert "Details as the source document published them (1 June 2023)." in html


@pytest.mark.django_db
def test_public_pages_send_a_strict_content_security_policy(client, full_case_study):
    policy = client.get(full_case_study.get_absolute_url())["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in policy
