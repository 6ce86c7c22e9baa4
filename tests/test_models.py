"""Rules the database keeps, and the meaning of "published"."""

import pytest
from django.db import IntegrityError, connection, transaction

from casestudies.models import CaseStudy, Contact, Link, Point, Resource, Status
from tests.helpers import make_case_study


@pytest.mark.django_db
class TestConstraints:
    def test_case_study_title_cannot_be_blank(self, east):
        with pytest.raises(IntegrityError), transaction.atomic():
            CaseStudy.objects.create(title="", slug="x", standfirst="s", region=east)

    def test_case_study_slugs_are_unique(self, east):
        make_case_study(title="One", slug="same", region=east)
        with pytest.raises(IntegrityError), transaction.atomic():
            make_case_study(title="Two", slug="same", region=east)

    def test_case_study_needs_a_region(self):
        with pytest.raises(IntegrityError), transaction.atomic():
            CaseStudy.objects.create(title="No region", slug="no-region", standfirst="s")

    def test_contact_needs_a_name_or_an_email(self, full_case_study):
        with pytest.raises(IntegrityError), transaction.atomic():
            Contact.objects.create(case_study=full_case_study, order=9, name="", email="")

    def test_a_shared_mailbox_needs_no_name(self, full_case_study):
        contact = Contact.objects.create(
            case_study=full_case_study, order=9, email="team@norfolk.gov.uk"
        )
        assert str(contact) == "team@norfolk.gov.uk"

    def test_point_text_cannot_be_blank(self, full_case_study):
        with pytest.raises(IntegrityError), transaction.atomic():
            Point.objects.create(case_study=full_case_study, kind="learning", order=9, text="")

    def test_link_title_cannot_be_blank(self, full_case_study):
        with pytest.raises(IntegrityError), transaction.atomic():
            Link.objects.create(case_study=full_case_study, order=9, title="")

    @pytest.mark.postgresql(
        reason="SQLite cannot defer constraints; there the admin keeps positions unique"
    )
    def test_two_points_cannot_share_a_position_in_one_list(self, full_case_study):
        with pytest.raises(IntegrityError), transaction.atomic():
            Point.objects.create(case_study=full_case_study, kind="learning", order=1, text="Again")
            # The check is deferred to commit; the test's own transaction never commits.
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")

    @pytest.mark.postgresql(reason="SQLite cannot defer constraints")
    def test_positions_can_be_swapped_inside_one_transaction(self, full_case_study):
        first, second = full_case_study.points.filter(kind="learning").order_by("order")
        with transaction.atomic():
            first.order, second.order = 2, 1
            first.save()
            second.save()
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        texts = list(
            full_case_study.points.filter(kind="learning")
            .order_by("order")
            .values_list("text", flat=True)
        )
        assert texts == ["Pay people for their time.", "Listen early."]

    def test_the_same_position_in_different_lists_is_fine(self, full_case_study):
        Point.objects.create(case_study=full_case_study, kind="combined", order=1, text="Both")
        assert full_case_study.points.filter(order=1).count() == 4


@pytest.mark.django_db
class TestPublished:
    def test_only_published_case_studies_are_public(self, east):
        for status in Status:
            make_case_study(title=f"Case {status.value}", region=east, status=status)
        assert [c.status for c in CaseStudy.objects.published()] == [Status.PUBLISHED]

    def test_default_manager_sees_everything(self, east):
        for status in Status:
            make_case_study(title=f"Case {status.value}", region=east, status=status)
        assert CaseStudy.objects.count() == len(Status)

    def test_only_published_resources_are_public(self, charter):
        Resource.objects.create(title="Draft tips", slug="draft-tips", kind="tips")
        assert list(Resource.objects.published()) == [charter]


@pytest.mark.django_db
class TestCaseStudyBehaviour:
    def test_point_sections_use_source_headings_and_defaults(self, full_case_study):
        sections = full_case_study.point_sections()
        assert [(s["heading"], [p.text for p in s["points"]]) for s in sections] == [
            (
                "What was the learning that supported success?",
                ["Listen early.", "Pay people for their time."],
            ),
            ("What were the enablers?", ["Senior support."]),
            ("What were the barriers?", ["Short deadlines."]),
        ]

    def test_combined_list_keeps_its_own_heading(self, east):
        case_study = make_case_study(
            title="Combined", region=east, combined_heading="What were the barriers and enablers?"
        )
        Point.objects.create(case_study=case_study, kind="combined", order=1, text="Time.")
        assert [s["heading"] for s in case_study.point_sections()] == [
            "What were the barriers and enablers?"
        ]

    def test_contacts_without_consent_are_not_public(self, full_case_study):
        assert [c.name for c in full_case_study.published_contacts()] == ["Jo Example"]

    def test_publication_source_date_falls_back_to_the_year(self, publication):
        assert publication.source_date.isoformat() == "2023-01-01"
