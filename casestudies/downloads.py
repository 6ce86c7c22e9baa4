"""Downloads of the case study list: a CSV file for spreadsheets and a JSON file for programs.

`/case-studies/download.csv` and `/case-studies/download.json` take the list's own filters
(`CaseStudyFilter`, every parameter but `page`) and give every matching published case study,
one row (or record) each, in the list's order. The columns are defined once, in `COLUMNS`:
the CSV's header, the JSON records' keys and the data dictionary page
(`/data/case-studies/`) all come from it, so they cannot drift apart.

Each value is text. Lists (councils, topics…) are joined with "; "; lists of longer items
(points, contacts, links, quotes) are numbered, one item a line ("1. …\n2. …"), in one cell:
a spreadsheet shows the lines in the cell, items may themselves hold semicolons or "|", and
the numbers keep the order when the text is pasted elsewhere.

The rows are streamed, so memory stays flat: the case studies are read in chunks of
`CHUNK_SIZE`, each chunk with its lists prefetched (`with_page_data`). The queries are
therefore bounded: the filters' own checks of the slugs in the address, then one query for
the case studies and one per prefetched list (9) for each chunk of `CHUNK_SIZE` case studies.

In the CSV, a cell that a spreadsheet would run as a formula gets a quote in front
(`spreadsheet_cells.formula_escaped`); the JSON keeps the text as typed.
"""

import csv
import dataclasses
import datetime
import itertools
import json
import logging
from collections.abc import Callable

from django.db import OperationalError
from django.http import HttpResponseBadRequest, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from .addresses import absolute
from .discovery.metadata import licence
from .filters import CaseStudyFilter
from .models import POINT_LISTS, CaseStudy, shorten
from .spreadsheet_cells import formula_escaped, joined, links_cell, numbered, quotes_cell
from .statement_timeout import SEARCH_TOO_LONG, is_statement_timeout

logger = logging.getLogger(__name__)

CHUNK_SIZE = 100
# How many published case studies the data dictionary looks through for an example of each
# column, and how long an example may be.
EXAMPLE_SOURCES = 10
EXAMPLE_LENGTH = 120


@dataclasses.dataclass(frozen=True)
class Column:
    """One column of the downloads: its name (the CSV header and the JSON key), what it holds
    in plain English, and how to get its text from a case study."""

    name: str
    description: str
    value: Callable[[CaseStudy], str]


def _date(value):
    return value.isoformat() if value else ""


def _point_list_columns(point_list):
    """A list of points and its heading: two columns."""
    return [
        Column(
            point_list.name,
            f"The points of the list “{point_list.default_heading}”, numbered in order, one a "
            "line. Empty if the case study has no such list.",
            lambda case_study: numbered(
                point.text
                for section in case_study.point_sections()
                if section["kind"] == point_list.kind
                for point in section["points"]
            ),
        ),
        Column(
            f"{point_list.name}_heading",
            f"The heading of that list: the source document's own words where it used other "
            f"words, otherwise “{point_list.default_heading}”",
            point_list.heading_of,
        ),
    ]


def _names_column(name, field, description):
    """The names of the records a case study is linked to through `field`, in one column."""
    return Column(
        name,
        f"{description}, separated by semicolons.",
        lambda case_study: joined(getattr(case_study, field).all()),
    )


COLUMNS = [
    Column("title", "The case study's title.", lambda case_study: case_study.title),
    Column(
        "web_address",
        "The address of the case study's page on this site.",
        lambda case_study: absolute(case_study.get_absolute_url()),
    ),
    Column(
        "summary",
        "One sentence saying what happened.",
        lambda case_study: case_study.standfirst,
    ),
    Column(
        "story",
        "What was done, with whom, and what changed. Paragraphs are separated by a blank line; "
        "a line starting “## ” is a subheading and “- ” a bullet point (Markdown).",
        lambda case_study: case_study.narrative,
    ),
    Column(
        "councils",
        "The councils that did the work, by full name, separated by semicolons. Empty for a "
        "regional programme that no one council ran.",
        lambda case_study: joined(council.name for council in case_study.councils.all()),
    ),
    Column(
        "council_gss_codes",
        "The Office for National Statistics (GSS) codes of those councils, in the same order, "
        "separated by semicolons. A council the portal has no code for is left out.",
        lambda case_study: joined(
            council.gss_code for council in case_study.councils.all() if council.gss_code
        ),
    ),
    Column("region", "The region the case study belongs to.", lambda cs: cs.region.name),
    *(
        _names_column(name, field, description)
        for name, field, description in [
            ("partner_organisations", "organisations", "Other organisations that took part"),
            ("topics", "topics", "What the case study is about"),
            ("people", "people", "The groups of people who took part"),
            ("approaches", "approaches", "The ways of co-producing that were used"),
        ]
    ),
    Column(
        "stage",
        f"How far the work had got: {joined(CaseStudy.Stage.labels, ', ')}.",
        lambda case_study: case_study.get_stage_display(),
    ),
    *(column for point_list in POINT_LISTS for column in _point_list_columns(point_list)),
    Column(
        "contacts",
        "People or mailboxes to ask about the case study, numbered, one a line: name, role, "
        "organisation, email and phone. Only contacts who agreed to be published.",
        lambda case_study: numbered(c.details() for c in case_study.published_contacts()),
    ),
    Column(
        "links",
        "Where to find more, numbered, one a line: a title, and its web address in brackets "
        "where the source gave one.",
        lambda case_study: links_cell(case_study.links.all()),
    ),
    Column(
        "quotes",
        "Words from people involved, numbered, one a line, with who said them in brackets.",
        lambda case_study: quotes_cell(case_study.quotes.all()),
    ),
    Column(
        "notes_on_the_text",
        "Corrections made to the source document's text, and why.",
        lambda case_study: case_study.content_note,
    ),
    Column(
        "source_publication",
        "The published document the case study first appeared in, with its year.",
        lambda case_study: str(case_study.publication or ""),
    ),
    Column(
        "source_pages",
        "The pages of that document, such as 6-7.",
        lambda case_study: case_study.source_pages,
    ),
    Column(
        "work_started",
        "When the work started, as year-month-day, if known.",
        lambda case_study: _date(case_study.started_on),
    ),
    Column(
        "first_published",
        "When the case study was first published, as year-month-day, if known.",
        lambda case_study: _date(case_study.published_on),
    ),
    Column(
        "last_reviewed",
        "When someone last checked the case study was still right, as year-month-day.",
        lambda case_study: _date(case_study.last_reviewed_on),
    ),
    Column(
        "last_changed",
        "When the case study was last changed on this site: date and time in UTC, such as "
        "2024-01-15T09:30:00+00:00.",
        lambda case_study: (
            case_study.updated_at.astimezone(datetime.UTC).replace(microsecond=0).isoformat()
        ),
    ),
]


