"""The headings a report's importer did not recognise: the vocabulary site administrators add
to, the choices a lead makes in the preview (or with --map), and what is remembered of them for
the publisher's next report.

The reports here are made up for the tests ("synthetic"), with contacts on example.org.
"""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import IntegrityError
from django.urls import reverse

from casestudies.models import CaseStudy, HeadingChoice, HeadingPhrase, Point, Publication
from casestudies.report_import.headings import DEFAULT_PHRASES, Role, heading_key
from casestudies.report_import.reading import read_report_file
from casestudies.report_import.service import report_import

pytestmark = pytest.mark.django_db

IMPORT_URL = "admin:casestudies_casestudy_import_report"
UNKNOWN_HEADING = "Things that slowed us down"


def choices_report(number=1, heading=UNKNOWN_HEADING):
    """A synthetic Markdown report: an opening page, then one case study with a learning list
    and a heading no vocabulary knows, with one bullet under it."""
    return (
        f"# A synthetic report from a test publisher, number {number}\n\n"
        "An introduction to the synthetic report, written for testing the importer.\n\n"
        "## Essex County Council\n\n"
        f"## Synthetic case study {number}: choices\n\n"
        f"A one-line summary of synthetic case study {number}.\n\n"
        "The story of the synthetic case study, told in a paragraph.\n\n"
        "### What was the learning that supported success?\n\n"
        f"- Synthetic learning point {number}.\n\n"
        f"### {heading}\n\n"
        f"- Synthetic slow-down point {number}.\n\n"
        f"Contact: Test Person {number} – test.{number}@example.org\n"
    )


def lines_of(text, name="synthetic.md"):
    return read_report_file(name, text.encode())


@pytest.fixture
def other_publication(publication):
    """A second report from the same (test) publisher."""
    return Publication.objects.create(
        title="A second test report on co-production",
        slug="second-test-report",
        publisher=publication.publisher,
        year=2024,
    )


# ------------------------------------------------------------------ the models


def test_a_phrase_is_kept_with_its_key_and_refused_twice():
    phrase = HeadingPhrase(phrase="Things that slowed us down?", role=Role.BARRIER)
    phrase.full_clean()
    phrase.save()
    assert phrase.key == heading_key("Things that slowed us down?")
    again = HeadingPhrase(phrase="THINGS that slowed us down", role=Role.LEARNING)
    with pytest.raises(ValidationError, match="already in the vocabulary"):
        again.full_clean()
    with pytest.raises(IntegrityError):
        again.save()


@pytest.mark.parametrize("phrase", ["", "  ?! ", "–"])
def test_a_phrase_with_no_words_is_refused(phrase):
    with pytest.raises(ValidationError, match="has no words"):
        HeadingPhrase(phrase=phrase, role=Role.BARRIER).full_clean()


def test_a_phrase_the_built_in_vocabulary_has_is_refused():
    built_in, role = DEFAULT_PHRASES[0]
    with pytest.raises(ValidationError, match="built-in vocabulary already has"):
        HeadingPhrase(phrase=built_in.upper(), role=role).full_clean()


def test_one_choice_per_publisher_and_heading(publication):
    HeadingChoice.objects.create(
        publisher="A test publisher", heading_key="x y", heading="X Y?", role=Role.BARRIER
    )
    HeadingChoice.objects.create(
        publisher="Another publisher", heading_key="x y", heading="X Y?", role=Role.LEARNING
    )
    with pytest.raises(IntegrityError):
        HeadingChoice.objects.create(
            publisher="A test publisher", heading_key="x y", heading="x y", role=Role.STORY
        )


# ------------------------------------------------------------------ the admin of both


def admin_url(model, view, *args):
    return reverse(f"admin:casestudies_{model._meta.model_name}_{view}", args=args)


@pytest.fixture
def remembered(publication):
    return HeadingChoice.objects.create(
        publisher=publication.publisher,
        heading_key=heading_key(UNKNOWN_HEADING),
        heading=UNKNOWN_HEADING,
        role=Role.BARRIER,
    )


