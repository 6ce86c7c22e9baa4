"""Configuration from the environment, checked in a fresh interpreter each time."""

import os
import subprocess
import sys

from django.conf import settings

PRINT_DATABASE = (
    "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='coproduction_portal.settings'; "
    "from django.conf import settings; d = settings.DATABASES['default']; "
    "print(d['ENGINE'], d['NAME'], d.get('HOST', ''))"
)


def run_settings(code, **env):
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "SECRET_KEY", "DEBUG", "SITE_URL"}
    }
    return subprocess.run(
        [sys.executable, "-c", code],
        env={**clean, **env},
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=False,
    )


def test_default_database_is_sqlite_in_the_project_folder():
    result = run_settings(PRINT_DATABASE, DEBUG="1")
    engine, name, _host = result.stdout.split(" ")
    assert engine == "django.db.backends.sqlite3"
    assert name == str(settings.BASE_DIR / "db.sqlite3")


def test_database_url_selects_postgresql():
    result = run_settings(
        PRINT_DATABASE, DEBUG="1", DATABASE_URL="postgres://portal:pw@db.internal:5432/portal_db"
    )
    assert result.stdout.split() == ["django.db.backends.postgresql", "portal_db", "db.internal"]


def test_production_refuses_to_start_without_a_secret_key():
    result = run_settings(PRINT_DATABASE, DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_production_refuses_to_start_without_its_public_address():
    """Links in e-mails (password reset, workflow) are built on SITE_URL: without it they
    would point at the local machine, so production stops with a message instead."""
    result = run_settings(PRINT_DATABASE, DEBUG="0", SECRET_KEY="x" * 50)
    assert result.returncode != 0
    assert "SITE_URL must be set when DEBUG is off" in result.stderr


def test_debug_is_off_unless_set():
    result = run_settings(
        "import os; os.environ['DJANGO_SETTINGS_MODULE']='coproduction_portal.settings'; "
        "from django.conf import settings; print(settings.DEBUG, settings.SESSION_COOKIE_SECURE)",
        SECRET_KEY="x" * 50,
        SITE_URL="https://portal.example.org",
    )
    assert result.stdout.split() == ["False", "True"]


def test_a_muddled_yes_no_value_is_refused():
    result = run_settings(PRINT_DATABASE, DEBUG="maybe")
    assert result.returncode != 0
    assert "DEBUG must be true or false" in result.stderr


def test_lists_are_read_from_commas():
    result = run_settings(
        "import os; os.environ['DJANGO_SETTINGS_MODULE']='coproduction_portal.settings'; "
        "from django.conf import settings; "
        "print(settings.ALLOWED_HOSTS, settings.CSRF_TRUSTED_ORIGINS)",
        SECRET_KEY="x" * 50,
        SITE_URL="https://portal.example.org",
        ALLOWED_HOSTS="portal.example.org, www.portal.example.org",
        CSRF_TRUSTED_ORIGINS="https://portal.example.org",
    )
    assert result.stdout.strip() == (
        "['portal.example.org', 'www.portal.example.org'] ['https://portal.example.org']"
    )


PRINT_EMAIL = (
    "import os; os.environ['DJANGO_SETTINGS_MODULE']='coproduction_portal.settings'; "
    "from django.conf import settings as s; print(s.EMAIL_BACKEND, s.EMAIL_HOST, s.EMAIL_PORT, "
    "s.EMAIL_HOST_USER, s.EMAIL_USE_TLS, s.DEFAULT_FROM_EMAIL, s.SITE_URL)"
)


def test_emails_go_to_the_console_unless_told_otherwise():
    result = run_settings(PRINT_EMAIL, DEBUG="1", EMAIL_URL="", DEFAULT_FROM_EMAIL="", SITE_URL="")
    # No user name: an empty string, which split() leaves out.
    assert result.stdout.split() == [
        "django.core.mail.backends.console.EmailBackend",
        "localhost",
        "25",
        "False",
        "portal@localhost",
        "http://127.0.0.1:8000",
    ]


def test_email_url_chooses_an_smtp_server():
    result = run_settings(
        PRINT_EMAIL,
        DEBUG="1",
        EMAIL_URL="smtp://portal:secret@smtp.example.org:587/?tls=True",
        DEFAULT_FROM_EMAIL="portal@example.org",
        SITE_URL="https://portal.example.org/",
    )
    assert result.stdout.split() == [
        "django.core.mail.backends.smtp.EmailBackend",
        "smtp.example.org",
        "587",
        "portal",
        "True",
        "portal@example.org",
        "https://portal.example.org",
    ]


def test_an_email_url_the_portal_cannot_read_is_refused():
    result = run_settings(PRINT_EMAIL, DEBUG="1", EMAIL_URL="smtpp://smtp.example.org")
    assert result.returncode != 0
    assert "EMAIL_URL must start with one of smtp" in result.stderr


def test_tests_keep_their_emails_in_memory():
    assert settings.EMAIL_BACKEND == "django.core.mail.backends.locmem.EmailBackend"


def test_an_invitation_that_never_works_is_refused():
    result = run_settings(PRINT_DATABASE, DEBUG="1", INVITATION_VALID_DAYS="0")
    assert result.returncode != 0
    assert "INVITATION_VALID_DAYS must be 1 or more, not 0" in result.stderr


def test_an_api_rate_limit_the_portal_cannot_read_is_refused():
    code = PRINT_DATABASE.replace(
        "print(", "print(settings.REST_FRAMEWORK['DEFAULT_THROTTLE_RATES'], "
    )
    assert "'anon': '600/hour'" in run_settings(code, DEBUG="1", API_RATE_LIMIT="600/hour").stdout
    result = run_settings(PRINT_DATABASE, DEBUG="1", API_RATE_LIMIT="lots")
    assert result.returncode != 0
    assert "API_RATE_LIMIT must be a number of requests per second, minute" in result.stderr
