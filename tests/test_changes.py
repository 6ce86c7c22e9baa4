"""What changed in a case study (casestudies/changes.py), and the admin pages that show it: the
compare page of two versions, and "what changed against the published version" of an update."""

import datetime
import re

import pytest
import reversion
from django.conf import settings
from django.urls import reverse
from reversion.models import Version

from casestudies import workflow
from casestudies.changes import (
    FIELDS,
    NAMED,
    changes_between,
    compare,
    list_diff,
    snapshot,
    snapshot_of_version,
    word_diff,
)
from casestudies.models import POINT_LISTS, CaseStudy, Contact, Link, Point, Quote, Status
from editorial.roles import COUNCIL_OFFICER
from tests.helpers import make_editor

pytestmark = pytest.mark.django_db

LEARNING, CONDITIONS, BARRIERS = (point_list.default_heading for point_list in POINT_LISTS[:3])


def text(html):
    """What a person reads: the HTML without its tags, spaces run together."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def headings(html):
    """The words of every <h3> in the page (the compare page names each changed part so)."""
    return [text(found) for found in re.findall(r"<h3[^>]*>(.*?)</h3>", html, re.S)]


def fresh(case_study):
    return CaseStudy.objects.with_page_data().get(pk=case_study.pk)


def saved_version(case_study, **changes):
    """Change the case study and save it as a new version; return that version's revision."""
    for name, value in changes.items():
        setattr(case_study, name, value)
    with reversion.create_revision():
        case_study.save()
    return Version.objects.get_for_object(case_study).order_by("-pk").first().revision


# ------------------------------------------------------------------ words and lists


def test_word_diff_marks_words_taken_out_and_put_in():
    html = word_diff("Carers met the council.", "Carers met the council every month.")
    assert "Carers met the" in html
    assert "<del>" in html and "<ins>" in html
    assert text(html) == "Carers met the removed: council. added: council every month."


def test_word_diff_escapes_both_texts():
    html = word_diff("<b>old</b>", "<script>new</script>")
    assert "<script>" not in html and "<b>" not in html
    assert "&lt;script&gt;new&lt;/script&gt;" in html


def test_word_diff_keeps_line_breaks():
    html = word_diff("First paragraph.", "First paragraph.\n\nSecond one.")
    assert text(html) == "First paragraph. added: Second one."
    assert "\n\nSecond one.</ins>" in html


def test_list_diff_names_items_added_removed_changed_and_moved_in_their_own_order():
    old = (
        "Listen early.",
        "Pay people for their time.",
        "Meet in the evening.",
        "Use plain words.",
    )
    new = ("Use plain words.", "Listen early.", "Pay people fairly for their time.", "Go to them.")
    changes = list_diff(old, new)
    described = [(change.how, change.position, text(change.html)) for change in changes]
    assert described == [
        ("moved", 1, "Use plain words."),
        ("changed", 3, "Pay people added: fairly for their time."),
        ("removed", 3, "Meet in the evening."),
        ("added", 4, "Go to them."),
    ]
    assert changes[0].old_position == 4


def test_list_diff_of_equal_lists_is_empty():
    assert list_diff(("One.", "Two."), ("One.", "Two.")) == []


# ------------------------------------------------------------------ a case study's parts


def test_each_field_an_editor_writes_has_a_plain_heading():
    """Every content field is shown under a heading of its own, or as a list's heading: a field
    added to the model without a place here would go unnoticed in every comparison."""
    heading_fields = {point_list.heading_field for point_list in POINT_LISTS}
    covered = {attname for attname, _ in FIELDS} | heading_fields
    content = {field.attname for field in CaseStudy.content_fields()}
    assert covered == content
    assert {name for name, _ in NAMED} == set(CaseStudy.LINKS)


