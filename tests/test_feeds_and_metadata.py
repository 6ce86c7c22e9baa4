"""Finding and reusing case studies from outside the portal: Atom feeds of any list, the
sitemap, robots.txt, page metadata (canonical links, Open Graph, schema.org), the licence and
"How to cite this case study"."""

import datetime
import json
import re
import xml.etree.ElementTree as ET

import pytest
from django.db import connection
from django.urls import reverse

from casestudies.models import CaseStudy, Contact, Publication, Status
from tests.helpers import make_case_study, stopped_by_the_time_limit

SITE = "https://portal.example.org"
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = SITE


def feed(client, query=""):
    response = client.get(reverse("discovery:feed") + query)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    return ET.fromstring(response.content)


def entry_titles(root):
    return [entry.find(f"{ATOM}title").text for entry in root.iter(f"{ATOM}entry")]


def sitemap_locations(client):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    return {url.find(f"{SITEMAP}loc").text: url for url in root.iter(f"{SITEMAP}url")}


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def canonical(html):
    found = re.findall(r'<link rel="canonical" href="([^"]*)">', html)
    assert len(found) == 1, found
    return found[0]


def public_pages(case_study, charter):
    """A path of every public page type, in the world of the `full_case_study` fixture."""
    return [
        "/",
        "/case-studies/",
        case_study.get_absolute_url(),
        "/councils/",
        "/councils/essex/",
        "/regions/east-of-england/",
        "/topics/carers/",
        "/approaches/wtfc/",
        "/resources/",
        charter.get_absolute_url(),
        "/publications/",
        case_study.publication.get_absolute_url(),
        "/about/data/",
        "/add-a-case-study/",
    ]


@pytest.fixture
def hidden(essex):
    """One case study in each state the public never sees."""
    return [
        make_case_study(title=f"Hidden {status.label}", region=essex.region, status=status)
        for status in (Status.DRAFT, Status.IN_REVIEW, Status.ARCHIVED)
    ]


# ------------------------------------------------------------------ feeds


