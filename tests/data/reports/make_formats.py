"""Regenerate practice_examples.docx, .html and .pdf from practice_examples.md.

    .venv/bin/python tests/data/reports/make_formats.py

The Markdown file is the one written by hand; the three others are derived from it, so that
the importer is tried on the same report in every format it reads. Commit all four after
changing the Markdown: tests/test_report_layouts.py checks that every list item of the .md is
still in each derived file.

- .docx (python-docx): "# " → Title, "## " → Heading 1, "### " → Heading 2, bullets → List
  Bullet, numbered items → List Number, other paragraphs → Normal;
- .html (markdown-it-py): a saved web page, the report in <main> between a <nav> menu and a
  <footer> that a reader of the report skips;
- .pdf (WeasyPrint, from that HTML): A5 pages so that lines wrap, `hyphens: auto` so that words
  break at line ends, and a running footer on every page.
"""

import html
from pathlib import Path

import docx
from markdown_it import MarkdownIt

HERE = Path(__file__).resolve().parent
SOURCE = HERE / "practice_examples.md"

DOCX_STYLES = {"h1": "Title", "h2": "Heading 1", "h3": "Heading 2"}

# The page box and its running footer apply to paged media only (the PDF); the web page's
# menu and footer are not printed, as a browser's print style would leave them out.
STYLE = """
body { font-family: sans-serif; font-size: 10pt; line-height: 1.3; }
h1 { font-size: 20pt; } h2 { font-size: 15pt; } h3 { font-size: 12pt; }
main { hyphens: auto; }
li { list-style-position: inside; }
@media print { nav, footer { display: none; } }
@page {
  size: A5;
  margin: 18mm 15mm 20mm;
  @bottom-center {
    content: "Practice examples for tests – page " counter(page);
    font-family: sans-serif; font-size: 8pt;
  }
}
"""

PAGE = """<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<title>{title}</title>
<style>{style}</style>
</head>
<body>
<nav>
<ul>
<li><a href="https://example.org/">Home</a></li>
<li><a href="https://example.org/practice/">Practice examples</a></li>
<li><a href="https://example.org/contact/">Contact us</a></li>
</ul>
</nav>
<main>
{body}</main>
<footer>
<p>An example web page saved for the portal's tests. Not a real organisation's site.</p>
</footer>
</body>
</html>
"""


def blocks(tokens):
    """The document as (kind, text) pairs: kind is h1/h2/h3, "bullet", "number" or "text"."""
    lists = []  # the kinds of the lists the current token is inside, innermost last
    heading = None
    for token in tokens:
        if token.type == "heading_open":
            heading = token.tag
        elif token.type == "heading_close":
            heading = None
        elif token.type == "bullet_list_open":
            lists.append("bullet")
        elif token.type == "ordered_list_open":
            lists.append("number")
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
        elif token.type == "inline":
            yield (heading or (lists[-1] if lists else "text")), token.content


def write_docx(parts, path):
    document = docx.Document()
    for kind, text in parts:
        if kind in DOCX_STYLES:
            document.add_paragraph(text, style=DOCX_STYLES[kind])
        elif kind == "bullet":
            document.add_paragraph(text, style="List Bullet")
        elif kind == "number":
            document.add_paragraph(text, style="List Number")
        else:
            document.add_paragraph(text)
    document.save(path)


def web_page(markdown):
    title = markdown.splitlines()[0].removeprefix("# ")
    body = MarkdownIt("commonmark", {"html": False}).render(markdown)
    return PAGE.format(title=html.escape(title), style=STYLE.strip(), body=body)


def main():
    import weasyprint  # needs its system libraries; only this script and the PDF test use it

    markdown = SOURCE.read_text(encoding="utf-8")
    parts = list(blocks(MarkdownIt("commonmark").parse(markdown)))
    write_docx(parts, SOURCE.with_suffix(".docx"))
    page = web_page(markdown)
    SOURCE.with_suffix(".html").write_text(page, encoding="utf-8")
    weasyprint.HTML(string=page, base_url=str(HERE)).write_pdf(SOURCE.with_suffix(".pdf"))
    for suffix in (".docx", ".html", ".pdf"):
        print("written", SOURCE.with_suffix(suffix))


if __name__ == "__main__":
    main()
