"""Settings for the co-production case study portal.

One module, driven by environment variables (see the table in README.md). With nothing set it
runs locally on an SQLite file in the project folder; production sets at least SECRET_KEY,
ALLOWED_HOSTS and DATABASE_URL.
"""

import os
import re
import sys
from pathlib import Path

import dj_database_url
import dj_email_url
from csp.constants import NONE, SELF, UNSAFE_HASHES, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    """Read a yes/no variable; refuse anything that is not clearly one or the other."""
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(
        f"{name} must be true or false (1/0, yes/no, on/off), not {value!r}."
    )


def env_int(name, default):
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None


def env_rate(name, default, *, what):
    """Read a rate limit written as REST framework writes it: a number per second, minute,
    hour or day, such as "10/hour"."""
    value = os.environ.get(name, "").strip() or default
    if not re.fullmatch(r"[1-9][0-9]*/(second|minute|hour|day)", value):
        raise ImproperlyConfigured(
            f"{name} must be a number of {what} per second, minute, hour or day, such as "
            f"{default}, not {value!r}."
        )
    return value


def env_list(name, default=()):
    """Read a comma-separated list, ignoring spaces and empty entries."""
    value = os.environ.get(name)
    if value is None:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", default=False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off. For local use, set DEBUG=1 "
            "(the Makefile does this for you)."
        )
    SECRET_KEY = "local-development-only-not-secret"  # noqa: S105 - only ever used with DEBUG on

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.sitemaps",
    "django_filters",
    "reversion",
    "reversion_compare",
    "import_export",
    "axes",
    "csp",
    # The project's apps, lowest first: each may import only those above it (README,
    # "Architecture"). casestudies comes last, so its post_migrate step sees every permission.
    "councils",
    "editorial",
    "casestudies",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "coproduction_portal.middleware.ContentSecurityPolicyMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into a clear page.
    "axes.middleware.AxesMiddleware",
]

# Sign-in safety: django-axes counts failed sign-ins and locks out the pair of user name and
# address after AXES_FAILURE_LIMIT failures, for AXES_COOLOFF_TIME hours.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_HOURS", 1)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_VERBOSE = False  # no banner on every command
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "editorial/locked_out.html"
# The address is the connection's, or behind the TLS proxy the one the proxy appended to
# X-Forwarded-For (TRUSTED_PROXY_COUNT entries from the right): editorial/sign_in.py.
AXES_CLIENT_IP_CALLABLE = "editorial.sign_in.client_address"

ROOT_URLCONF = "coproduction_portal.urls"
WSGI_APPLICATION = "coproduction_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}

# Every database statement made while serving a page stops after this many milliseconds, so
# one slow search cannot hold a worker (0: no limit). Commands run through manage.py, such as
# migrate or load_seed_content, may run long statements and have no limit; runserver serves
# pages and keeps it. Set on each new connection (casestudies/statement_timeout.py).
RUNNING_COMMAND = Path(sys.argv[0]).name == "manage.py" and sys.argv[1:2] != ["runserver"]
DATABASE_STATEMENT_TIMEOUT_MS = (
    0 if RUNNING_COMMAND else env_int("DATABASE_STATEMENT_TIMEOUT_MS", 5000)
)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT") or BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
    # A spreadsheet import's file between its check and its confirmation
    # (casestudies/admin/spreadsheet.py): a folder only the portal uses, never served.
    "import_export": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {
            "location": Path(
                os.environ.get("SPREADSHEET_IMPORT_FOLDER") or BASE_DIR / "var" / "imports"
            ),
            "file_permissions_mode": 0o600,
            "directory_permissions_mode": 0o700,
        },
    },
}

# Behind a proxy that terminates TLS (the usual deployment), trust its headers.
BEHIND_TLS_PROXY = env_bool("BEHIND_TLS_PROXY", default=False)
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 1)
if TRUSTED_PROXY_COUNT < 1:
    raise ImproperlyConfigured("TRUSTED_PROXY_COUNT must be 1 or more.")
