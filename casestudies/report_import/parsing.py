"""Finding case studies in a report's lines: the layout described in the package docstring.

Pure functions from `Line`s to plain dataclasses; nothing is written here.
"""

import dataclasses
import re

from ..models import POINT_LISTS
from .headings import (
    LIST_ROLES,
    Role,
    Vocabulary,
    heading_key,
    is_question,
    reads_as_heading,
)
from .reading import BULLET, HEADING, TEXT, Line

DEFAULT_VOCABULARY = Vocabulary()

# ----------------------------------------------------------------------------- what lines are


def normalise(text):
    """Lower-case words only: for comparing titles that punctuation differs in."""
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


def list_kind(text, vocabulary=DEFAULT_VOCABULARY, *, marked=False):
    """The list a heading opens ('learning', 'condition', ...), or None."""
    role, _how = vocabulary.role_of(text, marked=marked)
    return str(role) if role in LIST_ROLES else None


# The portal's compiled reports print a list under its own heading as the question with the
# heading's own words after it: "What was the learning that supported success? (Tips on
# co-production)". The question gives the list, the words in brackets its heading.
QUESTION_WITH_OWN_WORDS = re.compile(r"^(?P<question>What\b[^()]*[?:])\s+\((?P<own>[^()]+)\)$")


COUNCIL_HEADING = re.compile(r"^(?:[A-Z][\w'’.-]*\s+)(?:(?:[A-Z][\w'’.-]*|and|of|the)\s+)*Council$")


def council_names_in(text, known=None):
    """The council names a heading line holds ("A Council and B Council"), or [].

    `known` (a councils.names.NameIndex) also recognises the portal's councils in any
    spelling it knows them by, with or without words such as "County Council" or "CC".
    """
    text = text.strip()
    if len(text) > 120 or any(mark in text for mark in (" - ", " – ", "|", ":", "?")):
        return []
    if known is not None and known.match(text):
        return [text]  # "London Borough of Barking and Dagenham" is one council
    parts = re.split(r"\s+and\s+(?=[A-Z])", text)
    if all(
        COUNCIL_HEADING.match(part) or (known is not None and known.match(part)) for part in parts
    ):
        return parts
    return []


CONTACT_LABEL = re.compile(r"^contacts?\s*:\s*", re.IGNORECASE)
# "Source: <publication>. On the portal: <address>" closes a case study in the portal's own
# compiled reports (and only there: a story's "Source: the survey..." is text of the story).
# The line is kept for the editor; it makes the section a case study even without lists.
REPORT_SOURCE_LINE = re.compile(r"^Source: (?:.*\. )?On the portal: https?://\S+$")
# An address starts where a run of the characters a local part may hold starts (the
# look-behind), and no part of it is tried twice (possessive quantifiers): one pass over a
# line, however long. Without them a long run with no "@" was tried from each of its
# characters in turn, which took time growing with the square of the line's length.
LOCAL_PART = r"[\w.!#$%&'*+/=?^`{|}~-]"
EMAIL = re.compile(rf"(?<!{LOCAL_PART}){LOCAL_PART}++@[\w-]++(?:\.[\w-]++)+")
URL = re.compile(r"(?:https?://|www\.)[^\s<>()]+", re.IGNORECASE)
PAGE_ARTEFACT = re.compile(r"^(?:\d{1,3}|page \d+|\d{1,3}\.?\s+contents)$", re.IGNORECASE)
CONTENTS_ENTRY = re.compile(r"^(?:\*\*)?(\d{1,3})(?:\*\*)?\s+(\S.*)$")


def is_short_heading(text):
    return len(text) <= 200 and not text.rstrip().endswith((".", ",", ";"))


# ----------------------------------------------------------------------------- what was found


@dataclasses.dataclass
class ParsedContact:
    name: str = ""
    email: str = ""


@dataclasses.dataclass
class ParsedLink:
    title: str
    url: str = ""


@dataclasses.dataclass
class ParsedList:
    heading: str
    items: list = dataclasses.field(default_factory=list)
    bulleted: bool = False  # whether any item had a bullet marker
    level: int = 0  # its heading's level where the source marks one


@dataclasses.dataclass
class ParsedCaseStudy:
    title: str
    councils: list = dataclasses.field(default_factory=list)  # names as printed
    standfirst: str = ""
    narrative: str = ""
    lists: dict = dataclasses.field(default_factory=dict)  # kind -> ParsedList
    contacts: list = dataclasses.field(default_factory=list)
    links: list = dataclasses.field(default_factory=list)
    unplaced: list = dataclasses.field(default_factory=list)  # text for the editor notes

    def items(self, kind):
        parsed = self.lists.get(kind)
        return parsed.items if parsed else []

    def list_counts(self):
        """{kind: number of points} for each of the four lists, in the order they are shown."""
        return {point_list.kind: len(self.items(point_list.kind)) for point_list in POINT_LISTS}


