"""Editing a case study in the admin, as an officer or a lead meets it: the workflow buttons
save first, the form speaks plain English, the Councils rule is told at the field, the start
page keeps what was sent for review, every entry has a first version, newlines survive."""

import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from reversion.models import Version

from casestudies.models import CaseStudy, Point, Status
from casestudies.workflow import case_study_move
from tests.helpers import (
    SYNTHETIC_REPORT,
    change_url,
    form_data,
    make_case_study,
    make_editor,
    spreadsheet_confirm,
    spreadsheet_upload,
)

pytestmark = pytest.mark.django_db


def edited(client, case_study, **changes):
    """The change form's data as the browser would send it back, with `changes` typed in."""
    data = form_data(client.get(change_url(case_study)))
    data.update(changes)
    return data


def field_errors(response, name):
    return list(response.context["adminform"].form.errors.get(name, []))


# ------------------------------------------------------------------ workflow buttons save first


def test_submit_for_review_saves_the_change_then_submits(client, officer_essex, essex_draft):
    client.force_login(officer_essex)
    data = edited(client, essex_draft, standfirst="Typed just before submitting.")
    response = client.post(change_url(essex_draft), {**data, "_workflow": "submit"})
    assert response.status_code == 302
    essex_draft.refresh_from_db()
    assert essex_draft.standfirst == "Typed just before submitting."
    assert essex_draft.status == Status.IN_REVIEW
    # Two versions: the edit, then the move, each with its own note.
    latest, edit = Version.objects.get_for_object(essex_draft)[:2]
    assert latest.revision.comment == "Submitted for review"
    assert "Standfirst" in edit.revision.comment or "summary" in edit.revision.comment.lower()
    assert edit.field_dict["standfirst"] == "Typed just before submitting."
    page = client.get(response["Location"]).content.decode()
    assert "Your changes were saved" in page


def test_a_workflow_button_moves_nothing_when_the_form_has_errors(
    client, officer_essex, essex_draft
):
    client.force_login(officer_essex)
    data = edited(client, essex_draft, title="", standfirst="Kept on the page.")
    response = client.post(change_url(essex_draft), {**data, "_workflow": "submit"})
    assert response.status_code == 200
    assert field_errors(response, "title") == ["This field is required."]
    assert "Kept on the page." in response.content.decode()
    essex_draft.refresh_from_db()
    assert essex_draft.status == Status.DRAFT
    assert essex_draft.standfirst != "Kept on the page."
    assert not essex_draft.transitions.exists()


def test_return_saves_the_leads_change_then_asks_for_the_comment(
    client, officer_essex, lead_east, essex_draft
):
    case_study_move(case_study=essex_draft, by=officer_essex, action="submit")
    client.force_login(lead_east)
    data = edited(client, essex_draft, narrative="The lead's correction.")
    response = client.post(change_url(essex_draft), {**data, "_workflow": "return"})
    assert response["Location"] == reverse(
        "admin:casestudies_casestudy_workflow", args=[essex_draft.pk, "return"]
    )
    essex_draft.refresh_from_db()
    assert essex_draft.narrative == "The lead's correction."
    assert essex_draft.status == Status.IN_REVIEW  # returned only with a comment


def test_publish_that_cannot_be_made_keeps_the_saved_change_and_says_why(client, lead_east, essex):
    draft = make_case_study(title="No story yet", region=essex.region, councils=[essex])
    draft.status = Status.DRAFT
    draft.save()
    client.force_login(lead_east)
    data = edited(client, draft, standfirst="A better summary.")
    response = client.post(change_url(draft), {**data, "_workflow": "publish"})
    assert response["Location"] == reverse(
        "admin:casestudies_casestudy_workflow", args=[draft.pk, "publish"]
    )
    draft.refresh_from_db()
    assert (draft.standfirst, draft.status) == ("A better summary.", Status.DRAFT)
    page = client.get(response["Location"]).content.decode()
    assert "Your changes were saved" in page
    assert "It cannot be published yet" in page


def test_officer_cannot_publish_through_the_button(client, officer_essex, essex_draft):
    client.force_login(officer_essex)
    data = edited(client, essex_draft, standfirst="Saved anyway.")
    response = client.post(change_url(essex_draft), {**data, "_workflow": "publish"})
    assert response.status_code == 403
    essex_draft.refresh_from_db()
    assert essex_draft.status == Status.DRAFT
    assert essex_draft.standfirst != "Saved anyway."


