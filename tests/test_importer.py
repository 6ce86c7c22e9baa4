"""The report importer's reading: pure functions from a file to what it holds."""

import io
import re

import pytest
import yaml

from casestudies.models import POINT_LISTS
from casestudies.report_import.headings import Role, Vocabulary
from casestudies.report_import.parsing import normalise, parse_report
from casestudies.report_import.reading import MAX_UPLOAD_BYTES, UnreadableReport, read_report_file
from tests.helpers import CONTENT, SYNTHETIC_REPORT, seed_file


def parse_seed(prefix):
    path = seed_file(prefix)
    return parse_report(read_report_file(path.name, path.read_bytes()))


def parse_text(text, name="synthetic.txt"):
    return parse_report(read_report_file(name, text.encode()))


def squash(text):
    return " ".join(str(text).split())


# ------------------------------------------------------------------ the four source documents


def curated_case_studies():
    entries = []
    for path in sorted(CONTENT.glob("000*.yaml")):
        entries += yaml.safe_load(path.read_text(encoding="utf-8"))["case_studies"]
    return entries


def test_east_of_england_collection_has_26_case_studies_with_the_curated_titles():
    report = parse_seed("000")
    titles = [normalise(case_study.title) for case_study in report.case_studies]
    assert len(titles) == 26
    assert sorted(titles) == sorted(normalise(entry["title"]) for entry in curated_case_studies())
    assert not any("overview of norfolk" in title for title in titles)
    assert any("Overview of Norfolk" in note for note in report.notes)


def test_east_of_england_councils_come_from_headings_and_contents():
    by_title = {case_study.title: case_study for case_study in parse_seed("000").case_studies}
    assert by_title["Co-production of a council recognition policy"].councils == [
        "Cambridgeshire County Council",
        "Peterborough City Council",
    ]
    # No council heading above it in the body: the Contents page says whose it is.
    assert by_title["Supporting people and recruitment"].councils == [
        "Central Bedfordshire Council"
    ]


def curated(prefix):
    """The curated case studies of one source document, by title."""
    entries = []
    for path in sorted(CONTENT.glob(f"{prefix}*.yaml")):
        entries += yaml.safe_load(path.read_text(encoding="utf-8"))["case_studies"]
    return {entry["title"]: entry for entry in entries}


def same_lists(entry, found):
    """Whether every list of a curated entry equals, item by item, what the importer found."""
    return all(
        [squash(item) for item in entry.get(point_list.name) or []]
        == [squash(item) for item in found.items(point_list.kind)]
        for point_list in POINT_LISTS
    )


def test_importer_reproduces_the_curated_lists_and_contacts(capsys):
    """Per case study: every list and the contacts equal the curated seed content."""
    parsed = {normalise(cs.title): cs for cs in parse_seed("000").case_studies}
    agreeing, differing = 0, []
    for entry in curated_case_studies():
        found = parsed[normalise(entry["title"])]
        same = same_lists(entry, found) and [
            (c.get("name") or "", c.get("email") or "") for c in entry.get("contacts") or []
        ] == [(contact.name, contact.email) for contact in found.contacts]
        if same:
            agreeing += 1
        else:
            differing.append(entry["title"])
    with capsys.disabled():
        print(f"\nImporter agreement with the curated content: {agreeing} of 26 case studies.")
    # The one known difference: the source prints "ssues" where the curator corrected to
    # "Issues"; the importer keeps the published wording.
    assert agreeing >= 25, f"{agreeing}/26 agree; differing: {differing}"


def test_regional_programmes_told_side_by_side_are_gathered_under_their_own_headings():
    """TLAP's document tells two regions' programmes side by side under shared topics."""
    report = parse_seed("001")
    curated_entries = curated("001")
    assert [cs.title for cs in report.case_studies] == [
        "East of England ADASS",
        "West Midlands ADASS",
    ]
    for found in report.case_studies:
        entry = curated_entries[found.title]
        assert same_lists(entry, found), found.title
        assert found.lists["learning"].heading == entry["learning_heading"]
        # Each topic is a heading of the story, in the document's order.
        story_headings = re.findall(r"^## (.+)$", found.narrative, flags=re.M)
        assert story_headings == [
            "Starting points",
            "What happened next",
            "What other co-production work happened as a result?",
            "What is planned next",
        ]
    # The introduction is the publication's, not the first programme's.
    assert report.preamble[0] == "Introduction"
    assert not any("Introduction" in text for text in report.case_studies[0].unplaced)
    assert any("side by side" in note for note in report.notes)


