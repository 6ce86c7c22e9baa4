"""Reading report files: PDFs and saved web pages, and the heading level every format gives.

The PDFs are made here with WeasyPrint from HTML, the damaged or protected ones with
pypdf's writer, and one of many pieces of text byte by byte (runs_pdf). Every report is
synthetic: invented projects, contacts on example.org."""

import io

import pypdf
import pytest
from django.core import signing
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from casestudies.compiled.pdf import weasyprint_module
from casestudies.models import CaseStudy
from casestudies.report_import import admin as import_admin
from casestudies.report_import import pdf_text, reading, web_page
from casestudies.report_import.reading import (
    BULLET,
    HEADING,
    TEXT,
    Line,
    UnreadableReport,
    read_report_file,
)

IMPORT_URL = "admin:casestudies_casestudy_import_report"
LONG_SENTENCE = (
    "This synthetic paragraph is long enough to wrap across several lines of a narrow page, "
    "and it goes on about adult social care so that the reader has lines to join again."
)
SECOND_SENTENCE = "A second synthetic paragraph, short and on its own."

# The importer's synthetic report (tests/helpers.py SYNTHETIC_REPORT) as a web page.
SYNTHETIC_PAGE = """
<h1>A synthetic report for testing the importer</h1>
<h2>Essex County Council</h2>
<h3>Synthetic case study one: a test title</h3>
<p>A one-line summary of the synthetic case study.</p>
<p>The story of the synthetic case study, told in a paragraph.</p>
<h4>What was the learning that supported success?</h4>
<ul><li>Synthetic learning point one.</li>
<li>Synthetic learning point two, which is long enough to wrap onto a second line of the
page.</li></ul>
<h4>What were the conditions for success?</h4>
<ul><li>Synthetic condition.</li></ul>
<p>Contact: Test Person One – test.one@example.org</p>
<h2>Essex County Council</h2>
<h3>Synthetic case study two: no barriers</h3>
<p>Another one-line summary.</p>
<h4>What was the learning that supported success?</h4>
<ul><li>A learning point.</li></ul>
<h4>What were the challenges?</h4>
<ul><li>A synthetic challenge.</li></ul>
<p>Contact: Test Person Three – test.three@example.org</p>
"""


def pdf_of(body, *, css=""):
    """A PDF of `body` drawn by WeasyPrint on A5 pages, English hyphenation available."""
    weasyprint = weasyprint_module()
    if weasyprint is None:
        pytest.skip("WeasyPrint's system libraries are not installed")
    html = (
        '<html lang="en"><head><style>@page { size: A5; margin: 2cm } '
        f"body {{ font-size: 11pt }} {css}</style></head><body>{body}</body></html>"
    )
    return weasyprint.HTML(string=html).write_pdf()


def read_pdf(body, **kwargs):
    return read_report_file("synthetic.pdf", pdf_of(body, **kwargs))


def plain_text(pdf):
    """What pypdf's own text extraction gives: to show the lines really were wrapped."""
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)


def shapes(lines):
    return [(line.kind, line.level, line.text) for line in lines]


def written(writer):
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def blank_pdf(pages=1, password=None):
    writer = pypdf.PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=420, height=595)
    if password is not None:
        writer.encrypt(user_password=password, owner_password="synthetic-owner")
    return written(writer)


def runs_pdf(count):
    """A one-page PDF of `count` runs of the letter "a", each on its own line, 2 points apart."""
    runs = "\n".join(f"1 0 0 1 10 {number * 2} Tm (a) Tj" for number in range(count))
    stream = f"BT /F1 1 Tf\n{runs}\nET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 600 800] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    pdf, offsets = b"%PDF-1.4\n", []
    for number, content in enumerate(objects, 1):
        offsets.append(len(pdf))
        pdf += b"%d 0 obj\n%s\nendobj\n" % (number, content)
    table = b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    return pdf + (
        b"xref\n0 %d\n0000000000 65535 f \n%s" % (len(objects) + 1, table)
        + b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n"
        % (len(objects) + 1, len(pdf))
    )


def read_page(html, name="synthetic.html"):
    if isinstance(html, str):
        html = html.encode()
    return read_report_file(name, html)


# ------------------------------------------------------------------ heading levels


def test_markdown_heading_level_is_the_number_of_hashes():
    lines = read_report_file("synthetic.md", b"# One\n\n### Three\n\nText.\n")
    assert shapes(lines) == [(HEADING, 1, "One"), (HEADING, 3, "Three"), (TEXT, 0, "Text.")]


