"""Reading a PDF's text layer into paragraph lines, with pypdf (pure Python, no network).

pypdf gives each piece of text with its position and font size (`extract_text`'s
`visitor_text`); the printed lines are rebuilt from those, then:

- **running headers, footers and page numbers** are dropped: a line at the top or bottom of a
  page (one of the two outermost lines, not in a heading's size) that, digits ignored, is at
  the top or bottom of at least half the pages of a document of 3 pages or more; and a page
  number ("7", "Page 7", "7 of 20", "- 7 -") at the top or bottom of any page;
- **headings** are lines in a font clearly larger (HEADING_RATIO) than the body's, the body's
  being the size most characters are printed in; their level is their size's rank, the
  largest 1. Bold alone does not make a heading;
- **bullets** are lines that start with "•", "▪", "–", "-", "*" or a number ("1."): the marker
  is left out, and the lines wrapped under one are joined onto it;
- **paragraphs**: lines wrapped mid-sentence are joined, also across a page break; a larger
  gap between lines than the document's usual line spacing ends a paragraph;
- **a hyphen at a line's end**: a soft hyphen is dropped; otherwise the word is rejoined
  ("particip-" + "ation": "participation") unless it is a compound: the hyphen is kept when the
  hyphenated form is used elsewhere in the document, else dropped when the joined form is,
  else kept when the part before it is one of COMPOUND_PREFIXES ("co-production",
  "well-being", "long-term") and the part after is not a mere ending such as "ly" or "ing";
  after a digit or before a capital the hyphen stays and no space is added ("2019-2020").

Refused, each with a message: a file that is not a PDF or is damaged, one protected by a
password (or encrypted, even with an empty one), one with no text (a scan), one of more than
MAX_PAGES pages, a page drawn in more than MAX_PIECES_PER_PAGE pieces of text (refused as the
pieces come, before the rest are placed), and any error pypdf meets while reading. pypdf's
own limits on the size of decompressed streams stay on. The limits of every format
(reading.py) apply to the result.
"""

import collections
import dataclasses
import io
import math
import re

from . import reading
from .reading import BULLET, HEADING, TEXT, Line, UnreadableReport

MAX_PAGES = 500
# A page of a real report is drawn in a few hundred to a few thousand pieces of text.
MAX_PIECES_PER_PAGE = 20_000
# A list marker drawn apart from its line is looked for among the latest MARKER_LOOKBACK lines
# of each band of BAND points of the page's height, in the bands at and beside its baseline:
# a few comparisons a piece of text, however many lines the page has.
BAND = 4.0
MARKER_LOOKBACK = 8
HEADING_RATIO = 1.15  # a heading's font is at least this much larger than the body's
# Parts before a hyphen that make compounds far more often than hyphenation splits a word
# after them ("re", "pre" and "post" are left out: "re-port", "pre-vent", "post-er").
COMPOUND_PREFIXES = {
    *("co", "non", "self", "well", "long", "short", "cross", "half", "full", "anti", "semi"),
}
WORD_ENDINGS = {"ly", "er", "ers", "ing", "ings", "ed", "est", "ness", "en", "ish", "y", "ful"}
PAGE_NUMBER = re.compile(
    r"^(?:(?:page\s+)?\d{1,4}(?:\s+(?:of|/)\s+\d{1,4})?|[-–—]\s*\d{1,4}\s*[-–—])$", re.IGNORECASE
)
BULLET_START = re.compile(r"^(?:[•▪●◦‣·*\-–]|\d{1,3}[.)])\s+(?=\S)")
HYPHENS = ("-", "\u2010", "\u00ad")  # hyphen-minus, hyphen, soft hyphen
SENTENCE_END = (".", "!", "?", ":", ";", "”", '"', ")")
DAMAGE = (ValueError, KeyError, TypeError, AttributeError, RecursionError, IndexError)
DAMAGE += (ZeroDivisionError, OverflowError)


@dataclasses.dataclass
class PrintedLine:
    """One line as printed: its text, position (y grows up the page) and font size."""

    text: str
    x: float
    y: float
    size: float
    sizes: collections.Counter = dataclasses.field(default_factory=collections.Counter)
    heading_level: int = 0


