"""The case study's admin form in Chromium: what is typed survives "Submit for review", the
contacts fit the screen, new list rows are numbered, autocomplete boxes say what to type.

Screenshots go to test-artifacts/admin/, to look at after a run."""

import pytest
from django.urls import reverse

from casestudies.models import CaseStudy, Status
from tests.helpers import change_url, save_screenshot

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_submit_for_review_keeps_what_was_typed(sign_in, officer_essex, essex_draft):
    officer = sign_in("officer.essex")
    officer.goto(change_url(essex_draft))
    officer.get_by_label("Summary (one sentence):").fill("Typed, then sent straight away.")
    save_screenshot(officer, "admin", "change-page-officer-draft-1280")
    officer.get_by_role("button", name="Save and submit for review").last.click()
    expect(officer.get_by_text("Your changes were saved. Done: submit for review")).to_be_visible()
    essex_draft.refresh_from_db()
    assert essex_draft.standfirst == "Typed, then sent straight away."
    assert essex_draft.status == Status.IN_REVIEW
    officer.goto(reverse("admin:index"))
    expect(officer.locator("#start-page")).to_contain_text("Sent for review")
    expect(officer.locator("#start-page")).to_contain_text(essex_draft.title)
    save_screenshot(officer, "admin", "start-page-officer-after-submitting-1280")


def test_leaving_with_changes_not_saved_asks_first(sign_in, officer_essex, essex_draft):
    officer = sign_in("officer.essex")
    officer.goto(change_url(essex_draft))
    officer.get_by_label("The story:").fill("Not saved yet.")
    asked = []

    def answer(dialog):
        asked.append(dialog.type)
        dialog.dismiss()  # stay on the page

    officer.on("dialog", answer)
    officer.get_by_role("link", name="Preview").click()
    officer.wait_for_timeout(300)
    assert asked == ["beforeunload"]
    expect(officer.get_by_label("The story:")).to_have_value("Not saved yet.")


@pytest.mark.parametrize("width", [1280, 390])
def test_the_change_page_fits_the_screen_with_consent_in_view(
    sign_in, lead_east, full_case_study, width
):
    lead = sign_in("lead.east")
    lead.set_viewport_size({"width": width, "height": 900})
    lead.goto(change_url(full_case_study))
    save_screenshot(lead, "admin", f"change-page-lead-published-{width}")
    save_screenshot(lead, "admin", f"contacts-{width}", part=lead.locator("#contacts-group"))
    save_screenshot(lead, "admin", f"buttons-{width}", part=lead.locator(".submit-row").first)
    scroll_width = lead.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= width
    for field in ("consent", "last_verified_on"):
        box = lead.locator(f"#id_contacts-0-{field}").bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width, (field, box)
    expect(lead.get_by_text("Date consent to publish was recorded").first).to_be_visible()


def test_new_list_rows_take_the_next_number(sign_in, lead_east, full_case_study):
    lead = sign_in("lead.east")
    lead.goto(change_url(full_case_study))
    group = lead.locator("#points-learning-group")
    add = group.get_by_role("button", name="Add another point")
    add.click()
    add.click()
    expect(lead.locator("#id_points-learning-2-order")).to_have_value("3")
    expect(lead.locator("#id_points-learning-3-order")).to_have_value("4")
    lead.locator("#id_points-learning-2-text").fill("A third point.")
    lead.locator("#id_points-learning-3-text").fill("A fourth point.")
    lead.get_by_role("button", name="Save", exact=True).first.click()
    expect(lead.get_by_text("was changed successfully")).to_be_visible()
    points = CaseStudy.objects.get(pk=full_case_study.pk).points.filter(kind="learning")
    assert list(points.order_by("order").values_list("order", "text"))[2:] == [
        (3, "A third point."),
        (4, "A fourth point."),
    ]


def test_empty_autocomplete_boxes_say_what_to_type(sign_in, officer_essex, essex):
    officer = sign_in("officer.essex")
    officer.goto(reverse("admin:casestudies_casestudy_add"))
    # Many: the search box inside it says so; one: the box itself.
    expect(officer.locator(".field-councils .select2-search__field")).to_have_attribute(
        "placeholder", "Start typing to find councils"
    )
    expect(officer.locator(".field-region .select2-selection")).to_contain_text(
        "Start typing to find regions"
    )
    save_screenshot(officer, "admin", "add-page-officer-1280")
