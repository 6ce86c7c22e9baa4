"""The case study list's filters: every choice is a GET parameter, so any view can be shared.

Parameters: `q` (words), `council`, `region`, `topic`, `people`, `approach`, `publication`
(each by slug, several allowed), `stage`, `sort` and `page`. Several values of one filter
mean "any of these"; different filters narrow each other. Values the portal does not know
are left out and reported in `notices`, never an error.
"""

import re

import django_filters
from django import forms
from django.db.models import Count
from django.urls import reverse
from django.utils.http import urlencode

from councils.models import Council, Region

from .models import Approach, CaseStudy, PeopleGroup, Publication, Topic, shorten
from .search import MAX_LENGTH, bounded

SLUG = re.compile(r"^[-\w]{1,100}$", re.ASCII)
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def shown(value):
    """A value that came in the address, safe and short enough to quote back in a message."""
    return shorten(CONTROL_CHARACTERS.sub("", value), 60)


def list_url(**filters):
    """The case study list's address with these filters chosen, e.g. list_url(topic="carers")."""
    return f"{reverse('casestudies:list')}?{urlencode(filters)}"


class Sort:
    RELEVANCE = "relevance"
    NEWEST = "newest"
    TITLE = "title"
    LABELS = {RELEVANCE: "Best match", NEWEST: "Newest first", TITLE: "Title (A to Z)"}


class SlugsField(forms.MultipleChoiceField):
    """Several slugs. Which ones exist is checked once, in `CaseStudyFilter.__init__`."""

    def valid_value(self, value):
        return bool(SLUG.match(value))


class SlugsFilter(django_filters.MultipleChoiceFilter):
    """Case studies linked to any of the chosen records, named by slug; no duplicates.

    `queryset` holds the records that can be chosen, `label_attr` the attribute shown for one,
    `noun` what one is called in a message.
    """

    field_class = SlugsField

    def __init__(self, *args, queryset, label_attr="name", noun, **kwargs):
        super().__init__(*args, **kwargs)
        self.queryset = queryset
        self.label_attr = label_attr
        self.noun = noun

    def filter(self, qs, value):
        if not value:
            return qs
        linked = CaseStudy.objects.filter(**{f"{self.field_name}__slug__in": value})
        return qs.filter(pk__in=linked.values("pk"))


