"""A compiled report as a Word document, in Word's own styles (Title, Heading 1 to 3, List
Bullet, List Number), so that its navigation pane, contents and screen readers find the
structure, and `import_report` reads it back (see the package docstring)."""

import io

from markdown_it import MarkdownIt

from ..report_import.parsing import list_kind
from .content import NO_COUNCIL

_markdown = MarkdownIt("commonmark", {"html": False})


def narrative_blocks(text):
    """A narrative's Markdown as (Word style, text) paragraphs: headings, list items, text."""
    blocks = []
    list_styles = []  # the styles of the lists the current item is in
    style = "Normal"
    for token in _markdown.parse(text or ""):
        if token.type == "bullet_list_open":
            list_styles.append("List Bullet")
        elif token.type == "ordered_list_open":
            list_styles.append("List Number")
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            list_styles.pop()
        elif token.type == "heading_open":
            style = "Heading 3"
        elif token.type == "inline":
            words = "".join(
                " " if child.type in ("softbreak", "hardbreak") else child.content
                for child in token.children or []
            )
            if list_styles:
                style = list_styles[-1]
            blocks.append((style, words.strip()))
            style = "Normal"
        elif token.type in ("code_block", "fence"):
            blocks += [("Normal", line) for line in token.content.splitlines() if line.strip()]
    return [(style, words) for style, words in blocks if words]


def contact_line(contact):
    """ "Contact: name – e-mail (role, organisation, phone)": the importer takes the name and
    address and keeps the rest in the editor notes."""
    who = " – ".join(part for part in (contact.name, contact.email) if part)
    details = f" ({', '.join(contact.details)})" if contact.details else ""
    return f"Contact: {who}{details}"


def link_line(title, url):
    """A link's title, with its address in angle brackets unless the title already holds it."""
    if not url or url.split("://", 1)[-1].rstrip("/") in title:
        return title
    return f"{title} <{url}>"


def render_docx(report):
    """The report as the bytes of a .docx file."""
    import docx  # python-docx

    document = docx.Document()
    document.core_properties.title = report.title
    document.core_properties.author = report.portal_name
    document.add_paragraph(report.title, style="Title")
    for paragraph in report.introduction_paragraphs:
        document.add_paragraph(" ".join(paragraph.split()))
    document.add_paragraph(cover_line(report))

    document.add_heading("Contents", level=1)
    for group in report.groups:
        if group.councils:  # the importer reads a contents page of council names and titles
            document.add_paragraph().add_run(group.heading).bold = True
        for entry in group.entries:
            document.add_paragraph(f"{entry.number}\t{entry.title}")

    for group in report.groups:
        document.add_heading(group.heading if group.councils else NO_COUNCIL, level=1)
        for entry in group.entries:
            add_entry(document, entry)
    output = io.BytesIO()
    document.save(output)
    return output.getvalue()


def cover_line(report):
    count = len(report.entries)
    return (
        f"Compiled on {report.compiled_on:%-d %B %Y} from the {report.portal_name}, "
        f"{report.portal_address}. It holds {count} case stud{'y' if count == 1 else 'ies'}."
    )


def add_entry(document, entry):
    document.add_heading(entry.title, level=2)
    if entry.standfirst:
        document.add_paragraph(entry.standfirst)
    for style, words in narrative_blocks(entry.narrative):
        document.add_paragraph(words, style=style)
    for heading, points, question in entry.sections:
        document.add_heading(list_heading_line(heading, question), level=3)
        for point in points:
            document.add_paragraph(point, style="List Bullet")
    for contact in entry.contacts:
        document.add_paragraph(contact_line(contact))
    if entry.links:
        document.add_paragraph("Further information:")
        for title, url in entry.links:
            document.add_paragraph(link_line(title, url))
    document.add_paragraph(source_line(entry))


def list_heading_line(heading, question):
    """A list's heading, or where the case study heads it in words of its own that do not
    name its list, the list's question with those words after it, in brackets: the importer
    reads the list from the question and keeps the words as the heading."""
    if list_kind(heading) == list_kind(question):
        return heading
    return f"{question} ({heading})"


def source_line(entry):
    source = f"Source: {entry.source}. " if entry.source else "Source: "
    return f"{source}On the portal: {entry.address}"
