"""The guided submission in the editors' area: officers write a case study page by page, from
a task list, and send it for review. Every page is tried over HTTP as the people who use it,
and as the people who must not."""

import datetime
import re

import pytest
import yaml
from django.conf import settings
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from casestudies.editors.forms import EXAMPLES
from casestudies.models import CaseStudy, Contact, Link, Point, Quote, Status
from casestudies.workflow import case_study_move
from editorial.models import EditorProfile
from editorial.roles import COUNCIL_OFFICER
from tests.helpers import CONTENT, make_case_study, make_editor, publishable_case_study

pytestmark = pytest.mark.django_db


def task_list_url(case_study):
    return reverse("editors:case-study", args=[case_study.pk])


def section_url(case_study, section):
    return reverse("editors:section", args=[case_study.pk, section])


def seen(client, url):
    """The version stamp a page opened now carries in its forms."""
    return client.get(url).context["seen_version"]


def versions_of(case_study):
    return Version.objects.get_for_object(case_study).select_related("revision__user")


@pytest.fixture
def officer_client(client, officer_essex):
    client.force_login(officer_essex)
    return client


@pytest.fixture
def norfolk_officer(norfolk):
    return make_editor("officer.norfolk", COUNCIL_OFFICER, councils=[norfolk])


def about_data(**fields):
    return {"title": "", "standfirst": "", "stage": "in_progress", **fields}


def start(client, title="Carers plan respite together", **fields):
    """Save "About the work" for a new case study; returns the response."""
    data = about_data(title=title, standfirst="Carers and the council planned respite.", **fields)
    return client.post(reverse("editors:start"), data)


# ------------------------------------------------------------------ who may come in


def test_anonymous_visitor_is_sent_to_sign_in(client, essex_draft):
    for url in (reverse("editors:dashboard"), task_list_url(essex_draft)):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(resolve_url(settings.LOGIN_URL))
    response = client.post(reverse("editors:start"), about_data(title="Sneaky"))
    assert response.status_code == 302
    assert not CaseStudy.objects.filter(title="Sneaky").exists()


def test_signed_in_person_without_an_editor_role_is_told_plainly(client, django_user_model):
    client.force_login(django_user_model.objects.create(username="member.of.public"))
    response = client.get(reverse("editors:dashboard"))
    assert response.status_code == 403
    assert "not set up as a council officer, regional lead or site administrator" in (
        response.content.decode()
    )
    assert start(client).status_code == 403
    assert not CaseStudy.objects.exists()
    # Nor the review queue, nor the e-mail choices, and no editor profile is made for them.
    assert client.get(reverse("editors:review-queue")).status_code == 403
    assert client.get(reverse("editors:notifications")).status_code == 403
    assert not EditorProfile.objects.exists()


