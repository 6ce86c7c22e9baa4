"""Reading a saved web page (.html or .htm) into paragraph lines.

The standard library's HTML parser reads the page: nothing is fetched, and no entities are
expanded but HTML's own (`&amp;`, `&eacute;`, `&#233;`; one a page declares stays as written).

- h1 to h6 are headings of that level; li is a bullet (nested lists are flattened); p,
  blockquote, dt, dd, div and the other blocks are paragraphs of text; br starts a new
  line (in a list item, a line of the same item; in a heading, a space);
- a list item left open ends at the next item of its list, and the end of a list (ul or ol)
  ends every item in it, so the paragraphs after a list are text again;
- a table row (tr) is one line, its cells' texts joined with " – ", whatever blocks a cell
  holds. Each row is a bullet, a header row (th cells, or in a thead) too: an unmarked line
  of text that is short and names a part ("Barrier – What we did") would be read as a
  heading and end the list, so under a list heading each row is one point, and in a story
  the rows are a list. A table in a list item is part of the item; a table in a cell ends
  the row so far, and its own rows follow in place;
- a page with no h1 starts with its title (the `<title>` in its head), as a level-1 heading:
  a page about one project keeps the project's name;
- script, style, template, noscript, svg, head and nav are left out;
- so is the site's own furniture: footer, aside, a header outside main, article and section
  (the site's banner, not an article's title), and any element whose id or class names a
  cookie or consent banner. Furniture whose end never comes is kept: nothing is lost unseen;
- a page with a main element (or role="main") is read inside it only, with the title rule
  above: the menus, breadcrumbs and links around the article are the site's, not the report's;
- comments are left out; a "<!--" that no "-->" closes is kept as text, with the rest of the
  page (a browser would hide the rest, but a report must not be lost without a word);
- a paragraph or list item that is a single link to a web address is written
  "Link text <https://...>", the form the parser reads as a link with its address;
- the characters are decoded as the page's byte order mark or its `<meta charset>` says,
  else as UTF-8; a page in none of those is refused with a message.
"""

import codecs
import dataclasses
import re
from html.parser import HTMLParser

from . import reading
from .reading import BULLET, HEADING, TEXT, Line, UnreadableReport

SKIPPED = {"script", "style", "template", "noscript", "svg", "head", "nav"}
FURNITURE = {"footer", "aside"}
# In an element's id or class: a cookie banner ("cookie-banner", "cookieConsent",
# "consent-banner"). Consent alone is a subject of adult social care ("consent-and-capacity").
BANNER = re.compile(
    r"cookie|consent[-_ ]?(?:banner|bar|notice|popup|dialog|modal|manager|prompt|preferences"
    r"|settings)",
    re.IGNORECASE,
)
SECTIONING = {"article", "section"}  # a header inside one is its own, not the site's
# Elements that are never furniture: the page itself, and those that hold nothing.
NOT_FURNITURE = {"html", "body", "main"} | {
    *("area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta"),
    *("source", "track", "wbr"),
}
TABLE_PARTS = {"thead", "tbody", "tfoot", "caption", "colgroup"}
CELL_SEPARATOR = " – "
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
    lines = page.finish()
    title = " ".join("".join(page.title or []).split())
    if title and lines and not any(line.level == 1 for line in lines):
        lines.insert(0, Line(title, HEADING, level=1))
        reading.check_paragraph_count(name, len(lines))
    return lines


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


@dataclasses.dataclass
class Table:
    """A table being read: whether it is in a list item, whether its next row continues a
    line before it (the item's), and the texts of its open row's cells (None between rows)."""

    in_item: bool
    continues: bool
    row: list | None = None


class Region:
    """An element read to its end: `depth` counts the elements of its tag open inside it."""

    def __init__(self, tag, start):
        self.tag = tag
        self.depth = 1
        self.start = start  # what to go back to (furniture) or where it began (main)

    def ended(self, tag, *, closing):
        """Counts an element of `tag` opening or closing; whether this region has ended."""
        if tag == self.tag:
            self.depth += -1 if closing else 1
        return self.depth == 0


# What the reader goes back to at the end of furniture, with the lists it had then.
RESTORED = ("pieces", "links", "in_link", "text_outside_links", "continues")
RESTORED += ("preformatted", "sectioning", "item_start")