def test_word_title_is_level_one_and_heading_n_is_n_plus_one():
    import docx

    document = docx.Document()
    document.add_paragraph("A synthetic title", style="Title")
    document.add_paragraph("Part one", style="Heading 1")
    document.add_paragraph("A section", style="Heading 2")
    document.add_paragraph("Some text.")
    buffer = io.BytesIO()
    document.save(buffer)
    lines = read_report_file("synthetic.docx", buffer.getvalue())
    assert shapes(lines) == [
        (HEADING, 1, "A synthetic title"),
        (HEADING, 2, "Part one"),
        (HEADING, 3, "A section"),
        (TEXT, 0, "Some text."),
    ]


@pytest.mark.django_db
def test_signed_preview_carries_the_level_and_an_older_one_still_loads():
    lines = [Line("A heading", HEADING, False, 2), Line("Text.")]
    payload = import_admin.sign_payload("synthetic.md", lines, None, None)
    form = import_admin.ConfirmForm({"payload": payload})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["payload"]["lines"] == lines
    older = signing.dumps(
        {
            "name": "synthetic.md",
            "lines": [["A heading", HEADING, False], ["Text.", TEXT, False]],
            "publication": None,
            "region": None,
        },
        salt=import_admin.SIGNING_SALT,
        compress=True,
    )
    form = import_admin.ConfirmForm({"payload": older})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["payload"]["lines"] == [Line("A heading", HEADING), Line("Text.")]


# ------------------------------------------------------------------ PDF: paragraphs


def test_pdf_lines_wrapped_mid_sentence_are_joined_into_paragraphs():
    pdf = pdf_of(f"<p>{LONG_SENTENCE}</p><p>{SECOND_SENTENCE}</p>")
    assert plain_text(pdf).count("\n") >= 3  # the first paragraph was wrapped
    lines = read_report_file("synthetic.pdf", pdf)
    assert shapes(lines) == [(TEXT, 0, LONG_SENTENCE), (TEXT, 0, SECOND_SENTENCE)]


def test_pdf_paragraph_split_by_a_page_break_is_joined():
    pdf = pdf_of(
        f"<p>{LONG_SENTENCE}</p><p>{SECOND_SENTENCE}</p>",
        css="body { padding-top: 15cm } p { orphans: 1; widows: 1 }",
    )
    assert len(pypdf.PdfReader(io.BytesIO(pdf)).pages) == 2
    lines = read_report_file("synthetic.pdf", pdf)
    assert shapes(lines) == [(TEXT, 0, LONG_SENTENCE), (TEXT, 0, SECOND_SENTENCE)]


def test_pdf_words_hyphenated_by_the_layout_are_rejoined():
    text = (
        "Participation, accountability and accessibility: considerable organisational "
        "commitment demonstrated throughout the consultation."
    )
    pdf = pdf_of(f"<p>{text}</p>", css="p { hyphens: auto; width: 5cm }")
    assert "\u2010\n" in plain_text(pdf)  # WeasyPrint did hyphenate some of the words
    assert shapes(read_report_file("synthetic.pdf", pdf)) == [(TEXT, 0, text)]


@pytest.mark.parametrize(
    ("printed", "read"),
    [
        ("Better particip-<br>ation in planning.", "Better participation in planning."),
        ("Our co-<br>production group met.", "Our co-production group met."),
        ("Their well-<br>being mattered.", "Their well-being mattered."),
        ("A long-<br>term plan.", "A long-term plan."),
        ("It ended short-<br>ly after.", "It ended shortly after."),
        ("Write a re-<br>port.", "Write a report."),
        # The hyphenated form elsewhere in the document wins; so does the joined form.
        (
            "A person-centred plan. Each plan is person-<br>centred.",
            "A person-centred plan. Each plan is person-centred.",
        ),
        (
            "We co-ordinate. The team co-<br>ordinate well.",
            "We co-ordinate. The team co-ordinate well.",
        ),
        (
            "We coordinate. The team co-<br>ordinate well.",
            "We coordinate. The team coordinate well.",
        ),
        ("From 2019-<br>2020 onwards.", "From 2019-2020 onwards."),
    ],
)
def test_pdf_hyphen_at_a_line_end(printed, read):
    assert shapes(read_pdf(f"<p>{printed}</p>")) == [(TEXT, 0, read)]


# ------------------------------------------------------------------ PDF: what is not the text


PARTS = ("one", "two", "three")


def pages(count):
    return "".join(
        f'<h2 style="break-before: page">Part {number}</h2><p>Synthetic text, part {number}.</p>'
        for number in PARTS[:count]
    )


@pytest.mark.parametrize(
    "page_number",
    [
        "counter(page)",
        '"Page " counter(page)',
        'counter(page) " of " counter(pages)',
        '"- " counter(page) " -"',
    ],
)
def test_pdf_running_header_footer_and_page_numbers_are_dropped(page_number):
    css = (
        '@page { @top-center { content: "A synthetic report, 2024 edition, part " counter(page) }'
        f" @bottom-center {{ content: {page_number} }} }}"
    )
    lines = read_pdf(pages(3), css=css)
    assert shapes(lines) == [
        line
        for number in PARTS
        for line in [(HEADING, 1, f"Part {number}"), (TEXT, 0, f"Synthetic text, part {number}.")]
    ]


