"""A council's page and a region's page, for every council of the register: its facts, its
case studies, the councils it worked with, similar councils, where a replaced council went, an
invitation to add a case study, and addresses by ONS (GSS) code."""

import datetime
import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from casestudies.models import Status
from councils.models import Council
from tests.helpers import form_data, make_case_study, titles

INVITATION = "Has your council co-produced something?"
GSS_LIKE = re.compile(r"^[a-z][0-9]{8}$", re.IGNORECASE)


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def section(html, heading):
    """The HTML from the h2 `heading` to the next h2 (or the end of the page's content)."""
    start = html.index(f">{heading}</h2>")
    end = html.find("<h2", start)
    return html[start : end if end != -1 else len(html)]


def linked_names(html):
    """The councils a piece of a page links to, in order."""
    return re.findall(r'href="/councils/[^"]+/">([^<]+)</a>', html)


def make_council(name, *, region, kind="county", population=None, **fields):
    short_name = name.removesuffix(" County Council").removesuffix(" Council")
    return Council.objects.create(
        name=name,
        short_name=short_name,
        slug=short_name.lower().replace(" ", "-"),
        kind=kind,
        region=region,
        population=population,
        **fields,
    )


@pytest.fixture
def world(db):
    """The real world: the seed content and the register's 153 councils."""
    call_command("load_seed_content", verbosity=0)
    call_command("load_councils", stdout=io.StringIO())


# ------------------------------------------------------------------ addresses


class TestAddresses:
    @pytest.mark.parametrize("code", ["E10000012", "e10000012"])
    def test_ons_code_redirects_permanently_to_the_councils_page(self, client, world, code):
        response = client.get(f"/councils/{code}/")
        assert response.status_code == 301
        assert response["Location"] == "/councils/essex/"
        assert "Essex County Council" in page(client, response["Location"])

    def test_unknown_ons_code_is_not_found(self, client, world):
        assert client.get("/councils/E99999999/").status_code == 404

    def test_unknown_council_and_region_are_not_found(self, client, world):
        assert client.get("/councils/atlantis/").status_code == 404
        assert client.get("/regions/atlantis/").status_code == 404

    def test_no_council_of_the_register_has_a_slug_like_an_ons_code(self, world):
        slugs = list(Council.objects.values_list("slug", flat=True))
        assert len(slugs) == 153
        assert [slug for slug in slugs if GSS_LIKE.match(slug)] == []

    @pytest.mark.parametrize("slug", ["e10000012", "E06000001", "w06000001"])
    def test_a_slug_like_an_ons_code_is_refused(self, essex, slug):
        essex.slug = slug
        with pytest.raises(ValidationError) as error:
            essex.full_clean()
        assert "slug" in error.value.message_dict

    def test_the_admin_refuses_a_slug_like_an_ons_code(self, client, site_admin, essex):
        client.force_login(site_admin)
        url = reverse("admin:councils_council_change", args=[essex.pk])
        data = {**form_data(client.get(url)), "slug": "e10000012"}
        response = client.post(url, data)
        assert response.status_code == 200
        assert "cannot look like an ONS code" in response.content.decode()
        essex.refresh_from_db()
        assert essex.slug == "essex"

    def test_slugs_with_digits_are_still_allowed(self, essex):
        for slug in ["essex-2", "e1000001", "e100000123", "ee0000001"]:
            essex.slug = slug
            essex.full_clean()


# ------------------------------------------------------------------ the council's page


class TestCouncilFacts:
    def test_essex_page_shows_its_facts(self, client, world):
        html = page(client, "/councils/essex/")
        assert '<h1 class="govuk-heading-xl">Essex County Council</h1>' in html
        for text in [
            "County council",
            'href="/regions/east-of-england/">East of England (Eastern)</a>',
            "1,497,759 (mid-2020 estimate)",
            "E10000012",
        ]:
            assert text in html, text
        assert 'class="govuk-summary-list' in html

    def test_breadcrumbs_lead_back_through_the_region(self, client, essex):
        html = page(client, essex.get_absolute_url())
        crumbs = re.findall(r'govuk-breadcrumbs__link" href="([^"]+)"', html)
        assert crumbs == ["/", "/councils/", "/regions/east-of-england/"]

    def test_council_without_population_or_website_says_nothing_untrue(self, client, essex):
        html = page(client, essex.get_absolute_url())
        assert "Population" not in html
        assert "Website" not in html


