"""Searching case studies: PostgreSQL full-text search, and a contains-match elsewhere.

What a search box accepts (the same on every database unless noted):

- words: every word must match. On PostgreSQL words are stemmed with the English
  configuration, so "carer" finds "carers" and "caring"; "strategies" finds "strategy".
- "a phrase in double quotes": the words in that order.
- -word: leave out case studies with that word.
- word*: any word starting with it, e.g. "co-prod*" or "commission*" (PostgreSQL; elsewhere
  every match is a "starts with or contains" match anyway).
- "or" between words: either word (PostgreSQL only; elsewhere "or" is ignored).

A search is cut to `MAX_LENGTH` characters, `MAX_WORDS` words and `MAX_PREFIX_WORDS` words
ending in `*` (`bounded()`), so that one search cannot tie up the database: each word is a term
of the query, and each prefix word a term matching many words, which the snippets then look
for in every result's text (a hundred of them took PostgreSQL half a minute).

On PostgreSQL results are ranked (`rank`) and each has a `snippet` of the narrative and
points with the matching words marked; see `snippet_html()` for how it is made safe.

Keeping the stored search text current: whatever writes a case study, or text that is
searched with it, calls `refresh_search_text_on_commit()` with the case studies touched. They
are collected and recomputed in one UPDATE when the transaction commits, whatever the number
of saves in it.
"""

import re
import threading

from django.db import connection, transaction
from django.db.models import F, FloatField, OuterRef, Q, Subquery, TextField, Value
from django.db.models.functions import Coalesce, Concat
from django.utils.html import escape
from django.utils.safestring import mark_safe

CONFIG = "english"
# ts_headline marks matches with these control characters, so the snippet can be HTML-escaped
# first and the marks turned into <mark> afterwards: editors' text can never become markup.
MARK_START, MARK_END = "\x02", "\x03"
PREFIX = re.compile(r"([\w][\w'-]*)\*")
TOKEN = re.compile(r'(-?)"([^"]+)"|(-?)(\S+)')
MARKDOWN_NOISE = re.compile(r"(^|\s)(#{1,6}|[-*+]|\d+\.)\s+|[*_`]+|\[|\]\([^)]*\)")

# The limits of one search (see `bounded()`).
MAX_LENGTH = 200
MAX_WORDS = 12
MAX_PREFIX_WORDS = 5
WORD = re.compile(r"\w+")
TOO_MANY_WORDS = "Your search has too many words (the most is {limit}). We searched for “{kept}”."
TOO_MANY_PREFIX_WORDS = (
    "Your search has too many words ending in * (the most is {limit}). We searched for “{kept}”."
)


def _string_agg(queryset, parent, text):
    """A subquery joining the `text` of the rows of `queryset` that belong to one case study."""
    from django.contrib.postgres.aggregates import StringAgg

    return Coalesce(
        Subquery(
            queryset.filter(**{parent: OuterRef("pk")})
            .order_by()
            .values(parent)
            .annotate(text=StringAgg(text, " "))
            .values("text")
        ),
        Value(""),
        output_field=TextField(),
    )


def _points_text():
    """All of a case study's points as one text, for its search vector and its snippets."""
    from .models import Point

    return _string_agg(Point.objects.all(), "case_study", "text")


def search_vector_expression():
    """The weighted tsvector of a case study, for `CaseStudyQuerySet.refresh_search_vector()`."""
    from django.contrib.postgres.search import SearchVector

    from .models import CaseStudy, Contact, Quote

    space = Value(" ")
    points = _points_text()
    councils = _string_agg(
        CaseStudy.councils.through.objects.all(),
        "casestudy",
        Concat("council__name", space, "council__short_name"),
    )
    organisations = _string_agg(
        CaseStudy.organisations.through.objects.all(), "casestudy", "organisation__name"
    )
    contacts = _string_agg(
        Contact.objects.exclude(consent=Contact.Consent.NOT_GIVEN),
        "case_study",
        Concat("name", space, "role", space, "organisation"),
    )
    quotes = _string_agg(Quote.objects.all(), "case_study", Concat("text", space, "attribution"))
    return (
        SearchVector("title", weight="A", config=CONFIG)
        + SearchVector("standfirst", weight="B", config=CONFIG)
        + SearchVector("narrative", points, weight="C", config=CONFIG)
        + SearchVector(councils, organisations, contacts, quotes, weight="D", config=CONFIG)
    )


# The case studies whose search text is due, per thread, until the transaction commits.
_due = threading.local()
EVERY_CASE_STUDY = None


def refresh_search_text_on_commit(case_study_ids):
    """Recompute the search text of these case studies once, when the current transaction
    commits (at once outside a transaction). `EVERY_CASE_STUDY` (None) means all of them.

    Accepts ids or a queryset of ids, which is only read on PostgreSQL: elsewhere there is no
    stored search text and this does nothing.
    """
    if connection.vendor != "postgresql":
        return
    if not hasattr(_due, "ids"):
        _due.ids, _due.everything = set(), False
    if case_study_ids is EVERY_CASE_STUDY:
        _due.everything = True
    else:
        _due.ids.update(case_study_ids)
    # One callback per request for it; the first to run does the work, the rest find nothing
    # due. (A callback whose savepoint is rolled back is dropped; the next one still runs.)
    transaction.on_commit(_refresh_due)


def _refresh_due():
    from .models import CaseStudy

    ids, everything = getattr(_due, "ids", set()), getattr(_due, "everything", False)
    _due.ids, _due.everything = set(), False
    if everything:
        CaseStudy.objects.refresh_search_vector()
    elif ids:
        CaseStudy.objects.filter(pk__in=ids).refresh_search_vector()