def test_pdf_of_two_pages_keeps_a_repeated_line_but_drops_page_numbers():
    css = (
        '@page { @top-center { content: "A synthetic header" }'
        " @bottom-center { content: counter(page) } }"
    )
    lines = read_pdf(pages(2), css=css)
    assert [line.text for line in lines].count("A synthetic header") == 2
    assert not any(line.text in ("1", "2") for line in lines)
    assert [line.text for line in lines].count("Synthetic text, part one.") == 1


# ------------------------------------------------------------------ PDF: headings and bullets


def test_pdf_headings_are_lines_larger_than_the_body_ranked_by_size():
    body = (
        f"<h1>A synthetic report</h1><h2>About the project</h2><p>{LONG_SENTENCE}</p>"
        "<h3>What has helped?</h3><p><strong>Bold text the size of the body.</strong></p>"
        "<h2>A second heading of the same size that is long enough to wrap onto two lines</h2>"
        "<p>More text.</p>"
    )
    assert shapes(read_pdf(body)) == [
        (HEADING, 1, "A synthetic report"),
        (HEADING, 2, "About the project"),
        (TEXT, 0, LONG_SENTENCE),
        (HEADING, 3, "What has helped?"),
        (TEXT, 0, "Bold text the size of the body."),
        (
            HEADING,
            2,
            "A second heading of the same size that is long enough to wrap onto two lines",
        ),
        (TEXT, 0, "More text."),
    ]


def test_pdf_bullets_with_their_wrapped_lines_joined():
    body = (
        "<p>What has helped?</p>"
        "<ul><li>A synthetic point long enough to wrap onto a second line of the page.</li>"
        "<li>A short point.</li></ul>"
        "<ol><li>A numbered point.</li><li>Another numbered point.</li></ol>"
        "<p>– A point typed with a dash.</p><p>* A point typed with a star.</p>"
        "<p>▪ A point typed with a square.</p><p>3. A point typed with its number.</p>"
    )
    assert shapes(read_pdf(body)) == [
        (TEXT, 0, "What has helped?"),
        (BULLET, 0, "A synthetic point long enough to wrap onto a second line of the page."),
        (BULLET, 0, "A short point."),
        (BULLET, 0, "A numbered point."),
        (BULLET, 0, "Another numbered point."),
        (BULLET, 0, "A point typed with a dash."),
        (BULLET, 0, "A point typed with a star."),
        (BULLET, 0, "A point typed with a square."),
        (BULLET, 0, "A point typed with its number."),
    ]


def test_pdf_work_grows_with_the_pieces_of_text_not_their_square(monkeypatch):
    """Placing a piece of text compares it with a few lines near its baseline, not with every
    line above it (16,000 one-letter lines took 23 seconds)."""
    comparisons = 0
    compare = pdf_text.same_baseline

    def counted(*args):
        nonlocal comparisons
        comparisons += 1
        return compare(*args)

    monkeypatch.setattr(pdf_text, "same_baseline", counted)
    counts = {}
    for pieces in (1000, 2000):
        comparisons = 0
        assert len(read_report_file("synthetic.pdf", runs_pdf(pieces))) == pieces
        counts[pieces] = comparisons
    assert counts[2000] <= 2.1 * counts[1000], counts
    assert counts[2000] <= 10 * 2000, counts


def test_pdf_page_of_more_pieces_of_text_than_any_report_is_refused(monkeypatch):
    visited = 0
    place = pdf_text.place

    def counted(*args):
        nonlocal visited
        visited += 1
        return place(*args)

    monkeypatch.setattr(pdf_text, "place", counted)
    monkeypatch.setattr(pdf_text, "MAX_PIECES_PER_PAGE", 100)
    assert len(read_report_file("synthetic.pdf", runs_pdf(100))) == 100
    visited = 0
    with pytest.raises(UnreadableReport) as refused:
        read_report_file("synthetic.pdf", runs_pdf(101))
    assert str(refused.value) == (
        "Page 1 of “synthetic.pdf” is made of more than 100 separate pieces of text, far "
        "more than any report has, so it is not read. Check that it is the right file, or ask "
        "for the document as Word or text."
    )
    assert visited == 100  # refused before placing the piece over the limit


def test_pdf_limit_on_pieces_of_text_is_far_above_a_real_page():
    assert pdf_text.MAX_PIECES_PER_PAGE == 20_000


# ------------------------------------------------------------------ PDF: refusals


