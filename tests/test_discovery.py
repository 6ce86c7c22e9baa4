"""A member of the public finding case studies: filters, facet counts, search, bad addresses."""

import datetime
import re

import pytest
from django.urls import reverse

from casestudies.models import Approach, CaseStudy, Point, Quote, Topic
from tests.helpers import make_case_study, titles


def listing(client, query=""):
    response = client.get(reverse("casestudies:list") + query)
    assert response.status_code == 200
    return response.content.decode()


def result_count(html):
    return re.search(r'id="result-count">([^<]+)<', html).group(1)


def facet_count(html, name, value):
    found = re.search(rf'for="{name}-{value}">[^<]*<span class="facet__count">\((\d+)', html)
    return int(found.group(1)) if found else None


@pytest.fixture
def library(essex, norfolk, shropshire, carers_topic):
    """Carers work in Essex and Norfolk (East of England) and Shropshire (West Midlands)."""
    housing = Topic.objects.create(name="Housing", slug="housing", description="Homes.")
    wtfc = Approach.objects.get_or_create(
        slug="wtfc", defaults={"name": "Working Together for Change", "description": "A method."}
    )[0]
    essex_carers = make_case_study(
        title="Essex carers strategy",
        region=essex.region,
        councils=[essex],
        standfirst="Carers wrote the strategy with the council.",
        narrative="Unpaid carers met every month in libraries across the county.",
        stage=CaseStudy.Stage.ESTABLISHED,
    )
    essex_carers.topics.set([carers_topic])
    essex_carers.approaches.set([wtfc])
    norfolk_carers = make_case_study(
        title="Norfolk young carers forum",
        region=norfolk.region,
        councils=[norfolk],
        standfirst="Young people who care shaped the forum.",
        narrative="The forum used online meetings.",
    )
    norfolk_carers.topics.set([carers_topic])
    shropshire_carers = make_case_study(
        title="Shropshire carers assessment",
        region=shropshire.region,
        councils=[shropshire],
        standfirst="A new assessment for carers.",
    )
    shropshire_carers.topics.set([carers_topic])
    essex_housing = make_case_study(
        title="Essex supported housing",
        region=essex.region,
        councils=[essex],
        standfirst="Tenants planned new homes.",
    )
    essex_housing.topics.set([housing])
    return {
        "essex_carers": essex_carers,
        "norfolk_carers": norfolk_carers,
        "shropshire_carers": shropshire_carers,
        "essex_housing": essex_housing,
    }


@pytest.mark.django_db
class TestFilters:
    def test_topic_and_region_narrow_together(self, client, library):
        html = listing(client, "?topic=carers&region=east-of-england")
        assert sorted(titles(html)) == ["Essex carers strategy", "Norfolk young carers forum"]
        assert result_count(html) == "2 case studies"

    def test_several_councils_mean_any_of_them(self, client, library):
        html = listing(client, "?council=norfolk&council=shropshire")
        assert sorted(titles(html)) == [
            "Norfolk young carers forum",
            "Shropshire carers assessment",
        ]

    @pytest.mark.parametrize(
        "query, expected",
        [
            ("?council=essex", {"Essex carers strategy", "Essex supported housing"}),
            ("?region=west-midlands", {"Shropshire carers assessment"}),
            ("?topic=housing", {"Essex supported housing"}),
            ("?approach=wtfc", {"Essex carers strategy"}),
            ("?stage=established", {"Essex carers strategy"}),
        ],
    )
    def test_each_filter(self, client, library, query, expected):
        assert set(titles(listing(client, query))) == expected

    def test_people_and_publication_filters(self, client, full_case_study, library):
        assert titles(listing(client, "?people=carers")) == [full_case_study.title]
        assert titles(listing(client, "?publication=test-report")) == [full_case_study.title]

    def test_drafts_never_counted_or_listed(self, client, library, draft_case_study):
        html = listing(client, "?council=norfolk")
        assert draft_case_study.title not in html
        assert facet_count(html, "council", "norfolk") == 1

    def test_selected_filters_are_removable_tags(self, client, library):
        html = listing(client, "?topic=carers&council=essex")
        assert "Remove filter </span>Topic: Support for carers" in html
        assert 'href="/case-studies/?topic=carers"' in html  # removes the council only
        assert 'href="/case-studies/">Clear filters</a>' in html

    def test_a_phrase_search_tag_has_one_pair_of_quotation_marks(self, client, library):
        html = listing(client, '?q="carers strategy"')
        assert "Search: “carers strategy”" in html
        assert "““" not in html

    def test_twenty_a_page_and_the_next_page_keeps_the_filters(self, client, east, carers_topic):
        for number in range(23):
            make_case_study(title=f"Carers {number:02d}", region=east).topics.add(carers_topic)
        first = listing(client, "?topic=carers&sort=title")
        assert len(titles(first)) == 20
        assert "?topic=carers&amp;sort=title&amp;page=2" in first
        second = listing(client, "?topic=carers&sort=title&page=2")
        assert titles(second) == ["Carers 20", "Carers 21", "Carers 22"]


