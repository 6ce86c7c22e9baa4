"""One search cannot tie up the site (issue 9, defect 2).

A search is cut to a few words and a few words ending in `*`, and every database statement of
a page has a time limit. Whatever is cut or stopped, the list page says so in plain words.

These tests commit for real (transactional): on PostgreSQL the search text is computed when a
transaction commits.
"""

import os
import re
import subprocess
import sys

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse

from casestudies.search import MAX_PREFIX_WORDS, MAX_WORDS
from casestudies.statement_timeout import limit_statements
from tests.helpers import make_case_study, titles

pytestmark = pytest.mark.django_db(transaction=True)

PREFIX_STORM = "c*" * 100
TOO_LONG = "This search took too long"


@pytest.fixture
def carers(east, essex):
    return make_case_study(
        title="Essex carers strategy",
        region=east,
        councils=[essex],
        narrative="Carers met in cafes and community centres across the county.",
    )


def search(client, words, **params):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("casestudies:list"), {"q": words, **params})
    return response, " ".join(query["sql"] for query in queries.captured_queries)


def test_a_prefix_storm_is_cut_with_a_message(client, carers):
    response, _sql = search(client, PREFIX_STORM)
    html = response.content.decode()
    assert response.status_code == 200
    kept = "c*" * MAX_PREFIX_WORDS
    assert (
        f"Your search has too many words ending in * (the most is {MAX_PREFIX_WORDS}). "
        f"We searched for “{kept}”."
    ) in html
    # The search box holds what was searched, and it found the case study.
    assert f'name="q" type="search" value="{kept}"' in html
    assert titles(html) == ["Essex carers strategy"]


@pytest.mark.postgresql(reason="prefix words become a PostgreSQL text-search query")
def test_postgresql_is_sent_at_most_the_limit_of_prefix_words(client, carers):
    _response, sql = search(client, " ".join(f"p{number:02d}*" for number in range(40)))
    assert "to_tsquery" in sql
    sent = set(re.findall(r"p(\d\d):\*", sql))
    assert sent == {f"{number:02d}" for number in range(MAX_PREFIX_WORDS)}


def test_a_long_search_is_cut_to_the_limit_of_words_with_a_message(client, carers):
    words = [f"w{number:02d}x" for number in range(30)]
    response, sql = search(client, " ".join(words))
    html = response.content.decode()
    assert response.status_code == 200
    kept = " ".join(words[:MAX_WORDS])
    assert (
        f"Your search has too many words (the most is {MAX_WORDS}). We searched for “{kept}”."
    ) in html
    # Only the kept words reach the database (a LIKE each on SQLite, a query term on PostgreSQL).
    assert words[MAX_WORDS - 1] in sql
    assert words[MAX_WORDS] not in sql


def test_a_phrase_cut_in_the_middle_is_closed(client, carers):
    words = " ".join(f"w{number:02d}x" for number in range(MAX_WORDS + 3))
    response, _sql = search(client, f'"{words}"')
    assert response.status_code == 200
    kept = " ".join(f"w{number:02d}x" for number in range(MAX_WORDS))
    assert f"We searched for “&quot;{kept}&quot;”." in response.content.decode()


def test_a_search_within_the_limits_has_no_message(client, carers):
    response, _sql = search(client, "carers cafes comm* count*")
    html = response.content.decode()
    assert "too many words" not in html
    assert titles(html) == ["Essex carers strategy"]


# A statement that runs far longer than the test's limit of 50 milliseconds.
SLOW_STATEMENT = {
    "postgresql": "SELECT pg_sleep(3)",
    "sqlite": (
        "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n LIMIT 5000000) "
        "SELECT count(*) FROM n"
    ),
}


def reconnect():
    """Open the connection anew, so that it takes the statement limit of the settings. The
    SQLite test database lives in memory and is never closed: it is given the limit again,
    as a new connection would be."""
    connection.close()
    connection.ensure_connection()
    if connection.vendor == "sqlite":
        limit_statements(sender=None, connection=connection)


@pytest.fixture
def statement_limit_of_50_ms():
    with override_settings(DATABASE_STATEMENT_TIMEOUT_MS=50):
        reconnect()
        yield
    reconnect()


def slow_search_results(execute, sql, params, many, context):
    """Run a slow statement before the search's results, as an expensive search would be."""
    if "casestudies_casestudy" in sql and "LIMIT" in sql:
        execute(SLOW_STATEMENT[connection.vendor], None, False, context)
    return execute(sql, params, many, context)


def test_a_search_that_takes_too_long_gets_a_message_not_an_error(
    client, carers, statement_limit_of_50_ms
):
    with connection.execute_wrapper(slow_search_results):
        response = client.get(reverse("casestudies:list"), {"q": "carers"})
    html = response.content.decode()
    assert response.status_code == 400
    assert f"{TOO_LONG}. Try fewer or more specific words." in html
    # The page is still the list, with the search kept in the box to change it.
    assert 'name="q" type="search" value="carers"' in html
    # The next search on the same connection answers normally.
    response = client.get(reverse("casestudies:list"), {"q": "carers"})
    assert response.status_code == 200
    assert titles(response.content.decode()) == ["Essex carers strategy"]


@pytest.mark.postgresql(reason="checks PostgreSQL's own statement_timeout setting")
def test_postgresql_connections_have_the_statement_limit(statement_limit_of_50_ms):
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] == "50ms"


def print_statement_limit(*command, **env):
    clean = {k: v for k, v in os.environ.items() if k != "DATABASE_STATEMENT_TIMEOUT_MS"}
    result = subprocess.run(
        [sys.executable, *command],
        env={**clean, "DEBUG": "1", **env},
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.split()[-1]


PRINT_LIMIT = "from django.conf import settings; print(settings.DATABASE_STATEMENT_TIMEOUT_MS)"


@pytest.mark.django_db(transaction=False)
def test_pages_have_a_statement_limit_that_the_environment_can_change():
    setup = "import os; os.environ['DJANGO_SETTINGS_MODULE'] = 'coproduction_portal.settings'; "
    assert print_statement_limit("-c", setup + PRINT_LIMIT) == "5000"
    assert (
        print_statement_limit("-c", setup + PRINT_LIMIT, DATABASE_STATEMENT_TIMEOUT_MS="800")
        == "800"
    )


@pytest.mark.django_db(transaction=False)
def test_management_commands_such_as_migrate_have_no_statement_limit():
    assert print_statement_limit("manage.py", "shell", "-c", PRINT_LIMIT) == "0"
    assert (
        print_statement_limit(
            "manage.py", "shell", "-c", PRINT_LIMIT, DATABASE_STATEMENT_TIMEOUT_MS="800"
        )
        == "0"
    )


@pytest.mark.parametrize("words", ["or", "OR", "or OR or"])
def test_a_search_of_no_words_but_or_finds_nothing_rather_than_an_error(client, carers, words):
    # Found by the fuzz test: on SQLite "or" alone left no words to look for, and sorting the
    # empty result by best match failed with a server error.
    response, _sql = search(client, words)
    assert response.status_code == 200
    assert "0 case studies matching your search" in response.content.decode()