@dataclasses.dataclass
class FoundHeading:
    """A heading met inside a case study, and where its text went."""

    text: str
    key: str  # headings.heading_key(text)
    role: str  # a headings.Role
    how: str  # "choice" (a lead's), "vocabulary", or "unrecognised" (kept in the story)
    excerpt: str  # the start of the text under it
    case_study: str  # the title of its case study


@dataclasses.dataclass
class ParsedReport:
    case_studies: list = dataclasses.field(default_factory=list)
    unplaced: list = dataclasses.field(default_factory=list)  # (label, [text]) outside any
    notes: list = dataclasses.field(default_factory=list)  # what the reader should know
    preamble: list = dataclasses.field(default_factory=list)  # the document's own opening text
    headings: list = dataclasses.field(default_factory=list)  # FoundHeading, in order

    @property
    def unrecognised_headings(self):
        """The headings no phrase or choice named, one for each wording, in order."""
        seen = {}
        for heading in self.headings:
            if heading.how == "unrecognised":
                seen.setdefault(heading.key, heading)
        return list(seen.values())


# ----------------------------------------------------------------------------- parsing


def parse_report(lines, *, known_councils=None, vocabulary=None):
    """Case studies found in a report's lines. Never raises on odd input; never drops text.

    `known_councils` (a councils.names.NameIndex): the councils whose names, in any spelling,
    are council headings although they do not end in "Council". `vocabulary` (a
    headings.Vocabulary): the phrases and a lead's choices that name each part.

    The layouts tried, in turn (the first that finds a case study wins):
    - marked headings (Markdown, Word, a web page, a PDF's larger type): the heading level
      that repeats with reflective lists under it marks the case studies; one such heading
      makes the document one project;
    - a collection under council headings (`find_titles`), as the East of England one;
    - case studies interleaved under shared topic headings (`interleaved_sections`);
    - one project told in a whole document (`single_project`).
    """
    vocabulary = vocabulary or DEFAULT_VOCABULARY
    lines = join_wrapped(lines)
    report = ParsedReport()
    body_start, contents = read_contents(lines, known_councils)
    chapters = contents_chapters(lines)
    plan = (
        marked_sections(lines, body_start, known_councils, vocabulary, chapters)
        or collection_sections(lines, body_start, contents, known_councils, vocabulary)
        or numbered_sections(lines, vocabulary, chapters)
        or interleaved_sections(lines, known_councils, vocabulary, chapters)
        or single_project(lines, vocabulary, chapters)
    )
    if plan is None:
        plan = Plan(lines, [], len(lines))
    lines, sections = plan.lines, plan.sections
    report.preamble = [line.text for line in lines[: plan.preamble_end]]
    pending = list(plan.pending)  # (label, texts) not yet attached to a case study
    set_aside = []  # list headings read as the document's chapters or appendices

    for position, (heading_start, start, councils) in enumerate(sections):
        next_heading = sections[position + 1][0] if position + 1 < len(sections) else len(lines)
        found = []
        case_study = parse_case_study(
            lines[start:next_heading],
            councils,
            Reading(vocabulary, known_councils, chapters, found, set_aside),
        )
        if case_study is None:
            # A titled section without lists, e.g. an overview: keep it for the next one.
            title = lines[start].text
            texts = [line.text for line in lines[heading_start:next_heading]]
            pending.append((f"“{title}”, a section of the source without lists", texts))
            report.notes.append(
                f"“{title}” has none of the lists a case study has (learning, conditions for "
                "success, barriers), so it is not imported as a case study; its text is kept "
                "in the editor notes of the next case study."
            )
            continue
        report.headings += found
        above = [
            line.text
            for line in lines[heading_start:start]
            if not council_names_in(line.text, known_councils)
        ]
        if above:
            pending.append(("Text above the case study's title in the source", above))
        attach_unplaced(case_study, pending, report)
        pending = []
        report.case_studies.append(case_study)
    if pending and report.case_studies:
        attach_unplaced(report.case_studies[-1], pending, report, at_end=True)
    elif pending:
        report.unplaced += pending
    if not report.case_studies:
        set_aside = [
            line.text
            for line in lines
            if role_of(line, vocabulary)[0] in LIST_ROLES
            and not reflective(line, vocabulary, chapters)
        ]
    report.notes += [
        f"“{text}” is a chapter or an appendix of the document, not one project's list, so "
        "its points are not read as a case study's list; its text stays in the story."
        if report.case_studies
        else f"“{text}” is a chapter or an appendix of the document, not one project's list, "
        "so it does not make a case study."
        for text in dict.fromkeys(set_aside)
    ]
    if not report.case_studies:
        if report.preamble:
            report.unplaced.insert(
                0, ("Text in the source that is not part of a case study", report.preamble)
            )
            report.preamble = []
        report.notes.append(
            "No case studies found: the document has no lists headed like “What was the "
            "learning that supported success?”, “What has helped?” or “What were the "
            "barriers?” under the heading of a project. Nothing in it was imported. A "
            "document without those lists (a guide, a collection of stories) has to be "
            "entered by hand."
        )
        # Headings in words of the document's own: the lead may say which of them are lists.
        report.headings = [
            FoundHeading(
                line.text,
                heading_key(line.text),
                Role.STORY,
                "unrecognised",
                excerpt(lines, index),
                "",
            )
            for index, line in enumerate(lines)
            if line.kind == HEADING and role_of(line, vocabulary)[0] is None
        ][:MAX_HEADINGS_OFFERED]
        if report.headings:
            report.notes.append(
                "If the document names those lists in its own words, say which of its "
                "headings are lists (in the preview, or with --map) and look again."
            )
    else:
        report.notes += plan.notes
    return report


