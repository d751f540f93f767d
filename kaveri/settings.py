"""Django settings for Kaveri, read from the environment.

Production defaults are safe: DEBUG is off and SECRET_KEY must be given.
The demo (`kaveri demo`) and the test suite set KAVERI_DEMO=1, which allows a
fixed development secret and the test identity codes (individual number 900-999).
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from kaveri.env import env_bool, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent
VAR_DIR = Path(env_str("KAVERI_VAR_DIR", str(PROJECT_DIR / "var")))

DEMO = env_bool("KAVERI_DEMO", False)
DEBUG = env_bool("DEBUG", False)

# Outside the demo there is no default: the system check kaveri.E001 stops the
# server (and wsgi.py the application) until SECRET_KEY is given.
SECRET_KEY = env_str("SECRET_KEY", "")
if not SECRET_KEY and (DEMO or DEBUG):
    SECRET_KEY = "kaveri-demo-only-secret-not-for-production-use-0123456789"

# The key of the audit log's HMAC chain. It must not live in the database the log is in:
# an operator who can change rows cannot then recompute the chain. The demo and the tests
# use a fixed key; elsewhere the system check kaveri.E002 refuses to start without one.
KAVERI_AUDIT_KEY = env_str("KAVERI_AUDIT_KEY", "")
_audit_key_file = env_str("KAVERI_AUDIT_KEY_FILE", "")
if not KAVERI_AUDIT_KEY and _audit_key_file:
    KAVERI_AUDIT_KEY = Path(_audit_key_file).read_text().strip()
if not KAVERI_AUDIT_KEY and (DEMO or DEBUG):
    KAVERI_AUDIT_KEY = "kaveri-demo-only-audit-key-not-for-production-use"

# Where the sealed head of the audit chain is appended (one line per seal). Put it where the
# database cannot reach it: another disk, a file made append-only (chattr +a), or "syslog".
KAVERI_AUDIT_ANCHOR = env_str("KAVERI_AUDIT_ANCHOR", str(VAR_DIR / "audit-anchors.log"))
# A request that wrote audit events seals the pending ones when the last seal of its process
# is older than this; `kaveri audit seal` does the same from cron or a worker.
KAVERI_AUDIT_SEAL_SECONDS = float(env_str("KAVERI_AUDIT_SEAL_SECONDS", "10"))

# Uploaded files (signed consent forms). Never served by the web server: only through a view
# that checks the action table and writes an audit event.
MEDIA_ROOT = Path(env_str("KAVERI_MEDIA_ROOT", str(VAR_DIR / "media")))
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEMO or DEBUG else [])

# Test identity codes (individual numbers 900-999) are refused unless this is on.
KAVERI_ALLOW_TEST_IDENTITY_CODES = env_bool("KAVERI_ALLOW_TEST_IDENTITY_CODES", DEMO or DEBUG)

# Administrators manage users and rules; they see client records in the admin only
# when this is on (the demo turns it on so that the synthetic region can be browsed).
KAVERI_ADMIN_SEES_CLIENT_DATA = env_bool("KAVERI_ADMIN_SEES_CLIENT_DATA", DEMO)


# The day the system answers for (YYYY-MM-DD): set by the demo's --today and by tests;
# empty means the local date. Rules never read the wall clock themselves.
KAVERI_TODAY = env_str("KAVERI_TODAY", "") or None

# The rule sets, each a folder of YAML files with the day it takes effect: the one in force
# on a record's date applies to a new record, and a record keeps its own for good.
# KAVERI_RULES_DIRS lists folders separated by ":"; by default every bundled rule set.
# (KAVERI_RULES_DIR, one folder, is still read.)
_BUNDLED_RULE_SETS = sorted(str(f) for f in (BASE_DIR / "rules" / "data").iterdir() if f.is_dir())
KAVERI_RULES_DIRS = env_list("KAVERI_RULES_DIRS", [], separator=":") or (
    [env_str("KAVERI_RULES_DIR", "")] if env_str("KAVERI_RULES_DIR", "") else _BUNDLED_RULE_SETS
)
# Proposed rule sets (a bill, a draft decree), never in force: the coordinator's preview
# shows what one would change in today's caseload (kaveri/rules/proposals.py). By default
# the bundled example; an empty KAVERI_PROPOSED_RULES_DIRS= turns them off.
_BUNDLED_PROPOSALS = sorted(
    str(f) for f in (BASE_DIR / "rules" / "proposed").iterdir() if f.is_dir()
)
KAVERI_PROPOSED_RULES_DIRS = env_list(
    "KAVERI_PROPOSED_RULES_DIRS", _BUNDLED_PROPOSALS, separator=":"
)

# Where the workers reach Kaveri: the links in digest e-mails and calendar feeds.
KAVERI_SITE_URL = env_str("KAVERI_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# E-mail (the daily digest). The demo prints messages on the console; elsewhere give an
# SMTP server (EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, EMAIL_USE_TLS).
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEMO or DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env_str("EMAIL_PORT", "25"))
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Kaveri <kaveri@localhost>")

# The daily watch (scan and digests) runs as a django-q2 schedule at this local time;
# `kaveri qcluster` runs the scheduler, with the database as its broker.
KAVERI_DAILY_WATCH_AT = env_str("KAVERI_DAILY_WATCH_AT", "05:30")
# The coordinators' statistics are counted ahead each night (kaveri.statistics.tasks), for
# the quarters ended: on a quarter's first night the pages count live until then.
KAVERI_STATISTICS_AT = env_str("KAVERI_STATISTICS_AT", "00:15")
# The whole calendar years before this one whose statistics are counted ahead each night
# with the default period (each adds about a minute at a million clients).
KAVERI_STATISTICS_YEARS = int(env_str("KAVERI_STATISTICS_YEARS", "2"))
# How far back the night counts every quarter that holds records: whole calendar years
# before this one (each adds about a minute at a million clients; older periods count live).
KAVERI_STATISTICS_HISTORY_YEARS = int(env_str("KAVERI_STATISTICS_HISTORY_YEARS", "10"))
Q_CLUSTER = {
    "name": "kaveri",
    "orm": "default",
    "workers": 1,
    "timeout": 3600,
    "retry": 4000,
    "max_attempts": 1,
    "catch_up": False,
    "save_limit": 100,
    "label": "Scheduled tasks",
    "poll": 2,
}

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "ninja",
    "axes",
    "django_q",
    "kaveri.rules",
    "kaveri.access",
    "kaveri.people",
    "kaveri.transitions",
    "kaveri.casework",
    "kaveri.plans",
    "kaveri.services",
    "kaveri.benefits",
    "kaveri.evidence",
    "kaveri.consent",
    "kaveri.watch",
    "kaveri.pathways",
    "kaveri.statistics",
    "kaveri.workspace",
    "kaveri.portal",
    "kaveri.exchange",
    "kaveri.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "kaveri.access.security.RefuseNulCharacters",
    "kaveri.access.security.RefuseIdentityCodesInAddresses",
    "kaveri.access.sessions.SlidingSessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "kaveri.access.middleware.ActionTableMiddleware",
    "kaveri.access.security.ContentSecurityPolicyMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "kaveri.urls"
CSRF_FAILURE_VIEW = "kaveri.access.views.csrf_failure"
WSGI_APPLICATION = "kaveri.wsgi.application"

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
                "django.template.context_processors.i18n",
                "kaveri.access.context.principal",
            ],
        },
    },
]


def private_sqlite_file(path: Path) -> Path:
    """The embedded database holds client data: readable by its owner only (SQLite gives its
    journal and write-ahead log the same mode)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    os.chmod(path, 0o600)
    return path