def test_a_single_project_report_is_one_case_study_and_its_appendix_tips_stay_in_the_story():
    report = parse_seed("003")
    (found,) = report.case_studies
    entry = curated("003")["Developing Co-production Across One Halton"]
    assert found.title == entry["title"]
    assert same_lists(entry, found)
    assert found.lists["learning"].heading == entry["learning_heading"]
    # The rest of the title page and the contents are the publication's.
    assert report.preamble[:2] == ["Project summary report, December 2023", "Table of Contents"]
    assert "Executive Summary" in found.narrative
    # NCAG's top tips are an appendix of the report, not the project's learning.
    assert "Appendix 3 – NCAG’s Top Tips for Co-production" in found.narrative
    assert any("Appendix 3" in note and "appendix" in note for note in report.notes)


def test_a_guide_with_stories_but_no_project_lists_yields_none_and_says_why():
    report = parse_seed("004")
    assert report.case_studies == []
    assert any(
        note.startswith("“Top Tips for involving people in co-production” is a chapter")
        for note in report.notes
    )
    assert any(note.startswith("No case studies found") for note in report.notes)
    assert sum(len(texts) for _label, texts in report.unplaced) > 50


def tokens(text):
    """Words, ignoring the underline tags some PDF text layers keep around link titles."""
    return re.findall(r"[a-z0-9]+", re.sub(r"</?u>", " ", text).lower())


def everything_kept(report):
    """All text the parse kept anywhere: fields, lists, contacts, links and unplaced text."""
    parts = []
    for cs in report.case_studies:
        parts += [cs.title, *cs.councils, cs.standfirst, cs.narrative, *cs.unplaced]
        for parsed_list in cs.lists.values():
            parts += [parsed_list.heading, *parsed_list.items]
        parts += [f"{c.name} {c.email}" for c in cs.contacts]
        parts += [f"{link.title} {link.url}" for link in cs.links]
    for _label, texts in report.unplaced:
        parts += texts
    return parts + report.preamble


@pytest.mark.parametrize("prefix", ["000", "001", "003", "004"])
def test_no_line_of_a_source_document_is_lost(prefix):
    path = seed_file(prefix)
    report = parse_report(read_report_file(path.name, path.read_bytes()))
    kept = " " + " ".join(" ".join(tokens(part)) for part in everything_kept(report)) + " "
    kept_words = set(kept.split())
    lost = []
    for line in path.read_text(encoding="utf-8").splitlines():
        # A label, and a list's own numbering ("- 1."), which the order of the points keeps.
        line = re.sub(r"^\s*-\s*\d{1,2}[.)]\s+", "- ", line)
        words = tokens(re.sub(r"^\s*(contacts?|further information):", "", line, flags=re.I))
        if not words:
            continue
        if line.strip().lower().startswith("contact"):
            # A contact line is split into names and addresses: each word is kept somewhere.
            missing = set(words) - kept_words - {"and"}
            if missing:
                lost.append(line)
        elif f" {' '.join(words)} " not in kept:
            lost.append(line)
    assert lost == []


# ------------------------------------------------------------------ synthetic edge cases


def test_synthetic_report_lists_contacts_and_links():
    report = parse_text(SYNTHETIC_REPORT)
    first, second = report.case_studies
    assert first.title == "Synthetic case study one: a test title"
    assert first.councils == ["Essex County Council"]
    assert first.standfirst == "A one-line summary of the synthetic case study."
    assert "- a bullet in the narrative" in first.narrative
    # A wrapped bullet is one point.
    assert first.items("learning") == [
        "Synthetic learning point one.",
        "Synthetic learning point two, which the PDF wrapped onto a second line.",
    ]
    assert first.items("condition") == ["Synthetic condition."]
    # Two contacts on one line.
    assert [(c.name, c.email) for c in first.contacts] == [
        ("Test Person One", "test.one@example.org"),
        ("Test Person Two", "test.two@example.org"),
    ]
    assert [(link.title, link.url) for link in first.links] == [
        ("Synthetic link title (example.org)", ""),
        ("https://example.org/synthetic", "https://example.org/synthetic"),
    ]
    # The front matter belongs to the publication: kept, not dropped, and not in a case study.
    assert report.preamble == ["A synthetic report for testing the importer"]
    assert not any("A synthetic report" in text for text in first.unplaced)


