"""Reading a report file (.txt, .md, .docx, .pdf or .html) into paragraph lines: bytes in,
`Line`s out. PDFs are read in pdf_text.py, saved web pages in web_page.py.

Only reads: nothing here knows the layout of a case study (see parsing.py).
"""

import dataclasses
import io
import re
import zipfile
from pathlib import PurePath

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
SUPPORTED_EXTENSIONS = (".txt", ".md", ".docx", ".pdf", ".html", ".htm")
# Limits on the work one file can cause, far above any real report (the East of England
# collection: 1,341 paragraphs, 121,590 characters, its longest paragraph 1,254 characters).
MAX_PARAGRAPHS = 10_000  # counting a Word document's empty paragraphs too
MAX_PARAGRAPH_CHARACTERS = 10_000
MAX_TEXT_CHARACTERS = 1_000_000
MAX_DOCX_UNPACKED_BYTES = 50 * 1024 * 1024  # a .docx is a zip: its parts, once unpacked

BULLET = "bullet"
TEXT = "text"
HEADING = "heading"


class UnreadableReport(Exception):
    """The file cannot be read as a report; the message says why, in plain words."""


# ----------------------------------------------------------------------------- reading files


@dataclasses.dataclass(frozen=True)
class Line:
    """One paragraph of the source: its text and whether it is a bullet, heading or plain text.

    `continues` marks a hard-wrapped line that belongs to the paragraph before it. `level` is
    a heading's rank where the format gives one (1 the highest: Markdown's number of `#`, a
    web page's hN, a PDF heading's size rank; Word's Title 1, its Heading N N+1), else 0.
    """

    text: str
    kind: str = TEXT
    continues: bool = False
    level: int = 0  # a heading's rank where the format gives one (1 = top); 0 = not given


BULLET_MARK = re.compile(r"^\s*(?:[-*•·▪●◦‣]\s*)+(?=\S)")
MD_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+")


def read_report_file(name, data):
    """The lines of an uploaded report, or UnreadableReport with a message for the editor."""
    extension = PurePath(name or "").suffix.lower()
    if extension not in SUPPORTED_EXTENSIONS:
        raise UnreadableReport(
            f"“{name}” is not a file the importer can read. "
            "Upload a .txt, .md, .docx, .pdf or .html file."
        )
    if len(data) > MAX_UPLOAD_BYTES:
        raise UnreadableReport(
            f"“{name}” is {len(data) / 1024 / 1024:.1f} MB; the largest file the importer "
            f"accepts is {MAX_UPLOAD_BYTES // 1024 // 1024} MB."
        )
    if not data.strip():
        raise UnreadableReport(f"“{name}” is empty.")
    if extension == ".docx":
        lines = docx_lines(name, data)
    elif extension == ".pdf":
        from .pdf_text import pdf_lines  # pypdf is imported only for a PDF

        lines = pdf_lines(name, data)
        check_paragraph_count(name, len(lines))
    elif extension in (".html", ".htm"):
        from .web_page import web_page_lines

        lines = web_page_lines(name, data)
    else:
        lines = text_lines(decode_text(name, data), markdown=extension == ".md")
        check_paragraph_count(name, len(lines))
    if not any(line.text.strip() for line in lines):
        raise UnreadableReport(f"“{name}” has no text in it.")
    check_lengths(name, lines)
    return lines


def check_paragraph_count(name, count):
    if count > MAX_PARAGRAPHS:
        raise UnreadableReport(
            f"“{name}” has more than {MAX_PARAGRAPHS:,} paragraphs; the importer reads at most "
            f"{MAX_PARAGRAPHS:,}. Check that it is a report, or split it into parts."
        )


def check_lengths(name, lines):
    """Refuse a paragraph (wrapped lines joined) or a whole text longer than the limits."""
    total = paragraph = number = 0
    for line in lines:
        if not line.continues:
            paragraph = 0
            number += 1
        paragraph += len(line.text) + 1
        total += len(line.text) + 1
        if paragraph > MAX_PARAGRAPH_CHARACTERS:
            raise UnreadableReport(
                f"Paragraph {number:,} of “{name}” has more than "
                f"{MAX_PARAGRAPH_CHARACTERS:,} characters; the importer reads paragraphs of at "
                "most that length. Check that the file is a report."
            )
        if total > MAX_TEXT_CHARACTERS:
            raise too_much_text(name)


def too_much_text(name):
    return UnreadableReport(
        f"“{name}” has more than {MAX_TEXT_CHARACTERS:,} characters of text; the "
        "importer reads at most that much at a time. Split the report into parts."
    )


def decode_text(name, data):
    if b"\x00" in data:
        raise UnreadableReport(f"“{name}” is not a text file: it holds binary data.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UnreadableReport(
            f"“{name}” is not readable text: save it with UTF-8 encoding and try again."
        ) from None
    check_not_binary(name, text)
    return text