MAX_HEADINGS_OFFERED = 100  # headings offered for the lead to place when nothing was found


@dataclasses.dataclass
class Reading:
    """What reading one case study needs besides its lines."""

    vocabulary: Vocabulary
    known_councils: object  # a councils.names.NameIndex, or None
    chapters: set  # the contents page's chapters (see contents_chapters)
    found: list  # FoundHeading, collected
    set_aside: list  # list headings that are chapters or appendices, collected


@dataclasses.dataclass
class Plan:
    """Where a layout found case studies: the lines (possibly rearranged), each section as
    (first line of its headings, its title line, its councils), and where the preamble ends."""

    lines: list
    sections: list
    preamble_end: int
    notes: list = dataclasses.field(default_factory=list)
    pending: list = dataclasses.field(default_factory=list)  # (label, texts) for the editor


def role_of(line, vocabulary):
    """The role a line names as a heading, and how it was known (see Vocabulary.role_of)."""
    if line.kind == BULLET:
        return None, None
    if own_words_of(line.text, vocabulary):
        return vocabulary.role_of(QUESTION_WITH_OWN_WORDS.match(line.text.strip())["question"])
    return vocabulary.role_of(line.text, marked=line.kind == HEADING)


def own_words_of(text, vocabulary):
    """The own words of a list heading printed "<question> (<own words>)", or None."""
    match = QUESTION_WITH_OWN_WORDS.match(text.strip())
    if match and list_kind(match["question"], vocabulary):
        return match["own"].strip()
    return None


def collection_sections(lines, body_start, contents, known_councils, vocabulary):
    """Case studies under council headings, optionally listed on a Contents page."""
    contents_council = {normalise(title): council for council, title in contents}
    starts = find_titles(lines, body_start, contents_council, known_councils, vocabulary)
    # Council headings just above a title belong to that case study.
    sections = []
    current_councils = []
    for start in starts:
        heading_start = start
        councils = []
        while heading_start > body_start and council_names_in(
            lines[heading_start - 1].text, known_councils
        ):
            heading_start -= 1
            councils = council_names_in(lines[heading_start].text, known_councils) + councils
        if not councils:
            councils = contents_council.get(normalise(lines[start].text)) or []
        if councils:
            current_councils = councils
        sections.append((heading_start, start, list(councils or current_councils)))
    if not any(
        has_lists(lines, sections, position, vocabulary) for position in range(len(sections))
    ):
        return None
    return Plan(lines, sections, sections[0][0])


def has_lists(lines, sections, position, vocabulary):
    """Whether a section holds a list heading (or the compiled reports' source line)."""
    start = sections[position][1]
    end = sections[position + 1][0] if position + 1 < len(sections) else len(lines)
    return any(
        role_of(line, vocabulary)[0] in LIST_ROLES or REPORT_SOURCE_LINE.match(line.text)
        for line in lines[start + 1 : end]
    )


def contents_chapters(lines):
    """The headings a contents page lists, as heading keys: chapters of the document. A
    chapter such as "Top tips for involving people" is guidance for the reader, not a list of
    one project, so it does not make a case study."""
    index = contents_heading(lines, within=200)
    if index is None:
        return set()
    entries = []
    for line in lines[index + 1 : index + 200]:
        text = PAGE_NUMBER_AT_END.sub("", line.text.replace("**", "")).strip()
        key = normalise(text)
        if not key or len(key.split()) > 16 or text.endswith("."):
            break
        if entries and key == entries[0]:
            break  # the body starts by repeating the first entry
        entries.append(key)
    return {entry for entry in entries if not re.fullmatch(r"(section|part|chapter) \d+", entry)}