def test_case_study_without_barriers_and_with_a_paragraph_point():
    second = parse_text(SYNTHETIC_REPORT).case_studies[1]
    assert second.list_counts() == {"learning": 1, "condition": 0, "barrier": 1, "combined": 0}
    assert second.items("learning") == ["A learning point printed without its bullet marker."]
    assert second.lists["barrier"].heading == "What were the challenges?"
    # A stray page number is kept as a note, never silently dropped.
    assert any("17" in text and "page number" in text for text in second.unplaced)


def test_combined_list_and_typo_heading_are_recognised():
    text = SYNTHETIC_REPORT.replace(
        "What were the conditions for success?",
        "What were the some of the barriers and conditions?",
    )
    first = parse_text(text).case_studies[0]
    assert first.items("combined") == ["Synthetic condition."]
    assert first.items("condition") == []


def test_markdown_headings_are_titles():
    text = (
        "# Synthetic Markdown report\n\n## A synthetic case study\n\nOne-line summary.\n\n"
        "What were the barriers?\n\n* A synthetic barrier.\n"
    )
    report = parse_text(text, name="synthetic.md")
    assert [cs.title for cs in report.case_studies] == ["A synthetic case study"]
    assert report.case_studies[0].items("barrier") == ["A synthetic barrier."]


def test_word_document_with_real_list_styles():
    import docx

    document = docx.Document()
    document.add_paragraph("Essex County Council", style="Heading 1")
    document.add_paragraph("A synthetic Word case study", style="Heading 2")
    document.add_paragraph("A one-line summary from Word.")
    document.add_paragraph("The story, in Word.")
    document.add_paragraph("What were the conditions for success?")
    document.add_paragraph("A condition in a Word list.", style="List Bullet")
    document.add_paragraph("Another condition in a Word list.", style="List Bullet")
    document.add_paragraph("What were the barriers?")
    document.add_paragraph("A barrier in a Word list.", style="List Bullet")
    document.add_paragraph("Contact: Test Person – test.person@example.org")
    buffer = io.BytesIO()
    document.save(buffer)
    report = parse_report(read_report_file("synthetic.docx", buffer.getvalue()))
    (case_study,) = report.case_studies
    assert case_study.title == "A synthetic Word case study"
    assert case_study.councils == ["Essex County Council"]
    assert case_study.standfirst == "A one-line summary from Word."
    assert case_study.items("condition") == [
        "A condition in a Word list.",
        "Another condition in a Word list.",
    ]
    assert case_study.items("barrier") == ["A barrier in a Word list."]
    assert [(c.name, c.email) for c in case_study.contacts] == [
        ("Test Person", "test.person@example.org")
    ]


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("report.rtf", b"{\\rtf1 something}", "Upload a .txt, .md, .docx, .pdf or .html file"),
        ("report.pdf", b"%PDF-1.7 something", "is a damaged PDF"),
        ("report.txt", b"", "is empty"),
        ("report.txt", b"  \n\n \n", "is empty"),
        ("report.txt", bytes(range(256)) * 8, "binary data"),
        ("report.txt", b"\xff\xfe\xfa caf\xe9 \x81\x82", "UTF-8"),
        ("report.docx", b"PK\x03\x04 not really a zip", "not a readable Word"),
        ("report.docx", b"plain text pretending", "not a readable Word"),
        ("report.txt", b"a" * (MAX_UPLOAD_BYTES + 1), "the largest file"),
    ],
)
def test_unreadable_files_are_rejected_with_a_clear_message(name, data, message):
    with pytest.raises(UnreadableReport, match=re.escape(message)):
        read_report_file(name, data)


def test_readme_states_the_size_limit_the_importer_enforces():
    from django.conf import settings

    readme = (settings.BASE_DIR / "README.md").read_text(encoding="utf-8")
    assert f"At most **{MAX_UPLOAD_BYTES // 1024 // 1024} MB**" in readme


# ------------------------------------------------------------------ house styles a review tried


def parse_md(text):
    return parse_report(read_report_file("made-up.md", text.encode()))


def test_council_headings_with_the_lists_under_them_are_each_councils_case_study():
    """Before: StopIteration (a 500 in the admin's preview)."""
    report = parse_md(
        "# Made-up collection (test data)\n\nA made-up foreword.\n\n"
        "## Alpha Council\n\n### Background\n\nAlpha did a thing.\n\n"
        "### Challenges\n\n- Alpha barrier.\n\n"
        "## Beta Council\n\n### What got in the way\n\n- Beta barrier.\n\n"
        "### Top tips\n\n- Beta tip.\n"
    )
    assert [(cs.title, cs.councils) for cs in report.case_studies] == [
        ("Alpha Council", ["Alpha Council"]),
        ("Beta Council", ["Beta Council"]),
    ]
    assert report.case_studies[1].items("learning") == ["Beta tip."]
    assert report.preamble == ["Made-up collection (test data)", "A made-up foreword."]


