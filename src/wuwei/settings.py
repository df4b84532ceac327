"""The one settings module. Everything that differs between machines comes from the environment."""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent
BASE_DIR = Path(os.environ.get("WUWEI_HOME", PACKAGE_DIR.parent.parent)).resolve()
VAR_DIR = Path(os.environ.get("WUWEI_VAR", BASE_DIR / "var"))


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = _env_bool("DEBUG", False)
TESTING = _env_bool("WUWEI_TESTING", False)

_secret = os.environ.get("SECRET_KEY", "")
if not _secret:
    # No key given: generate one per installation and keep it under var/, never a shared default.
    _key_file = VAR_DIR / "secret_key"
    try:
        _secret = _key_file.read_text().strip()
    except OSError:
        import secrets

        _secret = secrets.token_urlsafe(50)
        try:
            VAR_DIR.mkdir(parents=True, exist_ok=True)
            _key_file.write_text(_secret)
            _key_file.chmod(0o600)
        except OSError:
            pass
SECRET_KEY = _secret

ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
    if h.strip()
]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "wuwei.core",
    "wuwei.org",
    "wuwei.competitors",
    "wuwei.accounts",
    "wuwei.people",
    "wuwei.opportunities",
    "wuwei.pursuit",  # next to opportunities: its deal tabs and demo come right after theirs
    "wuwei.support",
    "wuwei.notifications",
    "wuwei.coaching",
    "wuwei.playbook",
    "wuwei.insights",
    "wuwei.dataio",
    "wuwei.web",
]

MIDDLEWARE = [
    "wuwei.core.middleware.RequestIdMiddleware",
    "wuwei.core.middleware.ApiNoStoreMiddleware",
    "wuwei.core.ratelimit.ApiRateLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Bearer-token API calls continue on a chain without the browser-only middleware below.
    "wuwei.core.middleware.TokenApiMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "wuwei.org.twofactor.TwoFactorMiddleware",
    "wuwei.core.middleware.SessionIdleMiddleware",
    "wuwei.web.partner.PartnerPagesMiddleware",  # a partner opens the partner portal only
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "wuwei.core.idempotency.IdempotencyMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "wuwei.urls"
WSGI_APPLICATION = "wuwei.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "wuwei.web.context.navigation",
                "wuwei.notifications.context.bell",
            ],
        },
    }
]

# Database: SQLite under var/ by default; PostgreSQL (production) through DATABASE_URL.
DATABASE_URL = os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'wuwei.sqlite3'}"
# CONN_HEALTH_CHECKS: a connection that broke (database restarted) is replaced on the next
# request instead of failing it, so the app recovers by itself.
DATABASES = {
    "default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)
}


def _postgres_options(database: dj_database_url.DBConfig) -> None:
    if database["ENGINE"] != "django.db.backends.postgresql":
        return
    options = database.setdefault("OPTIONS", {})
    # Fail fast (503, or a clear message at start) instead of hanging on an unreachable server.
    options["connect_timeout"] = int(os.environ.get("WUWEI_DB_CONNECT_TIMEOUT", "5"))
    # No JIT: the reports' aggregates over 100k+ rows pass its cost threshold, and compiling
    # them took 0.1–2 s for queries that run in milliseconds (bench/analytics.py).
    options.setdefault("options", "-c jit=off")


_postgres_options(DATABASES["default"])
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers and one writer work at once; busy_timeout makes writers queue
        # instead of failing with "database is locked"; IMMEDIATE avoids upgrade deadlocks.
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
        ),
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
    }
    if TESTING:
        DATABASES["default"]["TEST"] = {"NAME": ":memory:"}
    else:
        VAR_DIR.mkdir(parents=True, exist_ok=True)
