"""What changed in a case study, in plain words.

`snapshot(case_study)` and `snapshot_of_version(case_study_id, revision)` turn a case study, as
it is now or as a django-reversion revision holds it, into one plain structure: a tuple of
`Part`s, each with a heading an editor knows ("Title", "The story", a list's own heading) and
its value as text (one text, or the items of a list in their own order). `compare(old, new)`
says what changed between two of them, part by part: a word-by-word difference for a text, and
for a list the items added, removed, changed (word by word) and moved, list by list.

What it covers: everything an editor writes and the public sees, and the notes for editors
(marked as never shown). Left out: the workflow fields (`CaseStudy.WORKFLOW_FIELDS`: web
address, state, update of, first published), which only the workflow moves change and which its
history shows; and the times of saving and the search words, which the portal keeps itself.
"""

import dataclasses
import difflib
import re

from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import mark_safe

from councils.models import Region

from .models import POINT_LISTS, CaseStudy, Contact, Link, Point, Publication, Quote
from .workflow import own_versions

# The case study's own fields, under the words an editor knows, in the order the pages show
# them. The four list headings are shown as the heading of their list, not here.
FIELDS = (
    ("title", "Title"),
    ("standfirst", "Summary"),
    ("narrative", "The story"),
    ("region_id", "Region"),
    ("stage", "Stage of the work"),
    ("started_on", "Work started"),
    ("last_reviewed_on", "Last reviewed"),
    ("publication_id", "Source publication"),
    ("source_pages", "Pages in the source publication"),
    ("content_note", "Notes on this text"),
    ("editor_notes", "Notes for editors (never shown to the public)"),
)
# Fields holding one value (a name, a date, a choice): shown replaced whole, not word by word.
WHOLE = {"region_id", "stage", "started_on", "last_reviewed_on", "publication_id", "source_pages"}
# The shared records it names, under the words of its public page.
NAMED = (
    ("councils", "Councils"),
    ("organisations", "Partner organisations"),
    ("people", "People involved"),
    ("approaches", "Approaches used"),
    ("topics", "Topics"),
)
PART_HEADINGS = {Contact: "Contacts", Link: "Further information", Quote: "In their own words"}

# How close two texts must be (difflib's ratio) to count as one item changed, not one removed
# and another added.
SAME_ITEM = 0.5


@dataclasses.dataclass(frozen=True)
class Part:
    """One part of a case study: a text (`items` None) or a list of items in their order."""

    key: str  # stable between versions: "title", "points:learning", "contacts"
    heading: str
    text: str = ""
    items: tuple | None = None


@dataclasses.dataclass(frozen=True)
class ItemChange:
    """One item of a list that changed: how, where, and its words (HTML, escaped)."""

    how: str  # "added", "removed", "changed" or "moved"
    position: int  # from 1: in the newer list, or in the older one for a removed item
    html: str
    old_position: int | None = None  # for a moved item


@dataclasses.dataclass(frozen=True)
class PartChange:
    """What changed in one part: a text's difference, or a list's changed items."""

    heading: str
    html: str = ""  # a text's words, with <del> and <ins> (escaped)
    items: tuple = ()
    old_heading: str = ""  # a list whose heading changed
    is_list: bool = False


# ---------------------------------------------------------------------------------- snapshots


def snapshot(case_study):
    """The parts of a case study as it is now. Prefetch with `with_page_data()`."""
    parts = {
        model: sorted(getattr(case_study, CaseStudy.part_name(model)).all(), key=lambda p: p.order)
        for model in CaseStudy.part_models()
    }
    named = {name: [str(item) for item in getattr(case_study, name).all()] for name, _ in NAMED}
    return _parts(
        case_study,
        region=case_study.region,
        publication=case_study.publication,
        named=named,
        parts=parts,
    )


def snapshot_of_version(case_study_id, revision):
    """The parts of a case study as `revision` holds it (see `workflow.own_versions`), or None
    if the revision does not hold the case study."""
    versions = own_versions(case_study_id, revision)
    parts = {model: [] for model in CaseStudy.part_models()}
    entry = None
    m2m = {}
    for version in versions:
        held = version._object_version
        if version._model is CaseStudy:
            entry, m2m = held.object, held.m2m_data or {}
        else:
            parts[version._model].append(held.object)
    if entry is None:
        return None
    named = {}
    for name, _ in NAMED:
        model = CaseStudy._meta.get_field(name).related_model
        named[name] = [str(item) for item in model.objects.filter(pk__in=m2m.get(name, []))]
    return _parts(
        entry,
        region=Region.objects.filter(pk=entry.region_id).first(),
        publication=Publication.objects.filter(pk=entry.publication_id).first(),
        named=named,
        parts={model: sorted(items, key=lambda p: p.order) for model, items in parts.items()},
    )


def _parts(entry, *, region, publication, named, parts):
    """The snapshot, from values however they were read."""
    values = {
        "region_id": str(region) if region else "",
        "publication_id": str(publication) if publication else "",
        "stage": dict(CaseStudy.Stage.choices).get(entry.stage, entry.stage),
    }
    result = []
    for attname, heading in FIELDS:
        value = values.get(attname, getattr(entry, attname))
        if hasattr(value, "isoformat"):
            value = date_format(value, "j F Y")
        result.append(Part(attname, heading, text=value or ""))
    for name, heading in NAMED:
        result.append(Part(name, heading, items=tuple(named[name])))
    for point_list in POINT_LISTS:
        heading = getattr(entry, point_list.heading_field) or point_list.default_heading
        points = [point.text for point in parts[Point] if point.kind == point_list.kind]
        result.append(Part(f"points:{point_list.name}", heading, items=tuple(points)))
    for model, heading in PART_HEADINGS.items():
        describe = {Contact: _contact, Link: _link, Quote: _quote}[model]
        items = tuple(describe(item) for item in parts[model])
        result.append(Part(CaseStudy.part_name(model), heading, items=items))
    return tuple(result)


