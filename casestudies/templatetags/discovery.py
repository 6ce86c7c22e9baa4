"""Tags for the public pages' links and descriptions for other sites (casestudies/discovery/)."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from ..addresses import absolute
from ..discovery import metadata

register = template.Library()

# The editors' area is not public: its pages name no canonical address.
PRIVATE_NAMESPACES = {"editors", "admin"}


@register.simple_tag(takes_context=True)
def canonical_link(context, filterset=None):
    """<link rel="canonical"> for a public page; nothing for a page no address resolved to
    (a page not found) or the editors' pages."""
    request = context.get("request")
    match = request.resolver_match if request is not None else None
    if match is None or match.namespace in PRIVATE_NAMESPACES:
        return ""
    return format_html(
        '<link rel="canonical" href="{}">', metadata.canonical_url(request, filterset)
    )


@register.simple_tag
def feed_path(filterset=None):
    return metadata.feed_path(filterset)


@register.inclusion_tag("includes/case_study_metadata.html")
def case_study_metadata(case_study):
    """Open Graph and schema.org descriptions of a case study page (fetched with_page_data)."""
    return {
        "case_study": case_study,
        "url": absolute(case_study.get_absolute_url()),
        "site_name": metadata.PORTAL_NAME,
        "json_ld": mark_safe(metadata.json_ld(metadata.article(case_study))),  # noqa: S308 - escaped
    }


@register.inclusion_tag("includes/case_study_reuse.html")
def case_study_reuse(case_study):
    """The terms a case study may be reused on (its source's, or the portal's licence), and
    "How to cite this case study": who, when, what, where, and how current it is."""
    publication = case_study.publication
    year = (
        case_study.published_on.year
        if case_study.published_on
        else (publication.year if publication else None)
    )
    return {
        "case_study": case_study,
        "authors": metadata.authors(case_study),
        "year": year,
        "site_name": metadata.PORTAL_NAME,
        "url": absolute(case_study.get_absolute_url()),
        "licence": metadata.licence(),
    }


@register.inclusion_tag("includes/content_licence.html")
def content_licence():
    return {"licence": metadata.licence()}