def pdf_lines(name, data):
    """The lines of a PDF's text layer, or UnreadableReport with a message for the editor."""
    import pypdf
    from pypdf.errors import DependencyError, PyPdfError

    if b"%PDF-" not in data[:1024]:
        raise UnreadableReport(
            f"“{name}” is not a PDF, though its name ends in .pdf. Check that it is the right "
            "file, or save it again as PDF."
        )
    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise protected(name, reader)
        if len(reader.pages) > MAX_PAGES:
            raise UnreadableReport(
                f"“{name}” has {len(reader.pages):,} pages; the importer reads at most "
                f"{MAX_PAGES} pages. Split it into parts."
            )
        pages = read_pages(name, reader)
    except (PyPdfError, DependencyError, *DAMAGE):
        raise UnreadableReport(
            f"“{name}” is a damaged PDF: its text cannot be read. Open it and save it again as "
            "PDF, or ask for the document as Word or text."
        ) from None
    if not any(pages):
        raise UnreadableReport(
            "This PDF has no text to read: it looks like scanned pages. Ask for the document as "
            "Word or text, or run text recognition on it first."
        )
    mark_headings(pages)
    drop_running_lines(pages)
    return paragraphs(pages)


def protected(name, reader):
    from pypdf import PasswordType

    if reader.decrypt("") != PasswordType.NOT_DECRYPTED:
        return UnreadableReport(
            f"“{name}” is encrypted: it is protected by a password, even though it opens without "
            "one. Save a copy without the protection, or ask for the document as Word or text."
        )
    return UnreadableReport(
        f"“{name}” is protected by a password, so its text cannot be read. Save a copy "
        "without the password, or ask for the document as Word or text."
    )


def read_pages(name, reader):
    pages = []
    characters = 0
    for number, page in enumerate(reader.pages, 1):
        lines = printed_lines(page, f"Page {number} of “{name}”")
        characters += sum(len(line.text) for line in lines)
        if characters > 2 * reading.MAX_TEXT_CHARACTERS:  # (headers and footers still in)
            raise reading.too_much_text(name)
        pages.append(lines)
    return pages


def multiply(m, n):
    """The product of two PDF matrices [a b c d e f]."""
    return [
        m[0] * n[0] + m[1] * n[2],
        m[0] * n[1] + m[1] * n[3],
        m[2] * n[0] + m[3] * n[2],
        m[2] * n[1] + m[3] * n[3],
        m[4] * n[0] + m[5] * n[2] + n[4],
        m[4] * n[1] + m[5] * n[3] + n[5],
    ]


def printed_lines(page, which):
    """The page's lines in the order the page draws them, with a list marker drawn apart
    from its line (as some writers do, after the text) put back at the line's start."""
    lines = []
    bands = collections.defaultdict(list)  # {band: [(order, PrintedLine)]}, see BAND
    pieces = 0

    def visit(text, cm, tm, font, font_size):
        nonlocal pieces
        if not text.strip():
            return
        a, b, c, d, x, y = multiply(list(tm), list(cm))
        size = round(float(font_size) * math.sqrt(abs(a * d - b * c)), 1)
        for number, part in enumerate(text.split("\n")):
            if part.strip():
                pieces += 1
                if pieces > MAX_PIECES_PER_PAGE:
                    raise UnreadableReport(
                        f"{which} is made of more than {MAX_PIECES_PER_PAGE:,} separate pieces "
                        "of text, far more than any report has, so it is not read. Check that "
                        "it is the right file, or ask for the document as Word or text."
                    )
                place(lines, bands, part, x, y - number * size * 1.2, size)

    page.extract_text(visitor_text=visit)
    for line in lines:
        line.text = " ".join(line.text.split())
        line.size = line.sizes.most_common(1)[0][0]
    return [line for line in lines if line.text]


def same_baseline(line, y, size):
    return abs(line.y - y) < 0.3 * max(size, line.size)


def place(lines, bands, text, x, y, size):
    """Adds a piece of text to the page's lines: to the line it goes on, to the line it is
    the marker of, or as a new line."""
    if lines and same_baseline(lines[-1], y, size):
        line = lines[-1]
        line.text += text
    elif len(text.strip()) <= 3 and (marked := marked_line(bands, x, y, size)):
        line = marked
        line.text = f"{text.strip()} {line.text}"
        line.x = x
    else:
        line = PrintedLine(text, x, y, size)
        bands[round(y / BAND)].append((len(lines), line))
        lines.append(line)
    line.sizes[size] += len(text.strip())


def marked_line(bands, x, y, size):
    """The line a short piece of text at (x, y) is the list marker of, if any: the latest of
    the lines near its baseline that start to its right (see BAND)."""
    band = round(y / BAND)
    candidates = [
        (order, line)
        for near in (band - 1, band, band + 1)
        for order, line in bands.get(near, [])[-MARKER_LOOKBACK:]
        if same_baseline(line, y, size) and line.x > x
    ]
    return max(candidates, key=lambda candidate: candidate[0])[1] if candidates else None