def test_points_are_compared_list_by_list_under_their_own_headings(full_case_study):
    update = fresh(full_case_study)
    before = snapshot(update)
    Point.objects.filter(case_study=update, kind=Point.Kind.BARRIER).update(text="Long deadlines.")
    Point.objects.create(
        case_study=update, kind=Point.Kind.CONDITION, order=2, text="Listen early."
    )
    changes = compare(before, snapshot(fresh(full_case_study)))
    by_heading = {change.heading: change for change in changes}
    # The entry's own heading for its conditions; the question the reports ask for the others.
    assert set(by_heading) == {"What were the enablers?", BARRIERS}
    conditions = by_heading["What were the enablers?"].items
    assert [(item.how, item.position, text(item.html)) for item in conditions] == [
        ("added", 2, "Listen early.")
    ]
    barriers = by_heading[BARRIERS].items
    assert [(item.how, text(item.html)) for item in barriers] == [
        ("changed", "removed: Short added: Long deadlines.")
    ]


def test_a_changed_list_heading_is_shown(full_case_study):
    before = snapshot(fresh(full_case_study))
    full_case_study.conditions_heading = "What helped?"
    full_case_study.save()
    (change,) = compare(before, snapshot(fresh(full_case_study)))
    assert change.heading == "What helped?"
    assert change.old_heading == "What were the enablers?"
    assert change.items == ()


def test_texts_contacts_links_quotes_and_named_records_are_compared(full_case_study, norfolk):
    before = snapshot(fresh(full_case_study))
    full_case_study.standfirst = "Carers redesigned the support offer."
    full_case_study.stage = CaseStudy.Stage.EARLY
    full_case_study.started_on = datetime.date(2022, 5, 1)
    full_case_study.save()
    full_case_study.councils.add(norfolk)
    Contact.objects.filter(name="Private Person").update(consent=Contact.Consent.GIVEN)
    Link.objects.filter(title="Council website").delete()
    Quote.objects.create(case_study=full_case_study, order=2, text="We were paid.")
    changes = {
        change.heading: change for change in compare(before, snapshot(fresh(full_case_study)))
    }
    assert list(changes) == [
        "Summary",
        "Stage of the work",
        "Work started",
        "Councils",
        "Contacts",
        "Further information",
        "In their own words",
    ]
    assert text(changes["Stage of the work"].html) == "removed: Established added: Early days"
    assert text(changes["Work started"].html) == "removed: 1 April 2021 added: 1 May 2022"
    assert [text(item.html) for item in changes["Councils"].items] == ["Norfolk County Council"]
    (contact,) = changes["Contacts"].items
    assert contact.how == "changed"
    assert "Consent to publish: removed: Not given: do not publish. added: Given" in text(
        contact.html
    )
    (link,) = changes["Further information"].items
    assert (link.how, text(link.html)) == ("removed", "Council website (https://www.essex.gov.uk/)")
    (quote,) = changes["In their own words"].items
    assert (quote.how, quote.position) == ("added", 2)


def test_workflow_fields_are_never_shown_as_changes(full_case_study):
    before = snapshot(fresh(full_case_study))
    full_case_study.status = Status.ARCHIVED
    full_case_study.slug = "another-address"
    full_case_study.published_on = datetime.date(2025, 1, 1)
    full_case_study.save()
    assert compare(before, snapshot(fresh(full_case_study))) == []


def test_a_version_reads_as_the_entry_did_then(full_case_study):
    with reversion.create_revision():
        full_case_study.save()
    first = Version.objects.get_for_object(full_case_study).get().revision
    then = snapshot(fresh(full_case_study))
    saved_version(full_case_study, title="A new title")
    assert snapshot_of_version(full_case_study.pk, first) == then


def test_changes_between_an_update_and_its_published_entry(full_case_study, lead_east):
    step = workflow.case_study_move(
        case_study=full_case_study, by=lead_east, action="propose_update"
    )
    update = step.case_study
    assert changes_between(fresh(full_case_study), fresh(update)) == []
    Point.objects.create(case_study=update, kind=Point.Kind.LEARNING, order=3, text="Be patient.")
    (change,) = changes_between(fresh(full_case_study), fresh(update))
    assert change.heading == LEARNING
    assert [(item.how, item.position) for item in change.items] == [("added", 3)]


# ------------------------------------------------------------------ the admin's compare page


