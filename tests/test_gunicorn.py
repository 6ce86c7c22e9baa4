"""The production setup (gunicorn.conf.py, DEBUG off, whitenoise) serves pages and static files.

Runs the same steps as `make serve-prod` and the Dockerfile, on a free local port and a
throwaway SQLite database, then stops the server.
"""

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings

pytestmark = pytest.mark.e2e

BIN = Path(sys.executable).parent


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url):
    with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - local test server
        return response.status, response.headers, response.read().decode()


@pytest.fixture
def production_server(tmp_path):
    port = free_port()
    env = {
        **{k: v for k, v in os.environ.items() if k != "DATABASE_URL"},
        "DEBUG": "0",
        "SECRET_KEY": "test-only-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'prod.sqlite3'}",
        "STATIC_ROOT": str(tmp_path / "static"),
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "1",
    }
    manage = [sys.executable, "manage.py"]
    for command in (["collectstatic", "--no-input", "-v0"], ["migrate", "--no-input", "-v0"]):
        subprocess.run(manage + command, env=env, cwd=settings.BASE_DIR, check=True)
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "--config", "gunicorn.conf.py"],
        env=env,
        cwd=settings.BASE_DIR,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _attempt in range(100):
            if server.poll() is not None:
                pytest.fail(f"gunicorn exited early:\n{server.stdout.read()}")
            try:
                fetch(base + "/")
                break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.fail("gunicorn did not answer")
        yield base
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=20)
        print(output)


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