def record(case_study):
    """A case study as one flat record: each column's name and text."""
    return {column.name: column.value(case_study) for column in COLUMNS}


def examples(case_studies):
    """An example of each column, from the first of `case_studies` that has a value for it."""
    found = {}
    for case_study in case_studies:
        for column in COLUMNS:
            if column.name not in found and (value := column.value(case_study)):
                found[column.name] = shorten(value, EXAMPLE_LENGTH)
    return found


# ------------------------------------------------------------------ the files


class Echo:
    """A file-like object that hands back what is written, for `csv.writer` to stream."""

    def write(self, value):
        return value


def csv_lines(case_studies):
    """The CSV file: a byte order mark (so Excel reads UTF-8), the header, a row each."""
    writer = csv.writer(Echo())  # RFC 4180: quotes where needed, CRLF line ends
    yield "\ufeff" + writer.writerow([column.name for column in COLUMNS])
    for case_study in case_studies:
        yield writer.writerow([formula_escaped(value) for value in record(case_study).values()])


def json_parts(case_studies, about):
    """The JSON file: `about` (where it came from, when, licence, filters), the records, and
    their count last, counted as they are written."""
    opening = json.dumps(about, ensure_ascii=False, indent=2)[:-2]  # without the closing "\n}"
    yield opening + ',\n  "case_studies": ['
    count = 0
    for case_study in case_studies:
        yield ("," if count else "") + "\n    " + json.dumps(record(case_study), ensure_ascii=False)
        count += 1
    yield f'\n  ],\n  "count": {count}\n}}\n'


def matching(filterset):
    """The filtered case studies with everything a row shows, read a chunk at a time."""
    return filterset.qs.with_page_data().iterator(chunk_size=CHUNK_SIZE)


def about_the_file(filterset):
    """What the JSON file says of itself: where it came from, when, under which licence, and
    the filters as the list applied them (unknown values left out, and listed)."""
    filters = {}
    for name, value in filterset.filter_state(with_sort=True):
        filters.setdefault(name, []).append(value)
    return {
        "title": "Case studies of co-production in adult social care",
        "source": absolute(reverse("casestudies:list") + filterset.ordered_query),
        "data_dictionary": absolute(reverse("casestudies:data-dictionary")),
        "downloaded_on": timezone.localdate().isoformat(),
        "licence": licence(),
        "filters": filters,
        "filters_ignored": filterset.notices,
    }


# ------------------------------------------------------------------ views


def case_study_download(request, file_format):
    """Every published case study the list shows for these filters, as one file."""
    filterset = CaseStudyFilter(request.GET, queryset=CaseStudy.objects.published())
    case_studies = matching(filterset)
    try:
        # The search runs now, with the first chunk: a search stopped by the statement time
        # limit can still be answered as one, not as a file cut off after a 200.
        first = next(case_studies, None)
    except OperationalError as error:
        if not is_statement_timeout(error):
            raise
        logger.warning("Case study download stopped by the statement time limit: %s", request.GET)
        return HttpResponseBadRequest(SEARCH_TOO_LONG, content_type="text/plain; charset=utf-8")
    if first is not None:
        case_studies = itertools.chain([first], case_studies)
    if file_format == "csv":
        content_type = "text/csv; charset=utf-8"
        content = csv_lines(case_studies)
    else:
        content_type = "application/json"
        content = json_parts(case_studies, about_the_file(filterset))
    response = StreamingHttpResponse(content, content_type=content_type)
    name = f"case-studies-{timezone.localdate().isoformat()}.{file_format}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def data_dictionary(request):
    """What each column of the downloads holds, with an example from published case studies."""
    newest = CaseStudy.objects.published().with_page_data().newest_first()[:EXAMPLE_SOURCES]
    found = examples(newest)
    return render(
        request,
        "casestudies/data_dictionary.html",
        {
            "columns": [(column, found.get(column.name, "")) for column in COLUMNS],
            "filters": CaseStudyFilter.parameters(),
            "list_url": reverse("casestudies:list"),
            "csv_url": reverse("casestudies:download-csv"),
            "json_url": reverse("casestudies:download-json"),
        },
    )
