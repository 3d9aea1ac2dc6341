"""Vigil's one settings module. Every knob is a VIGIL_* environment variable (see README)."""

from __future__ import annotations

import atexit
import os
import secrets
import shutil
import sys
import tempfile
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF

from vigil.core.db.postgres_session import connection_options
from vigil.core.demo_folder import is_demo
from vigil.crypto.keysource import KeySourceConfig, lazy_master_key

BASE_DIR = Path(__file__).resolve().parent


def _env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _default_data_dir() -> Path:
    if "pytest" in sys.modules:
        # Tests never touch a user's data: each run gets its own folder, removed when the
        # process that made it ends (its key file and database go with it).
        folder = Path(tempfile.mkdtemp(prefix="vigil-test-"))
        (folder / "static").mkdir()  # in-process tests serve no collected files: say so quietly
        atexit.register(shutil.rmtree, folder, True)
        return folder
    xdg = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(xdg) / "vigil"


if "pytest" in sys.modules and os.environ.get("VIGIL_DATA_DIR_MADE_BY") not in (
    None,
    os.environ.get("PYTEST_XDIST_WORKER", "controller"),
):
    # A pytest-xdist worker inherits the folder its controller made: each worker gets its own
    # (its own key file and database), while a folder the user named is kept.
    del os.environ["VIGIL_DATA_DIR"]
if "pytest" in sys.modules and not os.environ.get("VIGIL_DATA_DIR"):
    os.environ["VIGIL_DATA_DIR_MADE_BY"] = os.environ.get("PYTEST_XDIST_WORKER", "controller")
DATA_DIR = Path(os.environ.get("VIGIL_DATA_DIR") or _default_data_dir()).expanduser()
os.environ.setdefault("VIGIL_DATA_DIR", str(DATA_DIR))
KEY_FILE = Path(os.environ.get("VIGIL_KEYFILE") or DATA_DIR / "vigil.key")
DATABASE_URL = os.environ.get("VIGIL_DATABASE_URL", "")
DEBUG = _env_bool("VIGIL_DEBUG")
TESTING = "pytest" in sys.modules


def _secret_key() -> str:
    configured = os.environ.get("VIGIL_SECRET_KEY")
    if configured:
        return configured
    path = DATA_DIR / "secret_key"
    if path.exists():
        return path.read_text().strip()
    # An ephemeral key: sessions do not survive a restart until `vigil init` stores one.
    return secrets.token_urlsafe(50)


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("VIGIL_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
    if h.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "csp",
    "ninja",  # serves the API docs page's Swagger UI locally instead of from a CDN
    "vigil.core",
    "vigil.accounts",
    "vigil.records",
    "vigil.importers",
    "vigil.backup",
    "vigil.sanctions",
    "vigil.audit",
    "vigil.responses",
    "vigil.policy",
    "vigil.purge",
    "vigil.evidence",
    "vigil.outputs",
    "vigil.reports",
    "vigil.opendata",
    "vigil.search",
    "vigil.entry",
    "vigil.counting",
    "vigil.alerts",
    "vigil.protection",
    "vigil.solidarity",

    "vigil.warning",
    "vigil.demo",
    "vigil.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "vigil.web.security.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "vigil.accounts.authentication.AuthenticationMiddleware",
    "vigil.accounts.language.UserLanguageMiddleware",
    "vigil.accounts.middleware.SessionLimitsMiddleware",
    "vigil.accounts.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "vigil.web.middleware.ChangeContextMiddleware",
    "vigil.web.middleware.PolicyReadingMiddleware",
    "vigil.core.replica.PrimaryPinMiddleware",
]

ROOT_URLCONF = "vigil.urls"
WSGI_APPLICATION = "vigil.wsgi.application"
AUTH_USER_MODEL = "accounts.User"

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
                "vigil.accounts.context.second_factor",
            ],
        },
    },
]