@pytest.mark.django_db
def test_council_region_topic_and_approach_pages_link_to_the_filtered_list(client, library):
    pages = {
        "/councils/essex/": "?council=essex",
        "/regions/east-of-england/": "?region=east-of-england",
        "/topics/carers/": "?topic=carers",
        "/approaches/wtfc/": "?approach=wtfc",
    }
    for url, query in pages.items():
        html = client.get(url).content.decode()
        assert f'href="/case-studies/{query}"' in html, url


@pytest.mark.django_db
def test_topic_and_approach_pages_say_what_they_are(client, library):
    topic = client.get("/topics/carers/").content.decode()
    assert "What this topic covers" in topic and "case studies about this" in topic
    approach = client.get("/approaches/wtfc/").content.decode()
    assert "What this approach is" in approach and "case study that used it" in approach


@pytest.mark.django_db
class TestFacetCounts:
    def test_counts_apply_the_other_filters(self, client, library):
        html = listing(client, "?topic=carers")
        # With "carers" chosen: Essex has one carers case study, Norfolk one.
        assert facet_count(html, "council", "essex") == 1
        assert facet_count(html, "council", "norfolk") == 1
        # A topic's own counts ignore the topic filter, so other topics stay choosable.
        assert facet_count(html, "topic", "housing") == 1
        assert facet_count(html, "topic", "carers") == 3

    def test_options_with_no_results_are_hidden(self, client, library):
        html = listing(client, "?region=west-midlands")
        assert facet_count(html, "council", "shropshire") == 1
        assert facet_count(html, "council", "essex") is None
        assert facet_count(html, "topic", "housing") is None


@pytest.mark.django_db
class TestBadAddresses:
    @pytest.mark.parametrize(
        "query, message",
        [
            ("?council=atlantis", "There is no council called “atlantis”, so it was ignored."),
            ("?topic=%00%01", "There is no topic called"),
            ("?region=<script>", "There is no region called “&lt;script&gt;”"),
            ("?stage=finished", "There is no stage called “finished”"),
            ("?sort=sideways", "There is no sort order called “sideways”"),
            ("?sort=relevance", "Sorting by best match needs a search"),
            ("?q=%22%22%22", "Search words need letters or numbers"),
            ("?q=" + "carers+" * 60, "Your search was shortened"),
        ],
    )
    def test_unknown_values_are_ignored_with_a_message(self, client, library, query, message):
        html = listing(client, query)
        assert message in html
        assert "<script>" not in html.split("</header>", 1)[1]

    def test_known_values_still_apply_beside_unknown_ones(self, client, library):
        html = listing(client, "?council=essex&council=atlantis&page=999")
        assert "There is no council called “atlantis”" in html
        assert set(titles(html)) == {"Essex carers strategy", "Essex supported housing"}

    @pytest.mark.parametrize("page_value", ["abc", "-1", "0", "99999999999999999999"])
    def test_nonsense_page_numbers_show_a_page(self, client, library, page_value):
        assert titles(listing(client, f"?page={page_value}"))


