"""The headings that name a case study's parts, in any publisher's wording.

Publishers head the same parts differently: "What were the barriers?", "Challenges", "What
difficulties were there?". The built-in vocabulary below maps such phrases to the part they
open (a `Role`); site administrators add phrases in the admin ("Heading phrases"), and a lead
decides the headings the importer does not know, once per publisher ("Heading choices").
Matching is on a heading's words in lower case (`heading_key`), so case, punctuation,
numbering and a question mark make no difference, and a phrase matches inside a longer
heading ("What has helped in implementing a co-production approach?" names what helped).
"""

import re

from django.db import models


class Role(models.TextChoices):
    """What a heading opens. The four lists' values are those of PointKind."""

    LEARNING = "learning", "Learning: what was learned"
    CONDITION = "condition", "Conditions for success: what helped"
    BARRIER = "barrier", "Barriers: what got in the way"
    COMBINED = "combined", "Barriers and conditions in one list"
    STORY = "story", "The story"
    CONTACT = "contact", "Contacts"
    COUNCIL = "council", "The council or councils"
    LINKS = "links", "Further information (links)"
    LEAVE_OUT = "leave_out", "Leave out (kept in the editor notes)"


LIST_ROLES = frozenset({Role.LEARNING, Role.CONDITION, Role.BARRIER, Role.COMBINED})

# The built-in vocabulary: (phrase, role). A phrase of one word names a part only in a short
# heading ("Challenges", "Key challenges", "Barriers we faced") or a question ("What were the
# barriers?"), so that "Learning Disability Partnership Board" stays a heading of the story.
DEFAULT_PHRASES = [
    # What was learned
    ("what was the learning", Role.LEARNING),
    ("learning that supported success", Role.LEARNING),
    ("what we learned", Role.LEARNING),
    ("what we learnt", Role.LEARNING),
    ("what did we learn", Role.LEARNING),
    ("what did you learn", Role.LEARNING),
    ("what have we learned", Role.LEARNING),
    ("lessons learned", Role.LEARNING),
    ("lessons learnt", Role.LEARNING),
    ("key lessons", Role.LEARNING),
    ("lessons", Role.LEARNING),
    ("learning", Role.LEARNING),
    ("top tips", Role.LEARNING),
    ("tips", Role.LEARNING),
    ("what would you do differently", Role.LEARNING),
    ("what would we do differently", Role.LEARNING),
    ("what we would do differently", Role.LEARNING),
    # The conditions for success
    ("what were the conditions", Role.CONDITION),
    ("conditions for success", Role.CONDITION),
    ("what has helped", Role.CONDITION),
    ("what helped", Role.CONDITION),
    ("what worked well", Role.CONDITION),
    ("what made it work", Role.CONDITION),
    ("success factors", Role.CONDITION),
    ("conditions", Role.CONDITION),
    ("enablers", Role.CONDITION),
    ("enabler", Role.CONDITION),
    # The barriers
    ("what were the barriers", Role.BARRIER),
    ("what difficulties were there", Role.BARRIER),
    ("what got in the way", Role.BARRIER),
    ("what were the challenges", Role.BARRIER),
    ("difficulties", Role.BARRIER),
    ("challenges", Role.BARRIER),
    ("challenge", Role.BARRIER),
    ("barriers", Role.BARRIER),
    ("barrier", Role.BARRIER),
    ("obstacles", Role.BARRIER),
    # The story
    ("about the project", Role.STORY),
    ("what has co-production meant", Role.STORY),
    ("the situation", Role.STORY),
    ("the approach", Role.STORY),
    ("background", Role.STORY),
    ("what happened", Role.STORY),
    ("what we did", Role.STORY),
    # Contacts
    ("contact", Role.CONTACT),
    ("contacts", Role.CONTACT),
    ("contact details", Role.CONTACT),
    ("for more information", Role.CONTACT),
    ("find out more", Role.CONTACT),
    ("get in touch", Role.CONTACT),
    # The council or councils
    ("led by", Role.COUNCIL),
    ("council", Role.COUNCIL),
    ("councils", Role.COUNCIL),
    ("organisation", Role.COUNCIL),
    ("organisations", Role.COUNCIL),
    ("local authority", Role.COUNCIL),
    # Further information
    ("further information", Role.LINKS),
    ("useful links", Role.LINKS),
    ("links", Role.LINKS),
]

QUESTION_WORDS = ("what", "how", "which", "who", "were", "was", "did", "have", "has")
SHORT_HEADING_WORDS = 3  # the most words a heading may have for a one-word phrase to name it
# ...or a longer heading that starts with the phrase and goes on with one of these words
# ("Challenges and how we overcame them", "Learning from the project"), not a name
# ("Learning Disability Partnership Board").
JOINING_WORDS = {"and", "we", "that", "faced", "from", "for", "along", "so", "of", "in"}
MAX_HEADING_WORDS = 16  # longer than this, a line is a sentence, not a heading