# Where the database key comes from (passphrase by default; keyfile only in the demo and tests
# or when VIGIL_ALLOW_KEYFILE=1, since a keyfile on the database's own disk protects nothing).
KEY_SOURCE_CONFIG = KeySourceConfig.from_env(
    os.environ,
    data_dir=DATA_DIR,
    key_file=KEY_FILE,
    database_path=None if DATABASE_URL else DATA_DIR / "vigil.db",
    keyfile_by_default=(
        TESTING or is_demo(DATA_DIR)
    ),
)
MASTER_KEY = lazy_master_key(KEY_SOURCE_CONFIG)
FIELD_KEYRING = "vigil.backup.keyring.database_keyring"

if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
    if "postgresql" in DATABASES["default"]["ENGINE"]:
        DATABASES["default"].setdefault("OPTIONS", {}).update(connection_options(os.environ))
else:
    _sqlite_options = {
        "key": MASTER_KEY,
        # cache_size: 32 MiB of decrypted pages per connection (the default 2 MiB re-decrypts
        # the same pages on every list at 100k persons).
        "pragmas": {
            "journal_mode": "WAL",
            "synchronous": "FULL",
            "busy_timeout": 10000,
            "cache_size": -32768,
            "temp_store": "MEMORY",
        },
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES = {
        "default": {
            "ENGINE": "vigil.core.db.sqlcipher",
            "NAME": str(DATA_DIR / "vigil.db"),
            "OPTIONS": _sqlite_options,
            # A connection (and its cache of decrypted pages) serves a worker thread for a
            # minute instead of being opened, keyed and warmed for every request.
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
            "TEST": {"NAME": str(DATA_DIR / "test-vigil.db")},
        }
    }

# A PostgreSQL streaming replica (hot standby) for heavy read-only work: the figures, checks,
# exports and open-data pages, `vigil backup create` and the reading commands (vigil.core.replica
# says what goes there; docs/operations.md the recipe). Unset: one database, nothing changes.
DATABASE_REPLICA_URL = os.environ.get("VIGIL_DATABASE_REPLICA_URL", "")
# Seconds behind the primary beyond which the replica is not used (the primary answers).
REPLICA_MAX_LAG = float(os.environ.get("VIGIL_REPLICA_MAX_LAG", "10"))
# Seconds a browser that wrote reads from the primary only (it sees its own writes).
REPLICA_PIN_SECONDS = int(os.environ.get("VIGIL_REPLICA_PIN_SECONDS", "30"))
if DATABASE_URL and DATABASE_REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(DATABASE_REPLICA_URL, conn_max_age=60)
    # A replica that does not answer is given up quickly: the primary serves meanwhile.
    DATABASES["replica"].setdefault("OPTIONS", {})["connect_timeout"] = 3
    DATABASES["replica"]["OPTIONS"].update(connection_options(os.environ))
    # Test databases are made on the primary only; the standby copies them by itself.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["vigil.core.replica.ReplicaRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("be", "Беларуская"), ("ru", "Русский")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Django ships no Belarusian date/number formats; vigil/locale/be/formats.py supplies them.
FORMAT_MODULE_PATH = ["vigil.locale"]
USE_I18N = True
TIME_ZONE = "UTC"
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Collected (and compressed) once per set of files; hosts or test servers may share one folder.
STATIC_ROOT = Path(os.environ.get("VIGIL_STATIC_ROOT") or DATA_DIR / "static").expanduser()
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/accounts/login/"
# The evidence store: one age-encrypted file per evidence. Several `vigil serve` hosts share it
# through a path every host mounts (VIGIL_EVIDENCE_DIR); files are encrypted before they are
# written, so the shared volume only ever holds ciphertext.
EVIDENCE_DIR = Path(os.environ.get("VIGIL_EVIDENCE_DIR") or DATA_DIR / "evidence").expanduser()
SAMPLE_DATA = os.environ.get("VIGIL_SAMPLE_DATA", "")
AUDIT_SIGNING_KEY_FILE = Path(
    os.environ.get("VIGIL_AUDIT_SIGNING_KEY") or DATA_DIR / "audit-signing.key"
)
EVIDENCE_MAX_UPLOAD_MB = int(os.environ.get("VIGIL_MAX_UPLOAD_MB", "200"))
VIGIL_EXPORT_RECIPIENTS = os.environ.get("VIGIL_EXPORT_RECIPIENTS", "")  # age1... recipients
VIGIL_REVEAL_QUOTA = int(os.environ.get("VIGIL_REVEAL_QUOTA", "20"))  # per user per UTC day
# The demo's own database (its marked folder) allows more exports a day, so a new user can try
# every draft and download of the tour: five would lock them out after the first person's
# drafts. A real deployment keeps five unless VIGIL_EXPORT_QUOTA says otherwise.
IN_DEMO_DATABASE = is_demo(DATA_DIR)
DEMO_EXPORT_QUOTA = 100
VIGIL_EXPORT_QUOTA = int(
    os.environ.get("VIGIL_EXPORT_QUOTA") or (DEMO_EXPORT_QUOTA if IN_DEMO_DATABASE else 5)
)
# Alerts: SMTP server (smtp://, smtp+starttls://, smtps:// with user:password@), the sender,
# and the address links in e-mails and webhooks point at. Parsed by `vigil deliver`.
VIGIL_EMAIL_URL = os.environ.get("VIGIL_EMAIL_URL", "")
VIGIL_EMAIL_FROM = os.environ.get("VIGIL_EMAIL_FROM", "vigil@localhost")
VIGIL_BASE_URL = os.environ.get("VIGIL_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
# The local hour (TIME_ZONE) from which `vigil deliver` sends the day's alert digests.
VIGIL_DIGEST_HOUR = os.environ.get("VIGIL_DIGEST_HOUR", "7")
AUDIT_CHECKPOINT_EVERY = int(os.environ.get("VIGIL_AUDIT_CHECKPOINT_EVERY", "1000"))
# Sign a checkpoint when an entry is written and the last one is older than this (0 = off).
AUDIT_CHECKPOINT_MINUTES = float(os.environ.get("VIGIL_AUDIT_CHECKPOINT_MINUTES", "10"))

# Django's database store (server-side, revocable at once), its per-request read compiled once.
SESSION_ENGINE = "vigil.accounts.session_store"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Strict"
CSRF_COOKIE_SAMESITE = "Strict"
SESSION_COOKIE_AGE = 12 * 3600
SESSION_COOKIE_SECURE = _env_bool("VIGIL_SECURE_COOKIES", not DEBUG and not TESTING)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = _env_bool("VIGIL_TLS")  # served over HTTPS (proxy or certificate)
SECURE_HSTS_SECONDS = 365 * 24 * 3600 if SESSION_COOKIE_SECURE else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = _env_bool("VIGIL_HSTS_PRELOAD")
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SILENCED_SYSTEM_CHECKS = ["security.W021"]  # HSTS preload is the domain owner's decision
CSRF_FAILURE_VIEW = "vigil.web.errors.csrf_failure"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF],
        "connect-src": [SELF],
        "font-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
# Proxies (addresses or networks, comma-separated) whose X-Forwarded-For is believed: only
# when the immediate peer is one of them is the client taken from the header (its right-most
# untrusted hop) for the sign-in throttle. Empty (the default): the header is ignored.
TRUSTED_PROXIES = os.environ.get("VIGIL_TRUSTED_PROXIES", "")
if os.environ.get("VIGIL_PROXY_SSL_HEADER"):
    SECURE_PROXY_SSL_HEADER = (os.environ["VIGIL_PROXY_SSL_HEADER"], "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact_path": {"()": "vigil.web.errors.RedactPathFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["redact_path"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("VIGIL_LOG_LEVEL", "WARNING")},
}
