"""Safer bulk tools (issue 10): the report importer's duplicate check, the spreadsheet (CSV)
import's errors and valid rows, and the CSV export's columns."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from reversion.models import Version

from casestudies.models import CaseStudy, Status
from casestudies.report_import import service
from editorial.roles import REGIONAL_LEAD
from tests.helpers import SYNTHETIC_REPORT, make_case_study, make_editor, seed_file

IMPORT_REPORT = reverse("admin:casestudies_casestudy_import_report")
CARERS_STRATEGY = "Co-production with carers in the development of a carers' strategy"


def report_upload(content, name="report.txt", **fields):
    return {"file": SimpleUploadedFile(name, content), **fields}


# ------------------------------------------------------------------ report import: duplicates


def test_titles_are_compared_without_case_spaces_punctuation_or_quotes():
    key = service.title_key
    assert key("Carers’ “Voice”:  a  STRATEGY!") == key("carers voice - a strategy")
    assert key("Café for carers") != key("Caf for carers")
    assert key("A carers' strategy") != key("A carers strategy group")


@pytest.mark.django_db
def test_command_skips_and_names_every_published_duplicate_unless_allowed(capsys):
    """The East of England collection imported again with no publication chosen: before
    issue 10 this created 26 duplicates of the published seed entries without a word."""
    call_command("load_seed_content", verbosity=0)
    path = seed_file("000")
    before = set(CaseStudy.objects.values_list("pk", flat=True))

    call_command("import_report", str(path))
    out = capsys.readouterr().out
    assert "0 drafts created, 0 already imported." in out
    assert "26 skipped because another case study already has the title." in out
    assert out.count("   Another case study already has this title: ") == 26
    assert out.count("   Skipped: not created.") == 26
    assert (
        f"   Another case study already has this title: “{CARERS_STRATEGY}” (published; "
        "Bedford Borough Council; from “Putting People at the Heart of Care and Support: "
        "Emerging approaches to co-production”)."
    ) in out
    assert set(CaseStudy.objects.values_list("pk", flat=True)) == before

    call_command("import_report", str(path), "--allow-duplicates")
    out = capsys.readouterr().out
    assert "26 drafts created, 0 already imported." in out
    assert out.count("   Created a draft anyway (--allow-duplicates).") == 26
    created = CaseStudy.objects.exclude(pk__in=before)
    assert created.count() == 26
    assert set(created.values_list("status", flat=True)) == {Status.DRAFT}
    for case_study in created:
        versions = Version.objects.get_for_object(case_study)
        assert [v.revision.comment for v in versions] == ["Imported from “" + path.name + "”"]


@pytest.fixture
def lead_client(client, lead_east):
    client.force_login(lead_east)
    return client


@pytest.mark.django_db
def test_admin_preview_warns_of_26_duplicates_and_creates_only_those_ticked(lead_client):
    call_command("load_seed_content", verbosity=0)
    path = seed_file("000")
    before = CaseStudy.objects.count()
    preview = lead_client.post(IMPORT_REPORT, report_upload(path.read_bytes(), path.name))
    html = preview.content.decode()
    assert "26 case studies have the title of a case study already in the portal" in html
    assert html.count("Another case study already has this title.") == 26
    assert html.count('name="allow"') == 26
    assert "Create the ticked case studies" in html
    strategy = CaseStudy.objects.get(title=CARERS_STRATEGY)
    assert reverse("admin:casestudies_casestudy_change", args=[strategy.pk]) in html
    payload = preview.context["payload"]
    assert CaseStudy.objects.count() == before

    done = lead_client.post(IMPORT_REPORT, {"payload": payload})
    assert "0 draft case studies created" in done.content.decode()
    assert "26 were not created because another case study already has the title" in (
        done.content.decode()
    )
    assert CaseStudy.objects.count() == before

    first = preview.context["result"].outcomes[0]
    assert first.found.title == CARERS_STRATEGY
    lead_client.post(IMPORT_REPORT, {"payload": payload, "allow": [str(first.number)]})
    assert CaseStudy.objects.count() == before + 1
    assert CaseStudy.objects.filter(title=CARERS_STRATEGY, status=Status.DRAFT).count() == 1


@pytest.mark.django_db
def test_a_duplicate_another_region_cannot_see_is_skipped_but_not_named(
    lead_client, essex, shropshire
):
    """Issue 9's rule: no other region's unpublished entry is named. Issue 10's: nor is it
    duplicated without a word. The preview says one exists, and only that."""
    hidden = make_case_study(
        title="SYNTHETIC case study one — a test title!",
        slug="west-midlands-secret-draft",
        region=shropshire.region,
        councils=[shropshire],
        status=Status.DRAFT,
        standfirst="A secret West Midlands summary.",
    )
    published = make_case_study(
        title="Synthetic case study two: no barriers",
        slug="west-midlands-published",
        region=shropshire.region,
        councils=[shropshire],
        status=Status.PUBLISHED,
    )
    preview = lead_client.post(IMPORT_REPORT, report_upload(SYNTHETIC_REPORT.encode()))
    html = preview.content.decode()
    assert "west-midlands-secret-draft" not in html
    assert "A secret West Midlands summary." not in html
    assert "SYNTHETIC case study one — a test title!" not in html
    assert "1 you cannot see: not published, and outside the councils and regions you cover" in html
    # A published entry is public anyway: it is named, with its public page (not its admin one).
    assert f'<a href="{published.get_absolute_url()}">' in html
    assert reverse("admin:casestudies_casestudy_change", args=[published.pk]) not in html
    assert "published;\n              Shropshire Council;" in html

    lead_client.post(IMPORT_REPORT, {"payload": preview.context["payload"]})
    assert CaseStudy.objects.count() == 2  # nothing created: both titles are taken
    lead_client.post(IMPORT_REPORT, {"payload": preview.context["payload"], "allow": ["1", "2"]})
    own = CaseStudy.objects.exclude(pk__in=[hidden.pk, published.pk])
    assert {case_study.region for case_study in own} == {essex.region}
    assert own.count() == 2
    hidden.refresh_from_db()
    assert hidden.standfirst == "A secret West Midlands summary."


@pytest.mark.django_db
def test_a_lead_of_the_region_sees_the_unpublished_duplicate_named(essex, east, publication):
    draft = make_case_study(
        publication=publication,
        title="Synthetic case study one: a test title",
        slug="essex-draft",
        region=essex.region,
        councils=[essex],
        status=Status.DRAFT,
    )
    other_lead = Client()
    other_lead.force_login(make_editor("lead.east.two", REGIONAL_LEAD, regions=[east]))
    html = other_lead.post(IMPORT_REPORT, report_upload(SYNTHETIC_REPORT.encode())).content
    html = html.decode()
    assert reverse("admin:casestudies_casestudy_change", args=[draft.pk]) in html
    assert "draft;\n              Essex County Council;\n              from “A test report" in html
    assert "you cannot see" not in html