@pytest.mark.parametrize("persona", ["officer", "lead"])
def test_only_site_administrators_may_touch_phrases_and_choices(
    client, personas, persona, remembered
):
    phrase = HeadingPhrase.objects.create(phrase="What slowed us", role=Role.BARRIER)
    client.force_login(personas[persona])
    tries = [
        client.get(admin_url(HeadingPhrase, "changelist")),
        client.get(admin_url(HeadingPhrase, "add")),
        client.post(admin_url(HeadingPhrase, "add"), {"phrase": "New words", "role": "barrier"}),
        client.post(
            admin_url(HeadingPhrase, "change", phrase.pk), {"phrase": "Other", "role": "story"}
        ),
        client.post(admin_url(HeadingPhrase, "delete", phrase.pk), {"post": "yes"}),
        client.get(admin_url(HeadingChoice, "changelist")),
        client.post(admin_url(HeadingChoice, "delete", remembered.pk), {"post": "yes"}),
    ]
    assert [response.status_code for response in tries] == [403] * len(tries)
    assert list(HeadingPhrase.objects.values_list("phrase", "role")) == [
        ("What slowed us", "barrier")
    ]
    assert HeadingChoice.objects.get() == remembered


def test_a_site_administrator_adds_a_phrase_and_sees_the_whole_vocabulary(client, site_admin):
    client.force_login(site_admin)
    response = client.post(
        admin_url(HeadingPhrase, "add"), {"phrase": "What slowed us down?", "role": "barrier"}
    )
    assert response.status_code == 302
    assert HeadingPhrase.objects.get().key == "what slowed us down"
    refused = client.post(
        admin_url(HeadingPhrase, "add"), {"phrase": DEFAULT_PHRASES[0][0], "role": "story"}
    )
    assert "built-in vocabulary already has" in refused.content.decode()
    assert HeadingPhrase.objects.count() == 1

    html = client.get(admin_url(HeadingPhrase, "changelist")).content.decode()
    assert "What slowed us down?" in html
    assert "Built-in headings" in html
    for phrase, _role in DEFAULT_PHRASES:
        assert phrase in html


def test_a_site_administrator_views_and_deletes_a_remembered_choice(client, site_admin, remembered):
    client.force_login(site_admin)
    html = client.get(admin_url(HeadingChoice, "changelist")).content.decode()
    assert UNKNOWN_HEADING in html and "A test publisher" in html
    assert client.get(admin_url(HeadingChoice, "add")).status_code == 403
    assert client.get(admin_url(HeadingChoice, "change", remembered.pk)).status_code == 200
    response = client.post(admin_url(HeadingChoice, "delete", remembered.pk), {"post": "yes"})
    assert response.status_code == 302
    assert not HeadingChoice.objects.exists()


# ------------------------------------------------------------------ the preview decides


def upload(text, **fields):
    return {"file": SimpleUploadedFile("synthetic.md", text.encode()), **fields}


KEY = heading_key(UNKNOWN_HEADING)
SELECT = f"heading:{KEY}"


def barriers(result):
    return [item for outcome in result.outcomes for item in outcome.found.items(Role.BARRIER)]


def test_the_lead_places_a_heading_previews_again_confirms_and_it_is_remembered(
    client, lead_east, essex, publication, other_publication
):
    client.force_login(lead_east)
    url = reverse(IMPORT_URL)
    first = client.post(url, upload(choices_report(1), publication=publication.pk))
    html = first.content.decode()
    assert "Headings the importer did not recognise" in html
    assert '<label for="heading-' in html and f">{UNKNOWN_HEADING}</label>" in html
    assert "Synthetic slow-down point 1." in html  # the start of the text under it
    assert "All headings and where they went" in html
    assert "next time a report from A test publisher is imported" in html
    assert f'name="{SELECT}"' in html and '<option value="story" selected>' in html
    assert barriers(first.context["result"]) == []

    again = client.post(
        url, {"payload": first.context["payload"], SELECT: "barrier", "preview": "yes"}
    )
    assert barriers(again.context["result"]) == ["Synthetic slow-down point 1."]
    assert '<option value="barrier" selected>' in again.content.decode()
    assert CaseStudy.objects.count() == 0

    done = client.post(url, {"payload": again.context["payload"], SELECT: "barrier"})
    assert "1 draft case studies created" in done.content.decode()
    draft = CaseStudy.objects.get()
    assert list(draft.points.filter(kind=Point.Kind.BARRIER).values_list("text", flat=True)) == [
        "Synthetic slow-down point 1."
    ]
    choice = HeadingChoice.objects.get()
    assert (choice.publisher, choice.heading_key, choice.role, choice.chosen_by) == (
        "A test publisher",
        KEY,
        "barrier",
        lead_east,
    )
    assert "Remembered for the next report from A test publisher" in done.content.decode()

    # Another report from the same publisher: placed without asking.
    second = client.post(url, upload(choices_report(2), publication=other_publication.pk))
    assert "Headings the importer did not recognise" not in second.content.decode()
    assert barriers(second.context["result"]) == ["Synthetic slow-down point 2."]


