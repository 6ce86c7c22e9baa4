"""The guided submission: council officers (and leads and site administrators) write a case
study one page at a time, from a task list, and send it for review.

Built on what the admin uses: `CaseStudy.objects.visible_to` and `permitted_actions` decide
what a person may open and change, `scope_place_problem` where an entry may be placed, and
`case_study_move` makes the workflow moves (submit, propose an update). Every save locks the
entry's row, refuses to save over a change the person has not seen (the version they opened,
`councils.stale_forms`), and records a version (django-reversion) with their name.
"""

import dataclasses

import reversion
from django.contrib import messages
from django.db import transaction
from django.db.models import Max
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from councils.stale_forms import read_stamp, stamp, version_of
from editorial.roles import Scope

from ..models import POINT_LISTS, CaseStudy, Contact, Link, Point, Quote, Status
from ..workflow import MOVES, WorkflowError, case_study_move
from . import forms
from .access import editor_required, no_role

# Said when the entry changed since the person opened the page: nothing is saved. A form's
# page adds that what they typed is still there.
STALE = (
    "Someone else changed this case study since you opened this page, so nothing has been saved."
)
STALE_FORM = (
    f"{STALE} What you typed is still here: check it against the case study as it is now, then "
    "save again to keep it."
)


# ------------------------------------------------------------------ the lists and sections


@dataclasses.dataclass(frozen=True)
class ItemList:
    """One list a person adds items to: a list of points, the contacts, links or quotes."""

    name: str  # in the page's address
    section: str  # the slug of the section page that shows it
    model: type
    form: type
    noun: str  # "point", "contact"…
    heading: str
    kind: str = ""  # for points: which list

    @property
    def example(self):
        """A point from a published case study, to show on the page."""
        return forms.example(self.name) if self.name in forms.EXAMPLES else ""

    def items(self, case_study):
        """Its items, in order. Reads the prefetched parts, so the task list stays cheap."""
        items = getattr(case_study, CaseStudy.part_name(self.model)).all()
        if self.kind:
            items = [item for item in items if item.kind == self.kind]
        return sorted(items, key=lambda item: item.order)

    def queryset(self, case_study_id):
        rows = self.model.objects.filter(case_study_id=case_study_id)
        return rows.filter(kind=self.kind) if self.kind else rows

    def new_item(self, case_study):
        item = self.model(case_study=case_study)
        if self.kind:
            item.kind = self.kind
        return item

    def renumber(self, case_study_id, items=None):
        """Order numbers 1 to n, in the order given (or the saved order)."""
        items = list(items if items is not None else self.queryset(case_study_id))
        for position, item in enumerate(items, start=1):
            item.order = position
        self.model.objects.bulk_update(items, ["order"])


_learning, _conditions, _barriers = POINT_LISTS[:3]  # the combined list is not offered here
LISTS = {
    item_list.name: item_list
    for item_list in (
        *(
            ItemList(
                point_list.name,
                point_list.name,
                Point,
                forms.PointForm,
                "point",
                point_list.default_heading,
                point_list.kind,
            )
            for point_list in (_learning, _conditions, _barriers)
        ),
        ItemList("contacts", "contacts", Contact, forms.ContactForm, "contact", "Contacts"),
        ItemList("links", "links-and-quotes", Link, forms.LinkForm, "link", "Further information"),
        ItemList("quotes", "links-and-quotes", Quote, forms.QuoteForm, "quote", "Quotes"),
    )
}


@dataclasses.dataclass(frozen=True)
class Section:
    """One line of the task list and its page."""

    slug: str
    title: str
    form: type | None = None  # a form of the case study's own fields
    lists: tuple = ()  # or the lists it shows
    intro: str = ""

    def parts_filled(self, case_study):
        """For each thing the section asks for, whether it has content."""
        if self.slug == "about":
            return [bool(case_study.title), bool(case_study.standfirst)]
        if self.slug == "places":
            named = case_study.councils.all() or case_study.organisations.all()
            return [case_study.region_id is not None, bool(named)]
        if self.slug == "people":
            return [bool(getattr(case_study, n).all()) for n in ("people", "approaches", "topics")]
        if self.slug == "story":
            return [bool(case_study.narrative.strip())]
        if self.slug == "contacts":
            contacts = case_study.contacts.all()
            return [bool(contacts)] + [
                not c.may_be_published or c.last_verified_on is not None for c in contacts
            ]
        return [any(LISTS[name].items(case_study) for name in self.lists)]

    def status(self, case_study):
        filled = self.parts_filled(case_study)
        if all(filled):
            return "Completed"
        return "In progress" if any(filled) else "Not started"


