"""The headings a report's importer did not recognise: the vocabulary site administrators add
to, the choices a lead makes in the preview (or with --map), and what is remembered of them for
the publisher's next report.

The reports here are made up for the tests ("synthetic"), with contacts on example.org.
"""

import shlex

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from casestudies.models import CaseStudy, HeadingChoice, HeadingPhrase, Point, Publication
from casestudies.report_import.headings import DEFAULT_PHRASES, Role, heading_key, parse_role
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


def first_preview(client, user, publication, text=None):
    """The import page's address, and its preview of a report uploaded by `user`."""
    client.force_login(user)
    url = reverse(IMPORT_URL)
    return url, client.post(url, upload(text or choices_report(1), publication=publication.pk))


KEY = heading_key(UNKNOWN_HEADING)
SELECT = f"heading:{KEY}"


def barriers(result):
    return [item for outcome in result.outcomes for item in outcome.found.items(Role.BARRIER)]


def test_the_lead_places_a_heading_previews_again_confirms_and_it_is_remembered(
    client, lead_east, essex, publication, other_publication
):
    url, first = first_preview(client, lead_east, publication)
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
    url, first = first_preview(client, lead_east, publication)
    changed = client.post(url, {"payload": first.context["payload"], SELECT: "learning"})
    assert "nothing was imported yet" in changed.content.decode()
    assert CaseStudy.objects.count() == 0
    found = changed.context["result"].outcomes[0].found
    assert found.items(Role.LEARNING) == [
        "Synthetic learning point 1.",
        "Synthetic slow-down point 1.",
    ]


def test_confirming_an_unrecognised_heading_as_shown_remembers_nothing(
    client, lead_east, essex, publication
):
    """Leaving a select as the preview showed it is no decision: a phrase a site administrator
    adds later must still place the heading."""
    url, first = first_preview(client, lead_east, publication)
    done = client.post(url, {"payload": first.context["payload"], SELECT: "story"})
    assert CaseStudy.objects.count() == 1
    assert not HeadingChoice.objects.exists()
    assert "Remembered for the next report" not in done.content.decode()

    HeadingPhrase.objects.create(phrase=UNKNOWN_HEADING, role=Role.BARRIER)
    CaseStudy.objects.all().delete()
    again = client.post(url, upload(choices_report(1), publication=publication.pk))
    assert barriers(again.context["result"]) == ["Synthetic slow-down point 1."]


def test_a_choice_made_in_an_earlier_preview_is_remembered_when_confirmed_as_shown(
    client, lead_east, essex, publication
):
    url, first = first_preview(client, lead_east, publication)
    again = client.post(
        url, {"payload": first.context["payload"], SELECT: "barrier", "preview": "yes"}
    )
    client.post(url, {"payload": again.context["payload"], SELECT: "barrier"})
    assert HeadingChoice.objects.get().role == Role.BARRIER


def test_the_preview_says_who_chose_a_remembered_heading_and_when(
    client, lead_east, essex, publication, remembered
):
    remembered.chosen_by = lead_east
    remembered.save()
    client.force_login(lead_east)
    url = reverse(IMPORT_URL)
    response = client.post(url, upload(choices_report(1), publication=publication.pk))
    html = response.content.decode()
    chosen_on = timezone.localtime(remembered.chosen_on)
    date = f"{chosen_on.day} {chosen_on:%B %Y}"
    assert f"chosen for reports from A test publisher by lead.east on {date}" in html
    assert barriers(response.context["result"]) == ["Synthetic slow-down point 1."]
    # A choice made in this preview says so instead.
    again = client.post(
        url, {"payload": response.context["payload"], SELECT: "learning", "preview": "yes"}
    )
    assert "chosen by you in this preview" in again.content.decode()
    assert "chosen for reports from" not in again.content.decode()


def test_remembered_choices_are_looked_up_once_for_all_headings(
    client, lead_east, essex, publication
):
    def preview_queries(remembered_headings):
        HeadingChoice.objects.all().delete()
        text = choices_report(1)
        for number in range(remembered_headings):
            heading = f"Another synthetic heading {number}"
            text += f"\n### {heading}\n\n- A synthetic point under it.\n"
            HeadingChoice.objects.create(
                publisher=publication.publisher,
                heading_key=heading_key(heading),
                heading=heading,
                role=Role.LEARNING,
                chosen_by=lead_east,
            )
        with CaptureQueriesContext(connection) as queries:
            response = client.post(url, upload(text, publication=publication.pk))
        assert response.content.decode().count("chosen for reports from") == remembered_headings
        return len(queries)

    client.force_login(lead_east)
    url = reverse(IMPORT_URL)
    assert preview_queries(1) == preview_queries(3)


def test_the_preview_tables_have_captions(client, lead_east, essex, publication):
    client.force_login(lead_east)
    response = client.post(
        reverse(IMPORT_URL), upload(choices_report(1), publication=publication.pk)
    )
    main = response.content.decode().split('id="content-main"')[1]
    assert main.count("<table") == main.count("<caption") == 3