class TestFeeds:
    def test_entries_say_what_a_reader_needs(self, client, full_case_study):
        root = feed(client)
        (entry,) = root.iter(f"{ATOM}entry")
        assert entry.find(f"{ATOM}title").text == "Redesign of direct payment support"
        assert entry.find(f"{ATOM}link").get("href") == (
            SITE + "/case-studies/redesign-of-direct-payment-support/"
        )
        assert "helped redesign the support offer" in entry.find(f"{ATOM}summary").text
        assert entry.find(f"{ATOM}author/{ATOM}name").text == "Essex County Council"
        assert [c.get("term") for c in entry.iter(f"{ATOM}category")] == ["Support for carers"]
        assert entry.find(f"{ATOM}published").text.startswith("2023-06-01")
        full_case_study.refresh_from_db()
        assert entry.find(f"{ATOM}updated").text.startswith(
            full_case_study.updated_at.isoformat()[:19]
        )

    def test_drafts_in_review_and_archived_never_appear(self, client, full_case_study, hidden):
        assert entry_titles(feed(client)) == ["Redesign of direct payment support"]

    def test_contacts_never_appear(self, client, full_case_study):
        content = client.get(reverse("discovery:feed")).content.decode()
        for contact in Contact.objects.all():
            assert contact.email not in content
            assert contact.name not in content

    def test_a_filtered_feed_has_only_matching_case_studies(
        self, client, full_case_study, norfolk, carers_topic
    ):
        make_case_study(title="Norfolk housing", region=norfolk.region, councils=[norfolk])
        root = feed(client, "?topic=carers")
        assert entry_titles(root) == ["Redesign of direct payment support"]
        assert root.find(f"{ATOM}title").text == (
            "Co-production case studies: Topic: Support for carers"
        )
        assert entry_titles(feed(client, "?council=norfolk")) == ["Norfolk housing"]

    def test_newest_change_first_and_bounded(self, client, essex):
        for number in range(55):
            make_case_study(title=f"Case study {number:02}", region=essex.region)
        titles = entry_titles(feed(client))
        assert len(titles) == 50
        assert titles[0] == "Case study 54"

    @pytest.mark.parametrize("query", ["", "?topic=carers&region=east-of-england"])
    def test_query_count_is_flat(
        self, client, essex, carers_topic, query, django_assert_num_queries
    ):
        def make(count):
            for number in range(count):
                make_case_study(
                    title=f"Case study {count}-{number}", region=essex.region, councils=[essex]
                ).topics.add(carers_topic)

        make(2)
        # The entries, their councils, their topics; for each filter, one query to check its
        # values and one to name them in the feed's title.
        with django_assert_num_queries(3 + 2 * query.count("=")) as first:
            assert len(entry_titles(feed(client, query))) == 2
        make(8)
        with django_assert_num_queries(len(first.captured_queries)):
            assert len(entry_titles(feed(client, query))) == 10

    def test_list_page_offers_updates_for_this_search(self, client, full_case_study):
        html = page(client, reverse("casestudies:list") + "?topic=carers&sort=title&utm_x=1")
        feed_url = "/feeds/case-studies/?topic=carers"
        assert (
            f'<link rel="alternate" type="application/atom+xml" '
            f'title="Updates to these case studies (Atom feed)" href="{feed_url}">'
        ) in html
        assert f'href="{feed_url}">Get updates for this search' in html

    def test_the_whole_list_offers_updates_of_every_case_study_in_plain_words(
        self, client, full_case_study
    ):
        html = page(client, reverse("casestudies:list") + "?utm_source=mail&page=1&sort=title")
        assert (
            'href="/feeds/case-studies/">Get updates when case studies are added or changed</a>'
        ) in html
        assert "Get updates for this search" not in html

    def test_a_search_feed_is_titled_by_its_words(self, client, full_case_study):
        CaseStudy.objects.refresh_search_vector()  # PostgreSQL's search text, as on commit
        root = feed(client, "?q=carers")
        assert root.find(f"{ATOM}title").text == "Co-production case studies: Search: “carers”"

    def test_a_feed_whose_search_takes_too_long_is_a_message_not_an_error(
        self, client, full_case_study
    ):
        with connection.execute_wrapper(stopped_by_the_time_limit):
            response = client.get(reverse("discovery:feed") + "?q=carers")
        assert response.status_code == 400
        assert response["Content-Type"].startswith("text/plain")
        assert response.content.decode() == (
            "The search took too long. Try fewer or more specific words."
        )


# ------------------------------------------------------------------ sitemap and robots.txt


class TestSitemap:
    def test_lists_public_pages_with_absolute_addresses(
        self, client, full_case_study, charter, hidden
    ):
        locations = sitemap_locations(client)
        assert all(location.startswith(SITE + "/") for location in locations)
        entry = locations[SITE + full_case_study.get_absolute_url()]
        full_case_study.refresh_from_db()
        assert entry.find(f"{SITEMAP}lastmod").text == full_case_study.updated_at.date().isoformat()
        for path in public_pages(full_case_study, charter):
            assert SITE + path in locations, path

    def test_drafts_in_review_and_archived_never_appear(self, client, full_case_study, hidden):
        locations = sitemap_locations(client)
        for case_study in hidden:
            assert SITE + case_study.get_absolute_url() not in locations

    def test_query_count_is_flat(self, client, essex, django_assert_num_queries):
        def make(count):
            for number in range(count):
                make_case_study(title=f"Case study {count}-{number}", region=essex.region)

        make(2)
        with django_assert_num_queries(7):  # one for each kind of record
            before = len(sitemap_locations(client))
        make(8)
        with django_assert_num_queries(7):
            assert len(sitemap_locations(client)) == before + 8


