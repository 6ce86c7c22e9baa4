"""Finding case studies in a report's lines: the layout described in the package docstring.

Pure functions from `Line`s to plain dataclasses; nothing is written here.
"""

import dataclasses
import re

from ..models import POINT_LISTS
from .headings import LIST_ROLES, Vocabulary
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


def list_heading(text, vocabulary=DEFAULT_VOCABULARY, *, marked=False):
    """(the list a heading opens, the heading to keep), or (None, text)."""
    match = QUESTION_WITH_OWN_WORDS.match(text.strip())
    if match and list_kind(match["question"], vocabulary):
        return list_kind(match["question"], vocabulary), match["own"].strip()
    kind = list_kind(text, vocabulary, marked=marked)
    if kind:
        return kind, text
    return None, text


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
FURTHER_LABEL = re.compile(r"^further information\s*:?\s*", re.IGNORECASE)
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


def parse_report(lines, *, known_councils=None):
    """Case studies found in a report's lines. Never raises on odd input; never drops text.

    `known_councils` (a councils.names.NameIndex): the councils whose names, in any spelling,
    are council headings although they do not end in "Council".
    """
    lines = join_wrapped(lines)
    report = ParsedReport()
    body_start, contents = read_contents(lines, known_councils)
    contents_council = {normalise(title): council for council, title in contents}
    starts = find_titles(lines, body_start, contents_council, known_councils)

    # Council headings just above a title belong to that case study.
    sections = []
    current_councils = []
    for index, start in enumerate(starts):
        end = starts[index + 1] if index + 1 < len(starts) else len(lines)
        heading_start = start
        councils = []
        while heading_start > body_start and council_names_in(
            lines[heading_start - 1].text, known_councils
        ):
            heading_start -= 1
            councils = council_names_in(lines[heading_start].text, known_councils) + councils
        if not councils:
            title_key = normalise(lines[start].text)
            councils = contents_council.get(title_key) or []
        if councils:
            current_councils = councils
        sections.append((heading_start, start, end, list(councils or current_councils)))

    preamble_end = sections[0][0] if sections else len(lines)
    label = (
        "Text before the first case study in the source"
        if sections
        else "Text in the source that is not part of a case study"
    )
    pending = []  # (label, texts) not yet attached to a case study
    if preamble_end:
        pending.append((label, [line.text for line in lines[:preamble_end]]))

    for position, (heading_start, start, _end, councils) in enumerate(sections):
        next_heading = sections[position + 1][0] if position + 1 < len(sections) else len(lines)
        case_study = parse_case_study(lines[start:next_heading], councils)
        if case_study is None:
            # A titled section without lists, e.g. an overview: keep it for the next one.
            title = lines[start].text
            texts = [line.text for line in lines[heading_start:next_heading]]
            pending.append((f"“{title}”, a section of the source without lists", texts))
            report.notes.append(
                f"“{title}” has none of the lists a case study has, so it is not imported as "
                "a case study; its text is kept in the editor notes of the next case study."
            )
            continue
        attach_unplaced(case_study, pending, report)
        pending = []
        report.case_studies.append(case_study)
    if pending and report.case_studies:
        attach_unplaced(report.case_studies[-1], pending, report, at_end=True)
    elif pending:
        report.unplaced += pending
    if not report.case_studies:
        report.notes.append(
            "No case studies found: the document has no lists headed like “What was the "
            "learning that supported success?”, “What were the conditions for success?” or "
            "“What were the barriers?”. Documents laid out differently (a single project "
            "report, a collection of stories) have to be entered by hand."
        )
    return report


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
    paragraphs = []  # [kind, [texts]]: joined once at the end, not copied for each line
    for line in lines:
        if line.continues and paragraphs:
            paragraphs[-1][1].append(line.text)
        else:
            paragraphs.append([line.kind, [line.text]])
    return [Line(" ".join(texts), kind) for kind, texts in paragraphs]


def read_contents(lines, known_councils):
    """Where the body starts, and the (council, title) entries of a Contents page if any."""
    headings = ("contents", "contents page", "table of contents")
    index = next(
        (index for index, line in enumerate(lines) if line.text.strip().lower() in headings),
        None,
    )
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


def find_titles(lines, body_start, contents_council, known_councils):
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
        if line.kind == BULLET or list_heading(text)[0]:
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


def parse_case_study(lines, councils):
    """One case study from its lines (title first), or None if it has no lists."""
    title = lines[0].text
    case_study = ParsedCaseStudy(title=title, councils=list(councils))
    council_keys = {normalise(name) for name in councils}
    narrative = []
    current_list = None
    in_links = in_tail = from_compiled_report = False
    tail = []
    for line in lines[1:]:
        text = line.text
        kind, heading = list_heading(text) if line.kind != BULLET else (None, text)
        if kind:
            current_list = case_study.lists.setdefault(kind, ParsedList(heading=heading))
            in_tail = False
            if current_list.heading != heading:
                case_study.unplaced.append(f"A second list heading for the same list: {text}")
            in_links = False
            continue
        if CONTACT_LABEL.match(text):
            contacts, leftover = parse_contacts(CONTACT_LABEL.sub("", text))
            for contact in contacts:
                printed = contact.name
                if correct_misread_capital_i(contact):
                    case_study.unplaced.append(
                        f"The source prints a contact's name as “{printed}”; their email "
                        f"address suggests “{contact.name}” (a capital I read as a lower-case "
                        "l), so the name is corrected. Check it."
                    )
            case_study.contacts += contacts
            if leftover:
                case_study.unplaced.append(f"Contact text the importer could not read: {text}")
            current_list, in_links, in_tail = None, False, False
            continue
        if REPORT_SOURCE_LINE.match(text):
            case_study.unplaced.append(f"The source as the report gives it: {text}")
            current_list, in_links, in_tail = None, False, False
            from_compiled_report = True
            continue
        further = FURTHER_LABEL.match(text)
        if further:
            rest = text[further.end() :].strip()
            if rest:
                case_study.links.append(parse_link(rest))
            current_list, in_links, in_tail = None, True, False
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
            current_list.items.append(text)
            current_list.bulleted |= line.kind == BULLET
        elif not case_study.standfirst and not narrative and line.kind == TEXT:
            case_study.standfirst = text
        else:
            narrative.append(line)
    if not case_study.lists and not from_compiled_report:
        return None
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