def test_officer_of_another_council_cannot_submit_through_the_button(
    client, officer_essex, essex_draft, norfolk
):
    before = essex_draft.standfirst
    client.force_login(officer_essex)
    data = edited(client, essex_draft, standfirst="Not theirs.")
    other = make_editor("officer.norfolk", "Council officer", councils=[norfolk])
    client.force_login(other)
    client.post(change_url(essex_draft), {**data, "_workflow": "submit"})
    essex_draft.refresh_from_db()
    assert (essex_draft.status, essex_draft.standfirst) == (Status.DRAFT, before)
    assert not essex_draft.transitions.exists()


def test_workflow_buttons_are_buttons_of_the_change_form(client, officer_essex, essex_draft):
    client.force_login(officer_essex)
    html = client.get(change_url(essex_draft)).content.decode()
    form = re.search(r'<form [^>]*id="casestudy_form".*?</form>', html, re.S).group(0)
    assert re.search(r'<button[^>]*name="_workflow"[^>]*value="submit"', form)
    assert "/workflow/submit/" not in html  # no link that leaves without saving
    # The first button of the form is Save, so Enter in a text box saves.
    first = re.search(r'<(?:input|button)[^>]*type="submit"[^>]*>', form).group(0)
    assert 'name="_save"' in first


def test_officer_proposes_an_update_of_a_published_entry_with_a_link(
    client, officer_essex, full_case_study
):
    """A published entry is read-only for an officer: nothing to lose, so the move stays a link
    to its page."""
    client.force_login(officer_essex)
    html = client.get(change_url(full_case_study)).content.decode()
    assert f"/admin/casestudies/casestudy/{full_case_study.pk}/workflow/propose_update/" in html


def test_a_leads_proposed_update_leaves_the_published_page_as_it_was(
    client, lead_east, full_case_study
):
    """A proposed update is a draft copy of the published entry: the move cannot save what is
    typed first, or the public would see it at once. It stays a link, and a forged
    `_workflow=propose_update` changes nothing."""
    client.force_login(lead_east)
    html = client.get(change_url(full_case_study)).content.decode()
    assert 'value="propose_update"' not in html
    assert f"/admin/casestudies/casestudy/{full_case_study.pk}/workflow/propose_update/" in html
    data = edited(client, full_case_study, standfirst="Typed into the live page.")
    response = client.post(change_url(full_case_study), {**data, "_workflow": "propose_update"})
    assert response.status_code == 403
    full_case_study.refresh_from_db()
    assert full_case_study.standfirst != "Typed into the live page."
    assert not CaseStudy.objects.filter(update_of=full_case_study).exists()


# ------------------------------------------------------------------ plain English on the form


def test_the_form_speaks_plain_english_with_help_on_the_page(client, lead_east, full_case_study):
    client.force_login(lead_east)
    response = client.get(change_url(full_case_study))
    html = response.content.decode()
    labels = dict(re.findall(r'<label[^>]*for="id_([a-z_]+)"[^>]*>([^<]+?):?</label>', html))
    assert labels["slug"] == "Web address"
    assert labels["standfirst"] == "Summary (one sentence)"
    assert labels["narrative"] == "The story"
    assert "combined list" in labels["combined_heading"].lower()
    for word in ("Slug:", "Standfirst:", "Narrative:", ">Record<", "Combined heading"):
        assert word not in html, word
    # Help is text under the field, never a "?" tooltip.
    assert "help-tooltip" not in html
    assert "/case-studies/" in help_text(html, "slug")
    assert "source document that puts barriers and conditions" in help_text(
        html, "combined_heading"
    )


def help_text(html, field):
    return re.search(
        rf'<div class="help"[^>]*id="id_{field}_helptext"[^>]*>(.*?)</div>', html, re.S
    ).group(1)


def test_new_list_rows_start_at_the_next_number(client, lead_east, full_case_study):
    client.force_login(lead_east)
    response = client.get(change_url(full_case_study))
    formsets = {
        inline.formset.prefix: inline.formset
        for inline in response.context["inline_admin_formsets"]
    }
    learning = formsets["points-learning"]  # two points already
    assert learning.empty_form["order"].value() == 3
    assert formsets["points-combined"].empty_form["order"].value() == 1
    assert formsets["contacts"].empty_form["order"].value() == 3


def test_autocomplete_boxes_say_what_to_type(client, lead_east, full_case_study):
    client.force_login(lead_east)
    html = client.get(change_url(full_case_study)).content.decode()
    for field in ("region", "councils", "organisations", "topics", "publication"):
        select = re.search(rf'<select[^>]*name="{field}"[^>]*>', html).group(0)
        placeholder = re.search(r'data-placeholder="([^"]*)"', select).group(1)
        assert placeholder.startswith("Start typing"), (field, placeholder)


