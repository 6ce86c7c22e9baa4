"""Reading a saved web page (.html or .htm) into paragraph lines.

The standard library's HTML parser reads the page: nothing is fetched, and no entities are
expanded but HTML's own (`&amp;`, `&eacute;`, `&#233;`; one a page declares stays as written).

- h1 to h6 are headings of that level; li is a bullet (nested lists are flattened); p,
  blockquote, td, dt, dd, div and the other blocks are paragraphs of text; br starts a new
  line (in a list item, a line of the same item; in a heading, a space);
- a list item left open ends at the next item of its list, and the end of a list (ul or ol)
  ends every item in it, so the paragraphs after a list are text again;
- a page with no h1 starts with its title (the `<title>` in its head), as a level-1 heading:
  a page about one project keeps the project's name;
- script, style, template, noscript, svg, head and nav are left out; everything else is kept;
- comments are left out; a "<!--" that no "-->" closes is kept as text, with the rest of the
  page (a browser would hide the rest, but a report must not be lost without a word);
- a paragraph or list item that is a single link to a web address is written
  "Link text <https://...>", the form the parser reads as a link with its address;
- the characters are decoded as the page's byte order mark or its `<meta charset>` says,
  else as UTF-8; a page in none of those is refused with a message.
"""

import codecs
import re
from html.parser import HTMLParser

from . import reading
from .reading import BULLET, HEADING, TEXT, Line, UnreadableReport

SKIPPED = {"script", "style", "template", "noscript", "svg", "head", "nav"}
HEADINGS = {f"h{number}": number for number in range(1, 7)}
LISTS = {"ul", "ol"}
# Elements that start or end a paragraph; any other element is part of the text around it.
BLOCKS = {
    *HEADINGS,
    *("p", "blockquote", "td", "th", "dt", "dd", "div", "li", "ul", "ol", "dl", "table"),
    *("tr", "thead", "tbody", "tfoot", "caption", "section", "article", "header", "footer"),
    *("main", "aside", "figure", "figcaption", "address", "pre", "form", "fieldset"),
    *("details", "summary", "hr", "body", "html"),
}
WEB_ADDRESS = re.compile(r"^https?://[^\s<>]+$", re.IGNORECASE)

BYTE_ORDER_MARKS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
META_CHARSET = re.compile(rb"<meta\b[^>]*?charset\s*=\s*[\"']?\s*([\w.:-]+)", re.IGNORECASE)
# What browsers read these labels as (the WHATWG Encoding Standard): a page that says
# "iso-8859-1" is read as windows-1252, and one that says UTF-16 without a byte order mark
# cannot be UTF-16 (its meta tag was readable as ASCII), so it is read as UTF-8.
BROWSER_ENCODINGS = {
    "iso-8859-1": "cp1252",
    "latin1": "cp1252",
    "us-ascii": "cp1252",
    "ascii": "cp1252",
    "utf-16": "utf-8",
    "utf-16le": "utf-8",
    "utf-16be": "utf-8",
}


def web_page_lines(name, data):
    """The lines of a saved web page, or UnreadableReport with a message for the editor."""
    text = decode_page(name, data)
    reading.check_not_binary(name, text)
    page = PageReader(name)
    page.feed(defused(text))
    page.close()
    page.end_paragraph()
    title = " ".join("".join(page.title or []).split())
    if title and page.lines and not any(line.level == 1 for line in page.lines):
        page.lines.insert(0, Line(title, HEADING, level=1))
        reading.check_paragraph_count(name, len(page.lines))
    return page.lines


def defused(text):
    """The page with its comments left out and every "<" that opens no complete tag or
    comment written as "&lt;", in one pass. The standard library's parser looks for the end
    of an unclosed tag again from each "<" after it, which takes time growing with the square
    of the page's length: a 60 KB page of "<a <a <a ..." took half a minute. Here each "<" it
    sees has its ">" before the next "<"."""
    pieces = []
    position = 0
    length = len(text)
    closing = -1  # the next ">" found so far: searched again only once passed
    comments_close = True  # False once a "<!--" has found no "-->" after it
    while position < length:
        opening = text.find("<", position)
        if opening < 0:
            pieces.append(text[position:])
            break
        pieces.append(text[position:opening])
        if comments_close and text.startswith("<!--", opening):
            end = text.find("-->", opening + 4)
            if end >= 0:
                position = end + 3
                continue
            comments_close = False
        if text.startswith("<!--", opening):  # unclosed: as text, and the rest read
            pieces.append("&lt;")
            position = opening + 1
            continue
        if closing <= opening:
            closing = text.find(">", opening + 1)
            closing = length if closing < 0 else closing
        following = text.find("<", opening + 1)
        if closing == length or (0 <= following < closing):
            pieces.append("&lt;")
            position = opening + 1
        else:
            pieces.append(text[opening : closing + 1])
            position = closing + 1
    return "".join(pieces)


