"""The API's filters for councils. Case studies use the list page's own CaseStudyFilter."""

import django_filters

from councils.models import Council


class CouncilFilter(django_filters.FilterSet):
    gss_code = django_filters.CharFilter(
        method="filter_gss_code",
        label="An Office for National Statistics (GSS) code, such as E10000012, in either case.",
    )
    region = django_filters.CharFilter(
        field_name="region__slug", label="A region's slug, such as east-of-england."
    )
    current = django_filters.BooleanFilter(
        method="filter_current",
        label="true for councils that still exist, false for those replaced by another.",
    )

    class Meta:
        model = Council
        fields = []

    def filter_gss_code(self, queryset, name, value):
        return queryset.filter(gss_code=value.upper())

    def filter_current(self, queryset, name, value):
        current = queryset.current()
        return current if value else queryset.exclude(pk__in=current.values("pk"))