# A read replica for reports and exports (docs/deployment.md): reads inside
# `core.replica.replica_reads()` go there; everything else stays on the primary.
DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(
        DATABASE_REPLICA_URL, conn_max_age=60, conn_health_checks=True
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    _postgres_options(DATABASES["replica"])
DATABASE_ROUTERS = ["wuwei.core.replica.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "org.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:login"

# Login throttling (django-axes, org/throttle.py): a username+IP pair locks after
# WUWEI_LOGIN_FAILURE_LIMIT failures, one address alone (password spraying across usernames)
# after WUWEI_LOGIN_FAILURE_LIMIT_PER_IP, for 15 minutes.
AXES_FAILURE_LIMIT = int(os.environ.get("WUWEI_LOGIN_FAILURE_LIMIT", "5"))
WUWEI_LOGIN_FAILURE_LIMIT_PER_IP = int(os.environ.get("WUWEI_LOGIN_FAILURE_LIMIT_PER_IP", "20"))
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_HANDLER = "wuwei.org.throttle.LoginThrottleHandler"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "wuwei.org.throttle.lockout_response"
AXES_CLIENT_IP_CALLABLE = "wuwei.core.ratelimit.client_ip"
AXES_VERBOSE = False
# Behind N reverse proxies that append to X-Forwarded-For, the client is the Nth from the right.
WUWEI_PROXY_COUNT = int(os.environ.get("WUWEI_PROXY_COUNT", "0"))

# API rate limits (core/ratelimit.py), "requests/seconds"; 0 turns one off. The test suite runs
# without them (thousands of requests a minute from one address); their own tests turn them on.
WUWEI_RATE_TOKEN = os.environ.get("WUWEI_RATE_TOKEN", "0" if TESTING else "10/60")
WUWEI_RATE_API = os.environ.get("WUWEI_RATE_API", "0" if TESTING else "1200/60")

# Personal access tokens expire (`wuwei token create --days N` chooses per token).
WUWEI_TOKEN_DAYS = int(os.environ.get("WUWEI_TOKEN_DAYS", "90"))

# Django's cache: per process (local memory) unless WUWEI_CACHE_URL names a shared one
# (redis://host:6379/N), which several web nodes need for exact rate limits and for token
# revocations to reach every process at once.
WUWEI_CACHE_URL = os.environ.get("WUWEI_CACHE_URL", "").strip()
if WUWEI_CACHE_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": WUWEI_CACHE_URL,
            "KEY_PREFIX": os.environ.get("WUWEI_CACHE_PREFIX", "wuwei"),
        }
    }
# The method configuration is read through the cache (core/config.py) only when every process
# shares that cache: a per-process cache could not learn of a change made in another process.
WUWEI_CONFIG_CACHE = _env_bool("WUWEI_CONFIG_CACHE", bool(WUWEI_CACHE_URL))
# How long a process trusts its cached token → user lookup (org/tokens.py). Changes made in the
# same process (or anywhere, with a shared cache) take effect at once; 0 turns the cache off.
WUWEI_TOKEN_CACHE_SECONDS = int(
    os.environ.get(
        # tests: an entry outlives the slowest test, so query counts never depend on the clock
        "WUWEI_TOKEN_CACHE_SECONDS",
        "300" if WUWEI_CACHE_URL else ("3600" if TESTING else "30"),
    )
)