class TestCouncilCaseStudies:
    def test_newest_first_twenty_a_page_published_only(self, client, essex):
        for number in range(25):
            make_case_study(
                title=f"Case {number:02d}",
                region=essex.region,
                councils=[essex],
                published_on=datetime.date(2020, 1, 1) + datetime.timedelta(days=number),
            )
        make_case_study(title="A draft", region=essex.region, councils=[essex], status=Status.DRAFT)
        first = page(client, essex.get_absolute_url())
        second = page(client, essex.get_absolute_url() + "?page=2")
        assert "25 case studies" in first
        assert titles(first) == [f"Case {number:02d}" for number in range(24, 4, -1)]
        assert titles(second) == [f"Case {number:02d}" for number in range(4, -1, -1)]
        assert "Page 2 of 2" in second
        assert 'href="?page=2"' in first
        assert "A draft" not in first + second

    def test_out_of_range_and_nonsense_pages_behave_as_the_list_page(self, client, essex):
        for number in range(21):
            make_case_study(title=f"Case {number:02d}", region=essex.region, councils=[essex])
        last = page(client, essex.get_absolute_url() + "?page=2")
        assert (
            page(client, essex.get_absolute_url() + "?page=99").count('class="result"')
            == last.count('class="result"')
            == 1
        )
        assert page(client, essex.get_absolute_url() + "?page=abc").count('class="result"') == 20


class TestInvitation:
    def test_shown_only_to_a_council_with_no_published_case_studies(
        self, client, full_case_study, essex, norfolk, draft_case_study
    ):
        assert INVITATION not in page(client, essex.get_absolute_url())
        # Norfolk has a draft only: the public sees nothing, so it is invited.
        html = page(client, norfolk.get_absolute_url())
        assert INVITATION in html
        assert draft_case_study.title not in html
        assert f'href="{reverse("casestudies:how-to-add")}"' in html

    def test_names_the_regions_contact(self, client, settings, norfolk):
        settings.EDITOR_ACCESS_CONTACT = "portal-team@example.org"
        region = norfolk.region
        region.contact_name = "Sam Lead"
        region.contact_email = "sam.lead@example.org"
        region.save()
        invitation = section(page(client, norfolk.get_absolute_url()), INVITATION)
        assert "Sam Lead" in invitation
        assert 'href="mailto:sam.lead@example.org"' in invitation
        assert "portal-team@example.org" not in invitation

    def test_without_a_regional_contact_names_the_site_team(self, client, settings, norfolk):
        settings.EDITOR_ACCESS_CONTACT = "portal-team@example.org"
        invitation = section(page(client, norfolk.get_absolute_url()), INVITATION)
        assert 'href="mailto:portal-team@example.org"' in invitation
        assert "mailto:" in invitation and invitation.count("mailto:") == 1

    def test_without_any_contact_says_whom_to_ask(self, client, settings, norfolk):
        settings.EDITOR_ACCESS_CONTACT = ""
        invitation = section(page(client, norfolk.get_absolute_url()), INVITATION)
        assert "mailto:" not in invitation
        assert "regional lead" in invitation
        assert f'href="{reverse("editors:sign-in")}"' in invitation

    def test_leeds_is_invited(self, client, world):
        html = page(client, "/councils/leeds/")
        assert INVITATION in html
        assert "0 case studies" in html

    def test_how_to_add_page_explains_the_editors_area(self, client, settings, east):
        settings.EDITOR_ACCESS_CONTACT = "portal-team@example.org"
        east.contact_name = "Sam Lead"
        east.contact_email = "sam.lead@example.org"
        east.save()
        html = page(client, reverse("casestudies:how-to-add"))
        assert "<h1" in html and "How to add a case study" in html
        for text in [
            f'href="{reverse("editors:sign-in")}"',
            "Start a new case study",
            "<li>About the work</li>",
            "<li>Links and quotes</li>",
            "Check and submit",
            "East of England (Eastern)",
            'href="mailto:sam.lead@example.org"',
            'href="mailto:portal-team@example.org"',
        ]:
            assert text in html, text

    def test_how_to_add_page_says_the_lead_sends_an_invitation(self, client, settings, db):
        settings.INVITATION_VALID_DAYS = 3
        html = page(client, reverse("casestudies:how-to-add"))
        assert "They send you an invitation by e-mail." in html
        assert "The link works for 3 days." in html
        assert "site team to set up" not in html