SECTIONS = {
    section.slug: section
    for section in (
        Section("about", "About the work", forms.AboutForm),
        Section("places", "Councils and partners", forms.PlacesForm),
        Section("people", "Who took part and how", forms.PeopleForm),
        Section("story", "The story", forms.StoryForm),
        Section(
            "learning",
            "What helped",
            lists=("learning",),
            intro="What did you learn that helped the work succeed? Add one point at a time.",
        ),
        Section(
            "conditions",
            "Conditions for success",
            lists=("conditions",),
            intro="What had to be in place for the work to succeed? Add one point at a time.",
        ),
        Section(
            "barriers",
            "Barriers",
            lists=("barriers",),
            intro="What got in the way, and how did you deal with it? Add one point at a time.",
        ),
        Section(
            "contacts",
            "Contacts",
            lists=("contacts",),
            intro=(
                "Who can people ask about this work? A contact is published only if they have "
                "agreed. You can give a shared mailbox instead of a person."
            ),
        ),
        Section(
            "links-and-quotes",
            "Links and quotes",
            lists=("links", "quotes"),
            intro=(
                "Web pages or documents with more about the work, and words from people who "
                "took part. Both are optional."
            ),
        ),
    )
}

# What `missing_for_publication` names, said plainly, and the section that fixes it, by the
# part of the entry each item is about (`Missing.part`).
MISSING = {
    "title": ("about", "A title"),
    "standfirst": ("about", "A summary in one sentence"),
    "narrative": ("story", "The story"),
    "region": ("places", "A region"),
    "points": (
        "learning",
        "At least one point in “What helped”, “Conditions for success” or “Barriers”",
    ),
    "contacts": (
        "contacts",
        "For a contact: whether they have agreed to be published "
        "(open the contact and answer the question again)",
    ),
}


def missing_items(case_study):
    """What the entry still needs before a lead can publish it: (words, section slug) pairs."""
    found = []
    for missing in case_study.missing_for_publication():
        slug, words = MISSING[missing.part]
        found.append((words, slug))
    return list(dict.fromkeys(found))


# ------------------------------------------------------------------ access


def _entry(request, pk, *, lock=False):
    """The case study, if this person may see it; 404 for anyone else."""
    entries = CaseStudy.objects.visible_to(request.user)
    if lock:
        entries = entries.select_for_update(of=("self",))
    return get_object_or_404(entries.select_related("region", "update_of__region"), pk=pk)


def editable(case_study, user):
    """Whether the guided form may change it now: a draft the person may change."""
    return case_study.status == Status.DRAFT and "change" in case_study.permitted_actions(user)


def _stale(request, case_study):
    """Whether the entry changed since the person opened the page they are saving."""
    _opened, seen = read_stamp(request.POST.get("seen_version"))
    return seen != version_of(case_study)


@transaction.atomic
def _save(request, case_study, comment, change):
    """Run `change()` and save the entry, as one version with the person's name."""
    with reversion.create_revision():
        change()
        case_study.save()
        reversion.set_user(request.user)
        reversion.set_comment(comment)


def _to_task_list(case_study):
    return redirect("editors:case-study", pk=case_study.pk)


def _page(request, template, case_study, *, status=200, **context):
    return render(
        request,
        f"editors/{template}",
        {"case_study": case_study, "seen_version": stamp(case_study), **context},
        status=status,
    )


# ------------------------------------------------------------------ the pages


@editor_required
def dashboard(request):
    entries = (
        CaseStudy.objects.visible_to(request.user)
        .exclude(status=Status.ARCHIVED)
        .select_related("region", "pending_update")
        .prefetch_related("councils", "transitions__by")
        .order_by("-updated_at", "pk")
    )
    groups = {"returned": [], "drafts": [], "in_review": [], "published": []}
    for entry in entries:
        if entry.status == Status.DRAFT:
            entry.returned = entry.last_return()
            groups["returned" if entry.returned else "drafts"].append(entry)
        elif entry.status == Status.IN_REVIEW:
            groups["in_review"].append(entry)
        else:
            entry.may_propose_update = "propose_update" in entry.permitted_actions(request.user)
            groups["published"].append(entry)
    return render(request, "editors/dashboard.html", {"groups": groups})


