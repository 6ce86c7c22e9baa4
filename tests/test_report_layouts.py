"""Reports in other house styles: the practice-example layout national bodies use, in every
format the importer reads, and a council's own page about one project.

The reports are in tests/data/reports: practice_examples.md is written by hand (paraphrasing
three case studies of the East of England collection, with invented contacts) and
make_formats.py derives the .docx, .html and .pdf from it; expected.yaml says, written by hand
from the Markdown, what the importer should find in them.
"""

import html
import re
from pathlib import Path

import docx
import pypdf
import pytest
import yaml
from django.core.management import call_command
from markdown_it import MarkdownIt

from casestudies.models import CaseStudy, PointKind, Status
from tests.helpers import load_seed_councils

REPORTS = Path(__file__).parent / "data" / "reports"
PRACTICE = REPORTS / "practice_examples.md"
EXPECTED = yaml.safe_load((REPORTS / "expected.yaml").read_text(encoding="utf-8"))
LISTS = [PointKind.LEARNING, PointKind.CONDITION, PointKind.BARRIER]


def markdown_list_items(markdown):
    """The text of every list item of a Markdown document, in order."""
    items, depth = [], 0
    for token in MarkdownIt("commonmark").parse(markdown):
        if token.type == "list_item_open":
            depth += 1
        elif token.type == "list_item_close":
            depth -= 1
        elif token.type == "inline" and depth:
            items.append(token.content)
    return items


def squashed(text):
    """Text without spaces, line breaks or hyphens: a PDF wraps lines and hyphenates words at
    their ends, which moves both."""
    return re.sub(r"[\s\-\u2010\u00ad]+", "", text)


def one_line(text):
    return " ".join(text.split())


PRACTICE_ITEMS = markdown_list_items(PRACTICE.read_text(encoding="utf-8"))


# ------------------------------------------------------------------ the files themselves


def test_expected_yaml_lists_every_item_of_the_markdown():
    expected = [
        item for case in EXPECTED["practice_examples"] for kind in LISTS for item in case[kind]
    ]
    assert len(PRACTICE_ITEMS) == 30
    assert sorted(expected) == sorted(PRACTICE_ITEMS)


def test_the_word_document_carries_every_list_item_in_a_list_style():
    document = docx.Document(str(PRACTICE.with_suffix(".docx")))
    items = [
        paragraph.text
        for paragraph in document.paragraphs
        if paragraph.style.name in ("List Bullet", "List Number")
    ]
    assert items == PRACTICE_ITEMS
    styles = {paragraph.style.name for paragraph in document.paragraphs}
    assert {"Title", "Heading 1", "Heading 2", "List Number"} <= styles


def test_the_web_page_carries_every_list_item_inside_its_main_part():
    page = PRACTICE.with_suffix(".html").read_text(encoding="utf-8")
    assert "<nav>" in page and "<footer>" in page and "<title>" in page
    main = page.split("<main>", 1)[1].split("</main>", 1)[0]
    items = [html.unescape(item) for item in re.findall(r"<li>(.*?)</li>", main, re.S)]
    assert items == PRACTICE_ITEMS


def test_the_pdf_carries_every_list_item_in_order():
    reader = pypdf.PdfReader(PRACTICE.with_suffix(".pdf"))
    assert len(reader.pages) > 3  # A5 pages: the report runs over several
    text = squashed("\n".join(page.extract_text() for page in reader.pages))
    position = 0
    for item in PRACTICE_ITEMS:
        found = text.find(squashed(item), position)
        assert found >= 0, f"Not in the PDF (after the item before it): {item}"
        position = found
    assert "Practiceexamplesfortests–page1" in text  # the running footer


# ------------------------------------------------------------------ the import


def points_by_kind(case_study):
    return {
        kind: list(case_study.points.filter(kind=kind).values_list("text", flat=True))
        for kind in LISTS
    }


def assert_imported_as_expected(case_study, expected):
    assert case_study.title == expected["title"]
    assert case_study.status == Status.DRAFT
    assert points_by_kind(case_study) == {kind: expected[kind] for kind in LISTS}
    assert not case_study.points.filter(kind=PointKind.COMBINED).exists()
    contacts = [(contact.name, contact.email) for contact in case_study.contacts.all()]
    assert contacts == [(contact["name"], contact["email"]) for contact in expected["contacts"]]
    story = one_line(case_study.narrative)
    for sentence in expected["story"]:
        assert sentence in story


def totals_line(cases):
    counts = {kind: sum(len(case[kind]) for case in cases) for kind in LISTS}
    contacts = sum(len(case["contacts"]) for case in cases)
    return (
        f"Found {len(cases)} case studies with {sum(counts.values())} list items "
        f"(learning {counts[PointKind.LEARNING]}, conditions {counts[PointKind.CONDITION]}, "
        f"barriers {counts[PointKind.BARRIER]}, combined 0), {contacts} contacts and 0 links."
    )


@pytest.mark.django_db
@pytest.mark.parametrize("suffix", [".md", ".docx", ".html", ".pdf"])
def test_practice_examples_import_as_drafts_with_every_item_in_its_list(suffix, capsys):
    load_seed_councils()
    call_command("import_report", str(PRACTICE.with_suffix(suffix)))  # no --map
    out = capsys.readouterr().out

    expected = EXPECTED["practice_examples"]
    imported = list(CaseStudy.objects.order_by("pk"))
    assert [case.title for case in imported] == [case["title"] for case in expected]
    for case_study, case in zip(imported, expected, strict=True):
        assert_imported_as_expected(case_study, case)
        assert sorted(case_study.councils.values_list("slug", flat=True)) == case["councils"]
    assert totals_line(expected) in out
    assert "3 drafts created, 0 already imported." in out


@pytest.mark.django_db
def test_a_councils_own_page_is_one_case_study():
    load_seed_councils()
    page = REPORTS / "council_page.md"
    # The page names no council in a heading: the region places the draft.
    call_command("import_report", str(page), "--region", "east-of-england")

    (expected,) = EXPECTED["council_page"]
    case_study = CaseStudy.objects.get()
    assert_imported_as_expected(case_study, expected)