APPENDIX = re.compile(r"^\W*(?:appendix|annex)\b", re.IGNORECASE)
# A contents entry's page number, after spaces or a dotted leader ("Methodology ..... 5").
# One way to match each character: an alternation of runs under "+" ("(?:\.{2,}|\s)+")
# tried every split of a long leader not followed by a number, which took time doubling
# with each dot.
PAGE_NUMBER_AT_END = re.compile(r"(?:[ \t]*\.{2,}[ \t]*|\s+)\d{1,3}$")


def reflective(line, vocabulary, chapters):
    """Whether a line heads one of a case study's lists (not a chapter or an appendix of the
    document)."""
    if normalise(line.text) in chapters or APPENDIX.match(line.text):
        return False
    return role_of(line, vocabulary)[0] in LIST_ROLES


# ----------------------------------------------------------------------------- marked headings


def marked_sections(lines, body_start, known_councils, vocabulary, chapters):
    """Case studies where the source marks its headings with levels.

    The level whose headings most often have list headings under them is the case studies'
    level; with one such heading, the document is one project."""
    listing = [
        index
        for index, line in enumerate(lines)
        if line.kind == HEADING and line.level and reflective(line, vocabulary, chapters)
    ]
    if not listing:
        return None
    above = {}  # level -> the headings at that level with a list heading under them
    listing_set = set(listing)
    open_headings = []  # (level, index) of the headings the current line is under
    for index, line in enumerate(lines):
        if line.kind != HEADING or not line.level:
            continue
        while open_headings and open_headings[-1][0] >= line.level:
            open_headings.pop()
        if index in listing_set:
            for level, back in open_headings:
                if role_of(lines[back], vocabulary)[0] is None or council_names_in(
                    lines[back].text, known_councils
                ):
                    above.setdefault(level, set()).add(back)
        open_headings.append((line.level, index))
    if not above:
        return flat_sections(lines, vocabulary, chapters)
    level = max(above, key=lambda found: (len(above[found]), found))
    sections = []
    councils = []
    parent = None  # the first heading above the case studies' level since the last one
    for index, line in enumerate(lines):
        if line.kind != HEADING or not line.level or line.level > level:
            continue
        names = council_names_in(line.text, known_councils)
        following = lines[index + 1] if index + 1 < len(lines) else None
        if index in above[level]:
            # A heading with lists under it is a case study's, even where it is a council's
            # name ("## Alpha Council", then "### Challenges"): that council's case study.
            councils = names or councils
        elif line.level < level or (names and following is not None and following.kind == HEADING):
            # A council's or a part's heading (a council's may be at the case studies' own
            # level, just above one): it ends the case study before.
            councils = names if names or line.level < level else councils
            parent = index if parent is None else parent
            continue
        sections.append((index if parent is None else parent, index, list(councils)))
        parent = None
    first = min(above[level])
    start = next(
        (position for position, section in enumerate(sections) if section[1] == first), None
    )
    if start is None:
        return None
    # Sections at the case studies' level before the first with lists are the preamble.
    sections = sections[start:]
    preamble_end = first
    while preamble_end > 0 and council_names_in(lines[preamble_end - 1].text, known_councils):
        preamble_end -= 1
    _heading_start, start, councils = sections[0]
    sections[0] = (preamble_end, start, councils)
    return Plan(lines, sections, preamble_end)


def flat_sections(lines, vocabulary, chapters):
    """Case studies where every marked heading is at one level ("## Project", "## Background",
    "## Challenges", ...): a heading that names no part and has a list heading after it,
    before the next such heading, is a case study's title. Without one, the document is one
    project, titled by its first line."""
    headings = [index for index, line in enumerate(lines) if line.kind == HEADING]
    plain = [index for index in headings if role_of(lines[index], vocabulary)[0] is None]
    titles = []
    for position, index in enumerate(plain):
        end = plain[position + 1] if position + 1 < len(plain) else len(lines)
        if any(reflective(line, vocabulary, chapters) for line in lines[index + 1 : end]):
            titles.append(index)
    if not titles:
        return single_project(lines, vocabulary, chapters, title=0)
    return Plan(lines, [(index, index, []) for index in titles], titles[0])


NUMBERED_TITLE = re.compile(
    r"^(?:case study|practice example|example|project)\s+\d{1,3}\s*[:.–-]\s*\S", re.IGNORECASE
)


def numbered_sections(lines, vocabulary, chapters):
    """Case studies numbered in the text ("Case study 1: ...", "Example 2 – ..."), two or
    more, with a list heading after at least one of them."""
    titles = [
        index
        for index, line in enumerate(lines)
        if line.kind != BULLET and NUMBERED_TITLE.match(line.text.strip())
    ]
    if len(titles) < 2:
        return None
    ends = [*titles[1:], len(lines)]
    if not any(
        reflective(line, vocabulary, chapters)
        for start, end in zip(titles, ends, strict=True)
        for line in lines[start + 1 : end]
    ):
        return None
    return Plan(lines, [(index, index, []) for index in titles], titles[0])


