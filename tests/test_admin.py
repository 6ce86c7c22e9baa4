"""The admin as an editor uses it, through HTTP."""

import re

import pytest
from django.contrib import admin
from django.urls import reverse

from casestudies.models import CaseStudy, Point
from tests.helpers import admin_has_add_page, form_data, make_case_study


@pytest.fixture
def editor_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("site.admin", "admin@example.org", "pw")
    client.force_login(user)
    return client


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.mark.django_db
def test_every_admin_page_loads_for_a_superuser(editor_client, full_case_study, charter, essex):
    for model in admin.site._registry:
        response = editor_client.get(admin_url(model, "changelist"))
        assert response.status_code == 200, model
        # A superuser's list shows every record.
        assert response.context["cl"].result_count == model._default_manager.count(), model
        if admin_has_add_page(model):
            response = editor_client.get(admin_url(model, "add"))
            assert response.status_code == 200, model
            assert "adminform" in response.context, model
        instance = model._default_manager.first()
        if instance is not None:
            response = editor_client.get(admin_url(model, "change", instance.pk))
            assert response.status_code == 200, model
            assert response.context["original"] == instance, model


@pytest.mark.django_db
def test_case_study_form_shows_each_list_in_its_own_table(editor_client, full_case_study):
    response = editor_client.get(admin_url(CaseStudy, "change", full_case_study.pk))
    html = response.content.decode()
    headings = {
        prefix: re.search(rf'id="{prefix}-heading"[^>]*>\s*(.*?)\s*<', html, re.S).group(1)
        for prefix in ["points-learning", "points-condition", "points-barrier", "points-combined"]
    }
    assert headings == {
        "points-learning": "What was the learning that supported success?",
        "points-condition": "What were the conditions for success?",
        "points-barrier": "What were the barriers?",
        "points-combined": "What were the barriers and conditions for success?",
    }
    prefixes = [inline.formset.prefix for inline in response.context["inline_admin_formsets"]]
    assert prefixes[:4] == [
        "points-learning",
        "points-condition",
        "points-barrier",
        "points-combined",
    ]


@pytest.mark.django_db
def test_adding_and_reordering_points_in_the_admin(editor_client, full_case_study):
    url = admin_url(CaseStudy, "change", full_case_study.pk)
    data = form_data(editor_client.get(url))
    # Move the second learning point to the top and add a barrier at the end, leaving its
    # position at 0 as a new row shows it.
    data["points-learning-0-order"] = 2
    data["points-learning-1-order"] = 1
    data["points-barrier-TOTAL_FORMS"] = 2
    data["points-barrier-1-order"] = 0
    data["points-barrier-1-text"] = "Not enough money."
    data["points-barrier-1-case_study"] = full_case_study.pk
    response = editor_client.post(url, data)
    assert response.status_code == 302, response.context and [
        f.errors for f in response.context["inline_admin_formsets"][0].formset.forms
    ]
    learning = full_case_study.points.filter(kind=Point.Kind.LEARNING).order_by("order")
    assert [(p.order, p.text) for p in learning] == [
        (1, "Pay people for their time."),
        (2, "Listen early."),
    ]
    barriers = full_case_study.points.filter(kind=Point.Kind.BARRIER).order_by("order")
    assert [(p.order, p.text) for p in barriers] == [
        (1, "Short deadlines."),
        (2, "Not enough money."),
    ]


@pytest.mark.django_db
def test_case_study_search_finds_by_council(editor_client, full_case_study, draft_case_study):
    response = editor_client.get(admin_url(CaseStudy, "changelist") + "?q=Norfolk")
    html = response.content.decode()
    assert draft_case_study.title in html
    assert full_case_study.title not in html


@pytest.mark.django_db
def test_the_public_cannot_reach_the_admin(client, full_case_study):
    response = client.get(admin_url(CaseStudy, "changelist"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 20])
def test_case_study_list_in_the_admin_has_a_fixed_number_of_queries(
    client, lead_east, essex, norfolk, count, django_assert_num_queries
):
    for number in range(count):
        make_case_study(title=f"Case {number}", region=essex.region, councils=[essex, norfolk])
    client.force_login(lead_east)
    # The session and the user; their roles, profile and regions; their permissions (2).
    # Inside a savepoint (2): the filters' choices (4), the counts (2), the page of case
    # studies and their councils (2). The date hierarchy (2).
    with django_assert_num_queries(19):
        response = client.get(admin_url(CaseStudy, "changelist"))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("Essex, Norfolk") == count
    for number in range(count):
        assert f">Case {number}</a>" in html