def test_pdf_refusals_say_why_in_plain_words():
    cases = [
        (b"Just some text, not a PDF.", "is not a PDF"),
        (b"%PDF-1.7\n1 0 obj << /Type /Catalog >>", "damaged"),
        (blank_pdf(password="synthetic-secret"), "protected by a password"),
        (blank_pdf(password=""), "even though it opens without one"),
        (blank_pdf(), "it looks like scanned pages"),
        (blank_pdf(pages=501), "at most 500"),
    ]
    for data, message in cases:
        with pytest.raises(UnreadableReport, match=message):
            read_report_file("synthetic.pdf", data)


def test_pdf_without_text_asks_for_another_format():
    with pytest.raises(UnreadableReport) as refused:
        read_report_file("scan.pdf", blank_pdf(pages=2))
    assert str(refused.value) == (
        "This PDF has no text to read: it looks like scanned pages. Ask for the document as "
        "Word or text, or run text recognition on it first."
    )


@pytest.mark.parametrize(
    "error",
    [
        pypdf.errors.PdfReadError("synthetic"),
        pypdf.errors.LimitReachedError("synthetic"),
        ValueError("synthetic"),
        KeyError("synthetic"),
        TypeError("synthetic"),
        AttributeError("synthetic"),
        RecursionError("synthetic"),
    ],
)
def test_any_error_pypdf_raises_while_reading_is_a_plain_refusal(monkeypatch, error):
    pdf = pdf_of("<p>Synthetic text.</p>")

    def fail(*args, **kwargs):
        raise error

    monkeypatch.setattr(pypdf.PageObject, "extract_text", fail)
    with pytest.raises(UnreadableReport, match="damaged PDF"):
        read_report_file("synthetic.pdf", pdf)


def test_pdf_result_is_held_to_the_limits_of_every_format(monkeypatch):
    pdf = pdf_of("".join(f"<p>Paragraph {number}.</p>" for number in range(6)))
    monkeypatch.setattr(reading, "MAX_PARAGRAPHS", 5)
    with pytest.raises(UnreadableReport, match="more than 5 paragraphs"):
        read_report_file("synthetic.pdf", pdf)


# ------------------------------------------------------------------ saved web pages


def test_web_page_headings_lists_and_text():
    page = """<!DOCTYPE html><html><head><title>Not read</title></head><body>
      <h1>A  synthetic
        page</h1><h3>Level three</h3>
      <p>A paragraph with <em>emphasis</em> &amp; an entity.</p>
      <ul><li>Outer point<ul><li>Inner point</li></ul></li><li>Second point</li></ul>
      <ol><li>Numbered point</li></ol>
      <blockquote>A quotation.</blockquote>
      <table><tr><td>Cell one</td><td>Cell two</td></tr></table>
      <dl><dt>Term</dt><dd>Definition</dd></dl>
      <div>Text in a division<br>and a line after a break</div>
    </body></html>"""
    assert shapes(read_page(page)) == [
        (HEADING, 1, "A synthetic page"),
        (HEADING, 3, "Level three"),
        (TEXT, 0, "A paragraph with emphasis & an entity."),
        (BULLET, 0, "Outer point"),
        (BULLET, 0, "Inner point"),
        (BULLET, 0, "Second point"),
        (BULLET, 0, "Numbered point"),
        (TEXT, 0, "A quotation."),
        (BULLET, 0, "Cell one – Cell two"),
        (TEXT, 0, "Term"),
        (TEXT, 0, "Definition"),
        (TEXT, 0, "Text in a division"),
        (TEXT, 0, "and a line after a break"),
    ]


# A reflective section given as a table: made-up barriers and responses (test data).
CHALLENGES_TABLE = """<h4>What were the challenges?</h4>
<table>
  <thead><tr><th>Barrier</th><th>What we did</th></tr></thead>
  <tbody>
    <tr><td><p>Made-up barrier one</p></td><td><p>Made-up response one,</p>
      <p>in two paragraphs</p></td></tr>
    <tr><td>Made-up barrier two</td><td><ul><li>Made-up response two</li></ul></td></tr>
  </tbody>
</table>"""


def test_web_page_table_row_is_one_bullet_and_a_header_row_is_no_heading():
    page = (
        "<h2>Challenges</h2><table><tr><th>Barrier</th><th>What we did</th></tr>"
        "<tr><td>Made-up barrier one</td><td>Made-up response one</td></tr>"
        "<tr><td></td><td>A row with an empty cell</td></tr></table>"
        f"{CHALLENGES_TABLE}<p>After the table.</p>"
    )
    assert shapes(read_page(page)) == [
        (HEADING, 2, "Challenges"),
        (BULLET, 0, "Barrier – What we did"),
        (BULLET, 0, "Made-up barrier one – Made-up response one"),
        (BULLET, 0, "A row with an empty cell"),
        (HEADING, 4, "What were the challenges?"),
        (BULLET, 0, "Barrier – What we did"),
        (BULLET, 0, "Made-up barrier one – Made-up response one, in two paragraphs"),
        (BULLET, 0, "Made-up barrier two – Made-up response two"),
        (TEXT, 0, "After the table."),
    ]