class CaseStudyFilter(django_filters.FilterSet):
    """Filters for the public case study list. Start it from `CaseStudy.objects.published()`."""

    q = django_filters.CharFilter(method="filter_search", label="Search case studies")
    council = SlugsFilter(
        field_name="councils",
        queryset=Council.objects.all(),
        label_attr="short_name",
        noun="council",
        label="Council",
    )
    region = SlugsFilter(
        field_name="region", queryset=Region.objects.all(), noun="region", label="Region"
    )
    topic = SlugsFilter(
        field_name="topics", queryset=Topic.objects.all(), noun="topic", label="Topic"
    )
    people = SlugsFilter(
        field_name="people",
        queryset=PeopleGroup.objects.all(),
        noun="group of people",
        label="People involved",
    )
    approach = SlugsFilter(
        field_name="approaches",
        queryset=Approach.objects.all(),
        noun="approach",
        label="Approach",
    )
    stage = django_filters.MultipleChoiceFilter(
        choices=CaseStudy.Stage.choices, label="Stage of the work", distinct=False
    )
    publication = SlugsFilter(
        field_name="publication",
        queryset=Publication.objects.all(),
        label_attr="title",
        noun="publication",
        label="Source publication",
    )

    # The order the filters are shown in, and the facets counted for them.
    FACETS = ["topic", "council", "region", "people", "approach", "stage", "publication"]

    class Meta:
        model = CaseStudy
        fields = []

    def __init__(self, data=None, *args, **kwargs):
        data = data.copy() if data is not None else None
        self.notices = []
        if data is not None:
            self._drop_unknown_values(data)
        super().__init__(data, *args, **kwargs)

    @classmethod
    def parameters(cls):
        """Each parameter as (name, what it chooses), in the filters' order, in plain words with
        Markdown `code`: one text for the API's schema and the downloads' data dictionary, so
        they cannot differ."""
        described = {
            "q": "Words to search for. Put words in double quotes for a phrase.",
            "stage": "The stage of the work: "
            + ", ".join(f"`{value}` ({label})" for value, label in CaseStudy.Stage.choices)
            + ".",
        }
        for name, filter_ in cls.base_filters.items():
            if isinstance(filter_, SlugsFilter):
                described[name] = (
                    f"{filter_.label}: the slug of one {filter_.noun} (the last part of its "
                    "page's address). Give it more than once for case studies with any of them."
                )
        return [
            *((name, described[name]) for name in cls.base_filters),
            (
                "sort",
                "The order: `newest` first (the default without a search), `title` (A to Z), "
                "or `relevance`, best match first (the default with a search, and only with "
                "one).",
            ),
        ]

    # Cleaning what came in the address --------------------------------------------------------

    def _drop_unknown_values(self, data):
        """Keep the values the portal knows; say which were left out and why."""
        text = data.get("q", "")
        cleaned = " ".join(CONTROL_CHARACTERS.sub(" ", text).split())
        if len(cleaned) > MAX_LENGTH:
            cleaned = cleaned[:MAX_LENGTH].rsplit(" ", 1)[0]
            self.notices.append(f"Your search was shortened to its first {MAX_LENGTH} characters.")
        if cleaned and not re.search(r"\w", cleaned):
            self.notices.append("Search words need letters or numbers, so the search was ignored.")
            cleaned = ""
        cleaned, too_many = bounded(cleaned)
        if too_many:
            self.notices.append(too_many)
        data.setlist("q", [cleaned] if cleaned else [])

        for name in ["council", "region", "topic", "people", "approach", "publication"]:
            values = list(dict.fromkeys(v.strip() for v in data.getlist(name) if v.strip()))
            if not values:
                data.setlist(name, [])
                continue
            filter_ = self.base_filters[name]
            wellformed = [value for value in values if SLUG.match(value)]
            known = set(filter_.queryset.filter(slug__in=wellformed).values_list("slug", flat=True))
            self._report_unknown(filter_.noun, [value for value in values if value not in known])
            data.setlist(name, [value for value in values if value in known])

        stages = list(dict.fromkeys(data.getlist("stage")))
        known_stages = set(CaseStudy.Stage.values)
        self._report_unknown("stage", [value for value in stages if value not in known_stages])
        data.setlist("stage", [value for value in stages if value in known_stages])

        sort = data.get("sort", "")
        allowed = {Sort.NEWEST, Sort.TITLE} | ({Sort.RELEVANCE} if cleaned else set())
        if sort and sort not in allowed:
            if sort == Sort.RELEVANCE:
                self.notices.append("Sorting by best match needs a search, so newest are first.")
            else:
                self._report_unknown("sort order", [sort])
            sort = ""
        data.setlist("sort", [sort] if sort else [])

    def _report_unknown(self, noun, values):
        for value in values:
            self.notices.append(f"There is no {noun} called “{shown(value)}”, so it was ignored.")

    # Filtering ------------------------------------------------------------------------------

    def filter_search(self, queryset, name, value):
        return queryset.search(value)

    @property
    def search_text(self):
        return self.form.cleaned_data.get("q", "") if self.is_bound and self.is_valid() else ""

    @property
    def sort(self):
        chosen = self.data.get("sort") if self.data is not None else None
        return chosen or (Sort.RELEVANCE if self.search_text else Sort.NEWEST)

    def sort_options(self):
        """(value, label) for the sort menu. The default order submits an empty value, so a new
        search from a page sorted "newest" (the default) is then sorted by best match."""
        default = Sort.RELEVANCE if self.search_text else Sort.NEWEST
        others = [key for key in [Sort.NEWEST, Sort.TITLE] if key != default]
        return [("", Sort.LABELS[default]), *((key, Sort.LABELS[key]) for key in others)]

    @property
    def sort_value(self):
        """The sort menu's current value: empty for the default order."""
        default = Sort.RELEVANCE if self.search_text else Sort.NEWEST
        return "" if self.sort == default else self.sort

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if self.sort == Sort.RELEVANCE:
            return queryset.order_by("-rank", "title")
        if self.sort == Sort.TITLE:
            return queryset.order_by("title")
        return queryset.newest_first()

    def _matching_without(self, excluded):
        """The matching case studies if filter `excluded` were not applied: for its facet."""
        queryset = self.queryset.all()
        for name, value in self.form.cleaned_data.items():
            if name != excluded and value not in (None, "", []):
                queryset = self.filters[name].filter(queryset, value)
        return queryset.values("pk")

    # What the page shows -------------------------------------------------------------------

    def facets(self):
        """Each filter's options with the number of results each would give. One query each.

        An option's count applies every other current filter, so it says how many results
        ticking it would give (for a ticked option: how many it contributes).
        """
        self.is_valid()
        facets = []
        for name in self.FACETS:
            filter_ = self.filters[name]
            selected = set(self.data.getlist(name)) if self.data is not None else set()
            matching = self._matching_without(name)
            if name == "stage":
                counts = dict(
                    CaseStudy.objects.filter(pk__in=matching)
                    .order_by()
                    .values_list("stage")
                    .annotate(count=Count("pk"))
                )
                options = [
                    (value, label, counts.get(value, 0)) for value, label in CaseStudy.Stage.choices
                ]
            else:
                terms = CaseStudy.objects.filter(pk__in=matching).count_per(filter_.queryset)
                options = [
                    (term.slug, getattr(term, filter_.label_attr), term.case_study_count)
                    for term in terms
                ]
            facets.append(
                {
                    "name": name,
                    "label": filter_.label,
                    "options": [
                        {
                            "value": value,
                            "label": label,
                            "count": count,
                            "selected": value in selected,
                            # Only a chosen option can be removed (see selected_tags).
                            "remove_url": self.url_without(name, value)
                            if value in selected
                            else None,
                        }
                        for value, label, count in options
                        if count or value in selected
                    ],
                    "selected_count": len(selected),
                }
            )
        return facets

    def selected_tags(self, facets):
        """The chosen filter values as (filter label, value label, address without it)."""
        tags = []
        if self.search_text:
            # A phrase search already has its own quotation marks: don't add a second pair.
            words = self.search_text.strip('"“”')
            tags.append(("Search", f"“{words}”", self.url_without("q", None)))
        for facet in facets:
            for option in facet["options"]:
                if option["selected"]:
                    tags.append((facet["label"], option["label"], option["remove_url"]))
        return tags

    def filter_state(self, *, with_sort=False):
        """The filter state: what makes one list differ from another, as (name, value) pairs.

        Only the parameters this FilterSet knows, after values the portal does not know were
        left out, in a fixed order (the filters', each one's values sorted), so one list has
        one address. Never `page` or a parameter of no meaning here (`utm_source`). The order
        chosen (`sort`, unless it is the default) only where the output is ordered: a
        download, a report, the list itself; not in a canonical address or a feed.
        """
        pairs = [
            (name, value)
            for name in self.filters
            for value in sorted(self.data.getlist(name) if self.data is not None else [])
        ]
        if with_sort and self.sort_value:
            pairs.append(("sort", self.sort_value))
        return pairs

    @property
    def ordered_query(self):
        """The filter state with its order as a query string ("?topic=carers&sort=title", or ""
        for none): for links to the same list in another form, such as the downloads."""
        pairs = self.filter_state(with_sort=True)
        return "?" + urlencode(pairs) if pairs else ""

    def url_without(self, name, value):
        """This list's address with one value (or, for value None, a whole filter) removed."""
        pairs = [
            (key, item)
            for key, item in self.filter_state(with_sort=True)
            if not (key == name and (value is None or item == value))
        ]
        return "?" + urlencode(pairs) if pairs else "?"