# ----------------------------------------------------------------------------- interleaved


def interleaved_sections(lines, known_councils, vocabulary, chapters):
    """Case studies told side by side under shared topic headings ("Starting points", then a
    paragraph on each region; "Tips on co-production", then each region's tips): each repeated
    heading is a case study, its parts gathered from under each topic in turn."""
    candidates = [
        index
        for index, line in enumerate(lines)
        if line.kind != BULLET
        and reads_as_heading(line.text)
        and not council_names_in(line.text, known_councils)
    ]
    counts = {}
    for index in candidates:
        counts.setdefault(lines[index].text.strip(), []).append(index)
    subjects = {text for text, found in counts.items() if len(found) >= 2}
    if len(subjects) < 2:
        return None
    subject_lines = {index for index in candidates if lines[index].text.strip() in subjects}
    # A topic: a heading-like line followed (after its own text, if any) by the heading of the
    # first subject the document names: each topic tells of the subjects in turn, from the
    # first. A short line under a subject ("Pay people for their time") is the subject's.
    first_subject = lines[min(subject_lines)].text.strip()
    topics = []
    for position, index in enumerate(candidates):
        following = candidates[position + 1] if position + 1 < len(candidates) else None
        if (
            index not in subject_lines
            and following is not None
            and lines[following].text.strip() == first_subject
        ):
            topics.append(index)
    if len(topics) < 2 or not any(
        reflective(lines[index], vocabulary, chapters) for index in topics
    ):
        return None
    topics_set = set(topics)
    parts = {}  # subject -> [Line]
    order = []
    topic = None
    subject = None
    first = topics[0]
    for index in range(first, len(lines)):
        line = lines[index]
        if index in topics_set:
            topic, subject = line, None
            continue
        if index in subject_lines:
            subject = line.text.strip()
            if subject not in parts:
                parts[subject] = [Line(subject, HEADING, level=1)]
                order.append(subject)
            parts[subject].append(Line(topic.text, HEADING, level=2))
            continue
        if subject is None:
            # Text under a topic before any subject: the topic's own, for the editor.
            parts.setdefault("", []).append(f"Under “{topic.text}”: {line.text}")
            continue
        parts[subject].append(line)
    rearranged = list(lines[:first])
    sections = []
    for subject in order:
        sections.append((len(rearranged), len(rearranged), []))
        rearranged += parts[subject]
    return Plan(
        rearranged,
        sections,
        first,
        pending=[("Text under a topic heading, before any case study", parts[""])]
        if parts.get("")
        else [],
        notes=[
            "The document tells its case studies side by side under shared topic headings ("
            + ", ".join(f"“{lines[index].text}”" for index in topics[:6])
            + "): each case study's parts are gathered from under each topic, in order."
        ],
    )


# ----------------------------------------------------------------------------- one project


def single_project(lines, vocabulary, chapters, *, title=None):
    """A whole document about one project: one case study, titled by the document's title
    (its first heading, else its first line), if it has one of the lists; the title page and
    contents are the preamble."""
    if not any(reflective(line, vocabulary, chapters) for line in lines):
        return None
    if title is None:
        headings = [index for index, line in enumerate(lines) if line.kind == HEADING]
        title = headings[0] if headings else 0
    body = body_after_contents(lines)
    if body > title + 1:
        # "Title / subtitle / Contents / ... / first chapter": the title, then the body.
        rearranged = [lines[title], *lines[body:]]
        preamble = [*lines[:title], *lines[title + 1 : body]]
        lines = [*preamble, *rearranged]
        start = len(preamble)
    else:
        start = title
    return Plan(
        lines,
        [(start, start, [])],
        start,
        notes=[
            f"The document reads as one project, “{lines[start].text}”: it is imported as one "
            "case study."
        ],
    )


def body_after_contents(lines):
    """Where the body starts after a contents page (0 without one): the line that repeats
    the contents' first entry."""
    index = contents_heading(lines, within=200)
    if index is None or index + 1 >= len(lines):
        return 0
    first = normalise(PAGE_NUMBER_AT_END.sub("", lines[index + 1].text))
    for position in range(index + 2, len(lines)):
        if normalise(lines[position].text) == first:
            return position
    return 0


def attach_unplaced(case_study, groups, report, *, at_end=False):
    """Text outside any case study, kept on a case study's editor notes and in the report."""
    notes = []
    for label, texts in groups:
        notes += [f"{label}:", *texts]
        report.unplaced.append((label, texts))
    if at_end:
        case_study.unplaced += notes
    else:
        case_study.unplaced[:0] = notes