def _contact(contact):
    consent = dict(Contact.Consent.choices).get(contact.consent, contact.consent)
    checked = (
        date_format(contact.last_verified_on, "j F Y") if contact.last_verified_on else "never"
    )
    return f"{contact.details()}. Consent to publish: {consent}. Last checked: {checked}."


def _link(link):
    return f"{link.title} ({link.url})" if link.url else f"{link.title} (no web address)"


def _quote(quote):
    return f"“{quote.text}” – {quote.attribution}" if quote.attribution else f"“{quote.text}”"


# ---------------------------------------------------------------------------------- comparing


def compare(old, new):
    """What changed from snapshot `old` to `new`: a `PartChange` for each part that changed, in
    the order of the parts. `old` may be None (nothing before): everything is then added; `new`
    None (the case study is not in that version): nothing to show."""
    old_parts = {part.key: part for part in old or ()}
    changes = []
    for part in new or ():
        empty = Part(part.key, part.heading, items=None if part.items is None else ())
        before = old_parts.get(part.key, empty)
        if part.items is None:
            if before.text != part.text:
                diff = replaced if part.key in WHOLE else word_diff
                changes.append(PartChange(part.heading, html=diff(before.text, part.text)))
            continue
        items = list_diff(before.items or (), part.items)
        renamed = before.heading if before.heading != part.heading and old else ""
        if items or renamed:
            changes.append(
                PartChange(
                    part.heading,
                    items=tuple(items),
                    old_heading=renamed,
                    html=word_diff(renamed, part.heading) if renamed else "",
                    is_list=True,
                )
            )
    return changes


# Words a screen reader says before a change: <del> and <ins> are not announced by most.
HIDDEN = '<span class="changes__hidden">{}</span>'
_WORDS = re.compile(r"\s+|[^\s]+")


def word_diff(old, new):
    """`new` as HTML, escaped, with the words taken out of `old` in <del> and those put in
    inside <ins>. Spaces and line breaks are kept, to show with `white-space: pre-wrap`."""
    before, after = _WORDS.findall(old), _WORDS.findall(new)
    html = []
    # Spaces alone never anchor a match, so a sentence rewritten is one change, not many.
    matcher = difflib.SequenceMatcher(str.isspace, before, after, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            html.append(escape("".join(after[j1:j2])))
            continue
        if i2 > i1:
            html.append(_taken_out("".join(before[i1:i2])))
        if j2 > j1:
            html.append(_put_in("".join(after[j1:j2])))
    return mark_safe("".join(html))  # noqa: S308 - every piece of text is escaped


def _taken_out(words):
    return f"<del>{HIDDEN.format('removed: ')}{escape(words)}</del>"


def _put_in(words):
    return f"<ins>{HIDDEN.format('added: ')}{escape(words)}</ins>"


def replaced(old, new):
    """`old` taken out and `new` put in, each whole (as `word_diff` marks them)."""
    html = []
    if old:
        html.append(_taken_out(old))
    if new:
        html.append(_put_in(new))
    return mark_safe(" ".join(html))  # noqa: S308 - both pieces are escaped


def list_diff(old, new):
    """The items of list `new` that differ from list `old`, each in its own order: added,
    removed, changed (a close text in the same place) and moved (the same text elsewhere)."""
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    removed, added, pairs = {}, {}, []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        removed.update({i: old[i] for i in range(i1, i2)})
        added.update({j: new[j] for j in range(j1, j2)})
        pairs.extend(zip(range(i1, i2), range(j1, j2), strict=False))
    changes = []
    for j, text in list(added.items()):  # the same words somewhere else: moved
        i = next((i for i, was in removed.items() if was == text), None)
        if i is not None:
            del removed[i], added[j]
            changes.append(ItemChange("moved", j + 1, escape(text), old_position=i + 1))
    for i, j in pairs:  # close words in the same place: changed
        if i in removed and j in added:
            ratio = difflib.SequenceMatcher(None, old[i], new[j], autojunk=False).ratio()
            if ratio >= SAME_ITEM:
                changes.append(ItemChange("changed", j + 1, word_diff(old[i], new[j])))
                del removed[i], added[j]
    changes += [ItemChange("added", j + 1, escape(text)) for j, text in added.items()]
    changes += [ItemChange("removed", i + 1, escape(text)) for i, text in removed.items()]
    # By position; an item removed from a place is told after the one now there.
    return sorted(changes, key=lambda change: (change.position, change.how == "removed"))


def changes_between(old_case_study, new_case_study):
    """What changed from one case study (a published entry) to another (its update)."""
    return compare(snapshot(old_case_study), snapshot(new_case_study))


def changes_between_versions(case_study_id, old_revision, new_revision):
    """What changed in a case study from one revision of its history to another."""
    return compare(
        snapshot_of_version(case_study_id, old_revision),
        snapshot_of_version(case_study_id, new_revision),
    )
