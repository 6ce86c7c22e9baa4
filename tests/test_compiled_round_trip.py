"""A compiled Word report reads back with import_report: every seed case study, with every
list item, publishable contact and link."""

import pytest
from django.core.management import call_command

from casestudies.compiled.content import build_report
from casestudies.compiled.word import narrative_blocks, render_docx
from casestudies.models import POINT_LIST_BY_KIND, CaseStudy


def narrative_words(markdown):
    """A narrative's words, whatever Markdown marks them."""
    return " ".join(words for _style, words in narrative_blocks(markdown)).split()


def snapshot(case_study, contacts):
    """What the round trip must give back of a case study."""
    return {
        "councils": sorted(council.name for council in case_study.councils.all()),
        "standfirst": case_study.standfirst,
        "narrative": narrative_words(case_study.narrative),
        "lists": [
            (section["kind"], section["heading"], [point.text for point in section["points"]])
            for section in case_study.point_sections()
        ],
        "contacts": [(c.name, c.email) for c in contacts],
        "links": [(link.title, link.url) for link in case_study.links.all()],
    }


@pytest.mark.django_db
def test_word_report_of_every_seed_case_study_imports_back_whole(tmp_path):
    call_command("load_seed_content", verbosity=0)
    published = CaseStudy.objects.published().with_page_data()
    expected = {c.title: snapshot(c, c.published_contacts()) for c in published}
    assert len(expected) == 32
    own_headings = {
        title
        for title, wanted in expected.items()
        if any(
            heading != POINT_LIST_BY_KIND[kind].default_heading
            for kind, heading, _points in wanted["lists"]
        )
    }
    assert {"East of England ADASS", "West Midlands ADASS"} <= own_headings
    assert sum(not wanted["lists"] for wanted in expected.values()) == 3  # the 2011 stories
    report = build_report(published, title="Every case study", introduction="All of them.")
    path = tmp_path / "every-case-study.docx"
    path.write_bytes(render_docx(report))

    CaseStudy.objects.all().delete()  # councils, regions and publications stay
    # The two regional programmes name no council: the importer needs a region for them.
    call_command("import_report", str(path), region="east-of-england", verbosity=0)

    imported = CaseStudy.objects.with_page_data()
    # Imported contacts have consent only from a publication; compare what was printed.
    found = {c.title: snapshot(c, c.contacts.all()) for c in imported}
    assert sorted(found) == sorted(expected)  # nothing else imported either
    for title, wanted in expected.items():
        assert found[title] == wanted, title


def test_importer_reads_an_address_in_angle_brackets_apart_from_the_title():
    from casestudies.report_import.parsing import parse_link

    link = parse_link("East of England ADASS <https://adasseast.org.uk>")
    assert (link.title, link.url) == ("East of England ADASS", "https://adasseast.org.uk")
    plain = parse_link("Council website www.example.org")
    assert (plain.title, plain.url) == (
        "Council website www.example.org",
        "https://www.example.org",
    )


def test_importer_keeps_a_source_line_in_the_editor_notes_not_among_the_links():
    from casestudies.report_import.parsing import parse_report
    from casestudies.report_import.reading import text_lines

    text = (
        "Essex County Council\n\nA title\n\nA standfirst that says what happened here.\n\n"
        "What was the learning that supported success?\n\n- Listen.\n\n"
        "Further information:\n\nA guide\n\n"
        "Source: A report, 2023. On the portal: https://portal.example.org/case-studies/a/\n"
    )
    (found,) = parse_report(text_lines(text)).case_studies
    assert [link.title for link in found.links] == ["A guide"]
    assert any("Source: A report" in note for note in found.unplaced)


def test_importer_keeps_a_story_paragraph_that_starts_with_source():
    from casestudies.report_import.parsing import parse_report
    from casestudies.report_import.reading import text_lines

    text = (
        "Essex County Council\n\nA title\n\nA standfirst that says what happened here.\n\n"
        "Source: the council's survey showed that people wanted to be asked.\n\n"
        "What was the learning that supported success?\n\n- Listen.\n"
    )
    (found,) = parse_report(text_lines(text)).case_studies
    assert "Source: the council's survey showed" in found.narrative
    assert not any("survey" in note for note in found.unplaced)