def join_wrapped(lines):
    """Hard-wrapped continuation lines joined onto the paragraph they continue."""
    paragraphs = []  # [first line, [texts]]: joined once at the end, not copied for each line
    for line in lines:
        if line.continues and paragraphs:
            paragraphs[-1][1].append(line.text)
        else:
            paragraphs.append([line, [line.text]])
    return [
        Line(" ".join(texts), first.kind, level=first.level) if len(texts) > 1 else first
        for first, texts in paragraphs
    ]


CONTENTS_HEADINGS = ("contents", "contents page", "table of contents")


def contents_heading(lines, *, within=None):
    """The index of the line that heads a contents page (among the first `within`), or None."""
    return next(
        (
            index
            for index, line in enumerate(lines[:within])
            if line.text.strip().lower() in CONTENTS_HEADINGS
        ),
        None,
    )


def read_contents(lines, known_councils):
    """Where the body starts, and the (council, title) entries of a Contents page if any."""
    index = contents_heading(lines)
    if index is None:
        return 0, []
    entries = []
    council = []
    position = index + 1
    last_entry = index
    while position < len(lines):
        text = lines[position].text.strip().replace("**", "")
        names = council_names_in(text, known_councils)
        match = CONTENTS_ENTRY.match(text)
        if names:
            council = names
        elif match:
            entries.append((council, match.group(2).strip()))
            last_entry = position
        else:
            break
        position += 1
    if not entries:
        return 0, []
    return last_entry + 1, entries


def find_titles(lines, body_start, contents_council, known_councils, vocabulary):
    """Indexes of the lines that start a case study (or a titled section)."""
    starts = []
    seen_contact = False
    # A title the contents page lists is a title even where it reads like a council's name
    # ("Westminster Council", a story of the council), unless the contents use it as a heading.
    contents_headings = {normalise(name) for names in contents_council.values() for name in names}
    for index in range(body_start, len(lines)):
        line = lines[index]
        text = line.text
        listed_title = normalise(text) in contents_council.keys() - contents_headings
        if line.kind == BULLET or role_of(line, vocabulary)[0] in LIST_ROLES:
            continue
        if council_names_in(text, known_councils) and not listed_title:
            continue
        if CONTACT_LABEL.match(text):
            seen_contact = True
            continue
        if contents_council:
            title = normalise(text) in contents_council
        elif line.kind == HEADING:
            title = True
        else:
            previous = lines[index - 1] if index > body_start else None
            after_council = previous is not None and council_names_in(previous.text, known_councils)
            title = is_short_heading(text) and (
                after_council or (seen_contact and followed_by_prose(lines, index))
            )
        if title:
            starts.append(index)
            seen_contact = False
    return starts


def followed_by_prose(lines, index):
    """Whether the line after `index` reads like a sentence (a standfirst), not a link."""
    if index + 1 >= len(lines):
        return False
    following = lines[index + 1]
    text = following.text
    return (
        following.kind == TEXT
        and text.endswith(".")
        and len(text) > 50
        and not URL.search(text)
        and not CONTACT_LABEL.match(text)
    )