@pytest.mark.django_db
def test_command_reads_each_row_of_a_table_under_a_list_heading_as_one_point(essex, tmp_path):
    report = tmp_path / "synthetic.html"
    report.write_text(
        "<h1>A synthetic report</h1><h2>Essex County Council</h2>"
        "<h3>Synthetic case study: a table of challenges</h3><p>A synthetic summary.</p>"
        "<p>The story of the synthetic case study.</p>"
        "<h4>What was the learning that supported success?</h4><ul><li>A learning.</li></ul>"
        f"{CHALLENGES_TABLE}"
    )
    call_command("import_report", str(report))
    study = CaseStudy.objects.get()
    assert list(study.points.filter(kind="barrier").values_list("text", flat=True)) == [
        "Barrier – What we did",
        "Made-up barrier one – Made-up response one, in two paragraphs",
        "Made-up barrier two – Made-up response two",
    ]
    assert "Made-up" not in study.narrative


def test_web_page_table_in_a_list_item_stays_part_of_the_item():
    page = (
        "<ul><li>A point with a table:<table><tr><td>Cell one</td><td>Cell two</td></tr>"
        "<tr><td>Cell three</td></tr></table>and text after it</li>"
        "<li><table><tr><td>A point that is a table</td></tr></table></li></ul>"
    )
    assert read_page(page) == [
        Line("A point with a table:", BULLET),
        Line("Cell one – Cell two", BULLET, continues=True),
        Line("Cell three", BULLET, continues=True),
        Line("and text after it", BULLET, continues=True),
        Line("A point that is a table", BULLET),
    ]


def test_web_page_nested_table_rows_are_read_in_place():
    page = (
        "<table><tr><td>Outer one</td><td>Outer two"
        "<table><tr><td>Inner one</td><td>Inner two</td></tr><tr><td>Inner three</td>"
        "</table>rest of outer two</td><td>Outer three</td></tr>"
        "<tr><td>Outer row two</td></tr></table>"
    )
    assert [line.text for line in read_page(page)] == [
        "Outer one – Outer two",
        "Inner one – Inner two",
        "Inner three",
        "rest of outer two – Outer three",
        "Outer row two",
    ]


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        (  # an item left open is closed by the next item and by the end of its list
            "<h2>Challenges</h2><ul><li>One<li>Two</ul><p>After the list, a paragraph.</p>"
            "<h2>Lessons</h2>",
            [
                (HEADING, 2, "Challenges"),
                (BULLET, 0, "One"),
                (BULLET, 0, "Two"),
                (TEXT, 0, "After the list, a paragraph."),
                (HEADING, 2, "Lessons"),
            ],
        ),
        (
            "<ol><li>One<li>Two</ol><p>After.</p>",
            [(BULLET, 0, "One"), (BULLET, 0, "Two"), (TEXT, 0, "After.")],
        ),
        (  # a nested list's items left open: its end closes them, and the outer item goes on
            "<ul><li>Outer<ul><li>Inner one<li>Inner two</ul>Outer again<li>Second</ul>"
            "<p>After.</p>",
            [
                (BULLET, 0, "Outer"),
                (BULLET, 0, "Inner one"),
                (BULLET, 0, "Inner two"),
                (BULLET, 0, "Outer again"),
                (BULLET, 0, "Second"),
                (TEXT, 0, "After."),
            ],
        ),
        (
            "<ul><li>Outer<ol><li>Inner</ol></ul><h3>A heading</h3><p>After.</p>",
            [
                (BULLET, 0, "Outer"),
                (BULLET, 0, "Inner"),
                (HEADING, 3, "A heading"),
                (TEXT, 0, "After."),
            ],
        ),
    ],
)
def test_web_page_list_items_left_open_end_with_their_list(page, expected):
    assert shapes(read_page(page)) == expected


@pytest.mark.django_db
def test_command_reads_the_paragraph_after_a_list_of_unclosed_items_as_narrative(essex, tmp_path):
    report = tmp_path / "synthetic.html"
    report.write_text(
        "<h1>A synthetic report</h1><h2>Essex County Council</h2>"
        "<h3>Synthetic case study: items left open</h3><p>A synthetic summary.</p>"
        "<h4>What were the challenges?</h4><ul><li>Challenge one<li>Challenge two</ul>"
        "<p>A synthetic paragraph after the list.</p>"
    )
    call_command("import_report", str(report))
    study = CaseStudy.objects.get()
    assert list(study.points.filter(kind="barrier").values_list("text", flat=True)) == [
        "Challenge one",
        "Challenge two",
    ]
    assert "A synthetic paragraph after the list." in study.narrative


