"""Addresses and descriptions of public pages for other sites: canonical links, Open Graph,
schema.org `Article`, the licence and "How to cite this case study"."""

import json

from django.conf import settings
from django.urls import reverse
from django.utils.http import urlencode

from ..addresses import absolute

PORTAL_NAME = "Co-production Case Study Portal"

# What json_script escapes, so that no text can close the <script> element it sits in.
JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def filter_description(filterset):
    """The chosen filters in words, e.g. "Topic: Support for carers; Council: Essex"."""
    parts = []
    for name, filter_ in filterset.filters.items():
        values = filterset.data.getlist(name)
        if not values:
            continue
        label = filter_.label
        if name == "q":
            label, labels = "Search", [f"“{value}”" for value in values]
        elif name == "stage":
            choices = dict(filter_.extra["choices"])
            labels = [str(choices[value]) for value in values]
        else:
            labels = sorted(
                getattr(record, filter_.label_attr)
                for record in filter_.queryset.filter(slug__in=values)
            )
        parts.append(f"{label}: {' or '.join(labels)}")
    return "; ".join(parts)


FEED_TITLE = "Co-production case studies"


def feed_title(filterset):
    """A list's feed title, saying what the filter is."""
    description = filter_description(filterset)
    return f"{FEED_TITLE}: {description}" if description else FEED_TITLE


def with_query(path, pairs):
    return f"{path}?{urlencode(pairs)}" if pairs else path


def feed_path(filterset=None):
    """The address of the Atom feed of a list: the whole list, or its filter state."""
    return with_query(reverse("discovery:feed"), filterset.filter_state() if filterset else [])


def canonical_url(request, filterset=None):
    """The one public address of this page: SITE_URL, its path, and only the parameters that
    change what it shows: a list's filters (`CaseStudyFilter.filter_state`, without the order)
    and a page number after 1.
    Tracking and other parameters are dropped."""
    pairs = filterset.filter_state() if filterset is not None else []
    page = request.GET.get("page", "")
    if page.isdigit() and int(page) > 1:
        pairs.append(("page", int(page)))
    return absolute(with_query(request.path, pairs))


def licence():
    return {"name": settings.CONTENT_LICENCE_NAME, "url": settings.CONTENT_LICENCE_URL}


def authors(case_study):
    """Who did the work: its councils, or for a regional programme its region. Reads
    `councils.all()`."""
    return [council.name for council in case_study.councils.all()] or [
        f"{case_study.region.name} region"
    ]


def article(case_study):
    """A case study as a schema.org `Article`, for search engines (JSON-LD).

    A case study from a source document is under that document's terms (`isBasedOn`); only
    one written for the portal carries the portal's licence.
    """
    url = absolute(case_study.get_absolute_url())
    councils = [
        {
            "@type": "GovernmentOrganization",
            "name": council.name,
            "url": absolute(council.get_absolute_url()),
        }
        for council in case_study.councils.all()
    ]
    data = {
        "@context": "https://schema.org",
        "@type": "Article",
        "headline": case_study.title,
        "description": case_study.standfirst,
        "url": url,
        "mainEntityOfPage": url,
        "dateModified": case_study.updated_at.isoformat(),
        "author": councils
        or [{"@type": "Organization", "name": name} for name in authors(case_study)],
        "publisher": {"@type": "Organization", "name": PORTAL_NAME, "url": absolute("/")},
    }
    if councils:
        data["about"] = councils
    if case_study.published_on:
        data["datePublished"] = case_study.published_on.isoformat()
    publication = case_study.publication
    if publication:
        data["isBasedOn"] = {
            "@type": "CreativeWork",
            "name": publication.title,
            "publisher": {"@type": "Organization", "name": publication.publisher},
            "datePublished": str(publication.published_on or publication.year),
            "url": publication.url or absolute(publication.get_absolute_url()),
        }
    else:
        data["license"] = settings.CONTENT_LICENCE_URL
    return data


def json_ld(data):
    """`data` as the text of a <script type="application/ld+json"> data block, escaped as
    Django's json_script escapes: no text in it can end the element."""
    return json.dumps(data, ensure_ascii=False).translate(JSON_SCRIPT_ESCAPES)