def parse_case_study(lines, councils, reading):
    """One case study from its lines (title first), or None if it has no lists.

    `reading.found` collects a FoundHeading for each heading met."""
    vocabulary, known_councils, found = reading.vocabulary, reading.known_councils, reading.found
    title = lines[0].text
    case_study = ParsedCaseStudy(title=title, councils=list(councils))
    council_keys = {normalise(name) for name in councils}
    named_councils = []  # from a "Led by:" line or under a "Council" heading
    narrative = []
    current_list = None
    in_links = in_tail = from_compiled_report = False
    mode = None  # under a heading: "contacts", "councils" or "leave_out"
    tail = []
    for position, line in enumerate(lines[1:], start=1):
        text = line.text
        role, how = role_of(line, vocabulary)
        if (
            role is None
            and line.kind == HEADING
            and current_list is not None
            and 0 < current_list.level < line.level
        ):
            # A sub-heading inside a list ("#### Staff" under "### Challenges"): the points
            # under it stay in the list.
            case_study.unplaced.append(
                f"Under “{current_list.heading}” the source has a sub-heading, “{text}”; "
                "the points under it are kept in that list."
            )
            continue
        if (
            (in_links or mode == "contacts")
            and line.kind != HEADING
            and not is_question(text)
            and vocabulary.exact_role(text) is None
        ):
            role = None  # a link's or a contact's own words ("NCAG's Top Tips")
        if role is None and line.kind == HEADING:
            role, how = Role.STORY, "unrecognised"
        elif (
            role in LIST_ROLES
            and how != "choice"
            and not reflective(line, vocabulary, reading.chapters)
        ):
            role = Role.STORY  # an appendix's or a chapter's own list
            reading.set_aside.append(text)
        label = labelled(text, vocabulary)
        if label is None and role is not None:
            found.append(
                FoundHeading(text, heading_key(text), role, how, excerpt(lines, position), title)
            )
        if role in LIST_ROLES and label is None:
            heading = own_words_of(text, vocabulary) or text
            current_list = case_study.lists.setdefault(
                str(role), ParsedList(heading=heading, level=line.level)
            )
            in_tail = in_links = False
            mode = None
            if current_list.heading != heading:
                case_study.unplaced.append(f"A second list heading for the same list: {text}")
            continue
        if label is not None:
            role, rest = label
            current_list, in_links, in_tail, mode = None, False, False, None
            if role == Role.COUNCIL:
                named_councils += split_council_names(rest, known_councils)
            elif role == Role.LINKS:
                in_links = True
                if rest:
                    case_study.links.append(parse_link(rest))
            elif rest:
                read_contact_line(case_study, rest)
            else:
                mode = "contacts"
            continue
        if role is not None and role != Role.STORY:
            current_list, in_links, in_tail = None, role == Role.LINKS, False
            mode = {Role.CONTACT: "contacts", Role.COUNCIL: "councils"}.get(role)
            if role == Role.LEAVE_OUT:
                mode = "leave_out"
                case_study.unplaced.append(f"Left out, as chosen for the heading “{text}”:")
            continue
        if role == Role.STORY:
            current_list, in_links, mode = None, False, None
            heading_line = Line(text, HEADING)
            (tail if case_study.lists or in_tail else narrative).append(heading_line)
            in_tail = in_tail or bool(case_study.lists)
            continue
        if mode == "leave_out":
            case_study.unplaced.append(text)
            continue
        if mode == "councils":
            names = council_names_in(text, known_councils)
            if names:
                named_councils += names
            else:
                case_study.unplaced.append(
                    f"Under a council heading, text that names no council the portal knows: {text}"
                )
            continue
        if mode == "contacts" and not URL.search(text):
            read_contact_line(case_study, text)
            continue
        if mode == "contacts":
            case_study.links.append(parse_link(text))
            continue
        if REPORT_SOURCE_LINE.match(text):
            case_study.unplaced.append(f"The source as the report gives it: {text}")
            current_list, in_links, in_tail = None, False, False
            from_compiled_report = True
            continue
        if PAGE_ARTEFACT.match(text.strip()):
            case_study.unplaced.append(f"Left out as a page number or running heading: {text}")
            continue
        if normalise(text) in council_keys:
            continue  # the council heading repeated inside the case study
        if in_links:
            if line.kind == BULLET and case_study.links:
                # "- Thurrock Coalition": the end of a link title wrapped onto its own line.
                last = case_study.links[-1]
                last.title = f"{last.title} - {text}"
            else:
                case_study.links.append(parse_link(text))
        elif current_list is not None and reads_as_narrative(line, current_list):
            # "The council may also ..." after the points, or "... to facilitate:" with a list
            # of its own: narrative that follows a list, not a point of it.
            tail.append(line)
            case_study.unplaced.append(
                f"Under “{current_list.heading}” the source has text that reads as narrative, "
                f"not a point; it is added to the end of the narrative: {text}"
            )
            current_list = None
            in_tail = True
        elif in_tail:
            tail.append(line)
        elif current_list is not None:
            current_list.items.append(strip_numbering(text))
            current_list.bulleted |= line.kind == BULLET
        elif (
            not case_study.standfirst
            and not narrative
            and line.kind == TEXT
            and not reads_as_heading(text)
        ):
            case_study.standfirst = text
        else:
            narrative.append(line)
    if not case_study.lists and not from_compiled_report:
        return None
    if named_councils:
        case_study.councils = named_councils
    case_study.narrative = narrative_markdown(narrative + tail)
    if len(case_study.standfirst) > 500:
        case_study.unplaced.append(
            "The first paragraph is too long for a standfirst (500 characters); it is kept at "
            "the start of the narrative. Write a one-sentence standfirst."
        )
        case_study.narrative = "\n\n".join(
            filter(None, [case_study.standfirst, case_study.narrative])
        )
        case_study.standfirst = ""
    return case_study


def labelled(text, vocabulary):
    """(role, the rest) for a labelled line ("Contact: ...", "Led by: Essex County Council",
    "Further information:"), or None."""
    label, colon, rest = text.partition(":")
    if not colon or len(label.split()) > 4 or "//" in rest[:2]:
        return None
    role = vocabulary.exact_role(label)
    if role in (Role.CONTACT, Role.COUNCIL, Role.LINKS):
        return role, rest.strip()
    return None


PHONE = re.compile(r"(?:\d[\s-]?){6,}")