@editor_required
def start(request):
    """About the work, for a new case study: its first save creates the draft."""
    if not request.user.has_perm("casestudies.add_casestudy"):
        return no_role(request)
    scope = Scope.of(request.user)
    form = forms.AboutForm(request.POST or None, scope=scope)
    if request.method == "POST" and form.is_valid():
        case_study = form.save(commit=False)
        case_study.region, councils = form.place()
        case_study.slug = CaseStudy.unique_slug(case_study.title)

        def create():
            case_study.save()
            case_study.councils.set(councils)

        _save(request, case_study, "Started the case study in the guided form", create)
        return _to_task_list(case_study)
    return render(request, "editors/section.html", {"form": form, "section": SECTIONS["about"]})


@editor_required
def task_list(request, pk):
    case_study = get_object_or_404(
        CaseStudy.objects.visible_to(request.user)
        .select_related("region", "update_of")
        .prefetch_related(
            "councils",
            "organisations",
            "people",
            "approaches",
            "topics",
            "points",
            "contacts",
            "links",
            "quotes",
            "transitions__by",
        ),
        pk=pk,
    )
    rows = [(section, section.status(case_study)) for section in SECTIONS.values()]
    return _page(
        request,
        "task_list.html",
        case_study,
        rows=rows,
        editable=editable(case_study, request.user),
        may_propose_update="propose_update" in case_study.permitted_actions(request.user),
        returned=case_study.last_return(),
        done=sum(status == "Completed" for _section, status in rows),
    )


@editor_required
def section_page(request, pk, section):
    section = SECTIONS.get(section)
    if section is None:
        raise Http404("No such section")
    if section.lists:
        return _list_section(request, pk, section)
    with transaction.atomic():
        case_study = _entry(request, pk, lock=request.method == "POST")
        if not editable(case_study, request.user):
            return _to_task_list(case_study)
        scope = Scope.of(request.user)
        extra = {"scope": scope} if section.form in (forms.AboutForm, forms.PlacesForm) else {}
        form = section.form(request.POST or None, instance=case_study, **extra)
        if request.method == "POST":
            stale = _stale(request, case_study)
            if form.is_valid() and not stale:
                _save(request, case_study, f"Saved “{section.title}” in the guided form", form.save)
                return _to_task_list(case_study)
            if stale:
                form.add_error(None, STALE_FORM)
    return _page(request, "section.html", case_study, form=form, section=section)


def _list_section(request, pk, section):
    case_study = _entry(request, pk)
    if not editable(case_study, request.user):
        return _to_task_list(case_study)
    lists = [(LISTS[name], LISTS[name].queryset(case_study.pk)) for name in section.lists]
    add_form = lists[0][0].form(prefix="new") if len(lists) == 1 else None
    return _page(
        request, "list_section.html", case_study, section=section, lists=lists, add_form=add_form
    )


def _item_list(name):
    item_list = LISTS.get(name)
    if item_list is None:
        raise Http404("No such list")
    return item_list


@editor_required
def item_page(request, pk, list_name, item_pk=None):
    """Add an item to a list (no `item_pk`) or change one."""
    item_list = _item_list(list_name)
    section = SECTIONS[item_list.section]
    with transaction.atomic():
        case_study = _entry(request, pk, lock=request.method == "POST")
        if not editable(case_study, request.user):
            return _to_task_list(case_study)
        if item_pk is None:
            item = item_list.new_item(case_study)
        else:
            item = get_object_or_404(item_list.queryset(case_study.pk), pk=item_pk)
        prefix = "new" if item_pk is None else None
        form = item_list.form(request.POST or None, instance=item, prefix=prefix)
        if request.method == "POST":
            leaving = request.POST.get("action") == "continue"
            if leaving and item_pk is None and not form.has_changed():
                return _to_task_list(case_study)  # nothing typed: nothing to add
            stale = _stale(request, case_study)
            if form.is_valid() and not stale:
                verb = "Added" if item_pk is None else "Changed"

                def change():
                    if item_pk is None:
                        item.order = (
                            item_list.queryset(case_study.pk).aggregate(Max("order"))["order__max"]
                            or 0
                        ) + 1
                    form.save()
                    item_list.renumber(case_study.pk)

                _save(
                    request,
                    case_study,
                    f"{verb} a {item_list.noun} in “{section.title}” in the guided form",
                    change,
                )
                if leaving:
                    return _to_task_list(case_study)
                return redirect(_section_url(case_study, section))
            if stale:
                form.add_error(None, STALE_FORM)
    return _page(
        request,
        "item.html",
        case_study,
        section=section,
        item_list=item_list,
        form=form,
        adding=item_pk is None,
    )