def test_confirming_after_changing_a_heading_shows_the_preview_first(
    client, lead_east, essex, publication
):
    client.force_login(lead_east)
    url = reverse(IMPORT_URL)
    first = client.post(url, upload(choices_report(1), publication=publication.pk))
    changed = client.post(url, {"payload": first.context["payload"], SELECT: "learning"})
    assert "nothing was imported yet" in changed.content.decode()
    assert CaseStudy.objects.count() == 0
    found = changed.context["result"].outcomes[0].found
    assert found.items(Role.LEARNING) == [
        "Synthetic learning point 1.",
        "Synthetic slow-down point 1.",
    ]


def test_confirming_an_unrecognised_heading_as_shown_remembers_it_in_the_story(
    client, lead_east, essex, publication
):
    client.force_login(lead_east)
    url = reverse(IMPORT_URL)
    first = client.post(url, upload(choices_report(1), publication=publication.pk))
    client.post(url, {"payload": first.context["payload"], SELECT: "story"})
    assert CaseStudy.objects.count() == 1
    assert HeadingChoice.objects.get().role == Role.STORY


@pytest.mark.parametrize("value", ["published", "", "barrier'"])
def test_a_tampered_choice_is_refused(client, lead_east, essex, publication, value):
    client.force_login(lead_east)
    url = reverse(IMPORT_URL)
    first = client.post(url, upload(choices_report(1), publication=publication.pk))
    response = client.post(url, {"payload": first.context["payload"], SELECT: value})
    assert "This preview has expired or was changed" in response.content.decode()
    assert CaseStudy.objects.count() == 0
    assert not HeadingChoice.objects.exists()


# ------------------------------------------------------------------ the preamble


def test_the_opening_text_is_kept_with_the_publication(essex, publication):
    result = report_import(
        by=None, lines=lines_of(choices_report(1)), source_name="s.md", publication=publication
    )
    publication.refresh_from_db()
    assert "An introduction to the synthetic report" in publication.front_matter
    assert "An introduction" not in result.created[0].case_study.editor_notes
    assert "is kept with the publication" in result.preamble_kept
    publication.front_matter = "Kept by an editor."
    publication.save()
    CaseStudy.objects.all().delete()
    again = report_import(
        by=None, lines=lines_of(choices_report(1)), source_name="s.md", publication=publication
    )
    publication.refresh_from_db()
    assert publication.front_matter == "Kept by an editor."
    assert "already holds the opening text" in again.preamble_kept


def test_without_a_publication_the_opening_text_goes_to_the_first_drafts_notes(essex):
    result = report_import(by=None, lines=lines_of(choices_report(1)), source_name="s.md")
    notes = result.created[0].case_study.editor_notes
    assert "The document's opening text" in notes
    assert "An introduction to the synthetic report" in notes
    assert "Choose the publication to keep it with the publication" in result.preamble_kept


# ------------------------------------------------------------------ the command


def test_command_names_unrecognised_headings_and_maps_them(tmp_path, capsys, essex, publication):
    report = tmp_path / "synthetic.md"
    report.write_text(choices_report(1), encoding="utf-8")
    call_command("import_report", str(report), "--dry-run")
    out = capsys.readouterr().out
    assert f'--map "{UNKNOWN_HEADING}=<role>"' in out
    assert "Found 1 case study with 1 list item (learning 1, conditions 0, barriers 0, " in out
    assert "into the editor notes of the first new draft" in out

    call_command(
        "import_report",
        str(report),
        "--publication",
        publication.slug,
        "--map",
        f"{UNKNOWN_HEADING}=barriers",
    )
    out = capsys.readouterr().out
    assert "Found 1 case study with 2 list items (learning 1, conditions 0, barriers 1, " in out
    assert "1 contact and 0 links." in out
    assert f"Remembered for reports from A test publisher:\n   “{UNKNOWN_HEADING}”" in out
    assert "is kept with the publication" in out
    assert "--map" not in out
    assert CaseStudy.objects.get().points.filter(kind=Point.Kind.BARRIER).count() == 1
    assert HeadingChoice.objects.get().chosen_by is None


@pytest.mark.parametrize(
    ("mapping", "message"),
    [
        (f"{UNKNOWN_HEADING}=hindrances", "Use one of: learning, conditions, barriers"),
        (UNKNOWN_HEADING, 'write the heading, then "="'),
        ("=barriers", 'write the heading, then "="'),
    ],
)
def test_command_refuses_a_bad_map(tmp_path, essex, mapping, message):
    report = tmp_path / "synthetic.md"
    report.write_text(choices_report(1), encoding="utf-8")
    with pytest.raises(CommandError, match=message):
        call_command("import_report", str(report), "--map", mapping)
    assert CaseStudy.objects.count() == 0
