"""A compiled Word report reads back with import_report: every seed case study, with every
list item, publishable contact and link."""

import pytest
from django.core.management import call_command

from casestudies.compiled.content import build_report
from casestudies.compiled.word import render_docx
from casestudies.models import POINT_LISTS, CaseStudy
from casestudies.report_import.parsing import list_kind

# Seed case studies the importer cannot read back, whoever printed them: the 2011 stories
# have no lists, and two regional programmes head their lists in their own words, not with
# the questions the importer knows. (Another change will widen the importer's headings.)
NOT_READABLE = {
    "Barnsley Metropolitan Borough Council (MBC)",
    "Shropshire County Council (SCC)",
    "Westminster Council",
    "East of England ADASS",
    "West Midlands ADASS",
}


def readable(case_study):
    sections = case_study.point_sections()
    return bool(sections) and all(list_kind(section["heading"]) for section in sections)


def snapshot(case_study):
    """What the round trip must give back of a case study."""
    points = {
        point_list.kind: [p.text for p in case_study.points.all() if p.kind == point_list.kind]
        for point_list in POINT_LISTS
    }
    return {
        "councils": sorted(council.name for council in case_study.councils.all()),
        "standfirst": case_study.standfirst,
        "points": points,
        "contacts": [(c.name, c.email) for c in case_study.published_contacts()],
        "links": [(link.title, link.url) for link in case_study.links.all()],
    }


@pytest.mark.django_db
def test_word_report_of_every_seed_case_study_imports_back_whole(tmp_path):
    call_command("load_seed_content", verbosity=0)
    published = CaseStudy.objects.published().with_page_data()
    assert {c.title for c in published if not readable(c)} == NOT_READABLE
    expected = {c.title: snapshot(c) for c in published if readable(c)}
    assert len(expected) == 27
    report = build_report(published, title="Every case study", introduction="All of them.")
    path = tmp_path / "every-case-study.docx"
    path.write_bytes(render_docx(report))

    CaseStudy.objects.all().delete()  # councils, regions and publications stay
    # The two regional programmes name no council: the importer needs a region for them.
    call_command("import_report", str(path), region="east-of-england", verbosity=0)

    imported = CaseStudy.objects.with_page_data()
    found = {case_study.title: snapshot(case_study) for case_study in imported}
    assert sorted(found) == sorted(expected)  # nothing else imported either
    for title, wanted in expected.items():
        got = found[title]
        # Imported contacts have consent only from a publication; compare what was printed.
        got["contacts"] = [(c.name, c.email) for c in imported.get(title=title).contacts.all()]
        assert got == wanted, title


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