def test_robots_txt_allows_the_public_site_and_names_the_sitemap(client, db):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines
    assert "Disallow: /admin/" in lines
    assert "Disallow: /editors/" in lines
    assert "Disallow: /case-studies/report/" in lines
    assert "Disallow: /case-studies/download" in lines
    assert f"Sitemap: {SITE}/sitemap.xml" in lines
    assert "Disallow: /" not in lines


# ------------------------------------------------------------------ page metadata


def json_ld(html):
    found = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert len(found) == 1
    return json.loads(found[0])


class TestCaseStudyMetadata:
    def test_open_graph(self, client, full_case_study):
        html = page(client, full_case_study.get_absolute_url())
        url = SITE + full_case_study.get_absolute_url()
        for prop, content in [
            ("og:title", "Redesign of direct payment support"),
            ("og:description", full_case_study.standfirst),
            ("og:url", url),
            ("og:type", "article"),
            ("og:site_name", "Co-production Case Study Portal"),
        ]:
            assert f'<meta property="{prop}" content="{content}">' in html

    def test_schema_org_article(self, client, full_case_study):
        data = json_ld(page(client, full_case_study.get_absolute_url()))
        full_case_study.refresh_from_db()
        url = SITE + full_case_study.get_absolute_url()
        assert data["@context"] == "https://schema.org"
        assert data["@type"] == "Article"
        assert data["headline"] == "Redesign of direct payment support"
        assert data["description"] == full_case_study.standfirst
        assert data["url"] == url
        assert data["datePublished"] == "2023-06-01"
        assert data["dateModified"] == full_case_study.updated_at.isoformat()
        essex = {
            "@type": "GovernmentOrganization",
            "name": "Essex County Council",
            "url": SITE + "/councils/essex/",
        }
        assert data["author"] == [essex]
        assert data["about"] == [essex]
        assert data["publisher"]["name"] == "Co-production Case Study Portal"
        assert data["isBasedOn"]["name"] == "A test report on co-production"
        assert data["isBasedOn"]["publisher"]["name"] == "A test publisher"
        assert "license" not in data  # its text is the source's, under the source's terms

    def test_written_for_the_portal_carries_the_portal_licence(self, client, essex, settings):
        settings.CONTENT_LICENCE_URL = "https://licence.example.org/"
        case_study = make_case_study(title="Our own", region=essex.region, councils=[essex])
        data = json_ld(page(client, case_study.get_absolute_url()))
        assert data["license"] == "https://licence.example.org/"
        assert "isBasedOn" not in data

    def test_a_title_cannot_end_the_script(self, client, essex):
        title = 'Bad </script><script>alert("x")</script> & <b>'
        case_study = make_case_study(title=title, region=essex.region, slug="bad")
        html = page(client, case_study.get_absolute_url())
        assert "<script>alert" not in html
        assert json_ld(html)["headline"] == title
        assert 'content="Bad &lt;/script&gt;&lt;script&gt;alert(&quot;x&quot;)' in html

    def test_previews_of_drafts_carry_no_metadata(self, client, essex_draft, site_admin):
        client.force_login(site_admin)
        url = reverse("admin:casestudies_casestudy_preview", args=[essex_draft.pk])
        html = page(client, url)
        assert "application/ld+json" not in html
        assert 'property="og:' not in html