if BEHIND_TLS_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# HTTPS only, behind the TLS proxy: plain-HTTP requests are redirected, and browsers are told
# (HSTS) to use HTTPS for a year. Without the proxy (a local `make serve-prod`) both are off.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=BEHIND_TLS_PROXY)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 365 * 24 * 60 * 60 if BEHIND_TLS_PROXY else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", BEHIND_TLS_PROXY)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", BEHIND_TLS_PROXY)

# Editors stay signed in for a working day, then sign in again.
SESSION_COOKIE_AGE = env_int("SESSION_HOURS", 12) * 60 * 60
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

# Spreadsheet import and export of case studies need their own permissions (given to
# regional leads and site administrators: casestudies/permissions.py), not plain add or view.
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "import"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "export"

# Ordered lists (points, contacts, links…) have a unique position per list, deferred to the end
# of the transaction so editors can reorder in one save. SQLite cannot defer constraints, so
# there the admin's formset keeps positions unique instead (see casestudies/admin/case_study.py).
SILENCED_SYSTEM_CHECKS = ["models.W038"]

# A strict Content-Security-Policy for the public pages: scripts, styles, images and fonts only
# from the portal itself, no inline code, no framing.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
# The editors' admin (coproduction_portal/middleware.py): the same policy, plus what its
# add-ons' templates need, checked in a browser (tests/browser/test_admin_content_security_policy
# .py): style attributes (version compare, spreadsheet export), which cannot load anything or
# run code, and the export page's one "Select all" handler, allowed by the hash of its code.
CONTENT_SECURITY_POLICY_ADMIN = {
    "DIRECTIVES": {
        **CONTENT_SECURITY_POLICY["DIRECTIVES"],
        "style-src-attr": [UNSAFE_INLINE],
        "script-src-attr": [
            UNSAFE_HASHES,
            "'sha256-wid4zL8fR53ZYy1ljOepzR77Dn6vWUUxuNnnWWBP3I8='",  # onSelectToggleChange(event)
        ],
    },
}

# E-mail: where messages go, from EMAIL_URL (dj-email-url): the console by default, e.g.
# smtp://user:password@smtp.example.org:587/?tls=True for a real server. An address the
# portal cannot understand stops it, rather than silently sending nothing.
EMAIL_URL = os.environ.get("EMAIL_URL") or "console://"
_email = dj_email_url.parse(EMAIL_URL)
if "EMAIL_BACKEND" not in _email:
    raise ImproperlyConfigured(
        f"EMAIL_URL must start with one of {', '.join(dj_email_url.SCHEMES)}, not {EMAIL_URL!r}."
    )
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_HOST = _email["EMAIL_HOST"] or "localhost"
EMAIL_PORT = _email["EMAIL_PORT"] or 25
EMAIL_HOST_USER = _email["EMAIL_HOST_USER"] or ""
EMAIL_HOST_PASSWORD = _email["EMAIL_HOST_PASSWORD"] or ""
EMAIL_USE_TLS = _email["EMAIL_USE_TLS"]
EMAIL_USE_SSL = _email["EMAIL_USE_SSL"]
EMAIL_TIMEOUT = _email["EMAIL_TIMEOUT"] or 30
EMAIL_FILE_PATH = _email["EMAIL_FILE_PATH"]
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL") or "portal@localhost"
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The portal's public address, for links in e-mails (no request to take it from). Required in
# production: without it, password reset links would lead to the local machine.
SITE_URL = os.environ.get("SITE_URL", "").strip().rstrip("/")
if not SITE_URL:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SITE_URL must be set when DEBUG is off: the portal's public address, such as "
            "https://portal.example.org, for the links in the e-mails it sends."
        )
    SITE_URL = "http://127.0.0.1:8000"