def test_officer_of_another_council_gets_not_found(client, norfolk_officer, essex_draft):
    client.force_login(norfolk_officer)
    point = essex_draft.points.get()
    urls = [
        task_list_url(essex_draft),
        section_url(essex_draft, "story"),
        section_url(essex_draft, "learning"),
        reverse("editors:check", args=[essex_draft.pk]),
        reverse("editors:item", args=[essex_draft.pk, "learning", point.pk]),
        reverse("editors:item-remove", args=[essex_draft.pk, "learning", point.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url
    assert client.post(
        section_url(essex_draft, "story"), {"narrative": "Hijacked"}
    ).status_code == (404)
    add = reverse("editors:item-add", args=[essex_draft.pk, "learning"])
    assert client.post(add, {"new-text": "Hijacked", "action": "add"}).status_code == 404
    move = reverse("editors:item-move", args=[essex_draft.pk, "learning", point.pk])
    assert client.post(move, {"direction": "down"}).status_code == 404
    remove = reverse("editors:item-remove", args=[essex_draft.pk, "learning", point.pk])
    assert client.post(remove).status_code == 404
    check = reverse("editors:check", args=[essex_draft.pk])
    assert client.post(check).status_code == 404
    essex_draft.refresh_from_db()
    assert essex_draft.narrative == "Carers met the council every month."
    assert essex_draft.status == Status.DRAFT
    assert list(essex_draft.points.values_list("text", flat=True)) == ["Listen."]


def test_lead_of_another_region_gets_not_found(client, shropshire, essex_draft):
    from editorial.roles import REGIONAL_LEAD

    client.force_login(make_editor("lead.wm", REGIONAL_LEAD, regions=[shropshire.region]))
    assert client.get(task_list_url(essex_draft)).status_code == 404
    assert client.post(reverse("editors:propose-update", args=[essex_draft.pk])).status_code == (
        404
    )


# ------------------------------------------------------------------ the dashboard


def test_dashboard_shows_each_state_in_words_with_the_leads_comment(
    officer_client, essex, lead_east
):
    draft = publishable_case_study(essex, Status.DRAFT, title="A draft")
    returned = publishable_case_study(essex, Status.IN_REVIEW, title="A returned entry")
    case_study_move(case_study=returned, by=lead_east, action="return", comment="Add a quote.")
    in_review = publishable_case_study(essex, Status.IN_REVIEW, title="A submitted entry")
    published = publishable_case_study(essex, Status.PUBLISHED, title="A published entry")
    archived = publishable_case_study(essex, Status.ARCHIVED, title="An archived entry")

    response = officer_client.get(reverse("editors:dashboard"))
    page = response.content.decode()
    groups = response.context["groups"]
    assert groups["drafts"] == [draft]
    assert groups["returned"] == [returned]
    assert groups["in_review"] == [in_review]
    assert groups["published"] == [published]
    assert archived.title not in page
    assert "Add a quote." in page
    assert "Start a new case study" in page
    assert reverse("editors:propose-update", args=[published.pk]) in page
    assert task_list_url(in_review) in page


@pytest.mark.parametrize("count", [1, 4])
def test_dashboard_queries_do_not_grow_with_entries(
    officer_client, essex, lead_east, django_assert_num_queries, count
):
    for number in range(count):
        returned = publishable_case_study(essex, Status.IN_REVIEW, title=f"Returned {number}")
        case_study_move(case_study=returned, by=lead_east, action="return", comment=f"Fix {number}")
        publishable_case_study(essex, Status.DRAFT, title=f"Draft {number}")
        publishable_case_study(essex, Status.PUBLISHED, title=f"Published {number}")
    officer_client.get(reverse("editors:dashboard"))  # the session and the user, once
    with django_assert_num_queries(11):
        response = officer_client.get(reverse("editors:dashboard"))
    groups = response.context["groups"]
    assert [len(groups[name]) for name in ("returned", "drafts", "published")] == [count] * 3
    page = response.content.decode()
    for number in range(count):
        assert f"Fix {number}" in page and f"Draft {number} in Essex" in page


# ------------------------------------------------------------------ starting and saving


def test_first_page_creates_a_draft_with_its_first_version(officer_client, essex):
    response = start(officer_client, started_month="4", started_year="2021")
    case_study = CaseStudy.objects.get(title="Carers plan respite together")
    assert response.status_code == 302
    assert response.url == task_list_url(case_study)
    assert case_study.status == Status.DRAFT
    assert case_study.slug == "carers-plan-respite-together"
    assert case_study.region == essex.region
    assert list(case_study.councils.all()) == [essex]
    assert case_study.started_on == datetime.date(2021, 4, 1)
    [version] = versions_of(case_study)
    assert version.revision.user.username == "officer.essex"
    assert version.revision.get_comment() == "Started the case study in the guided form"


def test_same_title_gets_its_own_web_address(officer_client, essex):
    start(officer_client)
    start(officer_client)
    assert sorted(CaseStudy.objects.values_list("slug", flat=True)) == [
        "carers-plan-respite-together",
        "carers-plan-respite-together-2",
    ]


def test_first_page_with_errors_keeps_what_was_typed(officer_client, essex):
    response = officer_client.post(
        reverse("editors:start"),
        about_data(standfirst="Typed and not lost.", started_month="4"),
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "Enter a title" in page
    assert "Enter both the month and the year" in page
    assert "Typed and not lost." in page
    assert not CaseStudy.objects.exists()


def test_lead_with_several_regions_chooses_whose_work_it_is(client, east, west_midlands):
    from editorial.roles import REGIONAL_LEAD

    lead = make_editor("lead.two", REGIONAL_LEAD, regions=[east, west_midlands])
    client.force_login(lead)
    response = start(client)
    assert "Choose whose work it is" in response.content.decode()
    start(client, place=f"region-{west_midlands.pk}")
    case_study = CaseStudy.objects.get()
    assert case_study.region == west_midlands
    assert not case_study.councils.exists()


def test_officer_cannot_start_an_entry_for_another_council(officer_client, essex, norfolk):
    page = officer_client.get(reverse("editors:start")).content.decode()
    assert "It will be a case study of Essex County Council." in page
    start(officer_client, place=f"council-{norfolk.pk}")
    case_study = CaseStudy.objects.get()
    assert list(case_study.councils.all()) == [essex]


def test_each_page_saves_a_version_and_returns_to_the_task_list(officer_client, essex_draft):
    url = section_url(essex_draft, "story")
    response = officer_client.post(
        url, {"narrative": "The new story.", "seen_version": seen(officer_client, url)}
    )
    assert response.status_code == 302
    assert response.url == task_list_url(essex_draft)
    essex_draft.refresh_from_db()
    assert essex_draft.narrative == "The new story."
    latest = versions_of(essex_draft).first()
    assert latest.revision.get_comment() == "Saved “The story” in the guided form"
    assert latest.revision.user.username == "officer.essex"


def test_typed_line_breaks_are_stored_as_the_admin_stores_them(officer_client, essex_draft):
    """Browsers send a text box's line breaks as CR LF. Stored as LF, as the admin, the seed
    content and imports store them, so the admin's form and the review's differences see no
    change where there is none."""
    url = section_url(essex_draft, "story")
    officer_client.post(
        url, {"narrative": "One.\r\n\r\nTwo.", "seen_version": seen(officer_client, url)}
    )
    add_item(officer_client, essex_draft, "barriers", text="First line.\r\nSecond line.")
    essex_draft.refresh_from_db()
    assert essex_draft.narrative == "One.\n\nTwo."
    assert texts(essex_draft, "barrier") == [(1, "First line.\nSecond line.")]


def test_start_date_is_asked_as_a_month_and_a_year_on_a_number_keyboard(
    officer_client, essex_draft
):
    page = officer_client.get(section_url(essex_draft, "about")).content.decode()
    fieldset = re.search(r"<fieldset.*?When did the work start\?.*?</fieldset>", page, re.S)[0]
    for label, name in (("Month", "started_month"), ("Year", "started_year")):
        field = re.search(rf'<input[^>]*name="{name}"[^>]*>', fieldset)[0]
        assert 'inputmode="numeric"' in field
        field_id = re.search(r'id="([^"]+)"', field)[1]
        assert re.search(rf'<label[^>]*for="{field_id}"[^>]*>{label}</label>', fieldset)


def test_about_page_shows_the_summary_length_after_saving(officer_client, essex_draft):
    url = section_url(essex_draft, "about")
    long_summary = ("A summary that goes on. " * 10).strip()
    officer_client.post(
        url,
        about_data(
            title=essex_draft.title,
            standfirst=long_summary,
            seen_version=seen(officer_client, url),
        ),
    )
    page = officer_client.get(url).content.decode()
    assert f"Your summary has {len(long_summary)} characters." in page
    assert "That is more than 200" in page
    assert "Aim for one sentence, under 200 characters." in page


def test_places_page_keeps_the_officer_in_their_councils(officer_client, essex_draft, norfolk):
    url = section_url(essex_draft, "places")
    response = officer_client.post(
        url,
        {
            "region": essex_draft.region_id,
            "councils": [norfolk.pk],
            "seen_version": seen(officer_client, url),
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Name at least one of your councils" in page
    assert f'value="{norfolk.pk}" checked' in page  # what was ticked is still ticked
    assert list(essex_draft.councils.all()) == [essex_draft.councils.get()]
    assert essex_draft.councils.get().short_name == "Essex"


def test_places_page_puts_a_region_problem_at_the_region(
    officer_client, essex_draft, essex, west_midlands
):
    """Each problem with where the entry is placed is told at the field it is about."""
    url = section_url(essex_draft, "places")
    response = officer_client.post(
        url,
        {
            "region": west_midlands.pk,
            "councils": [essex.pk],
            "seen_version": seen(officer_client, url),
        },
    )
    errors = response.context["form"].errors
    assert errors["region"] == [f"Choose the region your council is in: {essex.region}."]
    assert "councils" not in errors
    essex_draft.refresh_from_db()
    assert essex_draft.region == essex.region


def test_people_page_saves_the_ticked_terms(officer_client, full_case_study, essex_draft):
    topic = full_case_study.topics.get()
    group = full_case_study.people.get()
    url = section_url(essex_draft, "people")
    page = officer_client.get(url).content.decode()
    assert topic.description in page  # each term explained under it
    officer_client.post(
        url, {"topics": [topic.pk], "people": [group.pk], "seen_version": seen(officer_client, url)}
    )
    assert list(essex_draft.topics.all()) == [topic]
    assert list(essex_draft.people.all()) == [group]


def test_two_tabs_do_not_overwrite_each_other_silently(officer_client, essex_draft):
    url = section_url(essex_draft, "story")
    first_tab = seen(officer_client, url)
    second_tab = seen(officer_client, url)
    officer_client.post(url, {"narrative": "Saved in the second tab.", "seen_version": second_tab})

    response = officer_client.post(
        url, {"narrative": "Typed in the first tab.", "seen_version": first_tab}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Someone else changed this case study since you opened this page" in page
    assert "Typed in the first tab." in page
    essex_draft.refresh_from_db()
    assert essex_draft.narrative == "Saved in the second tab."
    # Having seen the warning, saving again keeps the first tab's text.
    officer_client.post(
        url,
        {"narrative": "Typed in the first tab.", "seen_version": response.context["seen_version"]},
    )
    essex_draft.refresh_from_db()
    assert essex_draft.narrative == "Typed in the first tab."


# ------------------------------------------------------------------ the task list


def test_task_list_shows_each_section_and_its_status(officer_client, essex_draft):
    Contact.objects.create(
        case_study=essex_draft, order=1, name="Jo", consent=Contact.Consent.GIVEN
    )
    response = officer_client.get(task_list_url(essex_draft))
    statuses = {section.title: status for section, status in response.context["rows"]}
    assert statuses == {
        "About the work": "Completed",
        "Councils and partners": "Completed",
        "Who took part and how": "Not started",
        "The story": "Completed",
        "What helped": "Completed",
        "Conditions for success": "Not started",
        "Barriers": "Not started",
        "Contacts": "In progress",  # consent given but no date recorded
        "Links and quotes": "Not started",
    }
    page = response.content.decode()
    assert "Check and submit" in page
    assert "combined" not in page.lower()


@pytest.mark.parametrize("count", [1, 4])
def test_task_list_queries_do_not_grow_with_items(
    officer_client, essex_draft, full_case_study, django_assert_num_queries, count
):
    for number in range(2, count + 1):
        Point.objects.create(case_study=essex_draft, kind="learning", order=number, text="More.")
        Contact.objects.create(case_study=essex_draft, order=number, name=f"Contact {number}")
        Link.objects.create(case_study=essex_draft, order=number, title=f"Link {number}")
    essex_draft.topics.set(full_case_study.topics.all())
    officer_client.get(task_list_url(essex_draft))
    with django_assert_num_queries(18):
        response = officer_client.get(task_list_url(essex_draft))
    statuses = dict((section.slug, status) for section, status in response.context["rows"])
    assert statuses["learning"] == "Completed"
    assert statuses["people"] == "In progress"
    assert statuses["links-and-quotes"] == ("Completed" if count > 1 else "Not started")


# ------------------------------------------------------------------ lists without JavaScript


def add_item(client, case_study, list_name, action="add", **fields):
    url = reverse("editors:item-add", args=[case_study.pk, list_name])
    data = {f"new-{name}": value for name, value in fields.items()}
    data.update(action=action, seen_version=seen(client, task_list_url(case_study)))
    return client.post(url, data)


def texts(case_study, kind="learning"):
    return list(case_study.points.filter(kind=kind).order_by("order").values_list("order", "text"))


def test_points_are_added_changed_moved_and_removed_with_ordinary_forms(
    officer_client, essex_draft
):
    response = add_item(officer_client, essex_draft, "learning", text="Pay people.")
    assert response.url == section_url(essex_draft, "learning")
    add_item(officer_client, essex_draft, "learning", text="Meet early.")
    assert texts(essex_draft) == [(1, "Listen."), (2, "Pay people."), (3, "Meet early.")]

    listen, pay, early = essex_draft.points.order_by("order")
    move = reverse("editors:item-move", args=[essex_draft.pk, "learning", early.pk])
    stamp = seen(officer_client, section_url(essex_draft, "learning"))
    officer_client.post(move, {"direction": "up", "seen_version": stamp})
    assert texts(essex_draft) == [(1, "Listen."), (2, "Meet early."), (3, "Pay people.")]
    move = reverse("editors:item-move", args=[essex_draft.pk, "learning", listen.pk])
    stamp = seen(officer_client, section_url(essex_draft, "learning"))
    officer_client.post(move, {"direction": "down", "seen_version": stamp})
    assert texts(essex_draft) == [(1, "Meet early."), (2, "Listen."), (3, "Pay people.")]

    change = reverse("editors:item", args=[essex_draft.pk, "learning", pay.pk])
    officer_client.post(
        change, {"text": "Pay people for their time.", "seen_version": seen(officer_client, change)}
    )
    remove = reverse("editors:item-remove", args=[essex_draft.pk, "learning", listen.pk])
    confirm = officer_client.get(remove).content.decode()
    assert "Are you sure you want to remove this point?" in confirm
    assert texts(essex_draft)[1] == (2, "Listen.")  # asking removes nothing
    response = officer_client.post(
        remove, {"seen_version": seen(officer_client, remove)}, follow=True
    )
    assert "To put it back, add it again." in response.content.decode()
    assert texts(essex_draft) == [(1, "Meet early."), (2, "Pay people for their time.")]
    comments = [v.revision.get_comment() for v in versions_of(essex_draft)]
    assert comments[:3] == [
        "Removed a point from “What helped” in the guided form",
        "Changed a point in “What helped” in the guided form",
        "Moved a point in “What helped” in the guided form",
    ]


def test_an_empty_point_is_refused_and_an_empty_continue_saves_nothing(officer_client, essex_draft):
    response = add_item(officer_client, essex_draft, "barriers", text="")
    assert response.status_code == 200
    assert "Enter the point" in response.content.decode()
    response = add_item(officer_client, essex_draft, "barriers", action="continue", text="")
    assert response.url == task_list_url(essex_draft)
    assert texts(essex_draft, "barrier") == []
    response = add_item(officer_client, essex_draft, "barriers", action="continue", text="Time.")
    assert response.url == task_list_url(essex_draft)
    assert texts(essex_draft, "barrier") == [(1, "Time.")]


def test_a_stale_move_moves_nothing(officer_client, essex_draft):
    add_item(officer_client, essex_draft, "learning", text="Second.")
    first, second = essex_draft.points.order_by("order")
    stamp = seen(officer_client, section_url(essex_draft, "learning"))
    add_item(officer_client, essex_draft, "learning", text="Added in another tab.")
    move = reverse("editors:item-move", args=[essex_draft.pk, "learning", second.pk])
    response = officer_client.post(move, {"direction": "up", "seen_version": stamp}, follow=True)
    assert "nothing has been saved" in response.content.decode()
    assert texts(essex_draft)[:2] == [(1, "Listen."), (2, "Second.")]


def test_contact_consent_is_a_question_and_yes_records_today(officer_client, essex_draft):
    page = officer_client.get(section_url(essex_draft, "contacts")).content.decode()
    assert "Has this person agreed that their name and details can be published" in page
    add_item(
        officer_client,
        essex_draft,
        "contacts",
        name="Sam Test",
        email="sam@example.org",
        agreed="yes",
    )
    add_item(officer_client, essex_draft, "contacts", name="Alex Test", agreed="no")
    sam, alex = essex_draft.contacts.order_by("order")
    assert (sam.consent, sam.last_verified_on) == (Contact.Consent.GIVEN, timezone.localdate())
    assert (alex.consent, alex.last_verified_on) == (Contact.Consent.NOT_GIVEN, None)
    response = add_item(officer_client, essex_draft, "contacts", role="Commissioner")
    page = response.content.decode()
    assert "Enter a name or an email address" in page
    assert "Say whether this person has agreed to be published" in page
    assert 'value="Commissioner"' in page
    assert essex_draft.contacts.count() == 2


def test_links_and_quotes_are_added_on_their_own_pages(officer_client, essex_draft):
    page = officer_client.get(section_url(essex_draft, "links-and-quotes")).content.decode()
    assert "Add a link" in page and "Add a quote" in page
    add_item(officer_client, essex_draft, "links", title="Our report", url="https://example.org/r")
    response = add_item(officer_client, essex_draft, "links", title="Bad", url="not an address")
    assert "Enter a web address starting with https://" in response.content.decode()
    add_item(officer_client, essex_draft, "quotes", text="We were heard.", attribution="A carer")
    assert list(essex_draft.links.values_list("order", "title")) == [(1, "Our report")]
    assert list(essex_draft.quotes.values_list("text", "attribution")) == [
        ("We were heard.", "A carer")
    ]


def test_examples_quote_published_case_studies_word_for_word():
    strings = []

    def collect(value):
        if isinstance(value, dict):
            for item in value.values():
                collect(item)
        elif isinstance(value, list):
            for item in value:
                collect(item)
        elif isinstance(value, str):
            strings.append(value)

    for path in CONTENT.glob("*.yaml"):
        collect(yaml.safe_load(path.read_text(encoding="utf-8")))
    titles = set(strings)
    for name, (words, source) in EXAMPLES.items():
        assert words in titles, name
        assert source in titles, name


# ------------------------------------------------------------------ check and submit


def test_check_page_lists_what_is_missing_and_links_to_the_section(officer_client, essex):
    start(officer_client)
    case_study = CaseStudy.objects.get()
    url = reverse("editors:check", args=[case_study.pk])
    response = officer_client.get(url)
    page = response.content.decode()
    assert "What is still missing" in page
    assert f'href="{section_url(case_study, "story")}">The story</a>' in page
    assert section_url(case_study, "learning") in page
    assert "Submit for review" not in page
    officer_client.post(url, {"seen_version": response.context["seen_version"]})
    case_study.refresh_from_db()
    assert case_study.status == Status.DRAFT


def test_check_page_names_every_missing_part_with_its_own_section(officer_client, essex_draft):
    """Each thing publishing needs is said in the guided form's words and linked to the page
    that fills it in, whatever words the model uses for it."""
    CaseStudy.objects.filter(pk=essex_draft.pk).update(title=" ", standfirst="", narrative="")
    essex_draft.points.all().delete()
    Contact.objects.create(
        case_study=essex_draft, name="Test contact", consent=Contact.Consent.GIVEN, order=1
    )
    page = officer_client.get(reverse("editors:check", args=[essex_draft.pk])).content.decode()
    for section, words in [
        ("about", "A title"),
        ("about", "A summary in one sentence"),
        ("story", "The story"),
        ("learning", "At least one point in"),
        ("contacts", "For a contact: whether they have agreed to be published"),
    ]:
        assert f'href="{section_url(essex_draft, section)}">{words}' in page, words


def test_check_and_submit_sends_the_entry_for_review(officer_client, essex_draft):
    url = reverse("editors:check", args=[essex_draft.pk])
    response = officer_client.get(url)
    page = response.content.decode()
    assert "Nothing is missing" in page
    assert "Carers met the council every month." in page  # the story, as the public sees it
    response = officer_client.post(url, {"seen_version": response.context["seen_version"]})
    assert response.url == reverse("editors:submitted", args=[essex_draft.pk])
    essex_draft.refresh_from_db()
    assert essex_draft.status == Status.IN_REVIEW
    assert essex_draft.transitions.get().by.username == "officer.essex"
    page = officer_client.get(response.url).content.decode()
    assert "Your case study has been sent for review" in page
    assert "What happens next" in page
    dashboard = officer_client.get(reverse("editors:dashboard")).context["groups"]
    assert dashboard["in_review"] == [essex_draft]


def test_submit_after_another_change_is_refused(officer_client, essex_draft):
    url = reverse("editors:check", args=[essex_draft.pk])
    stamp = officer_client.get(url).context["seen_version"]
    story = section_url(essex_draft, "story")
    officer_client.post(
        story, {"narrative": "Changed.", "seen_version": seen(officer_client, story)}
    )
    response = officer_client.post(url, {"seen_version": stamp})
    assert response.status_code == 400
    assert "Someone else changed" in response.content.decode()
    essex_draft.refresh_from_db()
    assert essex_draft.status == Status.DRAFT


def test_entry_in_review_is_read_only_and_says_why(officer_client, essex_draft, officer_essex):
    case_study_move(case_study=essex_draft, by=officer_essex, action="submit")
    page = officer_client.get(task_list_url(essex_draft)).content.decode()
    assert "This case study is in review." in page
    assert section_url(essex_draft, "story") not in page
    response = officer_client.post(
        section_url(essex_draft, "story"), {"narrative": "Changed in review."}
    )
    assert response.url == task_list_url(essex_draft)
    point = essex_draft.points.get()
    remove = reverse("editors:item-remove", args=[essex_draft.pk, "learning", point.pk])
    officer_client.post(remove)
    essex_draft.refresh_from_db()
    assert essex_draft.narrative == "Carers met the council every month."
    assert essex_draft.points.count() == 1


# ------------------------------------------------------------------ returned drafts, updates


def test_returned_draft_shows_the_leads_comment_and_can_be_resubmitted(
    officer_client, essex_draft, officer_essex, lead_east
):
    case_study_move(case_study=essex_draft, by=officer_essex, action="submit")
    case_study_move(
        case_study=essex_draft, by=lead_east, action="return", comment="Please add a barrier."
    )
    page = officer_client.get(task_list_url(essex_draft)).content.decode()
    assert "returned this case study to you" in page
    assert "Please add a barrier." in page
    add_item(officer_client, essex_draft, "barriers", text="Short deadlines.")
    url = reverse("editors:check", args=[essex_draft.pk])
    officer_client.post(url, {"seen_version": seen(officer_client, url)})
    essex_draft.refresh_from_db()
    assert essex_draft.status == Status.IN_REVIEW


def test_published_entry_gets_an_update_through_the_same_journey(officer_client, full_case_study):
    page = officer_client.get(task_list_url(full_case_study)).content.decode()
    assert "This case study is published." in page
    response = officer_client.post(reverse("editors:propose-update", args=[full_case_study.pk]))
    update = CaseStudy.objects.get(update_of=full_case_study)
    assert response.url == task_list_url(update)
    assert update.status == Status.DRAFT
    story = section_url(update, "story")
    officer_client.post(
        story, {"narrative": "An updated story.", "seen_version": seen(officer_client, story)}
    )
    update.refresh_from_db()
    full_case_study.refresh_from_db()
    assert update.narrative == "An updated story."
    assert full_case_study.narrative.startswith("The council met people.")
    # The update stays in the published entry's region: the officer is not offered it.
    assert "region" not in officer_client.get(section_url(update, "places")).context["form"].fields
    # The published entry cannot be changed in the journey.
    officer_client.post(section_url(full_case_study, "story"), {"narrative": "Direct change."})
    full_case_study.refresh_from_db()
    assert full_case_study.narrative.startswith("The council met people.")


def test_officer_cannot_propose_a_second_update(officer_client, full_case_study, officer_essex):
    case_study_move(case_study=full_case_study, by=officer_essex, action="propose_update")
    response = officer_client.post(reverse("editors:propose-update", args=[full_case_study.pk]))
    assert response.status_code == 403
    assert CaseStudy.objects.filter(update_of=full_case_study).count() == 1


def test_unknown_section_or_list_is_not_found(officer_client, essex_draft):
    assert officer_client.get(section_url(essex_draft, "combined")).status_code == 404
    url = reverse("editors:item-add", args=[essex_draft.pk, "combined"])
    assert officer_client.get(url).status_code == 404


def test_new_quote_keeps_order_numbers_from_one(officer_client, essex):
    case_study = make_case_study(
        title="Quotes only", region=essex.region, councils=[essex], status=Status.DRAFT
    )
    Quote.objects.create(case_study=case_study, order=7, text="Out of order.")
    add_item(officer_client, case_study, "quotes", text="Another.")
    assert list(case_study.quotes.values_list("order", "text")) == [
        (1, "Out of order."),
        (2, "Another."),
    ]


def test_leads_and_site_administrators_use_the_same_journey(client, lead_east, site_admin, east):
    client.force_login(lead_east)
    assert client.get(reverse("editors:dashboard")).status_code == 200
    start(client, title="A regional programme")
    programme = CaseStudy.objects.get(title="A regional programme")
    assert (programme.region, list(programme.councils.all())) == (east, [])
    client.force_login(site_admin)
    assert "Whose work is it?" in client.get(reverse("editors:start")).content.decode()
    start(client, title="Chosen by an administrator", place=f"region-{east.pk}")
    assert CaseStudy.objects.get(title="Chosen by an administrator").region == east