class TestCanonicalLinks:
    def test_every_public_page_type(self, client, full_case_study, charter):
        for path in public_pages(full_case_study, charter):
            assert canonical(page(client, path + "?utm_source=x&fbclid=y")) == SITE + path

    def test_list_keeps_filters_and_page_and_drops_sort_and_unknowns(self, client, essex):
        for number in range(25):
            make_case_study(title=f"Case study {number}", region=essex.region, councils=[essex])
        html = page(
            client,
            "/case-studies/?sort=title&council=essex&council=nowhere&topic=&q=case&page=2"
            "&utm_source=x&region=east-of-england",
        )
        assert canonical(html) == (
            SITE + "/case-studies/?q=case&amp;council=essex&amp;region=east-of-england&amp;page=2"
        )

    def test_page_one_is_the_plain_address(self, client, essex):
        html = page(client, "/councils/essex/?page=1")
        assert canonical(html) == SITE + "/councils/essex/"

    def test_missing_archived_and_editors_pages_have_none(self, client, hidden):
        archived = hidden[-1]
        for url, status in [
            ("/no-such-page/", 404),
            (archived.get_absolute_url(), 410),
            (reverse("editors:sign-in"), 200),
        ]:
            response = client.get(url)
            assert response.status_code == status
            assert 'rel="canonical"' not in response.content.decode()


# ------------------------------------------------------------------ licence and citation


def citation(html):
    """The citation line's words, without its markup."""
    found = re.search(r'<p class="govuk-body citation">(.*?)</p>', html, re.S).group(1)
    return " ".join(re.sub("<[^>]+>", "", found).split())


class TestLicenceAndCitation:
    def test_footer_names_the_configurable_licence(self, client, db, settings):
        settings.CONTENT_LICENCE_NAME = "A test licence"
        settings.CONTENT_LICENCE_URL = "https://licence.example.org/"
        html = page(client, "/")
        assert '<a class="govuk-link" href="https://licence.example.org/" rel="license">' in html
        assert "A test licence" in html

    def test_default_licence_is_the_open_government_licence(self, settings):
        assert settings.CONTENT_LICENCE_NAME == "Open Government Licence v3.0"
        assert settings.CONTENT_LICENCE_URL.startswith("https://www.nationalarchives.gov.uk/")

    def test_source_without_terms_says_so(self, client, full_case_study):
        html = page(client, full_case_study.get_absolute_url())
        assert "The source document gives no terms for reuse. Ask its publisher" in html
        html = page(client, full_case_study.publication.get_absolute_url())
        assert "The source document gives no terms for reuse. Ask its publisher" in html

    def test_source_terms_are_shown_on_both_pages(self, client, full_case_study, publication):
        publication.terms = "©Example All rights reserved"
        publication.save()
        for url in [full_case_study.get_absolute_url(), publication.get_absolute_url()]:
            html = page(client, url)
            assert "©Example All rights reserved" in html
            assert "gives no terms" not in html

    def test_citation_with_last_reviewed_date(self, client, full_case_study):
        html = page(client, full_case_study.get_absolute_url())
        url = SITE + full_case_study.get_absolute_url()
        assert citation(html) == (
            "Essex County Council (2023). Redesign of direct payment support. "
            f"Co-production Case Study Portal. {url}. Last reviewed 15 January 2024."
        )

    def test_citation_never_reviewed_says_first_published(self, client, essex, norfolk):
        case_study = make_case_study(
            title="Joint work",
            region=essex.region,
            councils=[essex, norfolk],
            published_on=datetime.date(2022, 3, 4),
        )
        assert citation(page(client, case_study.get_absolute_url())) == (
            "Essex County Council and Norfolk County Council (2022). Joint work. "
            f"Co-production Case Study Portal. {SITE}/case-studies/joint-work/. "
            "First published 4 March 2022; not reviewed since."
        )


def test_seed_publications_record_only_the_terms_their_documents_state(db):
    from django.core.management import call_command

    call_command("load_seed_content", verbosity=0)
    terms = dict(Publication.objects.values_list("slug", "terms"))
    assert terms == {
        "putting-people-at-the-heart-of-care-and-support": "",
        "tlap-co-production-east-of-england-and-west-midlands": (
            "Think Local Act Personal Hosted by Social Care Institute for Excellence "
            "©TLAP All rights reserved"
        ),
        "developing-co-production-across-one-halton": "",
        "co-production-as-easy-as-baking-a-cake": "",
    }