class TestSimilarCouncils:
    @pytest.fixture
    def counties(self, east, west_midlands, essex):
        essex.population = 1_000_000
        essex.save()
        made = {
            name: make_council(name, region=east, population=population)
            for name, population in [
                ("Delta County Council", 1_050_000),
                ("Alpha County Council", 1_100_000),
                ("Norfolk County Council", 900_000),
                ("Bravo County Council", 500_000),
                ("Charlie County Council", 1_400_000),
                ("Echo County Council", 100_000),
                ("Foxtrot County Council", None),
            ]
        }
        make_council("Unitary Council", region=east, kind="unitary", population=1_000_001)
        make_council("Elsewhere County Council", region=west_midlands, population=1_000_002)
        make_council("Gone County Council", region=east, population=1_000_003, replaced_by=essex)
        return made

    def test_same_kind_and_region_nearest_population_first(self, client, essex, counties):
        similar = section(page(client, essex.get_absolute_url()), "Similar councils")
        # Alpha and Norfolk are both 100,000 away: the name decides, so the order never
        # changes between requests.
        assert linked_names(similar) == [
            "Delta County Council",
            "Alpha County Council",
            "Norfolk County Council",
            "Charlie County Council",
            "Bravo County Council",
        ]
        assert "same type" in similar and "East of England" in similar

    def test_each_with_its_number_of_published_case_studies(self, client, essex, counties):
        delta = counties["Delta County Council"]
        make_case_study(title="Delta one", region=delta.region, councils=[delta])
        make_case_study(title="Delta two", region=delta.region, councils=[delta])
        make_case_study(
            title="Delta draft", region=delta.region, councils=[delta], status=Status.DRAFT
        )
        similar = section(page(client, essex.get_absolute_url()), "Similar councils")
        assert re.search(r"Delta County Council</a>\s*\(2 case studies\)", similar)
        assert re.search(r"Alpha County Council</a>\s*\(0 case studies\)", similar)

    def test_without_a_population_by_name_and_says_so(self, client, shropshire):
        for name in ["Wrekin Council", "Herefordshire Council"]:
            make_council(name, region=shropshire.region, kind="unitary", population=500_000)
        similar = section(page(client, shropshire.get_absolute_url()), "Similar councils")
        assert linked_names(similar) == ["Herefordshire Council", "Wrekin Council"]
        assert "nearest in population" not in similar

    def test_none_shown_when_there_are_none(self, client, shropshire):
        assert ">Similar councils</h2>" not in page(client, shropshire.get_absolute_url())


class TestReplacedCouncils:
    @pytest.fixture
    def gone(self, essex):
        return make_council("Gone County Council", region=essex.region, replaced_by=essex)

    def test_replaced_councils_page_says_where_it_went_and_keeps_its_case_studies(
        self, client, essex, gone
    ):
        make_case_study(title="Work before the merger", region=gone.region, councils=[gone])
        html = page(client, gone.get_absolute_url())
        assert re.search(
            r'Gone County Council was replaced by\s*<a class="govuk-link" '
            r'href="/councils/essex/">Essex County Council</a>',
            html,
        )
        assert titles(html) == ["Work before the merger"]
        assert html.index("was replaced by") < html.index("Work before the merger")

    def test_the_council_that_took_over_names_what_it_took_over(self, client, essex, gone):
        html = page(client, essex.get_absolute_url())
        assert re.search(
            r'Took over from\s*<a class="govuk-link" href="/councils/gone/">'
            r"Gone County Council</a>",
            html,
        )
        assert "was replaced by" not in html

    def test_a_replaced_council_is_not_invited_to_add_case_studies(self, client, gone):
        assert INVITATION not in page(client, gone.get_absolute_url())

    def test_the_region_page_says_which_of_its_councils_was_replaced(self, client, essex, gone):
        html = page(client, essex.region.get_absolute_url())
        assert re.search(
            r'Gone County Council</a> \(0 case studies\): replaced by <a class="govuk-link" '
            r'href="/councils/essex/">Essex County Council</a>',
            html,
        )


class TestJointWork:
    def test_lists_councils_sharing_published_case_studies_with_counts(
        self, client, essex, norfolk, shropshire
    ):
        east = essex.region
        make_case_study(title="Joint one", region=east, councils=[essex, norfolk])
        make_case_study(title="Joint two", region=east, councils=[essex, norfolk, shropshire])
        make_case_study(title="Essex alone", region=east, councils=[essex])
        make_case_study(
            title="Joint draft", region=east, councils=[essex, shropshire], status=Status.DRAFT
        )
        joint = section(page(client, essex.get_absolute_url()), "Joint work")
        assert linked_names(joint) == ["Norfolk County Council", "Shropshire Council"]
        assert re.search(r"Norfolk County Council</a>\s*\(2 case studies\)", joint)
        assert re.search(r"Shropshire Council</a>\s*\(1 case study\)", joint)

        joint = section(page(client, norfolk.get_absolute_url()), "Joint work")
        assert linked_names(joint) == ["Essex County Council", "Shropshire Council"]

    def test_no_section_without_joint_work(self, client, full_case_study, essex):
        assert ">Joint work</h2>" not in page(client, essex.get_absolute_url())


