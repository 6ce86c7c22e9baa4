"""Production settings pass Django's deployment checks; HTTPS is enforced behind the TLS proxy
only, so a local production run over plain HTTP still works. Each run is a fresh interpreter,
as the settings are read from the environment once."""

import os
import secrets
import subprocess
import sys

from django.conf import settings

PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "portal.example.org",
    "SITE_URL": "https://portal.example.org",
}

PRINT_HTTPS = (
    "import os; os.environ['DJANGO_SETTINGS_MODULE']='coproduction_portal.settings'; "
    "from django.conf import settings as s; "
    "print(s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, "
    "s.SECURE_HSTS_PRELOAD, s.SESSION_COOKIE_AGE)"
)


def run(command, **env):
    own = {
        "DATABASE_URL",
        "SECRET_KEY",
        "DEBUG",
        "ALLOWED_HOSTS",
        "BEHIND_TLS_PROXY",
        "TRUSTED_PROXY_COUNT",
        "SESSION_HOURS",
        "DJANGO_ALLOW_ASYNC_UNSAFE",  # set for the browser tests, never in production
    }
    clean = {k: v for k, v in os.environ.items() if k not in own and not k.startswith("SECURE_")}
    return subprocess.run(
        [sys.executable, *command],
        env={**clean, **env},
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_settings_behind_tls_pass_the_deployment_checks():
    result = run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        **PRODUCTION,
        BEHIND_TLS_PROXY="1",
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_behind_tls_https_is_enforced_by_default():
    result = run(["-c", PRINT_HTTPS], **PRODUCTION, BEHIND_TLS_PROXY="1")
    assert result.stdout.split() == ["True", "31536000", "True", "True", "43200"]


def test_without_tls_proxy_plain_http_is_served_as_it_is():
    # As `make serve-prod` and the gunicorn test run it: production settings, plain HTTP.
    result = run(["-c", PRINT_HTTPS], **PRODUCTION)
    assert result.stdout.split() == ["False", "0", "False", "False", "43200"]


def test_https_settings_and_session_length_come_from_the_environment():
    result = run(
        ["-c", PRINT_HTTPS],
        **PRODUCTION,
        BEHIND_TLS_PROXY="1",
        SECURE_SSL_REDIRECT="0",
        SECURE_HSTS_SECONDS="3600",
        SECURE_HSTS_INCLUDE_SUBDOMAINS="no",
        SECURE_HSTS_PRELOAD="off",
        SESSION_HOURS="8",
    )
    assert result.stdout.split() == ["False", "3600", "False", "False", str(8 * 60 * 60)]


def test_a_proxy_count_below_one_is_refused():
    result = run(["-c", PRINT_HTTPS], **PRODUCTION, BEHIND_TLS_PROXY="1", TRUSTED_PROXY_COUNT="0")
    assert result.returncode != 0
    assert "TRUSTED_PROXY_COUNT must be 1 or more" in result.stderr