@pytest.mark.parametrize(
    "title_line",
    ["## Made-up Carers Project (test data)", "Made-up Carers Project (test data)"],
)
def test_headings_all_at_one_level_make_one_project_with_its_title_and_contact(title_line):
    """Before: the case study was titled "Background" and the contact went to the notes."""
    report = parse_md(
        f"{title_line}\n\nA made-up project run by carers.\n\n"
        "## BACKGROUND\n\nMade-up background.\n\n## CHALLENGES\n\n- Made-up barrier.\n\n"
        "## Lessons learned\n\n- Made-up lesson.\n\n## Contact\n\nSam Example, sam@example.org\n"
    )
    (found,) = report.case_studies
    assert found.title == "Made-up Carers Project (test data)"
    assert (found.items("barrier"), found.items("learning")) == (
        ["Made-up barrier."],
        ["Made-up lesson."],
    )
    assert [(c.name, c.email) for c in found.contacts] == [("Sam Example", "sam@example.org")]
    assert "Made-up background." in found.narrative


def test_headings_in_the_documents_own_words_are_offered_when_nothing_is_found():
    """Before: no heading was offered, so a lead could not say which ones are lists."""
    text = (
        "# Made-up Example Project (test data)\n\nA made-up project.\n\n"
        "## What slowed us down\n\n- Made-up slowdown.\n\n"
        "## Our advice to others\n\n- Made-up advice.\n"
    )
    report = parse_md(text)
    assert report.case_studies == []
    assert [h.text for h in report.unrecognised_headings] == [
        "Made-up Example Project (test data)",
        "What slowed us down",
        "Our advice to others",
    ]
    chosen = Vocabulary(
        choices={"what slowed us down": Role.BARRIER, "our advice to others": Role.LEARNING}
    )
    lines = read_report_file("made-up.md", text.encode())
    (found,) = parse_report(lines, vocabulary=chosen).case_studies
    assert (found.items("barrier"), found.items("learning")) == (
        ["Made-up slowdown."],
        ["Made-up advice."],
    )


def test_a_list_heading_after_a_plain_text_contact_section_is_still_a_list():
    """Before: "Lessons learned" and its points were read as more contact lines."""
    report = parse_text(
        "Made-up Carers Project (test data)\n\nContact\n\nSam Example, sam@example.org\n\n"
        "Lessons learned\n\nAsk early\n\nInvolve carers from the start\n"
    )
    (found,) = report.case_studies
    assert found.items("learning") == ["Ask early", "Involve carers from the start"]
    assert [c.email for c in found.contacts] == ["sam@example.org"]


def test_side_by_side_programmes_keep_a_short_point_as_a_point_not_a_topic():
    """Before: "Pay people for their time" was read as a topic, and the story went to the
    publication's opening text."""
    report = parse_text(
        "Made-up regional programme report (test data)\n\nStarting points\n\n"
        "An introduction under the topic, before any region.\n\n"
        "North Programme\n\nNorth started with a made-up survey.\n\n"
        "South Programme\n\nSouth started with a made-up workshop.\n\n"
        "Tips on co-production\n\nNorth Programme\n\nPay people for their time\n\n"
        "South Programme\n\nMeet in accessible places\n"
    )
    north, south = report.case_studies
    assert (north.items("learning"), south.items("learning")) == (
        ["Pay people for their time"],
        ["Meet in accessible places"],
    )
    assert "North started with a made-up survey." in north.narrative
    assert report.preamble == ["Made-up regional programme report (test data)"]
    assert any("An introduction under the topic" in text for text in north.unplaced)


def test_text_under_a_council_heading_that_names_no_council_is_not_a_council():
    report = parse_md(
        "# Made-up Project (test data)\n\n## Challenges\n\n- Made-up barrier.\n\n"
        "## Council\n\nThe project was run by the made-up Example Trust.\n\n"
        "## Contact\n\nMade-up Person, person@example.org\n\nPhone 01234 567890\n"
    )
    (found,) = report.case_studies
    assert found.councils == []
    assert [(c.name, c.email) for c in found.contacts] == [("Made-up Person", "person@example.org")]
    assert any("made-up Example Trust" in text for text in found.unplaced)
    assert any("01234 567890" in text for text in found.unplaced)


