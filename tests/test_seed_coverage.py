"""Every line of the four source documents is in the seed content.

The source documents (plain-text extractions of the published PDFs, kept outside this repository
in ../shared/seeds/) are the portal's first content, all of it. This test reads each document line
by line and checks that the line's text appears somewhere in the strings of
fixtures/content/*.yaml.

Lines and content are compared after normalisation: Unicode NFKC, curly quotes and dashes folded
to plain ones, markup dropped (HTML tags, ** and __; an address in angle brackets keeps its
address), everything that is not a letter or digit turned into a space, lower case. Lines shorter
than 12 normalised characters are not checked (page numbers, "Contact:", single words).

A line that is not found as it stands still counts as present when one of these structural rules
accounts for it:

- contents page: entries of the document's own contents page (a title with its page number, or a
  "Section N" line), which the portal replaces with its own pages;
- contact lines: a "Contact:" line every email address of which is in the content (the names and
  addresses are kept as structured contacts);
- list numbers: a leading list or item number ("- 3.", "7.", "12") that the content replaces by
  the order of its items or by a Markdown list;
- footnote markers: superscript footnote numbers ("Act 2010¹³"), dropped in some content where
  the footnote text is placed next to what it belongs to;
- tick boxes: the Yes/No tick boxes of a printed checklist table, which the content does not
  reproduce.

Anything else that is missing must be listed in tests/data/seed_coverage_exceptions.txt, one line
per entry: `SEED_FILE_PREFIX | exact source line | reason`. An entry whose line is no longer
missing (or is not a line of that document) fails the test too, so the list stays short and true.
"""

import functools
import re
import unicodedata
from pathlib import Path

import pytest
import yaml

from tests.helpers import CONTENT, SEEDS, seed_documents

EXCEPTIONS = Path(__file__).parent / "data" / "seed_coverage_exceptions.txt"
DOCUMENTS = ["000", "001", "003", "004"]
MIN_LENGTH = 12

FOLD = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-"})
URL_IN_BRACKETS = re.compile(r"<((?:https?://|www\.)[^<>]*)>")
MARKUP = re.compile(r"<[^>]+>|\*\*|__")
NOT_ALPHANUMERIC = re.compile(r"[^a-z0-9]+")
FOOTNOTE_MARKERS = re.compile(r"[⁰¹²³⁴⁵⁶⁷⁸⁹]+")
TICK_BOXES = re.compile(r"\bYes\s*<input[^>]*>\s*No\s*<input[^>]*>")
LIST_NUMBER = re.compile(r"^[-*]?\s*\d{1,2}[.)]?\s+")
CONTENTS_HEADINGS = {"contents", "table of contents"}
CONTENTS_ENTRY = re.compile(r"^[-*\s]*\d{1,3}\s+\S|(?:\t|\.{3,})\s*\d*\s*$|^Section \d+\b")
PROSE = 100  # the first paragraph this long after a contents heading ends the contents page
EMAIL = re.compile(r"[\w.&+-]+@[\w-]+(?:\.[\w-]+)+")


def drop_markup(text):
    return MARKUP.sub("", URL_IN_BRACKETS.sub(r"\1", text))


def normalise(text, footnote_markers=True):
    if not footnote_markers:
        text = FOOTNOTE_MARKERS.sub("", text)
    text = unicodedata.normalize("NFKC", text).translate(FOLD)
    return NOT_ALPHANUMERIC.sub(" ", drop_markup(text).lower()).strip()


def strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings(item)


@functools.cache
def content():
    """All the strings of the content files: as they are, normalised, and without footnote marks."""
    texts = []
    for path in sorted(CONTENT.glob("*.yaml")):
        texts.extend(strings(yaml.safe_load(path.read_text(encoding="utf-8"))))
    return (
        " ".join(texts).lower(),
        " ".join(normalise(text) for text in texts),
        " ".join(normalise(text, footnote_markers=False) for text in texts),
    )


@functools.cache
def exceptions():
    """{prefix: {source line: reason}} from tests/data/seed_coverage_exceptions.txt."""
    entries = {prefix: {} for prefix in DOCUMENTS}
    for number, raw in enumerate(EXCEPTIONS.read_text(encoding="utf-8").splitlines(), 1):
        if not raw.strip() or raw.startswith("#"):
            continue
        parts = raw.split(" | ")
        if len(parts) < 3 or parts[0].strip() not in entries or not parts[-1].strip():
            raise ValueError(f"{EXCEPTIONS.name} line {number} is not 'PREFIX | line | reason'")
        entries[parts[0].strip()][" | ".join(parts[1:-1]).strip()] = parts[-1].strip()
    return entries


def contents_page(lines):
    """Indexes of the lines of the document's contents page that are its entries or heading."""
    found = set()
    inside = False
    for index, line in enumerate(lines):
        if normalise(line) in CONTENTS_HEADINGS:
            inside = True
            found.add(index)
        elif inside:
            entry = CONTENTS_ENTRY.search(drop_markup(line))
            if entry:
                found.add(index)
            elif len(line.strip()) >= PROSE:
                inside = False
    return found


def explained_by_structure(line, raw_content, footnote_free_content):
    """Whether a structural rule (contacts, list numbers, footnotes, tick boxes) accounts for it."""
    if line.strip().startswith("Contact:"):
        emails = EMAIL.findall(line)
        if emails and all(email.lower() in raw_content for email in emails):
            return True
    text = drop_markup(TICK_BOXES.sub("", line)).strip()
    text = normalise(LIST_NUMBER.sub("", text), footnote_markers=False)
    return text in footnote_free_content


def missing_lines(path):
    raw_content, normalised_content, footnote_free_content = content()
    lines = path.read_text(encoding="utf-8").splitlines()
    contents = contents_page(lines)
    missing = []
    for index, line in enumerate(lines):
        if len(normalise(line)) < MIN_LENGTH or index in contents:
            continue
        if normalise(line) in normalised_content:
            continue
        if not explained_by_structure(line, raw_content, footnote_free_content):
            missing.append(line.strip())
    return missing


def test_the_exceptions_file_is_well_formed():
    entries = exceptions()
    assert all(reason for lines in entries.values() for reason in lines.values())


@pytest.mark.parametrize("prefix", DOCUMENTS)
def test_every_line_of_the_source_is_in_the_seed_content(prefix):
    paths = sorted(seed_documents().glob(f"{prefix}_*.txt"))
    assert len(paths) == 1, f"expected one source document {prefix}_*.txt in {SEEDS}"
    missing = missing_lines(paths[0])
    excepted = exceptions()[prefix]
    unexplained = [line for line in missing if line not in excepted]
    stale = [line for line in excepted if line not in missing]
    problems = []
    if unexplained:
        problems.append(
            f"{len(unexplained)} line(s) of {paths[0].name} are not in fixtures/content/*.yaml "
            f"(add the text, or list the line in {EXCEPTIONS.name} with a reason):"
        )
        problems.extend(f"  {line}" for line in unexplained)
    if stale:
        problems.append(
            f"{len(stale)} exception(s) for {prefix} no longer match a missing line of "
            f"{paths[0].name}; remove them:"
        )
        problems.extend(f"  {line}" for line in stale)
    if problems:
        pytest.fail("\n".join(problems), pytrace=False)