@pytest.fixture
def two_versions(full_case_study, norfolk):
    """Two versions of the full case study: the second has a longer story, another council,
    and its first learning point and its barrier changed."""
    with reversion.create_revision():
        full_case_study.save()
    full_case_study.narrative += "\n\n" + "A very long paragraph without a break. " * 40
    full_case_study.save()
    full_case_study.councils.add(norfolk)
    Point.objects.filter(case_study=full_case_study, order=1, kind="learning").update(
        text="Zebra crossings were made safer first."
    )
    Point.objects.filter(case_study=full_case_study, kind="barrier").update(text="Apples.")
    with reversion.create_revision():
        full_case_study.save()
    return Version.objects.get_for_object(full_case_study).order_by("pk")


def compare_page(client, lead, versions):
    """The admin's compare page of the two versions, as the region's lead sees it."""
    client.force_login(lead)
    case_study = versions[0].object
    url = reverse("admin:casestudies_casestudy_compare", args=[case_study.pk])
    response = client.get(url, {"version_id1": versions[0].pk, "version_id2": versions[1].pk})
    assert response.status_code == 200
    return response.content.decode()


def test_compare_page_names_parts_in_plain_english(client, two_versions, lead_east):
    html = compare_page(client, lead_east, two_versions)
    shown = headings(html)
    assert shown == ["The story", "Councils", LEARNING, BARRIERS]
    for raw in ("narrative", "standfirst", "points", "learning heading", "case_study"):
        assert raw not in [heading.lower() for heading in shown]


def test_compare_page_has_no_note_about_reversion_control(client, two_versions, lead_east):
    html = compare_page(client, lead_east, two_versions)
    assert "reversion control" not in html
    assert "Norfolk County Council" in html


def test_compare_page_keeps_each_list_apart_in_its_own_order(client, two_versions, lead_east):
    html = compare_page(client, lead_east, two_versions)
    learning, barriers = html.index(LEARNING), html.index(BARRIERS)
    zebra, apples = html.index("Zebra"), html.index("Apples.")
    # The learning point changed under its own list, before the barriers (not "Apples" first,
    # as an alphabetical list of every point would have it).
    assert learning < zebra < barriers < apples


def test_compare_page_wraps_the_story(client, two_versions, lead_east):
    html = compare_page(client, lead_east, two_versions)
    story = re.search(r'<p class="[^"]*changes__text[^"]*">([^<]*<ins>)', html)
    assert story is not None, "the story's difference is not in a wrapping paragraph"
    assert "/static/css/changes.css" in html
    css = (settings.BASE_DIR / "static" / "css" / "changes.css").read_text()
    assert re.search(r"\.changes__text \{ white-space: pre-wrap; overflow-wrap: anywhere; \}", css)


def test_update_draft_links_to_what_changed_against_the_published_version(
    client, full_case_study, officer_essex
):
    step = workflow.case_study_move(
        case_study=full_case_study, by=officer_essex, action="propose_update"
    )
    update = step.case_study
    update.title = "Redesign of direct payment support, two years on"
    update.save()
    client.force_login(officer_essex)
    change_page = client.get(reverse("admin:casestudies_casestudy_change", args=[update.pk]))
    url = reverse("admin:casestudies_casestudy_changes", args=[update.pk])
    assert f'href="{url}"' in change_page.content.decode()
    assert "What changed against the published version" in change_page.content.decode()
    html = client.get(url).content.decode()
    assert headings(html) == ["Title"]
    assert "removed: support added: support, two years on" in text(html)


def test_published_entry_has_no_what_changed_link(client, full_case_study, officer_essex):
    client.force_login(officer_essex)
    page = client.get(reverse("admin:casestudies_casestudy_change", args=[full_case_study.pk]))
    assert "What changed against the published version" not in page.content.decode()
    url = reverse("admin:casestudies_casestudy_changes", args=[full_case_study.pk])
    assert client.get(url).status_code == 404


def test_what_changed_is_refused_outside_the_editors_area(
    client, full_case_study, lead_east, shropshire
):
    step = workflow.case_study_move(
        case_study=full_case_study, by=lead_east, action="propose_update"
    )
    client.force_login(make_editor("officer.shropshire", COUNCIL_OFFICER, councils=[shropshire]))
    url = reverse("admin:casestudies_casestudy_changes", args=[step.case_study.pk])
    assert client.get(url).status_code == 404