def read_contact_line(case_study, text):
    """The contacts a line names, the source's misreadings corrected and said."""
    if not EMAIL.search(text) and PHONE.search(text):
        case_study.unplaced.append(f"A phone number in the contact details: {text}")
        return
    contacts, leftover = parse_contacts(text)
    for contact in contacts:
        printed = contact.name
        if correct_misread_capital_i(contact):
            case_study.unplaced.append(
                f"The source prints a contact's name as “{printed}”; their email "
                f"address suggests “{contact.name}” (a capital I read as a lower-case "
                "l), so the name is corrected. Check it."
            )
    case_study.contacts += contacts
    if leftover and all(PHONE.search(piece) for piece in leftover):
        case_study.unplaced.append(f"A phone number in the contact details: {text}")
    elif leftover:
        case_study.unplaced.append(f"Contact text the importer could not read: {text}")


def split_council_names(text, known_councils):
    """The councils a "Led by:" line names ("Essex County Council and Southend-on-Sea City
    Council", "A, B and C"), or []."""
    text = text.strip().rstrip(".")
    if council_names_in(text, known_councils):
        return council_names_in(text, known_councils)
    parts = [part.strip() for part in re.split(r",\s*|\s+and\s+(?=[A-Z])", text) if part.strip()]
    if parts and all(council_names_in(part, known_councils) for part in parts):
        return parts
    return [text] if text else []


NUMBERED_ITEM = re.compile(r"^\d{1,2}[.)]\s+(?=\S)")


def strip_numbering(text):
    """A point without the number its list printed before it ("1. Keep it simple")."""
    return NUMBERED_ITEM.sub("", text)


def excerpt(lines, position, length=200):
    """The start of the text under the heading at `position`."""
    texts = []
    for line in lines[position + 1 :]:
        if line.kind == HEADING or sum(len(text) for text in texts) > length:
            break
        texts.append(line.text)
    joined = " ".join(texts)
    return joined if len(joined) <= length else joined[: length - 1].rstrip() + "…"


def reads_as_narrative(line, current_list):
    """Whether a line under a list heading is narrative rather than one of the list's points.

    Points are bullets, or (where the PDF lost the markers) plain paragraphs. A plain paragraph
    after bulleted points, or one that ends with a colon to introduce a list of its own, is
    narrative that the source prints after the list.
    """
    if line.kind != TEXT:
        return False
    return current_list.bulleted or line.text.rstrip().endswith(":")


def narrative_markdown(lines):
    """Paragraphs and bullet lists as the Markdown the narrative field takes."""
    blocks = []
    for line in lines:
        if line.kind == BULLET:
            item = line.text if re.match(r"^\d+[.)]\s", line.text) else f"- {line.text}"
            if blocks and blocks[-1][0] == BULLET:
                blocks[-1][1].append(item)
            else:
                blocks.append((BULLET, [item]))
        elif line.kind == HEADING:
            blocks.append((HEADING, [f"## {line.text}"]))
        else:
            blocks.append((TEXT, [line.text]))
    return "\n\n".join("\n".join(items) for _kind, items in blocks)


def parse_contacts(text):
    """Contacts from the text after "Contact:", and whatever could not be read as one."""
    contacts = []
    leftover = []
    parts = re.split(rf"({EMAIL.pattern})", text)
    # parts: [before, email, between, email, after]
    for position in range(1, len(parts), 2):
        before = parts[position - 1]
        before = re.sub(r"^\s*(?:and|,|;|&)\s*", "", before.strip(), flags=re.IGNORECASE)
        name = before.strip().rstrip("-–—:,( ").strip()
        contacts.append(ParsedContact(name=name, email=parts[position]))
    rest = parts[-1].strip(" .,;)")
    if len(parts) == 1:
        rest = text.strip()
        if rest and len(rest) <= 100 and not rest.endswith("."):
            return [ParsedContact(name=rest)], []
    if rest:
        leftover.append(rest)
    return contacts, leftover


def correct_misread_capital_i(contact):
    """Fix "lan Hanton" <ian.hanton@...>: text extraction often reads a capital I as an l."""
    first, _space, rest = contact.name.partition(" ")
    local = re.split(r"[._-]", contact.email.split("@")[0].lower())[0]
    if first[:1] == "l" and first.lower() != local and "i" + first[1:].lower() == local:
        contact.name = f"I{first[1:]} {rest}".strip()
        return True
    return False


ANGLED_ADDRESS = re.compile(r"^(?P<title>.*\S)\s+<(?P<url>(?:https?://|www\.)[^\s<>]+)>$", re.I)


def parse_link(text):
    """A further-information link: its title, and its address when the source gives one.

    "Title <https://...>" (as the portal's compiled reports print a link whose title does not
    hold its address) gives the title and the address apart."""
    angled = ANGLED_ADDRESS.match(text.strip())
    if angled:
        return ParsedLink(title=angled["title"], url=angled["url"])
    title = re.sub(r"</?u>", "", text).strip()
    match = URL.search(title)
    url = ""
    if match:
        url = match.group(0).rstrip(".,;")
        if url.lower().startswith("www."):
            url = f"https://{url}"
    return ParsedLink(title=title, url=url)