# The licence of the text written for this portal (not of text from source documents, which
# keep their publishers' terms: Publication.terms), shown in the footer and on case study pages
# and in their schema.org metadata. By default the Open Government Licence v3.0, the licence
# English councils and other public bodies publish their own information under.
CONTENT_LICENCE_NAME = os.environ.get("CONTENT_LICENCE_NAME") or "Open Government Licence v3.0"
CONTENT_LICENCE_URL = (
    os.environ.get("CONTENT_LICENCE_URL")
    or "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
)
# Compiled reports (casestudies/compiled/): the most case studies one report may hold, and one
# PDF (WeasyPrint takes about 12 s of one CPU for 32 case studies, 36 s for 100: beyond a
# worker's 30 s timeout). Anyone may compile, so the reports one address may ask for are
# limited too (counted in the cache), written like API_RATE_LIMIT: "10/hour".
COMPILED_REPORT_MAX_CASE_STUDIES = env_int("COMPILED_REPORT_MAX_CASE_STUDIES", 100)
COMPILED_REPORT_MAX_PDF_CASE_STUDIES = env_int("COMPILED_REPORT_MAX_PDF_CASE_STUDIES", 30)
COMPILED_REPORT_RATE_LIMIT = env_rate("COMPILED_REPORT_RATE_LIMIT", "10/hour", what="reports")
# Whom to ask for an editor's account, shown on the sign-in page (an e-mail address).
EDITOR_ACCESS_CONTACT = os.environ.get("EDITOR_ACCESS_CONTACT", "")
# Days an e-mailed invitation to become an editor stays usable (casestudies/editors/people.py).
INVITATION_VALID_DAYS = env_int("INVITATION_VALID_DAYS", 7)
if INVITATION_VALID_DAYS < 1:
    raise ImproperlyConfigured(
        f"INVITATION_VALID_DAYS must be 1 or more, not {INVITATION_VALID_DAYS}."
    )

# Editors sign in on the portal's own page; /admin/ keeps its own. The editors' start page.
LOGIN_URL = "editors:sign-in"
LOGIN_REDIRECT_URL = "/editors/"

# The read-only JSON API at /api/ (casestudies/api/, README "The JSON API"): Django REST
# framework, JSON only, no sign-in (a signed-in editor sees what anyone sees), reading only,
# a rate limit per address for everyone, and drf-spectacular's OpenAPI schema.
INSTALLED_APPS += ["rest_framework", "drf_spectacular", "corsheaders"]
# django-cors-headers must come before CommonMiddleware, which may answer first.
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.common.CommonMiddleware"),
    "corsheaders.middleware.CorsMiddleware",
)
API_RATE_LIMIT = env_rate("API_RATE_LIMIT", "120/minute", what="requests")
REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "casestudies.api.limits.Pages",
    "DEFAULT_THROTTLE_CLASSES": ["casestudies.api.limits.RateLimit"],
    "DEFAULT_THROTTLE_RATES": {"anon": API_RATE_LIMIT},
    # The address a request comes from, behind the TLS proxy: as for sign-in (above).
    "NUM_PROXIES": TRUSTED_PROXY_COUNT if BEHIND_TLS_PROXY else None,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Co-production Case Study Portal: open data",
    "DESCRIPTION": (
        "Published case studies of co-production in English adult social care, and the "
        "councils, regions, topics, people, approaches, resources and source documents they "
        "name. Reading only, in JSON. Nothing that is not published is ever shown."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SORT_OPERATIONS": False,  # in the order the API's urls.py lists them: case studies first
    "ENUM_NAME_OVERRIDES": {
        "StageEnum": "casestudies.models.CaseStudy.Stage",
        "ResourceKindEnum": "casestudies.models.Resource.Kind",
        "CouncilKindEnum": "councils.models.Council.Kind",
        "OrganisationKindEnum": "councils.models.Organisation.Kind",
    },
}
# Other sites' pages may read the API (and only the API) from a browser: any origin, reading
# only, no cookies.
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_ALLOW_CREDENTIALS = False