class TestCouncilPageCost:
    @pytest.mark.parametrize("count", [1, 45])
    def test_queries_do_not_grow_with_case_studies_or_partners(
        self, client, essex, carers_topic, count, django_assert_num_queries
    ):
        essex.population = 1_000_000
        essex.save()
        make_council("Gone County Council", region=essex.region, replaced_by=essex)
        for number in range(count):
            partner = make_council(
                f"Partner {number:02d} County Council", region=essex.region, population=number
            )
            case_study = make_case_study(
                title=f"Case {number:02d}", region=essex.region, councils=[essex, partner]
            )
            case_study.topics.set([carers_topic])
        # The council with its region and successor; the councils it replaced; the count and
        # one page of case studies with their councils and topics (4); the joint work; the
        # similar councils.
        with django_assert_num_queries(8):
            html = page(client, essex.get_absolute_url())
        assert len(titles(html)) == min(count, 20)
        assert f"{count} case stud" in html
        assert len(linked_names(section(html, "Joint work"))) == count
        assert len(linked_names(section(html, "Similar councils"))) == min(count, 5)
        assert "Took over from" in html


# ------------------------------------------------------------------ the region's page


class TestRegionPage:
    def test_full_name_every_council_with_counts_and_case_studies(
        self, client, essex, norfolk, full_case_study, draft_case_study
    ):
        html = page(client, essex.region.get_absolute_url())
        assert '<h1 class="govuk-heading-xl">East of England (Eastern)</h1>' in html
        councils = section(html, "Councils")
        assert re.search(r"Essex County Council</a>\s*\(1 case study\)", councils)
        assert re.search(r"Norfolk County Council</a>\s*\(0 case studies\)", councils)
        assert titles(html) == [full_case_study.title]

    def test_every_council_of_the_register_is_listed(self, client, world):
        html = page(client, "/regions/east-of-england/")
        listed = linked_names(section(html, "Councils"))
        in_region = Council.objects.filter(region__slug="east-of-england").order_by("short_name")
        assert listed == [council.name for council in in_region]
        assert len(listed) == 12  # the register's 11 and Milton Keynes, kept by the seeds

    def test_case_studies_twenty_a_page(self, client, essex):
        for number in range(25):
            make_case_study(title=f"Case {number:02d}", region=essex.region)
        region_url = essex.region.get_absolute_url()
        assert len(titles(page(client, region_url))) == 20
        second = page(client, region_url + "?page=2")
        assert len(titles(second)) == 5
        assert "Page 2 of 2" in second

    def test_says_whose_name_the_second_name_is(self, client, east, essex, west_midlands):
        note = (
            "The Association of Directors of Adult Social Services (ADASS) calls this region "
            "Eastern."
        )
        assert note in page(client, east.get_absolute_url())
        assert note in page(client, essex.get_absolute_url())
        assert "calls this region" not in page(client, west_midlands.get_absolute_url())

    def test_shows_the_regions_contact_when_set(self, client, east):
        html = page(client, east.get_absolute_url())
        assert "sam.lead@example.org" not in html
        assert f'href="{reverse("casestudies:how-to-add")}"' in html
        east.contact_name = "Sam Lead"
        east.contact_email = "sam.lead@example.org"
        east.save()
        html = page(client, east.get_absolute_url())
        assert "Sam Lead" in html and 'href="mailto:sam.lead@example.org"' in html

    @pytest.mark.parametrize("count", [1, 30])
    def test_queries_do_not_grow(
        self, client, east, carers_topic, count, django_assert_num_queries
    ):
        for number in range(count):
            council = make_council(f"Council {number:02d}", region=east)
            case_study = make_case_study(
                title=f"Case {number:02d}", region=east, councils=[council]
            )
            case_study.topics.set([carers_topic])
        # The region; its councils with their counts; the count and one page of case studies
        # with their councils and topics (4).
        with django_assert_num_queries(6):
            html = page(client, east.get_absolute_url())
        assert len(titles(html)) == min(count, 20)
        assert len(linked_names(section(html, "Councils"))) == count
