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