def test_a_leads_choice_places_a_heading_not_a_sentence_with_the_same_words():
    """Before: a point reading "Our advice to others." went where the heading was chosen to."""
    vocabulary = Vocabulary(choices={"our advice to others": Role.LEARNING})
    assert vocabulary.role_of("Our advice to others") == (Role.LEARNING, "choice")
    assert vocabulary.role_of("Our advice to others.") == (None, None)


def test_a_council_heading_is_the_word_alone_not_a_councils_name():
    """Before: "Essex County Council" (a running heading inside a case study) opened a council
    section, and the paragraphs after it went to the editor notes instead of the story."""
    vocabulary = Vocabulary()
    assert vocabulary.role_of("Council") == (Role.COUNCIL, "vocabulary")
    assert vocabulary.role_of("Led by") == (Role.COUNCIL, "vocabulary")
    assert vocabulary.role_of("Essex County Council") == (None, None)
    assert vocabulary.role_of("Project led by carers", marked=True) == (None, None)
    report = parse_md(
        "# Made-up Project (test data)\n\n## Background\n\nFirst made-up paragraph.\n\n"
        "Essex County Council\n\nSecond made-up paragraph.\n\n## Challenges\n\n- A barrier.\n"
    )
    assert "Second made-up paragraph." in report.case_studies[0].narrative


# ------------------------------------------------------------------ a second review's reports


def test_a_dotted_leader_without_a_page_number_is_read_at_once():
    """Before: the pattern for a contents entry's page number tried every split of a long
    dotted leader, time doubling with each dot: this line never finished."""
    report = parse_text(
        "Made-up guide (test data)\n\nContents\n\n"
        f"Introduction {'.' * 60} page 3\n\nIntroduction\n\nMade-up text.\n"
    )
    assert report.case_studies == []


def test_case_studies_numbered_in_plain_text_are_each_a_case_study():
    """Before: the document was read as one project, the second title a point of a list."""
    report = parse_text(
        "Made-up practice collection (test data)\n\nAn introduction to the collection.\n\n"
        "Case study 1: Made-up Carers Group\n\nThe group met every month.\n\n"
        "What were the barriers?\n\n- Made-up barrier one.\n\n"
        "Case study 2: Made-up Youth Transitions\n\nYoung people led the work.\n\n"
        "What were the barriers?\n\n- Made-up barrier two.\n\n"
        "Lessons learned\n\n- Made-up lesson two.\n"
    )
    first, second = report.case_studies
    assert (first.title, first.items("barrier")) == (
        "Case study 1: Made-up Carers Group",
        ["Made-up barrier one."],
    )
    assert (second.items("barrier"), second.items("learning")) == (
        ["Made-up barrier two."],
        ["Made-up lesson two."],
    )
    assert report.preamble == [
        "Made-up practice collection (test data)",
        "An introduction to the collection.",
    ]


@pytest.mark.parametrize(
    ("heading", "kind"),
    [
        ("Challenges and how we overcame them", "barrier"),  # before: the story
        ("Challenges and what we did", "barrier"),  # before: "what we did", the story
        ("Learning from the project", "learning"),
    ],
)
def test_a_heading_that_starts_with_a_lists_word_opens_that_list(heading, kind):
    report = parse_md(f"# Made-up Project (test data)\n\n## {heading}\n\n- A made-up point.\n")
    assert report.case_studies[0].items(kind) == ["A made-up point."]


def test_a_sub_heading_inside_a_list_keeps_its_points_in_the_list():
    """Before: the points under "#### Staff" went to the story."""
    report = parse_md(
        "# Made-up Project (test data)\n\n### Challenges\n\n- A made-up barrier.\n\n"
        "#### Staff\n\n- A made-up staff barrier.\n\n### Background\n\nMade-up story.\n"
    )
    (found,) = report.case_studies
    assert found.items("barrier") == ["A made-up barrier.", "A made-up staff barrier."]
    assert any("sub-heading, “Staff”" in text for text in found.unplaced)
    assert "Made-up story." in found.narrative


def test_a_phone_number_beside_a_contacts_address_is_said_to_be_a_phone_number():
    report = parse_md(
        "# Made-up Project (test data)\n\n## Challenges\n\n- A made-up barrier.\n\n"
        "## Contact\n\nAlex Example, alex@example.org, 01234 000000\n"
    )
    (found,) = report.case_studies
    assert [(c.name, c.email) for c in found.contacts] == [("Alex Example", "alex@example.org")]
    assert (
        "A phone number in the contact details: Alex Example, alex@example.org, 01234 000000"
        in (found.unplaced)
    )
