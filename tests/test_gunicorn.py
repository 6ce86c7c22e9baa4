"""The production setup (gunicorn.conf.py, DEBUG off, whitenoise) serves pages and static files.

Runs the same steps as `make serve-prod` and the Dockerfile, on a free local port and a
throwaway SQLite database, then stops the server.
"""

import re

import pytest

from tests import helpers
from tests.helpers import fetch

pytestmark = pytest.mark.e2e


@pytest.fixture
def production_server(tmp_path):
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'prod.sqlite3'}", "WEB_CONCURRENCY": "1"}
    with helpers.production_server(tmp_path, env) as base:
        yield base


def test_gunicorn_serves_pages_and_hashed_static_files(production_server):
    status, _headers, html = fetch(production_server + "/")
    assert status == 200
    assert "Co-production in adult social care" in html
    stylesheet = re.search(r'href="(/static/css/portal\.[0-9a-f]{12}\.css)"', html)
    assert stylesheet, "the page should link the hashed stylesheet from the manifest"
    status, headers, css = fetch(production_server + stylesheet.group(1))
    assert status == 200
    assert headers["Content-Type"].startswith("text/css")
    assert "max-age=315360000" in headers["Cache-Control"]
    assert ".result__snippet" in css
    govuk = re.search(
        r'href="(/static/vendor/govuk-frontend/govuk-frontend\.min\.[0-9a-f]{12}\.css)"', html
    )
    assert govuk, "the page should link the hashed GOV.UK Frontend stylesheet"
    status, _headers, css = fetch(production_server + govuk.group(1))
    assert status == 200
    assert "GDS Transport" not in css