def decode_page(name, data):
    for mark, encoding in BYTE_ORDER_MARKS:
        if data.startswith(mark):
            return decoded(name, data[len(mark) :], encoding)
    declared = META_CHARSET.search(data[:4096])
    if declared is None:
        return decoded(name, data, "utf-8")
    label = declared[1].decode("ascii").lower()
    try:
        encoding = codecs.lookup(BROWSER_ENCODINGS.get(label, label)).name
    except LookupError:
        raise UnreadableReport(
            f"“{name}” says its characters are in “{label}”, an encoding the importer does not "
            "know. Open the page in a browser and save it again, or save its text as .txt."
        ) from None
    return decoded(name, data, encoding)


def decoded(name, data, encoding):
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        if encoding == "utf-8":
            problem = "is not in UTF-8 and does not say which encoding it is in"
        else:
            problem = f"is not readable as the encoding it names ({encoding})"
        raise UnreadableReport(
            f"“{name}” {problem}. Save the page again with UTF-8 encoding and try again."
        ) from None


class PageReader(HTMLParser):
    """Collects `lines` from the page fed to it, a paragraph at a time."""

    def __init__(self, name):
        super().__init__(convert_charrefs=True)
        self.name = name
        self.lines = []
        self.open = []  # (tag, kind, level) of the open lists, items and headings, innermost last
        self.skipping = None  # (tag, depth) of the left-out element we are inside
        self.title = None  # the pieces of the page's <title>, once it has begun
        self.in_title = False
        self.preformatted = 0
        self.start_paragraph()

    def start_paragraph(self, *, continues=False):
        self.pieces = []
        self.links = []  # the addresses of the paragraph's links
        self.in_link = None
        self.text_outside_links = False
        self.continues = continues

    def kind(self):
        return self.open[-1][1:] if self.open else (TEXT, 0)

    def close_innermost(self, tags, *, within=()):
        """Ends the innermost open element of one of `tags`, and every one opened inside it;
        not looking beyond the innermost open element of one of `within`."""
        for position in range(len(self.open) - 1, -1, -1):
            tag = self.open[position][0]
            if tag in tags:
                del self.open[position:]
                return
            if tag in within:
                return

    def end_paragraph(self, *, continues=False):
        text = " ".join("".join(self.pieces).split())
        if text:
            kind, level = self.kind()
            if kind != HEADING:
                text = self.single_link(text)
            self.lines.append(Line(text, kind, self.continues, level))
            reading.check_paragraph_count(self.name, len(self.lines))
        self.start_paragraph(continues=continues)

    def single_link(self, text):
        """A paragraph that is one link to a web address: "Link text <https://...>"."""
        if self.text_outside_links or len(self.links) != 1:
            return text
        address = self.links[0].strip()
        if not WEB_ADDRESS.match(address) or text == address:
            return text
        return f"{text} <{address}>"

    def handle_starttag(self, tag, attrs):
        if tag == "title" and self.title is None and self.skipping in (None, ("head", 1)):
            self.title = []  # the document's title, not a drawing's
            self.in_title = True
        if self.skipping:
            skipped, depth = self.skipping
            if tag == skipped:
                self.skipping = (skipped, depth + 1)
            elif skipped == "head" and tag == "body":  # the end of <head> may be left out
                self.skipping = None
            return
        if tag in SKIPPED:
            self.end_paragraph()
            self.skipping = (tag, 1)
        elif tag == "br":
            kind, _level = self.kind()
            if kind == HEADING:
                self.pieces.append(" ")
            else:
                self.end_paragraph(continues=kind == BULLET)
        elif tag in BLOCKS:
            self.end_paragraph()
            if self.open and self.open[-1][1] == HEADING:
                self.open.pop()  # a heading holds no blocks: this one was left open
            if tag in HEADINGS:
                self.open.append((tag, HEADING, HEADINGS[tag]))
            elif tag == "li":
                self.close_innermost({"li"}, within=LISTS)  # an item left open
                self.open.append((tag, BULLET, 0))
            elif tag in LISTS:  # the text directly in a list is as the text around it
                self.open.append((tag, *self.kind()))
            elif tag == "pre":
                self.preformatted += 1
        elif tag == "a":
            self.in_link = dict(attrs).get("href") or ""
            self.links.append(self.in_link)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in ("br", "hr"):
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if tag == "title":
            self.in_title = False
        if self.skipping:
            skipped, depth = self.skipping
            if tag == skipped:
                self.skipping = (skipped, depth - 1) if depth > 1 else None
            return
        if tag in BLOCKS:
            self.end_paragraph()
            if tag in LISTS:  # its items too, even those left open
                open_tags = {entry[0] for entry in self.open}
                self.close_innermost({tag} if tag in open_tags else LISTS)
            elif tag == "li":
                self.close_innermost({"li"}, within=LISTS)
            else:
                self.close_innermost({tag})
            if tag == "pre":
                self.preformatted = max(0, self.preformatted - 1)
        elif tag == "a":
            self.in_link = None

    def handle_data(self, data):
        if self.in_title:
            self.title.append(data)
            return
        if self.skipping:
            return
        if self.preformatted and "\n" in data:
            first, *rest = data.split("\n")
            self.handle_data(first)
            for line in rest:
                self.end_paragraph()
                self.handle_data(line)
            return
        self.pieces.append(data)
        if self.in_link is None:
            self.text_outside_links |= bool(data.strip())
