"""Two editors with one case study open in Chromium: the second save says what changed."""

import pytest

from editorial.roles import COUNCIL_OFFICER, REGIONAL_LEAD
from tests.helpers import make_editor

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_second_editor_sees_what_changed_and_can_save_again(sign_in, essex, essex_draft):
    url = f"/admin/casestudies/casestudy/{essex_draft.pk}/change/"
    make_editor("officer.essex", COUNCIL_OFFICER, councils=[essex])
    make_editor("lead.east", REGIONAL_LEAD, regions=[essex.region])
    officer = sign_in("officer.essex")
    lead = sign_in("lead.east")
    officer.goto(url)
    lead.goto(url)

    officer.get_by_label("Title:").fill("The officer's title")
    officer.get_by_role("button", name="Save", exact=True).first.click()
    expect(officer.locator(".messagelist")).to_contain_text("was changed successfully")

    lead.get_by_label("Summary (one sentence):").fill("The lead's summary.")
    lead.get_by_role("button", name="Save", exact=True).first.click()
    errors = lead.locator(".errorlist.nonfield")
    expect(errors).to_contain_text("Someone else changed this case study since you opened it")
    expect(errors).to_contain_text("officer.essex: Changed Title.")
    expect(lead.get_by_label("Summary (one sentence):")).to_have_value("The lead's summary.")

    lead.get_by_role("button", name="Save", exact=True).first.click()
    expect(lead.locator(".messagelist")).to_contain_text("was changed successfully")
    essex_draft.refresh_from_db()
    assert essex_draft.standfirst == "The lead's summary."
