"""Operations on PostgreSQL: a backup restores to the same portal, and the portal recovers when
the database drops its connections.

These tests commit for real (transactional): pg_dump and gunicorn see the test database from
other processes.
"""

import os
import re
import shutil
import subprocess
import urllib.error
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.db import connection, connections
from django.urls import reverse
from reversion.models import Version

from casestudies import workflow
from casestudies.models import CaseStudy
from tests.helpers import fetch, production_server

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.postgresql(reason="pg_dump, pg_restore and ending connections are PostgreSQL's"),
]


def database_url(name):
    db = connection.settings_dict
    user = db["USER"] or "postgres"
    return f"postgres://{user}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"


def admin_connection():
    """A connection outside Django's, to create and drop databases and end sessions."""
    return psycopg.connect(database_url("postgres"), autocommit=True)


def readme_backup_commands():
    """The command lines of the README's "Backup and restore" block, exactly as written."""
    readme = (Path(settings.BASE_DIR) / "README.md").read_text()
    section = readme.split("## Backup and restore", 1)[1]
    block = re.search(r"```sh\n(.*?)```", section, re.DOTALL).group(1)
    return [line for line in block.splitlines() if line.strip() and not line.startswith("#")]


@pytest.fixture
def restored_database():
    name = f"{connection.settings_dict['NAME']}_restored"
    with admin_connection() as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    yield name
    with admin_connection() as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def public_pages(client):
    """Every public page of the content, as the public receives it."""
    urls = [
        reverse("home"),
        reverse("casestudies:list"),
        reverse("casestudies:list") + "?q=carers",
        reverse("councils:list"),
    ]
    for case_study in CaseStudy.objects.published():
        urls.append(case_study.get_absolute_url())
        urls.extend(council.get_absolute_url() for council in case_study.councils.all())
    pages = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        pages[url] = response.content.decode()
    return pages


def versions():
    return list(
        Version.objects.order_by("pk").values_list(
            "pk", "object_id", "content_type__model", "serialized_data", "revision__comment"
        )
    )


@pytest.mark.skipif(not shutil.which("pg_dump"), reason="needs PostgreSQL's client tools")
def test_backup_restores_the_same_public_pages_and_versions(
    client, full_case_study, essex_draft, officer_essex, lead_east, restored_database, tmp_path
):
    workflow.case_study_move(case_study=essex_draft, by=officer_essex, action="submit")
    workflow.case_study_move(case_study=essex_draft, by=lead_east, action="publish")
    pages, history = public_pages(client), versions()
    assert len(pages) >= 6 and "Carers design their own support" in str(pages.values())
    assert len(history) >= 2, "the workflow moves should have written versions"

    env = {
        **os.environ,
        "DATABASE_URL": database_url(connection.settings_dict["NAME"]),
        "RESTORE_DATABASE_URL": database_url(restored_database),
        "BACKUP_FILE": str(tmp_path / "portal.dump"),
    }
    commands = readme_backup_commands()
    assert [command.split()[0] for command in commands] == ["pg_dump", "pg_restore"]
    for command in commands:
        subprocess.run(["bash", "-c", command], env=env, check=True)

    portal_database = connections["default"]
    original_name = portal_database.settings_dict["NAME"]
    portal_database.close()
    portal_database.settings_dict["NAME"] = restored_database
    try:
        assert connection.cursor().connection.info.dbname == restored_database
        restored_pages, restored_history = public_pages(client), versions()
    finally:
        portal_database.close()
        portal_database.settings_dict["NAME"] = original_name

    assert restored_pages == pages
    assert restored_history == history


@pytest.mark.e2e
def test_requests_after_the_database_ends_every_connection_answer_normally(
    full_case_study, tmp_path
):
    name = connection.settings_dict["NAME"]
    env = {"DATABASE_URL": database_url(name), "WEB_CONCURRENCY": "2"}
    with production_server(tmp_path, env, migrate=False) as base:
        page = base + full_case_study.get_absolute_url()
        for _request in range(6):  # both workers open and keep a connection
            assert fetch(page)[0] == 200

        with admin_connection() as admin:
            ended = admin.execute(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = %s AND pid <> %s",
                [name, connection.cursor().connection.info.backend_pid],
            ).fetchone()[0]
        assert ended >= 1, "the workers' kept connections should have been ended"

        statuses = []
        for _request in range(10):
            try:
                statuses.append(fetch(page)[0])
            except urllib.error.HTTPError as error:
                statuses.append(error.code)
        assert statuses == [200] * 10