# Search text is refreshed when a transaction commits, so these tests commit their writes.
@pytest.mark.django_db(transaction=True)
class TestSearch:
    def test_words_find_case_studies_on_any_database(self, client, library):
        html = listing(client, "?q=libraries")
        assert titles(html) == ["Essex carers strategy"]
        assert "1 case study matching your search" in html

    def test_search_within_a_filter(self, client, library):
        html = listing(client, "?q=carers&council=norfolk")
        assert titles(html) == ["Norfolk young carers forum"]

    def test_council_names_points_and_quotes_are_searched(self, client, library):
        Point.objects.create(
            case_study=library["norfolk_carers"], kind="learning", order=1, text="Flexible venues."
        )
        Quote.objects.create(
            case_study=library["shropshire_carers"], order=1, text="They believed us."
        )
        assert titles(listing(client, "?q=venues")) == ["Norfolk young carers forum"]
        assert titles(listing(client, "?q=believed")) == ["Shropshire carers assessment"]
        assert set(titles(listing(client, "?q=Norfolk"))) == {"Norfolk young carers forum"}

    def test_private_contacts_are_not_searchable(self, client, full_case_study):
        assert titles(listing(client, "?q=Private")) == []
        assert titles(listing(client, "?q=Jo+Example")) == [full_case_study.title]

    def test_renaming_a_council_updates_search(self, client, library, norfolk):
        norfolk.name = "Norfolk and Waveney Council"
        norfolk.save()
        assert titles(listing(client, "?q=Waveney")) == ["Norfolk young carers forum"]

    def test_adding_a_council_later_updates_search(self, client, library, shropshire):
        library["essex_housing"].councils.add(shropshire)
        assert "Essex supported housing" in titles(listing(client, "?q=Shropshire"))

    def test_phrase_search(self, client, library):
        assert titles(listing(client, '?q="online+meetings"')) == ["Norfolk young carers forum"]
        assert titles(listing(client, '?q="meetings+online"')) == []

    def test_excluding_a_word(self, client, library):
        found = set(titles(listing(client, "?q=carers+-young")))
        assert "Norfolk young carers forum" not in found
        assert "Essex carers strategy" in found

    def test_sort_by_title_while_searching(self, client, library):
        # Newest first, the three carers case studies come in the reverse of title order; by
        # best match (the default when searching) in another order on PostgreSQL. SQLite has
        # no ranking, so there best match is title order too.
        for day, key in enumerate(["essex_carers", "norfolk_carers", "shropshire_carers"], 1):
            library[key].published_on = datetime.date(2024, 1, day)
            library[key].save()
        html = listing(client, "?q=carers&sort=title")
        found = titles(html)
        assert len(found) == 3
        assert found == sorted(found)
        assert titles(listing(client, "?q=carers&sort=newest")) == found[::-1]


# Search text is refreshed when a transaction commits, so these tests commit their writes.
@pytest.mark.django_db(transaction=True)
@pytest.mark.postgresql(
    reason="ranking and snippets need PostgreSQL full-text search; SQLite uses a contains-match"
)
class TestPostgresSearch:
    def test_stemming_finds_other_forms(self, client, library):
        assert "Essex carers strategy" in titles(listing(client, "?q=carer"))
        assert "Essex carers strategy" in titles(listing(client, "?q=strategies"))

    def test_prefix_search(self, client, library):
        assert titles(listing(client, "?q=librar*")) == ["Essex carers strategy"]

    def test_title_outranks_narrative(self, client, east):
        make_case_study(title="Day services", region=east, narrative="Talked about forums.")
        make_case_study(title="Forums for everyone", region=east, narrative="Nothing else.")
        assert titles(listing(client, "?q=forums")) == ["Forums for everyone", "Day services"]

    def test_snippet_marks_the_words_and_escapes_text(self, client, east):
        make_case_study(
            title="Escaping snippets",
            region=east,
            narrative="People said <b>bold</b> things about transport & buses in rural areas.",
        )
        html = listing(client, "?q=transport")
        assert "<mark>transport</mark>" in html
        assert "<mark>transport</mark> &amp; buses" in html
        assert "<b>" not in html

    def test_bulk_changes_are_searchable_after_an_explicit_refresh(self, library):
        case_study = library["shropshire_carers"]
        Point.objects.bulk_create(
            [Point(case_study=case_study, kind="barrier", order=1, text="Hovercraft delays.")]
        )
        assert CaseStudy.objects.filter(search_vector="hovercraft").count() == 0
        CaseStudy.objects.all().refresh_search_vector()
        assert CaseStudy.objects.filter(search_vector="hovercraft").count() == 1