def test_web_page_line_break_in_a_list_item_continues_the_item():
    lines = read_page("<ul><li>A point<br>on two lines</li></ul>")
    assert lines == [Line("A point", BULLET), Line("on two lines", BULLET, continues=True)]


def test_web_page_skips_scripts_styles_and_navigation():
    page = """<html><head><style>p { color: red }</style><title>Title</title>
      <script>var secret = "not text";</script></head><body>
      <nav><a href="/">Home</a></nav><noscript>Turn on scripts</noscript>
      <template><p>Template text</p></template><svg><text>Drawing text</text></svg>
      <p>The only text.</p><script>document.write("no")</script></body></html>"""
    assert shapes(read_page(page)) == [(HEADING, 1, "Title"), (TEXT, 0, "The only text.")]


# A made-up council news page (test data): the site's own furniture around the article.
COUNCIL_NEWS_PAGE = """<!DOCTYPE html><html lang="en"><head>
<title>Made-up news article | Example Council</title></head>
<body class="cookies-not-set">
  <div id="cookie-banner" class="Cookie-Banner"><p>We use cookies.</p>
    <div><button>Accept cookies</button></div></div>
  <header><a href="/">Example Council home</a><p>Bins, benefits and more</p></header>
  <nav class="site-menu"><ul><li><a href="/adult-social-care">Adult social care</a></li></ul></nav>
  <ol class="breadcrumbs"><li><a href="/">Home</a></li><li><a href="/news">News</a></li></ol>
  <main id="content">
    <article>
      <header><h1>Made-up project brings people together</h1><p>Published: 1 April</p></header>
      <p>A made-up paragraph about the project.</p>
      <section id="consentPreferences"><p>Manage your consent.</p></section>
      <aside><p>Related: another made-up story</p></aside>
      <h2>What did we learn?</h2>
      <ul><li>A made-up learning point.</li></ul>
    </article>
  </main>
  <aside><p>Popular pages</p></aside>
  <footer><p>© Example Council</p><ul><li><a href="/privacy">Privacy</a></li>
    <li><a href="/cookies">Cookies</a></li></ul></footer>
</body></html>"""


NEWS_ARTICLE = [  # what the page's article reads as
    (HEADING, 1, "Made-up project brings people together"),
    (TEXT, 0, "Published: 1 April"),
    (TEXT, 0, "A made-up paragraph about the project."),
    (HEADING, 2, "What did we learn?"),
    (BULLET, 0, "A made-up learning point."),
]


def test_web_page_with_a_main_element_reads_only_the_article():
    assert shapes(read_page(COUNCIL_NEWS_PAGE)) == NEWS_ARTICLE


@pytest.mark.parametrize(("start", "end"), [("<main>", "</main>"), ('<div role="main">', "</div>")])
def test_web_page_main_without_a_level_one_heading_starts_with_the_title(start, end):
    page = (
        "<title>Made-up project | Example Council</title><h1>Example Council</h1>"
        f"<p>Site text.</p>{start}<div><h2>The situation</h2><p>Text.</p></div>{end}"
        "<p>After.</p>"
    )
    assert shapes(read_page(page)) == [
        (HEADING, 1, "Made-up project | Example Council"),
        (HEADING, 2, "The situation"),
        (TEXT, 0, "Text."),
    ]


def test_web_page_main_left_open_goes_on_to_the_end_of_the_page():
    page = "<p>Site text.</p><main><h1>A synthetic page</h1><p>Text.</p><footer>F</footer><p>End."
    assert [line.text for line in read_page(page)] == ["A synthetic page", "Text.", "End."]


def test_web_page_without_main_skips_the_sites_furniture():
    page = COUNCIL_NEWS_PAGE.replace("<main", "<div").replace("</main>", "</div>")
    assert shapes(read_page(page)) == [
        (BULLET, 0, "Home"),
        (BULLET, 0, "News"),
        *NEWS_ARTICLE,
    ]


def test_web_page_furniture_left_open_is_kept_rather_than_lost():
    page = '<h1>A synthetic page</h1><div class="cookie-notice"><p>Text never closed.</p>'
    assert shapes(read_page(page)) == [
        (HEADING, 1, "A synthetic page"),
        (TEXT, 0, "Text never closed."),
    ]


@pytest.mark.django_db
def test_command_imports_the_article_of_a_council_news_page(essex, tmp_path):
    report = tmp_path / "synthetic.html"
    report.write_text(COUNCIL_NEWS_PAGE)
    call_command("import_report", str(report), "--region", "east-of-england")
    study = CaseStudy.objects.get()
    assert study.title == "Made-up project brings people together"
    everything = " ".join(
        [study.narrative, study.standfirst, *study.points.values_list("text", flat=True)]
    )
    for furniture in ("cookies", "Example Council home", "Privacy", "©", "Popular", "Related"):
        assert furniture not in everything