def _section_url(case_study, section):
    return reverse("editors:section", args=[case_study.pk, section.slug])


@require_POST
@editor_required
def item_move(request, pk, list_name, item_pk):
    """Move an item one place up or down its list."""
    item_list = _item_list(list_name)
    section = SECTIONS[item_list.section]
    with transaction.atomic():
        case_study = _entry(request, pk, lock=True)
        if not editable(case_study, request.user):
            return _to_task_list(case_study)
        items = list(item_list.queryset(case_study.pk))
        moved = next((item for item in items if item.pk == item_pk), None)
        if moved is None:
            raise Http404("No such item")
        if _stale(request, case_study):
            messages.error(request, STALE)
            return redirect(_section_url(case_study, section))
        at = items.index(moved)
        to = at - 1 if request.POST.get("direction") == "up" else at + 1
        if 0 <= to < len(items):
            items[at], items[to] = items[to], items[at]
            _save(
                request,
                case_study,
                f"Moved a {item_list.noun} in “{section.title}” in the guided form",
                lambda: item_list.renumber(case_study.pk, items),
            )
    return redirect(_section_url(case_study, section) + f"#item-{item_pk}")


@editor_required
def item_remove(request, pk, list_name, item_pk):
    """Ask, then remove an item from its list."""
    item_list = _item_list(list_name)
    section = SECTIONS[item_list.section]
    with transaction.atomic():
        case_study = _entry(request, pk, lock=request.method == "POST")
        if not editable(case_study, request.user):
            return _to_task_list(case_study)
        item = get_object_or_404(item_list.queryset(case_study.pk), pk=item_pk)
        if request.method == "POST":
            if _stale(request, case_study):
                messages.error(request, STALE)
                return redirect(_section_url(case_study, section))

            def remove():
                item.delete()
                item_list.renumber(case_study.pk)

            _save(
                request,
                case_study,
                f"Removed a {item_list.noun} from “{section.title}” in the guided form",
                remove,
            )
            messages.success(
                request,
                f"The {item_list.noun} “{item}” has been removed. To put it back, add it again.",
            )
            return redirect(_section_url(case_study, section))
    return _page(
        request, "remove.html", case_study, section=section, item_list=item_list, item=item
    )


@editor_required
def check(request, pk):
    """Check your answers: the case study as the public will see it, what is missing, and the
    button that sends it for review."""
    case_study = get_object_or_404(
        CaseStudy.objects.visible_to(request.user).with_page_data(), pk=pk
    )
    if not editable(case_study, request.user):
        return _to_task_list(case_study)
    missing = missing_items(case_study)
    error = None
    if request.method == "POST" and not missing:
        _opened, seen = read_stamp(request.POST.get("seen_version"))
        try:
            case_study_move(
                case_study=case_study, by=request.user, action="submit", seen_version=seen
            )
        except WorkflowError as problem:
            error = problem.message
        else:
            return redirect("editors:submitted", pk=case_study.pk)
    return _page(
        request,
        "check.html",
        case_study,
        missing=missing,
        error=error,
        submit=MOVES["submit"],
        summary_note=forms.summary_note(case_study.standfirst),
        status=400 if error else 200,
    )


@editor_required
def submitted(request, pk):
    case_study = _entry(request, pk)
    return render(request, "editors/submitted.html", {"case_study": case_study})


@require_POST
@editor_required
def propose_update(request, pk):
    """A draft copy of a published case study, opened at its task list."""
    case_study = _entry(request, pk)
    step = case_study_move(case_study=case_study, by=request.user, action="propose_update")
    return _to_task_list(step.case_study)