def check_not_binary(name, text):
    control = sum(1 for char in text if ord(char) < 32 and char not in "\t\n\r\f")
    if control > max(10, len(text) // 100):
        raise UnreadableReport(f"“{name}” is not a text file: it holds binary data.")


def text_lines(text, *, markdown=False):
    """Paragraph lines from plain text: bullets recognised, wrapped lines marked."""
    lines = []
    previous = None
    for raw in text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n").split("\n"):
        if not raw.strip():
            previous = None
            continue
        line = raw.rstrip()
        if markdown and (heading := MD_HEADING.match(line)):
            text = line[heading.end() :].strip().rstrip("#").strip()
            previous = Line(text, HEADING, level=len(heading[1]))
        elif BULLET_MARK.match(line):
            previous = Line(BULLET_MARK.sub("", line).strip(), BULLET)
        elif previous is not None and previous.kind == BULLET and line[:1].isspace():
            previous = Line(line.strip(), BULLET, continues=True)
        else:
            previous = Line(line.strip(), TEXT)
        lines.append(previous)
    return lines


def docx_lines(name, data):
    """Paragraph lines from a Word document, using its list and heading styles."""
    import docx  # python-docx; imported here so that reading text files does not need it
    from docx.exceptions import PythonDocxError
    from docx.opc.exceptions import PackageNotFoundError
    from docx.oxml.exceptions import XmlchemyError
    from lxml import etree

    unreadable = f"“{name}” is not a readable Word (.docx) document."
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            members = package.infolist()
    except (zipfile.BadZipFile, ValueError):
        raise UnreadableReport(unreadable) from None
    # Word stores its parts plain or deflated, never encrypted (flag bit 0).
    if any(
        member.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)
        or member.flag_bits & 0x1
        for member in members
    ):
        raise UnreadableReport(unreadable)
    unpacked = sum(member.file_size for member in members)
    if unpacked > MAX_DOCX_UNPACKED_BYTES:
        raise UnreadableReport(
            f"“{name}” is too large once unpacked ({unpacked / 1024 / 1024:.0f} MB; at most "
            f"{MAX_DOCX_UNPACKED_BYTES // 1024 // 1024} MB). Save it again from Word, or "
            "save its text as .txt."
        )
    try:
        # python-docx parses without resolving entities; lxml refuses entity expansion
        # bombs, over-deep nesting and huge text nodes: all are XMLSyntaxError here.
        document = docx.Document(io.BytesIO(data))
        return list(_docx_lines(name, document))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError):
        raise UnreadableReport(unreadable) from None
    except (etree.LxmlError, XmlchemyError, PythonDocxError, AttributeError, TypeError):
        # python-docx does not check the parts' structure: a part with the wrong root element
        # fails as an AttributeError, a relationship without a target as a TypeError, a
        # required attribute left out as InvalidXmlError.
        raise UnreadableReport(
            f"“{name}” is a damaged Word (.docx) document: its contents cannot be read. "
            "Open it in Word and save it again, or save its text as .txt."
        ) from None


def _docx_lines(name, document):
    styles = _paragraph_style_names(document)
    for paragraph in _docx_paragraphs(name, document):
        full_text = paragraph.text  # python-docx works this out anew on each call
        text = " ".join(full_text.replace("\t", " ").split())
        if not text:
            continue
        style = styles.get(paragraph._p.style, styles.get(None, ""))
        numbered = paragraph._p.pPr is not None and paragraph._p.pPr.numPr is not None
        if style.startswith("List") or numbered:
            yield Line(BULLET_MARK.sub("", text), BULLET)
        elif style == "Title":
            yield Line(text, HEADING, level=1)
        elif style.startswith("Heading"):
            number = style.removeprefix("Heading").strip()
            yield Line(text, HEADING, level=int(number) + 1 if number.isdigit() else 0)
        else:
            yield from text_lines(full_text)


def _paragraph_style_names(document):
    """{style id: name} of the paragraph styles, the default one under None: read once, as
    python-docx looks the default up among all the styles for each paragraph that asks."""
    from docx.enum.style import WD_STYLE_TYPE

    styles = document.styles
    names = {
        style.style_id: style.name or ""
        for style in styles
        if style.type == WD_STYLE_TYPE.PARAGRAPH
    }
    default = styles.default(WD_STYLE_TYPE.PARAGRAPH)
    names[None] = (default.name or "") if default is not None else ""
    return names


def _docx_paragraphs(name, document):
    """Paragraphs in document order, including those inside tables (each cell once, however
    it is merged), at most MAX_PARAGRAPHS of them, empty ones included."""
    from docx.oxml.ns import qn
    from docx.text.paragraph import Paragraph

    body = document.element.body
    if body is None:
        return
    elements = []  # counted before any text is read: lxml walks the tree quickly
    for child in body.iterchildren(qn("w:p"), qn("w:tbl")):
        elements += [child] if child.tag == qn("w:p") else child.iter(qn("w:p"))
        check_paragraph_count(name, len(elements))
    for element in elements:
        yield Paragraph(element, document)
