"""The stored search text is recomputed once per transaction, when it commits.

These tests commit for real (transactional), as a request or command in production does.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from casestudies.search import refresh_search_text_on_commit
from tests.helpers import form_data

pytestmark = pytest.mark.django_db(transaction=True)

# On SQLite there is no stored search text: search is a contains-match, nothing to refresh.
REFRESHES_PER_SAVE = 1 if connection.vendor == "postgresql" else 0


def search_text_updates(queries):
    """The refreshes: UPDATEs of the search text alone (a row's save writes every column)."""
    refresh = 'UPDATE "casestudies_casestudy" SET "search_vector" ='
    return [query["sql"] for query in queries if query["sql"].startswith(refresh)]


def found(client, words):
    return client.get(reverse("casestudies:list"), {"q": words}).content.decode()


def test_one_admin_save_with_lists_and_councils_refreshes_the_search_text_once(
    client, django_user_model, full_case_study, norfolk
):
    client.force_login(django_user_model.objects.create_superuser("site.admin", "a@b.org", "pw"))
    url = reverse("admin:casestudies_casestudy_change", args=[full_case_study.pk])
    data = form_data(client.get(url))
    data["title"] = "Redesign of direct payment support, renamed"
    data["councils"] = [str(council.pk) for council in full_case_study.councils.all()] + [
        str(norfolk.pk)
    ]
    data["points-learning-0-text"] = "Start with a cuppa and a chat."
    data["points-barrier-TOTAL_FORMS"] = 2
    data["points-barrier-1-order"] = 0
    data["points-barrier-1-text"] = "Parking near the venue."
    data["points-barrier-1-case_study"] = full_case_study.pk
    data["quotes-0-text"] = "It felt like our meeting."
    with CaptureQueriesContext(connection) as queries:
        response = client.post(url, data)
    assert response.status_code == 302
    assert len(search_text_updates(queries.captured_queries)) == REFRESHES_PER_SAVE

    # The one refresh saw every change of the save: title, list, quote and the added council.
    for words in ["renamed", "cuppa", "parking venue", "our meeting", "Norfolk"]:
        assert full_case_study.get_absolute_url() in found(client, words), words


def test_refreshes_asked_for_in_one_transaction_run_once_at_commit(full_case_study, essex):
    from django.db import transaction

    with CaptureQueriesContext(connection) as queries, transaction.atomic():
        for _ in range(3):
            refresh_search_text_on_commit([full_case_study.pk])
        essex.name = "Essex County Council (renamed)"
        essex.save()
        assert search_text_updates(queries.captured_queries) == []  # not before commit
    assert len(search_text_updates(queries.captured_queries)) == REFRESHES_PER_SAVE
