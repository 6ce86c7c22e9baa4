"""The API's endpoints: reading only, published content only, JSON only.

Every queryset starts from the one door to public content (`published()`) or from records
that are public as a whole (councils, regions, the vocabulary, source publications).
"""

import logging
import re

from django.db import OperationalError
from django.shortcuts import get_object_or_404
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import serializers, viewsets
from rest_framework.exceptions import ParseError

from councils.models import ONS_CODE, Council, Region

from ..filters import CaseStudyFilter, Sort
from ..models import Approach, CaseStudy, PeopleGroup, Publication, Resource, Topic
from ..statement_timeout import SEARCH_TOO_LONG, is_statement_timeout
from . import serializers as api
from .filters import CouncilFilter
from .limits import Pages

logger = logging.getLogger(__name__)


class CaseStudyPages(Pages):
    """Pages of case studies, with `notices`: the filter values that were left out, and why,
    as the list page shows them."""

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        response.data["notices"] = getattr(self.request, "filter_notices", [])
        return response

    def get_paginated_response_schema(self, schema):
        schema = super().get_paginated_response_schema(schema)
        schema["properties"]["notices"] = {
            "type": "array",
            "items": {"type": "string"},
            "description": "Filter values the portal does not know, which were ignored, and "
            "other changes made to the query, in plain English.",
        }
        schema["required"].append("notices")
        return schema


class CaseStudyFilterBackend(DjangoFilterBackend):
    """The list page's FilterSet, whose notices (values left out) the page of results quotes.

    It filters lists only: one case study is found by its slug, whatever else the address
    says, as its page is."""

    def filter_queryset(self, request, queryset, view):
        if getattr(view, "action", None) != "list":
            return queryset
        return super().filter_queryset(request, queryset, view)

    def get_filterset(self, request, queryset, view):
        filterset = super().get_filterset(request, queryset, view)
        request.filter_notices = filterset.notices if filterset is not None else []
        return filterset


Problem = inline_serializer("Problem", fields={"detail": serializers.CharField()})


def documented(
    *, one, many, serializer, about="", lookup=None, list_parameters=None, list_errors=None
):
    """The schema's words for a list and a detail endpoint, with the errors each may give."""
    errors = {404: Problem, 429: Problem}
    return extend_schema_view(
        list=extend_schema(
            summary=f"List {many}",
            description=about,
            parameters=list_parameters,
            responses={200: serializer, **errors, **(list_errors or {})},
        ),
        retrieve=extend_schema(
            summary=f"One {one}",
            description=lookup or f"The {one} with this slug.",
            responses={200: serializer, **errors},
        ),
    )


def counted(records):
    """`records` with `case_study_count` (published case studies only), in their usual order:
    an aggregate drops the model's default order, which pages of results need."""
    return (
        CaseStudy.objects.published()
        .count_per(records)
        .order_by(*records.query.get_meta().ordering, "pk")
    )


class ReadOnly(viewsets.ReadOnlyModelViewSet):
    """GET, HEAD and OPTIONS only: anything else is 405. Records by slug."""

    lookup_field = "slug"
    lookup_value_regex = r"[-\w]+"


# How the API takes each case study filter: several values, or a fixed choice. The rest are
# slugs, given once or more.
FILTER_SCHEMA = {
    "q": {},
    "stage": {"many": True, "enum": CaseStudy.Stage.values},
    "sort": {"enum": [Sort.RELEVANCE, Sort.NEWEST, Sort.TITLE]},
}
UNKNOWN_IGNORED = " A value the portal does not know is ignored, and `notices` says so."


def filter_parameters():
    """The case study filters, in the words of `CaseStudyFilter.parameters()`."""
    return [
        OpenApiParameter(
            name,
            str,
            description=about + ("" if name in {"q", "sort"} else UNKNOWN_IGNORED),
            **FILTER_SCHEMA.get(name, {"many": True}),
        )
        for name, about in CaseStudyFilter.parameters()
    ]


@documented(
    one="case study",
    many="case studies",
    serializer=api.CaseStudySerializer,
    about=(
        "Published case studies, newest first, with the same filters as the case study list "
        "page: the same query gives the same case studies in the same order."
    ),
    list_parameters=filter_parameters(),
    list_errors={400: Problem},
)
class CaseStudyViewSet(ReadOnly):
    queryset = CaseStudy.objects.published().with_page_data()
    serializer_class = api.CaseStudySerializer
    filter_backends = [CaseStudyFilterBackend]
    filterset_class = CaseStudyFilter
    pagination_class = CaseStudyPages

    def list(self, request, *args, **kwargs):
        try:
            return super().list(request, *args, **kwargs)
        except OperationalError as error:
            if not is_statement_timeout(error):
                raise
        # As on the list page: a search that took too long asks for a simpler one.
        logger.warning("Case study search stopped by the statement time limit: %s", request.GET)
        raise ParseError(SEARCH_TOO_LONG)


@documented(
    one="council",
    many="councils",
    serializer=api.CouncilSerializer,
    about="Every council with duties for adult social care, including those replaced by "
    "another, by short name.",
    lookup="The council with this slug or this Office for National Statistics (GSS) code, "
    "such as `essex` or `E10000012`.",
)
class CouncilViewSet(ReadOnly):
    serializer_class = api.CouncilSerializer
    filterset_class = CouncilFilter

    def get_queryset(self):
        return counted(Council.objects.select_related("region", "replaced_by"))

    def get_object(self):
        """By slug, or by ONS code (no slug looks like one: Council.clean)."""
        value = self.kwargs["slug"]
        if re.fullmatch(ONS_CODE, value):
            return get_object_or_404(self.get_queryset(), gss_code=value.upper())
        return get_object_or_404(self.get_queryset(), slug=value)


@documented(one="region", many="regions", serializer=api.RegionSerializer)
class RegionViewSet(ReadOnly):
    serializer_class = api.RegionSerializer

    def get_queryset(self):
        return counted(Region.objects.all())


class TermViewSet(ReadOnly):
    model = None

    def get_queryset(self):
        return counted(self.model.objects.all())


@documented(one="topic", many="topics", serializer=api.TopicSerializer)
class TopicViewSet(TermViewSet):
    model = Topic
    serializer_class = api.TopicSerializer


@documented(one="group of people", many="groups of people", serializer=api.PeopleGroupSerializer)
class PeopleGroupViewSet(TermViewSet):
    model = PeopleGroup
    serializer_class = api.PeopleGroupSerializer


@documented(one="approach", many="approaches", serializer=api.ApproachSerializer)
class ApproachViewSet(TermViewSet):
    model = Approach
    serializer_class = api.ApproachSerializer


@documented(
    one="resource",
    many="resources",
    serializer=api.ResourceSerializer,
    about="Published charters, checklists, tips and recommendations, with their items.",
)
class ResourceViewSet(ReadOnly):
    queryset = (
        Resource.objects.published()
        .select_related("publication", "region")
        .prefetch_related("items", "councils")
    )
    serializer_class = api.ResourceSerializer


@documented(
    one="source document",
    many="source documents",
    serializer=api.PublicationSerializer,
    about="The published documents the case studies and resources come from.",
)
class PublicationViewSet(ReadOnly):
    queryset = Publication.objects.all()
    serializer_class = api.PublicationSerializer