class CouncilListForm(forms.Form):
    """The choices on /councils/, all in the address: `topic` (a topic's slug: count only its
    case studies) and `show` (all councils, or only those with case studies). A value the
    portal does not know is ignored, and `notices` says so; the page is never an error."""

    ALL = "all"
    WITH_CASE_STUDIES = "with-case-studies"

    topic = forms.ChoiceField(label="Topic", required=False)
    show = forms.ChoiceField(
        label="Councils to show",
        required=False,
        choices=[(ALL, "All councils"), (WITH_CASE_STUDIES, "Only councils with case studies")],
    )

    def __init__(self, data, *, topics):
        """`topics`: every topic, in the order the menu lists them (one query, made once)."""
        super().__init__(data)
        self.topics = {topic.slug: topic for topic in topics}
        self.fields["topic"].choices = [
            ("", "All topics"),
            *((topic.slug, topic.name) for topic in topics),
        ]
        self.notices = []
        self.is_valid()
        if "topic" in self.errors:
            self.notices.append(
                f"There is no topic called “{shown(self.data['topic'])}”, so every topic is "
                "counted."
            )
        if "show" in self.errors:
            self.notices.append(
                f"“{shown(self.data['show'])}” is not a choice of councils to show, so all "
                "are shown."
            )

    @property
    def chosen_topic(self):
        """The topic chosen, or None for all topics (also when the one asked for is unknown)."""
        return self.topics.get(self.cleaned_data.get("topic", ""))

    @property
    def only_with_case_studies(self):
        return self.cleaned_data.get("show") == self.WITH_CASE_STUDIES
