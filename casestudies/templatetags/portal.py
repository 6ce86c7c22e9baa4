"""Template helpers for public pages."""

from django import template
from django.utils.dateformat import format as format_date
from django.utils.safestring import mark_safe
from markdown_it import MarkdownIt

from casestudies.search import snippet_html

register = template.Library()

# CommonMark with raw HTML switched off: editors' text can never inject markup or scripts.
# markdown-it also refuses javascript:, vbscript: and data: links.
_markdown = MarkdownIt("commonmark", {"html": False})


@register.filter
def markdown(text, top_heading=3):
    """Render an editor's Markdown as HTML, its highest heading at level `top_heading`.

    A page has one h1 and its own h2 sections, so '## ' in a narrative becomes an h3 there.
    """
    if not text:
        return ""
    tokens = _markdown.parse(text)
    shift = int(top_heading) - 2
    for token in tokens:
        if token.type in {"heading_open", "heading_close"}:
            level = min(6, max(1, int(token.tag[1]) + shift))
            token.tag = f"h{level}"
    return mark_safe(_markdown.renderer.render(tokens, _markdown.options, {}))  # noqa: S308


@register.filter
def inline_markdown(text):
    """One line of Markdown (`code`, *emphasis*, links) as HTML, without a paragraph."""
    return mark_safe(_markdown.renderInline(text or ""))  # noqa: S308 - HTML is off


@register.filter
def snippet(text):
    """A search snippet: escaped text with the matching words in <mark>."""
    return snippet_html(text)


@register.filter
def known_date(value, publication=None):
    """A date as precisely as it is known.

    Content taken from a source document that gives only a year is dated 1 January of that
    year (the database needs a whole date); show it as the year alone rather than invent a day.
    """
    if not value:
        return ""
    if (
        publication is not None
        and not publication.published_on
        and value == publication.source_date
    ):
        return str(publication.year)
    return format_date(value, "j F Y")
