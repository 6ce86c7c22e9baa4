"""The "About the data" page: where the councils, their facts and the case studies come from,
with the register's licence credit."""

import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from casestudies.models import Publication
from councils.register import CREDIT, LICENCE_URL, SOURCE_URL

ABOUT_URL = "/about/data/"


def links(html):
    return dict(re.findall(r'<a [^>]*href="([^"]+)"[^>]*>(.*?)</a>', html, re.S))


@pytest.fixture
def world(db):
    call_command("load_seed_content", verbosity=0)
    call_command("load_councils", stdout=io.StringIO())


def test_the_page_credits_the_register_and_links_its_licence_and_source(client, world):
    assert reverse("about-data") == ABOUT_URL
    response = client.get(ABOUT_URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert CREDIT in html
    found = links(html)
    assert LICENCE_URL in found
    assert SOURCE_URL in found
    assert reverse("casestudies:publication-list") in found  # where the case studies come from
    text = " ".join(re.sub(r"<[^>]+>", " ", html).split())
    assert "153 councils" in text
    assert "mid-2020" in text
    assert "East of England (Eastern)" in text  # ADASS's name beside the official one
    # load_councils lists the points that look wrong: the page says the register has mistakes.
    assert "The register has mistakes." in text
    assert "a point inside the council's area, not its boundary" in text


def test_the_page_costs_the_same_queries_with_one_publication_or_many(
    client, publication, django_assert_num_queries
):
    # The councils counted, the regions, the publications: three, however many there are.
    with django_assert_num_queries(3):
        one = client.get(ABOUT_URL).content.decode()
    assert publication.title in one
    for number in range(2, 5):
        Publication.objects.create(
            title=f"Another test report {number}",
            slug=f"report-{number}",
            publisher="A test publisher",
            year=2023,
        )
    with django_assert_num_queries(3):
        many = client.get(ABOUT_URL).content.decode()
    assert all(f"Another test report {number}" in many for number in range(2, 5))
    assert many.count("(A test publisher, 2023)") == 4


@pytest.mark.parametrize("page", ["/", "/councils/", "/case-studies/"])
def test_every_page_links_to_it_from_the_footer(client, db, page):
    html = client.get(page).content.decode()
    footer = html[html.index('<footer class="site-footer">') :]
    assert links(footer).get(ABOUT_URL) == "About the data"


def test_the_councils_page_says_where_the_list_comes_from(client, db):
    html = client.get(reverse("councils:list")).content.decode()
    main = html[html.index("<main") : html.index("</main>")]
    assert ABOUT_URL in links(main)