class PageReader(HTMLParser):
    """Collects lines from the page fed to it, a paragraph at a time (`finish` returns them)."""

    def __init__(self, name):
        super().__init__(convert_charrefs=True)
        self.name = name
        self.lines = []
        self.open = []  # (tag, kind, level) of the open lists, items and headings, innermost last
        self.skipping = None  # (tag, depth) of the left-out element we are inside
        self.title = None  # the pieces of the page's <title>, once it has begun
        self.in_title = False
        self.preformatted = 0
        self.tables = []  # the tables we are inside, innermost last
        self.item_start = 0  # the number of lines when the latest list item began
        self.sectioning = 0  # the number of articles and sections we are inside
        self.furniture = None  # the Region of the outermost furniture we are inside
        self.main = None  # the Region of the main element we are inside
        self.main_parts = []  # (first line, end line or None) of each main element
        self.start_paragraph()

    def finish(self):
        """The lines read, once the whole page has been fed: only the main's where it has one."""
        while self.tables:
            self.end_row()
            self.tables.pop()
        self.end_paragraph()
        if self.main:  # never closed: it goes on to the end of the page
            self.main_parts.append((self.main.start, None))
        if not self.main_parts:
            return self.lines
        return [line for start, end in self.main_parts for line in self.lines[start:end]]

    def in_row(self):
        return bool(self.tables) and self.tables[-1].row is not None

    def boundary(self):
        """Where an element starts or ends a paragraph; in a table's row, a space."""
        if self.in_row():
            self.pieces.append(" ")
        else:
            self.new_block()

    def new_block(self):
        self.end_paragraph()
        if self.open and self.open[-1][1] == HEADING:
            self.open.pop()  # a heading holds no blocks: this one was left open

    def end_cell(self):
        text = " ".join("".join(self.pieces).split())
        if text:
            self.tables[-1].row.append(text)
        self.pieces = []

    def end_row(self, *, reopen=False):
        """The open row of the innermost table as one line; `reopen` for a table in a cell."""
        table = self.tables[-1]
        if table.row is None:
            return
        self.end_cell()
        self.pieces = [CELL_SEPARATOR.join(table.row)]
        table.row = [] if reopen else None
        self.continues = table.continues
        self.open.append(("tr", BULLET, 0))  # a row is a bullet, whatever is around it
        if self.end_paragraph():
            table.continues = table.in_item
        self.open.pop()

    def is_furniture(self, tag, attributes):
        if tag in NOT_FURNITURE or attributes.get("role") == "main":
            return False
        if tag in FURNITURE or (tag == "header" and not self.sectioning and not self.main):
            return True
        names = f"{attributes.get('id') or ''} {attributes.get('class') or ''}"
        return bool(BANNER.search(names))

    def saved(self):
        """What `restore` goes back to, kept in time that does not grow with the page: the
        number of each list's entries, and the lists themselves to cut back."""
        table = self.tables[-1] if self.tables else None
        row = table and table.row
        lists = [(items, len(items)) for items in (self.lines, self.pieces, self.links)]
        lists += [(self.open, len(self.open)), (self.tables, len(self.tables))]
        if row is not None:
            lists.append((row, len(row)))
        state = {name: getattr(self, name) for name in RESTORED}
        return lists, state, table, table and (table.continues, row)

    def restore(self, saved):
        lists, state, table, table_state = saved
        for items, count in lists:
            del items[count:]
        for name, value in state.items():
            setattr(self, name, value)
        if table:
            self.tables[len(self.tables) - 1 :] = [table]
            table.continues, table.row = table_state

    def start_regions(self, tag, attributes):
        """Counts the tag in the regions we are inside, and starts one where it begins."""
        for region in (self.furniture, self.main):
            if region:
                region.ended(tag, closing=False)
        if self.main is None and (tag == "main" or attributes.get("role") == "main"):
            self.furniture = None  # the page's main content is never furniture
            self.boundary()
            self.main = Region(tag, len(self.lines))
        elif self.furniture is None and self.is_furniture(tag, attributes):
            self.boundary()
            self.furniture = Region(tag, self.saved())
        if tag in SECTIONING:
            self.sectioning += 1

    def end_regions(self, tag):
        if tag in SECTIONING:
            self.sectioning = max(0, self.sectioning - 1)
        if self.furniture and self.furniture.ended(tag, closing=True):
            self.restore(self.furniture.start)
            self.furniture = None
        if self.main and self.main.ended(tag, closing=True):
            self.boundary()
            self.main_parts.append((self.main.start, len(self.lines)))
            self.main = None

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
        """Adds the paragraph read so far as a line, if it has text; whether it had."""
        text = " ".join("".join(self.pieces).split())
        if text:
            kind, level = self.kind()
            if kind != HEADING:
                text = self.single_link(text)
            self.lines.append(Line(text, kind, self.continues, level))
            reading.check_paragraph_count(self.name, len(self.lines))
        self.start_paragraph(continues=continues)
        return bool(text)

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
            self.boundary()
            self.skipping = (tag, 1)
            return
        self.start_regions(tag, dict(attrs))
        if self.tables and self.table_part_starts(tag):
            return
        if tag == "br":
            kind, _level = self.kind()
            if kind == HEADING or self.in_row():
                self.pieces.append(" ")
            else:
                self.end_paragraph(continues=kind == BULLET)
        elif tag in BLOCKS and self.in_row():
            self.pieces.append(" ")  # a cell's paragraphs, lists and headings are its text
        elif tag in BLOCKS:
            self.new_block()
            if tag in HEADINGS:
                self.open.append((tag, HEADING, HEADINGS[tag]))
            elif tag == "li":
                self.close_innermost({"li"}, within=LISTS)  # an item left open
                self.open.append((tag, BULLET, 0))
                self.item_start = len(self.lines)
            elif tag == "table":
                in_item = self.kind()[0] == BULLET
                self.tables.append(Table(in_item, in_item and len(self.lines) > self.item_start))
            elif tag in LISTS:  # the text directly in a list is as the text around it
                self.open.append((tag, *self.kind()))
            elif tag == "pre":
                self.preformatted += 1
        elif tag == "a":
            self.in_link = dict(attrs).get("href") or ""
            self.links.append(self.in_link)

    def table_part_starts(self, tag):
        """Reads the start of a table's part inside a table; whether it was one."""
        table = self.tables[-1]
        if tag == "table" and table.row is not None:  # in a cell: its rows in place
            self.end_row(reopen=True)
            self.tables.append(Table(table.in_item, table.continues))
        elif tag in ("td", "th") and table.row is not None:
            self.end_cell()
        elif tag in ("tr", "td", "th", *TABLE_PARTS):
            self.end_row()
            self.new_block()
            if tag not in TABLE_PARTS:  # a row, or a cell outside any row, starts a row
                table.row = []
        else:
            return False
        return True

    def table_part_ends(self, tag):
        """Reads the end of a table's part inside a table; whether it was one."""
        if tag in ("td", "th"):
            if self.in_row():
                self.end_cell()
        elif tag == "table":
            self.end_row()
            table = self.tables.pop()
            self.start_paragraph(continues=table.continues)
        elif tag in ("tr", *TABLE_PARTS):
            self.end_row()
            self.end_paragraph()
        else:
            return False
        return True

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
        if not (self.tables and self.table_part_ends(tag)):
            self.read_end(tag)
        self.end_regions(tag)

    def read_end(self, tag):
        if tag in BLOCKS and self.in_row():
            self.pieces.append(" ")
        elif tag in BLOCKS:
            self.end_paragraph()
            if tag in LISTS:  # its items too, even those left open
                open_tags = {entry[0] for entry in self.open}
                self.close_innermost({tag} if tag in open_tags else LISTS)
            elif tag == "li":
                self.close_innermost({"li"}, within=LISTS)
            elif tag in HEADINGS:  # the only other elements kept open
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
        if self.preformatted and "\n" in data and not self.in_row():
            first, *rest = data.split("\n")
            self.handle_data(first)
            for line in rest:
                self.end_paragraph()
                self.handle_data(line)
            return
        self.pieces.append(data)
        if self.in_link is None:
            self.text_outside_links |= bool(data.strip())