def _database_config() -> dict:
    url = env_str("DATABASE_URL", "")
    if url:
        return dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": private_sqlite_file(VAR_DIR / "kaveri.sqlite3"),
        "OPTIONS": {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            # A write transaction takes the write lock when it begins, so that two writers
            # queue for it (up to `timeout` seconds) instead of one failing "database is locked".
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        },
    }


DATABASES = {"default": _database_config()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "pathways"

LANGUAGE_CODE = "fi"
LANGUAGES = [("fi", _("Finnish")), ("sv", _("Swedish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["kaveri.formats"]  # Finland-Swedish dates: 6.10.2003
TIME_ZONE = "Europe/Helsinki"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
WHITENOISE_USE_FINDERS = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# A session ends after this many minutes without a request (within a minute: the expiry
# moves on once a minute, kaveri.access.sessions), and when the browser closes.
SESSION_COOKIE_AGE = 60 * int(env_str("KAVERI_SESSION_IDLE_MINUTES", "30"))
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = not (DEMO or DEBUG)
CSRF_COOKIE_SECURE = not (DEMO or DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_HSTS_SECONDS = 0 if (DEMO or DEBUG) else 60 * 60 * 24 * 365
SECURE_HSTS_INCLUDE_SUBDOMAINS = not (DEMO or DEBUG)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not (DEMO or DEBUG))
SECURE_REDIRECT_EXEMPT = [r"^health/$"]  # a load balancer asks over plain HTTP
if env_bool("KAVERI_BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# No unsafe-inline anywhere: every script and style comes from our own static files.
KAVERI_CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)

# Lockout after repeated failed logins (django-axes), per user name and address.
AXES_FAILURE_LIMIT = int(env_str("KAVERI_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = int(env_str("KAVERI_LOGIN_LOCKOUT_MINUTES", "15")) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# One address may fail this many logins in all (over any usernames) within the cool-off.
KAVERI_LOGIN_ADDRESS_LIMIT = int(env_str("KAVERI_LOGIN_ADDRESS_LIMIT", "20"))
AXES_HANDLER = "kaveri.access.lockout.KaveriLockoutHandler"
# A locked-out attempt is answered as locked out (and does not extend the lockout).
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "kaveri.access.views.locked_out"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

# Every handler redacts identity codes (message, arguments, exception and traceback) and
# formats through RedactingFormatter; Django's own loggers are configured here too, so that
# none keeps a default handler that would write a code unredacted.
_REDACTING = "kaveri.access.security.RedactingFormatter"


def _log_format() -> str:
    """LOG_FORMAT=json: one JSON object a line, for a log collector; plain by default."""
    chosen = env_str("LOG_FORMAT", "plain")
    if chosen not in ("plain", "json"):
        raise ImproperlyConfigured(f"LOG_FORMAT is '{chosen}'; give 'plain' or 'json'.")
    return "json" if chosen == "json" else ""


_LOG_FORMAT = _log_format()
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"no_identity_codes": {"()": "kaveri.access.security.RedactIdentityCodes"}},
    "formatters": {
        "plain": {"()": _REDACTING, "format": "%(levelname)s %(name)s: %(message)s"},
        "access": {"()": _REDACTING, "format": "[%(asctime)s] %(message)s"},
        "json": {"()": "kaveri.access.security.JsonLinesFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["no_identity_codes"],
            "formatter": _LOG_FORMAT or "plain",
        },
        "access": {
            "class": "logging.StreamHandler",
            "filters": ["no_identity_codes"],
            "formatter": _LOG_FORMAT or "access",
        },
    },
    "loggers": {
        "django": {
            "handlers": ["console"],
            "level": env_str("LOG_LEVEL", "WARNING"),
            "propagate": False,
        },
        "django.server": {"handlers": ["access"], "level": "INFO", "propagate": False},
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}
