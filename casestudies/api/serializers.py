"""What each record shows in the API. Only public fields; related records in brief."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from councils.models import Council, Organisation, Region

from ..addresses import absolute
from ..models import (
    POINT_LIST_BY_KIND,
    Approach,
    CaseStudy,
    PeopleGroup,
    Publication,
    Resource,
    Topic,
)


class PageAddressField(serializers.HyperlinkedIdentityField):
    """The full address of the record's public page (its `get_absolute_url`)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", "The full address of its page on the portal.")
        super().__init__(view_name="", **kwargs)

    def get_url(self, obj, view_name, request, format):
        return absolute(obj.get_absolute_url())


class RegionBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Region
        fields = ["slug", "name"]


class CouncilBriefSerializer(serializers.ModelSerializer):
    gss_code = serializers.SerializerMethodField(
        help_text="The Office for National Statistics (GSS) code, where known."
    )

    class Meta:
        model = Council
        fields = ["slug", "name", "short_name", "gss_code"]

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_gss_code(self, council):
        return council.gss_code or None


class TermBriefSerializer(serializers.Serializer):
    """A topic, group of people or approach named on a case study."""

    slug = serializers.SlugField()
    name = serializers.CharField()


class OrganisationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organisation
        fields = ["slug", "name", "kind", "website"]


class PublicationBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Publication
        fields = ["slug", "title", "publisher", "year"]


class PointListSerializer(serializers.Serializer):
    """One of a case study's lists, under the heading it has on the case study's page."""

    list = serializers.SerializerMethodField(
        help_text="Which list: learning, conditions, barriers, or combined (barriers and "
        "conditions in one list, as some source documents have them)."
    )
    heading = serializers.CharField(
        help_text="The heading: the source document's own words, or the question it answers."
    )
    points = serializers.SerializerMethodField(help_text="The list's items, in order.")

    @extend_schema_field(
        serializers.ChoiceField(
            choices=[point_list.name for point_list in POINT_LIST_BY_KIND.values()]
        )
    )
    def get_list(self, section):
        return POINT_LIST_BY_KIND[section["kind"]].name

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_points(self, section):
        return [point.text for point in section["points"]]


class ContactSerializer(serializers.Serializer):
    """Someone to ask about the case study, who agreed to be named. Empty strings where the
    source gives no such detail."""

    name = serializers.CharField()
    role = serializers.CharField()
    organisation = serializers.CharField()
    email = serializers.CharField()
    phone = serializers.CharField()


class LinkSerializer(serializers.Serializer):
    title = serializers.CharField()
    url = serializers.CharField(help_text="Empty where the source gives only a title.")


class QuoteSerializer(serializers.Serializer):
    text = serializers.CharField()
    attribution = serializers.CharField(help_text="Who said it; may be empty.")


class CaseStudySerializer(serializers.ModelSerializer):
    """A published case study with everything its page shows."""

    url = PageAddressField()
    region = RegionBriefSerializer()
    councils = CouncilBriefSerializer(many=True)
    organisations = OrganisationSerializer(many=True, help_text="Partner organisations.")
    topics = TermBriefSerializer(many=True)
    people = TermBriefSerializer(many=True, help_text="The groups of people involved.")
    approaches = TermBriefSerializer(many=True, help_text="The approaches used.")
    publication = PublicationBriefSerializer(
        allow_null=True, help_text="The document it first appeared in, if any."
    )
    lists = PointListSerializer(
        source="point_sections",
        many=True,
        help_text="Its lists of points, in the order its page shows them. Empty lists are "
        "left out.",
    )
    contacts = ContactSerializer(
        source="published_contacts",
        many=True,
        help_text="People to ask: only those who agreed to be named publicly.",
    )
    links = LinkSerializer(many=True, help_text="Where to find out more.")
    quotes = QuoteSerializer(many=True)

    class Meta:
        model = CaseStudy
        fields = [
            "slug",
            "title",
            "url",
            "standfirst",
            "narrative",
            "region",
            "councils",
            "organisations",
            "topics",
            "people",
            "approaches",
            "stage",
            "publication",
            "source_pages",
            "started_on",
            "published_on",
            "last_reviewed_on",
            "updated_at",
            "lists",
            "contacts",
            "links",
            "quotes",
            "content_note",
        ]
        extra_kwargs = {
            "slug": {"help_text": "Its name in addresses: /case-studies/<slug>/."},
            "standfirst": {"help_text": "The summary: one sentence that says what happened."},
            "narrative": {"help_text": "The story, in Markdown."},
            "content_note": {"help_text": "Corrections made to the source text, and why."},
            "updated_at": {"help_text": "When it last changed on the portal."},
        }


class CountedSerializer(serializers.Serializer):
    case_study_count = serializers.IntegerField(
        help_text="How many published case studies name it."
    )


class RegionSerializer(CountedSerializer, serializers.ModelSerializer):
    url = PageAddressField()

    class Meta:
        model = Region
        fields = ["slug", "name", "adass_name", "url", "case_study_count"]
        extra_kwargs = {
            "adass_name": {
                "help_text": "What the Association of Directors of Adult Social Services calls "
                "the region, where it differs from the official name; otherwise empty."
            }
        }


class CouncilSerializer(CountedSerializer, CouncilBriefSerializer):
    url = PageAddressField()
    region = RegionBriefSerializer()
    is_current = serializers.BooleanField(
        help_text="False for a council that merged into another or was renamed."
    )
    replaced_by = CouncilBriefSerializer(
        allow_null=True, help_text="The council that took over, for one that is not current."
    )

    class Meta:
        model = Council
        fields = [
            "slug",
            "name",
            "short_name",
            "gss_code",
            "kind",
            "region",
            "url",
            "website",
            "population",
            "population_year",
            "latitude",
            "longitude",
            "is_current",
            "replaced_by",
            "case_study_count",
        ]


class TermSerializer(CountedSerializer, serializers.ModelSerializer):
    """A word of the portal's vocabulary: a topic, a group of people, an approach."""

    class Meta:
        fields = ["slug", "name", "description", "case_study_count"]


class TopicSerializer(TermSerializer):
    class Meta(TermSerializer.Meta):
        model = Topic


class PeopleGroupSerializer(TermSerializer):
    class Meta(TermSerializer.Meta):
        model = PeopleGroup


class ApproachSerializer(TermSerializer):
    class Meta(TermSerializer.Meta):
        model = Approach


class PublicationSerializer(serializers.ModelSerializer):
    url = PageAddressField()
    document_url = serializers.CharField(
        source="url", help_text="Where the document itself is published; may be empty."
    )

    class Meta:
        model = Publication
        fields = [
            "slug",
            "title",
            "publisher",
            "year",
            "published_on",
            "url",
            "document_url",
            "description",
        ]
        extra_kwargs = {"description": {"help_text": "What the document is, in Markdown."}}


class ResourceSerializer(serializers.ModelSerializer):
    """A published charter, checklist, set of tips or recommendations, with its items."""

    url = PageAddressField()
    publication = PublicationBriefSerializer(allow_null=True)
    region = RegionBriefSerializer(allow_null=True)
    councils = CouncilBriefSerializer(many=True)
    items = serializers.SlugRelatedField(
        slug_field="text", many=True, read_only=True, help_text="Its items, in order, in Markdown."
    )

    class Meta:
        model = Resource
        fields = [
            "slug",
            "title",
            "kind",
            "url",
            "intro",
            "items",
            "publication",
            "source_pages",
            "region",
            "councils",
            "content_note",
            "updated_at",
        ]