def test_web_page_without_a_closing_head_still_reads_its_body():
    assert shapes(read_page("<html><head><title>T</title><body><h1>H</h1><p>Body.</p>")) == [
        (HEADING, 1, "H"),
        (TEXT, 0, "Body."),
    ]


def test_web_page_without_a_level_one_heading_takes_its_title_as_one():
    page = """<html><head><title> A synthetic  project &amp; its page </title></head><body>
      <svg><title>A drawing's title</title></svg><h2>The situation</h2><p>Text.</p>"""
    assert shapes(read_page(page)) == [
        (HEADING, 1, "A synthetic project & its page"),
        (HEADING, 2, "The situation"),
        (TEXT, 0, "Text."),
    ]


@pytest.mark.parametrize(
    "page",
    [
        "<title>  </title><h2>The situation</h2><p>Text.</p>",  # an empty title
        "<h2>The situation</h2><p>Text.</p>",  # none
        "<svg><title>A drawing</title></svg><h2>The situation</h2><p>Text.</p>",
    ],
)
def test_web_page_without_a_title_or_level_one_heading_starts_as_written(page):
    assert shapes(read_page(page)) == [(HEADING, 2, "The situation"), (TEXT, 0, "Text.")]


def test_web_page_of_a_title_alone_has_no_text():
    with pytest.raises(UnreadableReport, match="has no text in it"):
        read_page("<html><head><title>Only a title</title></head><body></body></html>")


def test_web_page_paragraph_that_is_a_single_link_keeps_its_address():
    page = """<p><a href="https://example.org/synthetic">A synthetic link</a></p>
      <ul><li> <a href="http://example.org/two">Second link</a> </li></ul>
      <p>Read <a href="https://example.org/three">the report</a> online.</p>
      <p><a href="mailto:test.one@example.org">Test Person One</a></p>
      <p><a href="https://example.org/four">https://example.org/four</a></p>"""
    assert [line.text for line in read_page(page)] == [
        "A synthetic link <https://example.org/synthetic>",
        "Second link <http://example.org/two>",
        "Read the report online.",
        "Test Person One",
        "https://example.org/four",
    ]


def test_web_page_expands_no_entities_but_htmls_own():
    page = '<!DOCTYPE html [<!ENTITY boom "expanded">]><p>&boom; &copy; &#233;</p>'
    texts = [line.text for line in read_page(page)]
    assert texts[-1] == "&boom; © é"  # (the parser leaves the declaration's "]>" as text)
    assert not any("expanded" in text for text in texts)


@pytest.mark.parametrize(
    ("data", "text"),
    [
        ("<p>caf\u00e9</p>".encode(), "caf\u00e9"),
        ('<meta charset="windows-1252"><p>caf\u00e9</p>'.encode("cp1252"), "caf\u00e9"),
        (
            '<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1">'
            "<p>caf\u00e9</p>".encode("latin-1"),
            "caf\u00e9",
        ),
        ("\ufeff<p>caf\u00e9</p>".encode("utf-16-le"), "caf\u00e9"),
        ("\ufeff<p>caf\u00e9</p>".encode("utf-8"), "caf\u00e9"),
    ],
)
def test_web_page_character_set_from_its_bom_or_meta_else_utf8(data, text):
    assert [line.text for line in read_page(data)] == [text]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("<p>caf\u00e9</p>".encode("cp1252"), "not in UTF-8"),
        (b'<meta charset="x-synthetic"><p>text</p>', "x-synthetic"),
        (b"<p>\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0e\x0f\x10\x11\x12\x13</p>", "binary data"),
        (b"<html><script>only a script</script></html>", "has no text in it"),
    ],
)
def test_web_page_refusals(data, message):
    with pytest.raises(UnreadableReport, match=message):
        read_page(data)


def test_web_page_is_held_to_the_limits_of_every_format(monkeypatch):
    monkeypatch.setattr(reading, "MAX_PARAGRAPHS", 5)
    with pytest.raises(UnreadableReport, match="more than 5 paragraphs"):
        read_page("".join(f"<p>Paragraph {number}.</p>" for number in range(6)))
    monkeypatch.setattr(reading, "MAX_PARAGRAPH_CHARACTERS", 20)
    with pytest.raises(UnreadableReport, match="more than 20 characters"):
        read_page("<p>A paragraph longer than twenty characters.</p>")


# ------------------------------------------------------------------ through the command and admin


@pytest.mark.django_db
@pytest.mark.parametrize("extension", [".pdf", ".html", ".htm"])
def test_command_imports_a_report_as_pdf_or_web_page(essex, tmp_path, capsys, extension):
    report = tmp_path / f"synthetic{extension}"
    report.write_bytes(pdf_of(SYNTHETIC_PAGE) if extension == ".pdf" else SYNTHETIC_PAGE.encode())
    call_command("import_report", str(report))
    assert sorted(CaseStudy.objects.values_list("title", flat=True)) == [
        "Synthetic case study one: a test title",
        "Synthetic case study two: no barriers",
    ]
    one = CaseStudy.objects.get(title="Synthetic case study one: a test title")
    assert list(one.points.filter(kind="learning").values_list("text", flat=True)) == [
        "Synthetic learning point one.",
        "Synthetic learning point two, which is long enough to wrap onto a second line of the "
        "page.",
    ]