# Two-factor (TOTP, django-otp): optional for everyone; WUWEI_REQUIRE_2FA=1 makes administrators
# (and executives, managers) enrol before they can use anything else.
WUWEI_REQUIRE_2FA = _env_bool("WUWEI_REQUIRE_2FA", False)
OTP_TOTP_ISSUER = "Wuwei"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
FORMAT_MODULE_PATH = ["wuwei.formats"]
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [PACKAGE_DIR / "web" / "vendor_static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

if TESTING:
    # Hashing strength is not under test; the default takes ~0.3 s per user created.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Sessions live in the database, so a user signed in on one web node is signed in on all.
SESSION_COOKIE_HTTPONLY = True
# Idle timeout: a session ends after this long without a request (core/middleware.py refreshes
# it on activity).
SESSION_COOKIE_AGE = int(os.environ.get("WUWEI_SESSION_IDLE_MINUTES", "120")) * 60
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Content-Security-Policy (django-csp): scripts only from our own static files, so a value that
# escaped escaping cannot run (no inline <script>, no onclick=, no eval, no javascript: links).
# Styles allow 'unsafe-inline' because ECharts' tooltips, htmx's swaps and Swagger UI write
# style attributes; CSS cannot run script. data: images are Bootstrap's inline SVG icons.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
if not DEBUG and _env_bool("WUWEI_HTTPS", False):
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = _env_bool("WUWEI_HSTS_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = _env_bool("WUWEI_HSTS_PRELOAD", False)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # /healthz answers plain HTTP for a load balancer probing the backend directly.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    if not SECURE_HSTS_PRELOAD:
        # Preloading binds the whole domain to HTTPS in browsers for good: the domain
        # owner's choice (WUWEI_HSTS_PRELOAD=1), not a default.
        SILENCED_SYSTEM_CHECKS = ["security.W021"]

# Email (notifications): sent only when EMAIL_HOST is set; the in-app notification is always kept.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_SSL = _env_bool("EMAIL_USE_SSL", False)
EMAIL_USE_TLS = _env_bool("EMAIL_USE_TLS", not EMAIL_USE_SSL)
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "20"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "wuwei@localhost")
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND") or (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
# The address users open Wuwei at (e.g. https://crm.example.com): makes email links absolute.
WUWEI_SITE_URL = os.environ.get("WUWEI_SITE_URL", "")
# Automatic win-rate moves reach managers as one daily digest per manager (issue 14); 0 sends
# managers one message per deal as owners get. Owners always get the per-deal message.
WUWEI_WIN_RATE_DIGEST = _env_bool("WUWEI_WIN_RATE_DIGEST", True)
# Background jobs (core.jobs) run on Django's Tasks framework (the django-tasks backport):
# the queue lives in the database by default (SQLite needs nothing more; workers on several
# machines share one PostgreSQL queue). WUWEI_TASKS_BACKEND=rq moves it to Redis (REDIS_URL).
WUWEI_TASKS_BACKEND = os.environ.get("WUWEI_TASKS_BACKEND", "database").strip().lower()
WUWEI_JOB_QUEUES = ["default"]
if WUWEI_TASKS_BACKEND == "rq":
    INSTALLED_APPS.insert(INSTALLED_APPS.index("django_tasks_db"), "django_rq")
    RQ_QUEUES = {
        name: {"URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")}
        for name in WUWEI_JOB_QUEUES
    }
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": WUWEI_JOB_QUEUES}}
else:
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": WUWEI_JOB_QUEUES}}
# Periodic jobs (weekly win-rate snapshot, reminders) are enqueued by the scheduler loop of
# `wuwei worker` (which `wuwei serve` starts); 0 turns that loop off (use the cron lines).
WUWEI_SCHEDULER = _env_bool("WUWEI_SCHEDULER", True)
# A running job whose worker is gone (its process on this machine, or silent this long on
# another machine) is resumed or failed by the next worker that looks.
WUWEI_JOB_HEARTBEAT_SECONDS = float(os.environ.get("WUWEI_JOB_HEARTBEAT_SECONDS", "10"))
WUWEI_JOB_STALE_SECONDS = float(os.environ.get("WUWEI_JOB_STALE_SECONDS", "120"))
# Files a job writes for the user to download (exports, rejects): one folder per run.
WUWEI_JOB_FILES = Path(os.environ.get("WUWEI_JOB_FILES", VAR_DIR / "jobs"))

# Logs: every line carries the request id (also the X-Request-ID response header) and the
# user; WUWEI_LOG_FORMAT=json writes one JSON object per line for a log collector.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request": {"()": "wuwei.core.logging.RequestContextFilter"}},
    "formatters": {
        "text": {
            "format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s %(user)s] %(message)s"
        },
        "json": {"()": "wuwei.core.logging.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request"],
            "formatter": "json" if os.environ.get("WUWEI_LOG_FORMAT") == "json" else "text",
        }
    },
    "root": {
        "handlers": ["console"],
        "level": os.environ.get("WUWEI_LOG_LEVEL") or os.environ.get("LOG_LEVEL", "WARNING"),
    },
}

SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True
NINJA_PAGINATION_MAX_LIMIT = 500

# Data import and export (issue 15). Uploads above these limits are refused with a message.
WUWEI_IMPORT_MAX_BYTES = int(os.environ.get("WUWEI_IMPORT_MAX_BYTES", str(20 * 1024 * 1024)))
WUWEI_IMPORT_MAX_ROWS = int(os.environ.get("WUWEI_IMPORT_MAX_ROWS", "200000"))
WUWEI_IMPORT_MAX_CELL = int(os.environ.get("WUWEI_IMPORT_MAX_CELL", "32767"))