@pytest.mark.django_db
class TestQueryCounts:
    """The same number of queries with one case study and with several, and all of them shown."""

    @pytest.mark.django_db(transaction=True)  # search text is refreshed on commit
    @pytest.mark.parametrize("count", [1, 30])
    def test_filtered_search_list(
        self, client, east, essex, carers_topic, count, django_assert_num_queries
    ):
        for number in range(count):
            case_study = make_case_study(title=f"Carers {number}", region=east, councils=[essex])
            case_study.topics.set([carers_topic])
        # The list's 11 (see test_public_pages.py), plus one query per filter given to check
        # that its values exist (here the topic and the council).
        with django_assert_num_queries(13):
            html = listing(client, "?q=carers&topic=carers&council=essex&stage=in_progress")
        assert result_count(html) == (
            "1 case study matching your search"
            if count == 1
            else f"{count} case studies matching your search"
        )
        shown = min(count, 20)
        assert len(titles(html)) == shown
        assert set(titles(html)) <= {f"Carers {number}" for number in range(count)}
        assert html.count('result__meta">Essex</p>') == shown
        assert html.count('govuk-tag--grey">Support for carers</strong>') == shown

    @pytest.mark.parametrize("count", [1, 15])
    @pytest.mark.parametrize(
        ("url", "queries", "most_shown"),
        [
            # The council and the councils it replaced; the count and one page of its case
            # studies with their councils and topics; its joint work; similar councils.
            pytest.param("/councils/essex/", 8, None, id="council"),
            # The topic; its case studies with their councils and topics.
            pytest.param("/topics/carers/", 4, None, id="topic"),
            # The region; its councils with counts; the count and one page of its case
            # studies with their councils and topics.
            pytest.param("/regions/east-of-england/", 6, None, id="region"),
            # Counts of case studies and resources; topics and regions with counts; the
            # latest six case studies with their councils and topics; the councils with
            # counts, for the map.
            pytest.param("/", 8, 6, id="home"),
        ],
    )
    def test_council_topic_region_and_home_pages(
        self,
        client,
        east,
        essex,
        carers_topic,
        count,
        url,
        queries,
        most_shown,
        django_assert_num_queries,
    ):
        for number in range(count):
            case_study = make_case_study(title=f"Carers {number}", region=east, councils=[essex])
            case_study.topics.set([carers_topic])
        with django_assert_num_queries(queries):
            response = client.get(url)
        assert response.status_code == 200
        html = response.content.decode()
        shown = min(count, most_shown or count)
        assert len(titles(html)) == shown
        assert set(titles(html)) <= {f"Carers {number}" for number in range(count)}
        assert html.count('result__meta">Essex</p>') == shown
        assert html.count('govuk-tag--grey">Support for carers</strong>') == shown

    @pytest.mark.parametrize("count", [1, 10])
    def test_detail_with_many_related(
        self, client, full_case_study, carers_topic, count, django_assert_num_queries
    ):
        for number in range(count):
            make_case_study(title=f"Related {number}", region=full_case_study.region).topics.add(
                carers_topic
            )
        # The page's 11 (see test_public_pages.py), plus the related case studies' councils
        # and topics.
        with django_assert_num_queries(13):
            html = client.get(full_case_study.get_absolute_url()).content.decode()
        assert "Related case studies" in html
        assert html.count('class="result"') == min(count, 3)
        related = titles(html)
        assert len(related) == min(count, 3)
        assert set(related) <= {f"Related {number}" for number in range(count)}
