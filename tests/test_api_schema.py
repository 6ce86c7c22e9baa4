"""The API against its own OpenAPI schema: Schemathesis sends requests made from the schema (a
fixed, bounded number) to the application, on a small world of published and draft content.
No answer may be a server error, and every answer must match what the schema says."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from casestudies.models import Status
from coproduction_portal.wsgi import application
from tests.helpers import make_case_study

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


# Loaded when the tests are collected: making the schema reads no database.
schema = schemathesis.openapi.from_wsgi("/api/schema/", application)
# Valid requests only: the API ignores what it does not know, as the list page does, so
# requests the schema calls invalid may well succeed. Deterministic, and a bounded number.
schema.config.generation.update(
    modes=[schemathesis.GenerationMode.POSITIVE],
    max_examples=15,
    deterministic=True,
    database="none",
)


@pytest.fixture
def small_world(settings, full_case_study, charter, draft_case_study, east):
    """Published and unpublished content; the application called as "localhost" (as
    Schemathesis calls it), with a rate limit that its many requests stay under."""
    make_case_study(title="Archived work", region=east, status=Status.ARCHIVED)
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "localhost"]
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "100000/minute"},
    }
    # As Django's own test client does: the end of a request must not close the database
    # connection, which holds the test's transaction.
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.mark.django_db
@pytest.mark.usefixtures("small_world")
@schema.parametrize()
@settings(
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_api_conforms_to_its_schema(case):
    case.call_and_validate(checks=CHECKS)
