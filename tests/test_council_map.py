"""/councils/ and the map of England: every council, grouped by region, with its number of
published case studies, as a map drawn by the portal and as tables."""

import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from lxml import html as lxml_html

from casestudies.models import CaseStudy, Status, Topic
from councils.models import Council
from tests.helpers import make_case_study, make_synthetic_council

SVG_NAMESPACE = "http://www.w3.org/2000/svg"


@pytest.fixture
def england(db):
    """The real world: the seed content's 32 published case studies and the 153 councils."""
    call_command("load_seed_content", verbosity=0)
    call_command("load_councils", stdout=io.StringIO())


@pytest.fixture
def small_world(essex, norfolk, carers_topic):
    """Essex (a point in Chelmsford) with one published case study about carers; Norfolk (a
    point near Norwich) with a published case study on no topic and a draft about carers."""
    Council.objects.filter(pk=essex.pk).update(latitude=51.77, longitude=0.47)
    Council.objects.filter(pk=norfolk.pk).update(latitude=52.63, longitude=1.30)
    make_case_study(title="Essex carers", region=essex.region, councils=[essex]).topics.set(
        [carers_topic]
    )
    make_case_study(title="Norfolk forum", region=norfolk.region, councils=[norfolk])
    make_case_study(
        title="Norfolk draft", region=norfolk.region, councils=[norfolk], status=Status.DRAFT
    ).topics.set([carers_topic])