def test_contacts_say_what_publishing_needs(client, lead_east, full_case_study):
    client.force_login(lead_east)
    html = client.get(change_url(full_case_study)).content.decode()
    assert "Date consent to publish was recorded" in html
    assert "Last checked" not in html
    assert "Publishing needs" in help_text(html, "contacts-0-last_verified_on")


# ------------------------------------------------------------------ councils: told at the field


def without_councils(client, *, title, slug, region):
    """The add form as the browser would send it, with no councils named."""
    data = form_data(client.get(reverse("admin:casestudies_casestudy_add")))
    data.update(title=title, slug=slug, standfirst="x", region=region, stage="in_progress")
    data.pop("councils", None)
    return data


def test_officer_leaving_councils_empty_is_told_at_the_field_why(client, officer_essex, essex):
    client.force_login(officer_essex)
    add = reverse("admin:casestudies_casestudy_add")
    data = without_councils(client, title="No councils", slug="no-councils", region=essex.region_id)
    response = client.post(add, data)
    (error,) = field_errors(response, "councils")
    assert error.startswith("Name at least one of your councils")
    assert "Only regional leads" in error
    assert not response.context["adminform"].form.non_field_errors()
    assert "Only regional leads can leave this empty" in help_text(
        response.content.decode(), "councils"
    )
    assert not CaseStudy.objects.filter(slug="no-councils").exists()


def test_lead_may_leave_councils_empty_for_a_regional_programme(client, lead_east, east):
    client.force_login(lead_east)
    add = reverse("admin:casestudies_casestudy_add")
    data = without_councils(client, title="A regional programme", slug="regional", region=east.pk)
    assert client.post(add, data).status_code == 302
    assert not CaseStudy.objects.get(slug="regional").councils.exists()


def test_lead_of_another_region_is_told_at_the_field(client, lead_east, west_midlands):
    client.force_login(lead_east)
    add = reverse("admin:casestudies_casestudy_add")
    data = without_councils(client, title="Elsewhere", slug="elsewhere", region=west_midlands.pk)
    response = client.post(add, data)
    assert field_errors(response, "region") == [
        "Choose one of your regions, or one of your councils."
    ]
    assert not CaseStudy.objects.filter(slug="elsewhere").exists()


# ------------------------------------------------------------------ the officer's start page


def test_officer_still_sees_an_entry_after_sending_it_for_review(
    client, officer_essex, lead_east, essex_draft, essex
):
    case_study_move(case_study=essex_draft, by=officer_essex, action="submit")
    published = make_case_study(title="Carers cafe", region=essex.region, councils=[essex])
    client.force_login(officer_essex)
    page = client.get(reverse("admin:index")).content.decode()
    sent = section(page, "Sent for review")
    assert essex_draft.title in sent
    assert "you cannot change them until" in sent.lower()
    assert essex_draft.title not in section(page, "Your drafts and returned submissions")
    assert published.title in section(page, "Recently published")


def section(page, heading):
    """The part of the start page under `heading`, up to the next heading."""
    return re.search(rf"<h2>{heading}</h2>(.*?)(?=<h2>|</div>)", page, re.S).group(1)


@pytest.mark.parametrize("count", [1, 3])
def test_the_officers_start_page_has_a_fixed_number_of_queries(
    client, officer_essex, essex, count, django_assert_num_queries
):
    for number in range(count):
        for status in (Status.DRAFT, Status.IN_REVIEW, Status.PUBLISHED):
            make_case_study(
                title=f"{status} {number}", region=essex.region, councils=[essex], status=status
            )
    client.force_login(officer_essex)
    with django_assert_num_queries(15):
        page = client.get(reverse("admin:index")).content.decode()
    for number in range(count):
        assert f"draft {number}" in section(page, "Your drafts and returned submissions")
        assert f"in_review {number}" in section(page, "Sent for review")
        assert f"published {number}" in section(page, "Recently published")


# ------------------------------------------------------------------ a first version, whoever made