def bounded(text):
    """(`text` cut to `MAX_WORDS` words and `MAX_PREFIX_WORDS` words ending in `*`, a message
    saying what was searched instead, or "" when nothing was cut).

    A word is a run of letters or digits, so "co-production" counts two and "c*c*c*" three
    (each of them a prefix word). A phrase left open by the cut is closed. `MAX_LENGTH` is
    applied before, where the search is read (`CaseStudyFilter`).
    """
    cut, message, limit = len(text), "", 0
    words = list(WORD.finditer(text))
    if len(words) > MAX_WORDS:
        cut = words[MAX_WORDS - 1].end()
        cut += text[cut : cut + 1] == "*"
        message, limit = TOO_MANY_WORDS, MAX_WORDS
    prefixes = list(PREFIX.finditer(text[:cut]))
    if len(prefixes) > MAX_PREFIX_WORDS:
        cut = prefixes[MAX_PREFIX_WORDS - 1].end()
        message, limit = TOO_MANY_PREFIX_WORDS, MAX_PREFIX_WORDS
    if not message:
        return text, ""
    kept = text[:cut].strip()
    if kept.count('"') % 2:
        kept += '"'
    return kept, message.format(limit=limit, kept=kept)


def _postgres_query(text):
    """A SearchQuery for `text`: websearch syntax, plus `word*` as a prefix match."""
    from django.contrib.postgres.search import SearchQuery

    query = None
    for match in PREFIX.finditer(text):
        stem = re.sub(r"[^\w]", "", match.group(1).lower())
        if stem:
            part = SearchQuery(f"{stem}:*", search_type="raw", config=CONFIG)
            query = part if query is None else query & part
    rest = PREFIX.sub(" ", text).strip()
    if rest:
        part = SearchQuery(rest, search_type="websearch", config=CONFIG)
        query = part if query is None else query & part
    return query


def _postgres_search(queryset, text):
    from django.contrib.postgres.search import SearchHeadline, SearchRank

    query = _postgres_query(text)
    if query is None:
        return _nothing(queryset)
    points = _points_text()
    return queryset.filter(search_vector=query).annotate(
        rank=SearchRank(F("search_vector"), query),
        snippet=SearchHeadline(
            Concat("narrative", Value(" "), points, output_field=TextField()),
            query,
            config=CONFIG,
            start_sel=MARK_START,
            stop_sel=MARK_END,
            max_words=30,
            min_words=12,
            max_fragments=2,
            fragment_delimiter=" … ",
        ),
    )


def contains_terms(text):
    """(words or phrases that must appear, ones that must not), for the contains-match."""
    wanted, unwanted = [], []
    for phrase_minus, phrase, word_minus, word in TOKEN.findall(text):
        # A `*` ends a word (a prefix), so "c*c*" is two words, "c" and "c".
        terms = [phrase.strip().rstrip("*")] if phrase else word.split("*")
        for term in terms:
            if not term or (not phrase and term.lower() == "or"):
                continue
            (unwanted if (phrase_minus or word_minus) else wanted).append(term)
    return wanted, unwanted


def _contains_search(queryset, text):
    from .models import CaseStudy, Contact, Point, Quote

    def matching(term):
        """Case studies with `term` in their own text or in a related row's text. Each related
        table is its own subquery, so no row is joined to another related table's rows."""
        contacts = Contact.objects.exclude(consent=Contact.Consent.NOT_GIVEN).filter(
            Q(name__icontains=term) | Q(organisation__icontains=term)
        )
        return (
            Q(title__icontains=term)
            | Q(standfirst__icontains=term)
            | Q(narrative__icontains=term)
            | Q(pk__in=Point.objects.filter(text__icontains=term).values("case_study"))
            | Q(
                pk__in=Quote.objects.filter(
                    Q(text__icontains=term) | Q(attribution__icontains=term)
                ).values("case_study")
            )
            | Q(pk__in=contacts.values("case_study"))
            | Q(
                pk__in=CaseStudy.councils.through.objects.filter(
                    Q(council__name__icontains=term) | Q(council__short_name__icontains=term)
                ).values("casestudy")
            )
            | Q(
                pk__in=CaseStudy.organisations.through.objects.filter(
                    organisation__name__icontains=term
                ).values("casestudy")
            )
        )

    wanted, unwanted = contains_terms(text)
    if not wanted and not unwanted:
        return _nothing(queryset)
    for term in wanted:
        queryset = queryset.filter(matching(term))
    for term in unwanted:
        queryset = queryset.exclude(matching(term))
    return _without_ranking(queryset)


def _without_ranking(queryset):
    return queryset.annotate(
        rank=Value(0.0, output_field=FloatField()),
        snippet=Value("", output_field=TextField()),
    )


def _nothing(queryset):
    """No case studies, for a search with no words to look for (e.g. "or" alone). Annotated
    like a search's results, so that they can be sorted by best match."""
    return _without_ranking(queryset.none())


def text_search(queryset, text):
    """Case studies in `queryset` matching `text`, annotated with `rank` and `snippet`.

    Words beyond the limits are left out (`bounded()`; the list page says so)."""
    text = bounded(text[:MAX_LENGTH])[0]
    if connection.vendor == "postgresql":
        return _postgres_search(queryset, text)
    return _contains_search(queryset, text)


def snippet_html(snippet):
    """A search snippet as safe HTML: escaped text with matches in <mark>, Markdown removed."""
    if not snippet:
        return ""
    text = MARKDOWN_NOISE.sub(lambda m: m.group(1) or "", snippet)
    text = escape(" ".join(text.split()))
    return mark_safe(text.replace(MARK_START, "<mark>").replace(MARK_END, "</mark>"))  # noqa: S308