def mark_headings(pages):
    every = [line for page in pages for line in page]
    characters = collections.Counter()
    for line in every:
        characters.update(line.sizes)
    body = characters.most_common(1)[0][0]
    sizes = sorted({line.size for line in every if line.size >= body * HEADING_RATIO}, reverse=True)
    for line in every:
        if line.size in sizes:
            line.heading_level = sizes.index(line.size) + 1


def drop_running_lines(pages):
    """Running headers, footers and page numbers out, in place."""

    def edges(page):
        body = [line for line in page if not line.heading_level]
        by_height = sorted(body, key=lambda line: -line.y)
        return by_height[:2] + by_height[2:][-2:]

    def key(line):
        return " ".join(re.sub(r"\d+", "", line.text.lower()).split())

    repeated = collections.Counter()
    for page in pages:
        repeated.update({key(line) for line in edges(page)})  # each key once a page
    running = {
        text
        for text, count in repeated.items()
        if len(pages) >= 3 and count >= max(2, math.ceil(len(pages) / 2))
    }
    for page in pages:
        dropped = [
            line for line in edges(page) if key(line) in running or PAGE_NUMBER.match(line.text)
        ]
        page[:] = [line for line in page if line not in dropped]


def paragraphs(pages):
    words = document_words(pages)
    spacing = usual_spacing(pages)
    result = []  # [kind, level, text, last PrintedLine]
    for page in pages:
        for position, line in enumerate(page):
            kind, level, text = what_line(line)
            previous = result[-1] if result else None
            if previous and continues(previous, kind, level, line, position, spacing):
                previous[2] = joined(previous[2], text, words)
                previous[3] = line
            else:
                result.append([kind, level, text, line])
    return [Line(text, kind, level=level) for kind, level, text, _line in result]


def what_line(line):
    if line.heading_level:
        return HEADING, line.heading_level, line.text
    marker = BULLET_START.match(line.text)
    if marker:
        return BULLET, 0, line.text[marker.end() :]
    return TEXT, 0, line.text


def continues(previous, kind, level, line, position, spacing):
    """Whether `line` goes on with the paragraph before it."""
    previous_kind, previous_level, text, last = previous
    if kind == BULLET:
        return False
    if kind == HEADING or previous_kind == HEADING:
        return (
            kind == previous_kind
            and level == previous_level
            and 0 < last.y - line.y <= 1.6 * line.size
        )
    if position == 0:  # the first line of a page: wrapped mid-sentence at the page break
        return not text.endswith(SENTENCE_END)
    gap = last.y - line.y
    return 0 < gap <= spacing.get(line.size, 1.3 * line.size) * 1.25


def usual_spacing(pages):
    """{font size: the gap between two lines of a paragraph in that size}: the smallest gap
    between lines of that size (a paragraph's own lines are closer than two paragraphs), at
    most 1.6 times the size (in a document whose paragraphs are all one line long, every gap
    is between paragraphs)."""
    gaps = collections.defaultdict(list)
    for page in pages:
        for above, below in zip(page, page[1:], strict=False):
            if above.size == below.size and above.y - below.y >= 0.8 * above.size:
                gaps[above.size].append(above.y - below.y)
    return {size: min(min(found), 1.6 * size) for size, found in gaps.items()}


def document_words(pages):
    text = " ".join(line.text for page in pages for line in page).replace("\u2010", "-")
    return set(re.findall(r"[a-z]+(?:-[a-z]+)*", text.lower()))


def joined(text, after, words):
    """Two lines of a paragraph as one: see "a hyphen at a line's end" above."""
    if not text.endswith(HYPHENS) or len(text) < 2 or not text[-2].isalnum():
        return f"{text} {after}"
    hyphen, before = text[-1], text[:-1]
    if hyphen == "\u00ad":
        return before + after
    head = re.search(r"[A-Za-z]+$", before)
    tail = re.match(r"[a-z]+", after)
    if head is None or tail is None:
        return f"{before}-{after}"
    hyphenated = f"{head[0]}-{tail[0]}".lower()
    if hyphenated in words:
        return f"{before}-{after}"
    if f"{head[0]}{tail[0]}".lower() in words:
        return before + after
    if head[0].lower() in COMPOUND_PREFIXES and tail[0] not in WORD_ENDINGS:
        return f"{before}-{after}"
    return before + after