def change_compare_and_revert(client, case_study):
    """A lead's first change of an entry in the admin, compared with the entry's first version
    and reverted to it. Returns the entry as it is after the revert."""
    original = case_study.standfirst
    assert Version.objects.get_for_object(case_study).count() == 1
    response = client.post(
        change_url(case_study), edited(client, case_study, standfirst="Changed in the admin.")
    )
    assert response.status_code == 302
    latest, first = Version.objects.get_for_object(case_study)
    compare = client.get(
        reverse("admin:casestudies_casestudy_compare", args=[case_study.pk]),
        {"version_id1": first.pk, "version_id2": latest.pk},
    )
    assert compare.status_code == 200
    assert first.field_dict["standfirst"] == original
    # The compare page shows the changed field, and only changed fields.
    assert "summary (one sentence)" in compare.content.decode().lower()
    assert "the story" not in compare.content.decode().lower()
    url = reverse("admin:casestudies_casestudy_revision", args=[case_study.pk, first.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert client.post(url, form_data(page)).status_code == 302
    case_study.refresh_from_db()
    assert case_study.standfirst == original
    return case_study


def test_seeded_entry_has_a_first_version_to_compare_and_revert_to(client, nine_regions):
    call_command("load_seed_content", verbosity=0)
    case_study = CaseStudy.objects.filter(councils__isnull=False).order_by("pk").first()
    (first,) = Version.objects.get_for_object(case_study)
    assert first.revision.comment == "Loaded from the seed content"
    lead = make_editor("lead.seed", "Regional lead", regions=[case_study.region])
    client.force_login(lead)
    change_compare_and_revert(client, case_study)


def test_imported_entry_has_a_first_version_to_compare_and_revert_to(
    client, lead_east, essex, tmp_path
):
    report = tmp_path / "synthetic.txt"
    report.write_text(SYNTHETIC_REPORT, encoding="utf-8")
    call_command("import_report", str(report), verbosity=0)
    case_study = CaseStudy.objects.get(title="Synthetic case study one: a test title")
    client.force_login(lead_east)
    change_compare_and_revert(client, case_study)


def test_entry_created_by_spreadsheet_has_a_first_version_to_compare_and_revert_to(
    client, lead_east, essex
):
    client.force_login(lead_east)
    rows = (
        "slug,title,standfirst,narrative,region,councils,stage\n"
        "from-a-sheet,From a sheet,Typed in a spreadsheet.,What happened.,"
        f"{essex.region.slug},{essex.slug},in_progress\n"
    )
    spreadsheet_confirm(client, spreadsheet_upload(client, rows))
    case_study = CaseStudy.objects.get(slug="from-a-sheet")
    (first,) = Version.objects.get_for_object(case_study)
    assert first.revision.comment == "Created by a spreadsheet import"
    change_compare_and_revert(client, case_study)


def test_entry_changed_by_spreadsheet_keeps_its_text_from_before(client, lead_east, essex):
    """An entry with no version yet (made before versions were kept) changed by a spreadsheet
    import: its text from before the import is kept as its first version, to restore."""
    case_study = make_case_study(
        title="Older entry",
        region=essex.region,
        councils=[essex],
        standfirst="The words from before.",
        narrative="Story.",
    )
    assert not Version.objects.get_for_object(case_study).exists()
    client.force_login(lead_east)
    rows = (
        "slug,title,standfirst,narrative,region,councils,stage\n"
        f"{case_study.slug},Older entry,Words from the sheet.,Story.,"
        f"{essex.region.slug},{essex.slug},in_progress\n"
    )
    spreadsheet_confirm(client, spreadsheet_upload(client, rows))
    case_study.refresh_from_db()
    assert case_study.standfirst == "Words from the sheet."
    latest, first = Version.objects.get_for_object(case_study)
    assert latest.revision.comment == "Changed by a spreadsheet import"
    assert first.field_dict["standfirst"] == "The words from before."
    url = reverse("admin:casestudies_casestudy_revision", args=[case_study.pk, first.pk])
    page = client.get(url)
    assert client.post(url, form_data(page)).status_code == 302
    case_study.refresh_from_db()
    assert case_study.standfirst == "The words from before."


# ------------------------------------------------------------------ newlines


def test_saving_the_form_unchanged_records_no_change_to_the_story(
    client, lead_east, full_case_study
):
    client.force_login(lead_east)
    data = form_data(client.get(change_url(full_case_study)))
    # Browsers send a text area's line breaks as CR LF.
    for name, value in list(data.items()):
        if isinstance(value, str) and "\n" in value:
            data[name] = value.replace("\n", "\r\n")
    assert "\r\n" in data["narrative"]
    assert client.post(change_url(full_case_study), data).status_code == 302
    stored = CaseStudy.objects.get(pk=full_case_study.pk)
    assert "\r" not in stored.narrative
    assert stored.narrative == full_case_study.narrative
    latest = Version.objects.get_for_object(full_case_study).first()
    assert latest.revision.comment == "No fields changed."


def test_typed_line_breaks_are_stored_without_carriage_returns(client, lead_east, full_case_study):
    client.force_login(lead_east)
    data = edited(client, full_case_study, narrative="One.\r\n\r\nTwo.")
    data["points-learning-0-text"] = "A point\r\non two lines."
    assert client.post(change_url(full_case_study), data).status_code == 302
    full_case_study.refresh_from_db()
    assert full_case_study.narrative == "One.\n\nTwo."
    assert Point.objects.filter(text="A point\non two lines.").exists()