@pytest.fixture
def lead_client(client, lead_east):
    client.force_login(lead_east)
    return client


@pytest.mark.django_db
def test_lead_uploads_a_pdf_and_sees_the_preview(lead_client, essex):
    form = lead_client.get(reverse(IMPORT_URL)).context["form"]
    assert form.fields["file"].help_text.startswith("A .txt, .md, .docx, .pdf or .html file")
    upload = SimpleUploadedFile("synthetic.pdf", pdf_of(SYNTHETIC_PAGE))
    preview = lead_client.post(reverse(IMPORT_URL), {"file": upload})
    html = preview.content.decode()
    assert "Preview of “synthetic.pdf”" in html
    assert "Synthetic case study one: a test title" in html
    assert "Create 2 drafts" in html
    done = lead_client.post(reverse(IMPORT_URL), {"payload": preview.context["payload"]})
    assert "2 draft case studies created" in done.content.decode()
    assert CaseStudy.objects.count() == 2


@pytest.mark.django_db
def test_lead_uploads_a_damaged_pdf_and_is_told_so(lead_client, essex):
    damaged = pdf_of(SYNTHETIC_PAGE)[:900]
    upload = SimpleUploadedFile("synthetic.pdf", damaged)
    response = lead_client.post(reverse(IMPORT_URL), {"file": upload})
    assert response.status_code == 200
    assert "“synthetic.pdf” is a damaged PDF" in response.content.decode()
    assert "payload" not in response.context
    assert CaseStudy.objects.count() == 0


def test_an_unsupported_file_names_every_format_the_importer_reads():
    with pytest.raises(UnreadableReport, match=r"Upload a \.txt, \.md, \.docx, \.pdf or \.html"):
        read_report_file("report.rtf", b"{\\rtf1 synthetic}")


# ------------------------------------------------------------------ pages built to stall the parser


@pytest.mark.parametrize(
    "page",
    [
        "<p>" + "<a " * 5000 + "</p>",  # tags that never close
        "<p>x</p>" + "<!--" * 5000,  # comments that never close
        "<p>" + '<div title="a' * 5000,  # attributes that never close
    ],
)
def test_every_tag_the_parser_sees_closes_before_the_next_one_opens(page):
    """The standard library's parser looks for the end of an unclosed tag again from each "<"
    after it: time growing with the square of the page (60 KB of "<a <a ..." took half a
    minute). What it is given has each "<" closed by a ">" before the next "<"."""
    text = web_page.defused(page)
    position = text.find("<")
    while position >= 0:
        following = text.find("<", position + 1)
        closing = text.find(">", position + 1)
        assert closing >= 0 and (following < 0 or closing < following), text[position:][:40]
        position = following


def test_a_less_than_sign_in_the_text_is_kept_as_text():
    page = b"<p>Costs fell when a <b>few</b> fees < 10 pounds went.</p>"
    lines = read_report_file("page.html", page)
    assert [line.text for line in lines] == ["Costs fell when a few fees < 10 pounds went."]


def test_an_unclosed_comment_is_text_and_the_rest_of_the_page_is_read():
    page = (
        "<h1>A synthetic project</h1><p>Intro.</p><!-- a stray comment <h2>Challenges</h2>"
        "<ul><li>A synthetic barrier</li></ul>"
    )
    assert shapes(read_page(page)) == [
        (HEADING, 1, "A synthetic project"),
        (TEXT, 0, "Intro."),
        (TEXT, 0, "<!-- a stray comment"),
        (HEADING, 2, "Challenges"),
        (BULLET, 0, "A synthetic barrier"),
    ]


def test_comments_are_left_out_even_with_tags_inside():
    page = b"<p>Kept</p><!-- <p>left out</p> --><p>Also kept</p>"
    lines = read_report_file("page.html", page)
    assert [line.text for line in lines] == ["Kept", "Also kept"]


def test_a_section_about_consent_is_read_not_taken_for_a_cookie_banner():
    page = (
        b"<main><h1>Made-up project (test data)</h1>"
        b'<section id="consent-and-capacity"><h2>Consent and capacity</h2>'
        b"<p>How people agreed to take part.</p></section>"
        b'<div class="cookie-consent-banner"><p>We use cookies.</p></div></main>'
    )
    texts = [line.text for line in read_report_file("page.html", page)]
    assert "How people agreed to take part." in texts
    assert "We use cookies." not in texts