# A heading's own numbering: "3.", "3)", "a.", "iv.", "Section 2:", "Part 1 –".
NUMBERING = re.compile(
    r"^\s*(?:(?:section|part|chapter)\s+\d+\s*[:.–-]?\s*|(?:\d{1,3}|[a-z]|[ivx]{1,4})[.)]\s+)",
    re.IGNORECASE,
)
WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")


def heading_key(text):
    """A heading as compared: its words in lower case, numbering and punctuation left out,
    apostrophes dropped ("What’s helped?" and "whats helped" are the same)."""
    text = NUMBERING.sub("", text.casefold())
    return " ".join(word.replace("'", "").replace("’", "") for word in WORD.findall(text))


ROLE_WORDS = {
    "learning": Role.LEARNING,
    "learnings": Role.LEARNING,
    "lessons": Role.LEARNING,
    "condition": Role.CONDITION,
    "conditions": Role.CONDITION,
    "enablers": Role.CONDITION,
    "barrier": Role.BARRIER,
    "barriers": Role.BARRIER,
    "challenges": Role.BARRIER,
    "combined": Role.COMBINED,
    "barriers and conditions": Role.COMBINED,
    "story": Role.STORY,
    "narrative": Role.STORY,
    "contact": Role.CONTACT,
    "contacts": Role.CONTACT,
    "council": Role.COUNCIL,
    "councils": Role.COUNCIL,
    "links": Role.LINKS,
    "further information": Role.LINKS,
    "leave out": Role.LEAVE_OUT,
    "leave-out": Role.LEAVE_OUT,
    "leave_out": Role.LEAVE_OUT,
}


def parse_role(text):
    """The role a person names in their own words ("barriers", "leave out"), or ValueError."""
    role = ROLE_WORDS.get(" ".join(text.casefold().split()))
    if role is None:
        raise ValueError(
            f"“{text}” is not a part of a case study the importer knows. Use one of: "
            "learning, conditions, barriers, combined, story, contact, council, links, "
            "leave out."
        )
    return role


class Vocabulary:
    """The phrases that name each part (built in, plus `phrases`), and the choices a lead made
    for particular headings (`choices`: {heading_key: Role}), which win over any phrase."""

    def __init__(self, phrases=(), choices=None):
        self.phrases = {}
        for phrase, role in [*DEFAULT_PHRASES, *phrases]:
            key = heading_key(phrase)
            if key:
                self.phrases[key] = Role(role)
        self.choices = {key: Role(role) for key, role in (choices or {}).items()}

    def exact_role(self, text):
        """The role of a label that is exactly one of the phrases or choices ("Contact",
        "Led by"), or None."""
        key = heading_key(text)
        return self.choices.get(key) or self.phrases.get(key)

    def role_of(self, text, *, marked=False):
        """(the role a heading names, how it was known: "choice" or "vocabulary"), or
        (None, None). `marked`: the source marks the line as a heading (a Markdown `#`, a
        Word heading style, an HTML h1–h6, a larger font in a PDF); an unmarked line must
        also read like a heading (short, no full stop) or a question ("What helped?")."""
        key = heading_key(text)
        if not key:
            return None, None
        words = key.split()
        stripped = text.strip()
        question = is_question(text)
        if not marked and not question and not reads_as_heading(stripped):
            return None, None  # a choice, too, is for a heading, not a line of text
        if key in self.choices:
            return self.choices[key], "choice"
        if len(words) > MAX_HEADING_WORDS or stripped.endswith((".", ",", ";")):
            return None, None
        padded = f" {key} "
        found = []  # (words in the phrase, role)
        for phrase, role in self.phrases.items():
            length = phrase.count(" ") + 1
            if f" {phrase} " not in padded:
                continue
            if role == Role.COUNCIL and phrase != key:
                continue  # "Council" or "Led by" alone; "Essex County Council" is a name
            if (
                length == 1
                and len(words) > SHORT_HEADING_WORDS
                and not question
                and not (words[0] == phrase and words[1] in JOINING_WORDS)
            ):
                continue
            found.append((length, role))
        if not found:
            return None, None
        roles = {role for _length, role in found}
        if Role.COMBINED in roles or {Role.BARRIER, Role.CONDITION} <= roles:
            return Role.COMBINED, "vocabulary"
        if roles & LIST_ROLES:
            # A heading that names a list and something else ("Challenges and what we did")
            # opens the list.
            found = [(length, role) for length, role in found if role in LIST_ROLES]
        return max(found, key=lambda pair: pair[0])[1], "vocabulary"


def is_question(text):
    """Whether a line is a question heading: "What helped?", "What were the barriers:"."""
    words = heading_key(text).split()
    return bool(words) and words[0] in QUESTION_WORDS and text.strip().endswith(("?", ":"))


def reads_as_heading(text):
    """Whether an unmarked line looks like a heading: short, capitalised, no full stop."""
    words = heading_key(text).split()
    return (
        0 < len(words) <= 8
        and text[:1].isupper()
        and not text.endswith((".", ",", ";", ":", "!", '"', "”"))
    )