def test_an_unknown_role_asks_to_choose_again(client, lead_east, essex, publication):
    url, first = first_preview(client, lead_east, publication)
    response = client.post(url, {"payload": first.context["payload"], SELECT: "published"})
    html = response.content.decode()
    assert (
        "One of the places chosen for a heading is not one the importer knows. Choose again."
    ) in html
    assert "expired" not in html


@pytest.mark.parametrize("value", ["published", "", "barrier'"])
def test_a_tampered_choice_is_refused(client, lead_east, essex, publication, value):
    url, first = first_preview(client, lead_east, publication)
    response = client.post(url, {"payload": first.context["payload"], SELECT: value})
    assert "is not one the importer knows. Choose again." in response.content.decode()
    assert CaseStudy.objects.count() == 0
    assert not HeadingChoice.objects.exists()


# ------------------------------------------------------------------ a heading too long to keep

LONG_HEADING = ("Made up " * 45).strip()


def long_heading_report():
    return choices_report(1, heading=LONG_HEADING)


def test_a_heading_too_long_to_remember_is_not_remembered(essex, publication):
    result = report_import(
        by=None,
        lines=lines_of(long_heading_report()),
        source_name="s.md",
        publication=publication,
        choices={heading_key(LONG_HEADING): Role.LEAVE_OUT},
    )
    assert "Synthetic slow-down point 1." in result.created[0].case_study.editor_notes
    assert not HeadingChoice.objects.exists()
    assert result.remembered == []
    assert result.too_long_to_remember == [LONG_HEADING]


def test_a_lead_places_a_very_long_heading_and_confirms(client, lead_east, essex, publication):
    select = f"heading:{heading_key(LONG_HEADING)}"
    url, first = first_preview(client, lead_east, publication, long_heading_report())
    again = client.post(
        url, {"payload": first.context["payload"], select: "leave_out", "preview": "yes"}
    )
    done = client.post(url, {"payload": again.context["payload"], select: "leave_out"})
    html = done.content.decode()
    assert "1 draft case studies created" in html
    assert "too long to remember" in html
    assert not HeadingChoice.objects.exists()
    assert "Synthetic slow-down point 1." in CaseStudy.objects.get().editor_notes


def test_a_long_printed_heading_is_cut_to_fit_when_its_key_fits(essex, publication):
    """Numbering and punctuation are left out of the key, so the printed heading can be the
    longer of the two."""
    heading = "1. " + "Made, up! " * 31 + "end"
    key = heading_key(heading)
    max_length = HeadingChoice._meta.get_field("heading").max_length
    assert len(key) <= max_length < len(heading)
    report_import(
        by=None,
        lines=lines_of(choices_report(1, heading=heading)),
        source_name="s.md",
        publication=publication,
        choices={key: Role.LEAVE_OUT},
    )
    choice = HeadingChoice.objects.get()
    assert choice.heading == heading[:max_length]


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
    assert "already holds different opening text" in again.preamble_kept
    assert "went into the editor notes of the first new draft" in again.preamble_kept
    notes = again.created[0].case_study.editor_notes
    assert "An introduction to the synthetic report" in notes
    assert "already holds different opening text" in notes


def test_opening_text_with_nowhere_to_go_is_said_plainly(essex, publication):
    publication.front_matter = "Kept by an editor."
    publication.save()
    report_import(
        by=None, lines=lines_of(choices_report(1)), source_name="s.md", publication=publication
    )
    again = report_import(
        by=None, lines=lines_of(choices_report(1)), source_name="s.md", publication=publication
    )
    assert again.created == []
    assert again.preamble_kept == (
        "The document's opening text (2 paragraphs) was not kept anywhere: the publication "
        "“A test report on co-production” already holds different opening text, and no new "
        "draft was created to keep it in. Copy it from the file if it is needed."
    )


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
    assert f"--map '{UNKNOWN_HEADING}=<role>'" in out
    assert (
        "where <role> is one of learning, conditions, barriers, combined, story, contact, "
        "council, links or leave-out" in out
    )
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


def test_command_hint_pastes_as_a_shell_argument_for_a_heading_with_quotes(tmp_path, capsys, essex):
    heading = 'What "slowed" us down, and what didn’t'
    report = tmp_path / "synthetic.md"
    report.write_text(choices_report(1, heading=heading), encoding="utf-8")
    call_command("import_report", str(report), "--dry-run")
    out = capsys.readouterr().out
    hint = next(line for line in out.splitlines() if line.strip().startswith("--map "))
    words = shlex.split(hint.split("   (in ")[0])
    assert words == ["--map", f"{heading}=<role>"]
    roles = out.split("where <role> is one of ")[1].split(".")[0].replace(" or ", ", ")
    assert {parse_role(word) for word in roles.split(", ")} == set(Role)
    assert "“" not in out.split("where <role> is")[1].splitlines()[0]
    assert "Lists: learning 1, conditions 0, barriers 0" in out

    mapping = words[1].replace("<role>", "barriers")
    call_command("import_report", str(report), "--dry-run", "--map", mapping)
    assert "Lists: learning 1, conditions 0, barriers 1" in capsys.readouterr().out