def get(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def councils_page(client, query=""):
    return get(client, reverse("councils:list") + query)


def document(page):
    return lxml_html.fromstring(page)


def table_rows(page):
    """(council, case studies) for each row of the tables, in order."""
    return [
        (
            " ".join(row.xpath("string(./th)").split()),
            " ".join(row.xpath("string(./td[last()])").split()),
        )
        for row in document(page).xpath("//table[contains(@class, 'council-figures')]/tbody/tr")
    ]


def map_links(page, panel=None):
    """(href, accessible name, title) of each link on the map (or on one of its panels)."""
    svgs = document(page).xpath("//figure[contains(@class, 'council-map')]//svg")
    if panel is not None:
        svgs = [svg for svg in svgs if panel in svg.get("class")]
    return [
        (link.get("href"), link.get("aria-label"), link.xpath("string(./title)"))
        for svg in svgs
        for link in svg.xpath(".//a")
    ]


def what_is_shown(page):
    return " ".join(document(page).xpath("string(//h2[@id='shown'])").split())


# ------------------------------------------------------------------ the list, by region


def test_every_council_of_england_grouped_by_region_with_counts(client, england):
    page = councils_page(client)

    assert what_is_shown(page) == "All 153 councils"
    regions = [" ".join(h.text_content().split()) for h in document(page).xpath("//section//h3")]
    assert "East of England (Eastern)" in regions
    assert len(document(page).xpath("//section[contains(@class, 'region-figures')]")) == 9
    assert len(table_rows(page)) == 153
    # East of England: 12 councils, 9 of them with published case studies; 27 published case
    # studies are about the region.
    assert "12 councils, 9 with case studies, 27 case studies" in page
    assert ("Essex", "4") in table_rows(page)
    assert ("Barnet", "0") in table_rows(page)
    region_link = document(page).xpath("//section[@id='region-east-of-england']//h3/a")[0]
    assert region_link.get("href") == "/regions/east-of-england/"


def test_drafts_are_never_counted(client, small_world):
    page = councils_page(client, "?topic=carers")

    assert table_rows(page) == [("Essex", "1"), ("Norfolk", "0")]
    assert "2 councils, 1 with case studies, 1 case study" in page
    assert (
        "/councils/norfolk/",
        "Norfolk: no case studies yet",
        "Norfolk: no case studies yet",
    ) in (map_links(page))


def test_only_councils_with_case_studies(client, england):
    page = councils_page(client, "?show=with-case-studies")

    with_case_studies = CaseStudy.objects.published().count_per(Council.objects.all())
    expected = sorted(c.short_name for c in with_case_studies if c.case_study_count)
    assert len(expected) == 13
    assert what_is_shown(page) == "13 councils with case studies"
    assert sorted(name for name, _ in table_rows(page)) == expected
    assert sorted(name.split(":")[0] for _, name, _ in map_links(page)) == expected
    # A region none of whose councils has a case study says so, and is still counted.
    assert "None of the 12 councils in this region has a case study yet." in page


def test_a_topic_counts_only_its_case_studies(client, small_world):
    page = councils_page(client, "?topic=carers")
    assert what_is_shown(page) == "All 2 councils: case studies about Support for carers"
    assert ("/councils/essex/", "Essex: 1 case study", "Essex: 1 case study") in map_links(page)

    page = councils_page(client, "?topic=carers&show=with-case-studies")
    assert what_is_shown(page) == "1 council with case studies about Support for carers"
    assert table_rows(page) == [("Essex", "1")]
    assert [name for _, name, _ in map_links(page)] == ["Essex: 1 case study"]

    # Without a topic, Norfolk's published case study counts.
    assert table_rows(councils_page(client)) == [("Essex", "1"), ("Norfolk", "1")]


def test_the_form_offers_every_topic_alphabetically_and_keeps_the_choice(client, small_world):
    Topic.objects.create(name="Autism services", slug="autism-services")
    Topic.objects.create(name="Work and employment", slug="employment")
    page = councils_page(client, "?topic=carers&show=with-case-studies")

    form = document(page).xpath("//form[@method='get']")[0]
    assert form.get("action") == "/councils/"
    options = form.xpath(".//select[@name='topic']/option")
    assert [o.text_content() for o in options] == [
        "All topics",
        "Autism services",
        "Support for carers",
        "Work and employment",
    ]
    assert [o.get("value") for o in options if o.get("selected") is not None] == ["carers"]
    checked = form.xpath(".//input[@name='show'][@checked]")
    assert [radio.get("value") for radio in checked] == ["with-case-studies"]


@pytest.mark.parametrize(
    ("query", "notice"),
    [
        ("?topic=atlantis", "There is no topic called “atlantis”, so every topic is counted."),
        ("?topic=%3Cb%3E", "There is no topic called “&lt;b&gt;”, so every topic is counted."),
        ("?show=everything", "“everything” is not a choice of councils to show, so all are shown."),
    ],
)
def test_what_the_portal_does_not_know_is_said_plainly(client, small_world, query, notice):
    page = councils_page(client, query)
    assert notice in page
    assert what_is_shown(page) == "All 2 councils"
    assert table_rows(page) == [("Essex", "1"), ("Norfolk", "1")]


def test_a_replaced_council_is_shown_only_for_its_case_studies_and_not_counted(
    client, small_world, essex, east
):
    former = make_synthetic_council(
        "Synthetic Former", region=east, replaced_by=essex, latitude=51.7, longitude=0.5
    )
    page = councils_page(client)
    assert what_is_shown(page) == "All 2 councils"
    assert "/councils/synthetic-former/" not in page
    assert "2 councils, 2 with case studies" in page

    make_case_study(title="A synthetic case study", region=east, councils=[former])
    page = councils_page(client)
    row = document(page).xpath("//tr[th//a[@href='/councils/synthetic-former/']]")[0]
    assert " ".join(row.text_content().split()) == "Synthetic Former Replaced by Essex 1"
    assert row.xpath(".//a[text()='Essex']/@href") == ["/councils/essex/"]
    assert ("/councils/synthetic-former/") in [href for href, _, _ in map_links(page)]
    # Still two councils of the East of England: the former one is listed for its case study.
    assert what_is_shown(page) == "All 2 councils"
    assert "2 councils, 2 with case studies" in page


# ------------------------------------------------------------------ the map


def test_one_link_per_council_to_its_page_named_with_its_count(client, england):
    page = councils_page(client)
    links = map_links(page)

    assert len(links) == 153
    assert len({href for href, _, _ in links}) == 153
    assert ("/councils/essex/", "Essex: 4 case studies", "Essex: 4 case studies") in links
    assert ("/councils/barnsley/", "Barnsley: 1 case study", "Barnsley: 1 case study") in links
    # London's 33 councils are drawn on a larger scale, beside the rest of England.
    london = map_links(page, panel="council-map__svg--london")
    assert len(london) == 33
    assert ("/councils/westminster/", "Westminster: 1 case study", "Westminster: 1 case study") in (
        london
    )
    assert len(map_links(page, panel="council-map__svg--england")) == 120


def test_the_map_is_labelled_and_its_figures_are_in_the_tables(client, england):
    figure = document(councils_page(client)).xpath("//figure[contains(@class, 'council-map')]")[0]
    caption = " ".join(figure.xpath("string(./figcaption)").split())
    assert caption.startswith(
        "Map of England: 153 councils, each circle sized by its number of case studies."
    )
    assert "The same figures are in the tables below." in caption
    for svg in figure.xpath(".//svg[contains(@class, 'council-map__svg')]"):
        title_id = svg.get("aria-labelledby")
        assert svg.get("role") == "group"
        assert svg.xpath(f"string(.//title[@id='{title_id}'])")
    key = " ".join(figure.xpath("string(.//*[contains(@class, 'council-map__key')])").split())
    assert key == (
        "Key: No case studies yet 1 case study 8 case studies London, drawn larger on its own map"
    )


def test_the_svg_fetches_nothing_from_outside_the_site(client, england):
    for url in [reverse("councils:list"), "/"]:
        page = get(client, url)
        svgs = re.findall(r"<svg.*?</svg>", page, flags=re.DOTALL)
        assert svgs
        for svg in svgs:
            addresses = re.findall(r"https?://[^\s\"'<>]*", svg)
            assert set(addresses) <= {SVG_NAMESPACE}
            assert not re.search(r"<(image|use|script|foreignObject)\b", svg)
            assert not re.search(r"\b(xlink:)?href=\"(?!/councils/)", svg)


def test_the_projection_puts_places_where_they_are(england):
    from casestudies import maps

    councils = CaseStudy.objects.published().count_per(Council.objects.select_related("region"))
    drawn = maps.CouncilMap(councils)
    points = {point.council.slug: point for point in drawn.england.points}

    assert points["northumberland"].y < points["cornwall"].y  # north is up
    assert points["norfolk"].x > points["cornwall"].x  # east is right
    assert points["cumberland"].x < points["north-yorkshire"].x
    for point in drawn.england.points + drawn.london.points:
        panel = drawn.london if point in drawn.london.points else drawn.england
        assert 0 < point.x < panel.width and 0 < point.y < panel.height
    london = {point.council.slug: point for point in drawn.london.points}
    assert london["havering"].x > london["hillingdon"].x
    assert london["barnet"].y < london["croydon"].y


def test_circle_area_is_proportional_to_the_number_of_case_studies(england):
    from casestudies import maps

    councils = CaseStudy.objects.published().count_per(Council.objects.select_related("region"))
    points = {p.council.slug: p for p in maps.CouncilMap(councils).points}

    one, four = points["barnsley"], points["essex"]
    assert four.radius**2 == pytest.approx(4 * one.radius**2, rel=0.01)
    assert points["central-bedfordshire"].radius == pytest.approx(maps.LARGEST_RADIUS)
    assert points["barnet"].none and not one.none
    assert points["barnet"].radius < one.radius


def test_councils_without_a_point_are_named_under_the_map(client, small_world, east):
    Council.objects.create(
        name="Pointless Council",
        short_name="Pointless",
        slug="pointless",
        kind="county",
        region=east,
    )
    page = councils_page(client)
    assert "Not on the map, as the portal has no point for it: Pointless." in page
    assert ("Pointless", "0") in table_rows(page)


def test_home_page_shows_the_map_and_leads_to_the_tables(client, england):
    page = get(client, "/")
    links = map_links(page)
    assert len(links) == 153
    assert ("/councils/essex/", "Essex: 4 case studies", "Essex: 4 case studies") in links
    table_link = document(page).xpath("//figure//a[@href='/councils/']")
    assert [" ".join(a.text_content().split()) for a in table_link] == [
        "Every council's figures, in tables by region"
    ]


# ------------------------------------------------------------------ cost


def councils_with_a_case_study(region, count, *, topics=()):
    """`count` councils in `region`, each with a point and one published case study."""
    for number in range(count):
        council = Council.objects.create(
            name=f"Council {number}",
            short_name=f"Council {number:02d}",
            slug=f"c{number}",
            kind="county",
            region=region,
            latitude=52 + number / 100,
            longitude=0.1,
        )
        make_case_study(title=f"Case {number}", region=region, councils=[council]).topics.set(
            topics
        )


@pytest.mark.parametrize("count", [1, 20])
def test_councils_page_costs_the_same_with_one_or_many(
    client, east, carers_topic, count, django_assert_num_queries
):
    councils_with_a_case_study(east, count, topics=[carers_topic])
    # The topics for the form; the regions with their counts; the councils with theirs.
    with django_assert_num_queries(3):
        page = councils_page(client, "?topic=carers&show=with-case-studies")
    assert len(table_rows(page)) == count
    assert len(map_links(page)) == count
    assert f"{count} council" in what_is_shown(page)


@pytest.mark.parametrize("count", [1, 20])
def test_home_page_map_costs_one_query_with_one_or_many_councils(
    client, east, count, django_assert_num_queries
):
    councils_with_a_case_study(east, count)
    # Counts of case studies and resources; topics and regions with counts; the latest six
    # case studies with their councils and topics; the councils with their counts, for the map.
    with django_assert_num_queries(8):
        page = get(client, "/")
    assert len(map_links(page)) == count
