"""Reading a report file (.txt, .md or .docx) into paragraph lines: bytes in, `Line`s out.

Only reads: nothing here knows the layout of a case study (see parsing.py).
"""

import dataclasses
import io
import re
import zipfile
from pathlib import PurePath

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
SUPPORTED_EXTENSIONS = (".txt", ".md", ".docx")

BULLET = "bullet"
TEXT = "text"
HEADING = "heading"


class UnreadableReport(Exception):
    """The file cannot be read as a report; the message says why, in plain words."""


# ----------------------------------------------------------------------------- reading files


@dataclasses.dataclass(frozen=True)
class Line:
    """One paragraph of the source: its text and whether it is a bullet, heading or plain text.

    `continues` marks a hard-wrapped line that belongs to the paragraph before it.
    """

    text: str
    kind: str = TEXT
    continues: bool = False


BULLET_MARK = re.compile(r"^\s*(?:[-*•·▪●◦‣]\s*)+(?=\S)")
MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+")


def read_report_file(name, data):
    """The lines of an uploaded report, or UnreadableReport with a message for the editor."""
    extension = PurePath(name or "").suffix.lower()
    if extension not in SUPPORTED_EXTENSIONS:
        raise UnreadableReport(
            f"“{name}” is not a file the importer can read. "
            "Upload a .txt, .md or .docx file (save a PDF's text as .txt first)."
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
    else:
        lines = text_lines(decode_text(name, data), markdown=extension == ".md")
    if not any(line.text.strip() for line in lines):
        raise UnreadableReport(f"“{name}” has no text in it.")
    return lines


def decode_text(name, data):
    if b"\x00" in data:
        raise UnreadableReport(f"“{name}” is not a text file: it holds binary data.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UnreadableReport(
            f"“{name}” is not readable text: save it with UTF-8 encoding and try again."
        ) from None
    control = sum(1 for char in text if ord(char) < 32 and char not in "\t\n\r\f")
    if control > max(10, len(text) // 100):
        raise UnreadableReport(f"“{name}” is not a text file: it holds binary data.")
    return text


def text_lines(text, *, markdown=False):
    """Paragraph lines from plain text: bullets recognised, wrapped lines marked."""
    lines = []
    previous = None
    for raw in text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n").split("\n"):
        if not raw.strip():
            previous = None
            continue
        line = raw.rstrip()
        if markdown and MD_HEADING.match(line):
            previous = Line(MD_HEADING.sub("", line).strip().rstrip("#").strip(), HEADING)
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
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError):
        raise UnreadableReport(f"“{name}” is not a readable Word (.docx) document.") from None
    lines = []
    for paragraph in _docx_paragraphs(document):
        text = " ".join(paragraph.text.replace("\t", " ").split())
        if not text:
            continue
        style = (paragraph.style.name if paragraph.style is not None else "") or ""
        numbered = paragraph._p.pPr is not None and paragraph._p.pPr.numPr is not None
        if style.startswith("List") or numbered:
            lines.append(Line(BULLET_MARK.sub("", text), BULLET))
        elif style.startswith("Heading") or style == "Title":
            lines.append(Line(text, HEADING))
        else:
            lines.extend(text_lines(paragraph.text))
    return lines


def _docx_paragraphs(document):
    """Paragraphs in document order, including those inside table cells."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            yield Paragraph(child, document)
        elif tag == "tbl":
            for row in Table(child, document).rows:
                for cell in row.cells:
                    yield from cell.paragraphs
