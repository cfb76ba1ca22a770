"""Kindred settings, read from environment variables with safe development defaults.

DATABASE_URL unset -> SQLite in ./data; set -> that database (PostgreSQL in production).
REDIS_URL unset -> in-memory cache and channel layer; set -> Redis for both.
KINDRED_DEBUG=0 switches on production hardening; SECRET_KEY must then be given.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("KINDRED_DEBUG", True)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when KINDRED_DEBUG=0.")
    SECRET_KEY = "dev-only-insecure-key-change-me-" + "k" * 32

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if not DEBUG else "*")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "daphne",  # runserver serves ASGI (HTTP and WebSockets)
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "channels",
    "django_tasks",
    "django_tasks_db",
    "ninja",
    "csp",
    "kindred.core",
    "kindred.accounts",
    "kindred.organisations",
    "kindred.notifications",
    "kindred.commons",
    "kindred.directory",
    "kindred.groups",
    "kindred.onetoone",
    "kindred.community",
    "kindred.journey",
    "kindred.wellbeing",
    "kindred.care",
    "kindred.safety",
    "kindred.demo",
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
    "csp.middleware.CSPMiddleware",
    "kindred.core.middleware.PermissionsPolicyMiddleware",
    "kindred.core.middleware.AppErrorMiddleware",
]

ROOT_URLCONF = "kindred.urls"
WSGI_APPLICATION = "kindred.wsgi.application"
ASGI_APPLICATION = "kindred.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "kindred" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "kindred.notifications.context_processors.inbox",
            ],
            "builtins": ["kindred.accounts.templatetags.people"],
        },
    },
]

# --- Data ------------------------------------------------------------------
DATA_DIR = Path(os.environ.get("KINDRED_DATA_DIR", BASE_DIR / "data"))
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
else:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "kindred.sqlite3",
            "OPTIONS": {"timeout": 20, "transaction_mode": "IMMEDIATE"},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
    # Redis pub/sub, not channels_redis's list-based RedisChannelLayer: under load (bench/chat_fanout.py, 500 people
    # in 10 rooms) the list layer dropped messages once a socket's queue held 100 and timed out on Redis, while the
    # pub/sub layer delivered everything. It is at-most-once with no per-channel queue or expiry (the capacity and
    # expiry options don't apply): chat messages are stored before they are sent, and a reconnecting client catches
    # up from the room's history. KINDRED_CHANNEL_LAYER=core switches back.
    _layers = {
        "pubsub": "channels_redis.pubsub.RedisPubSubChannelLayer",
        "core": "channels_redis.core.RedisChannelLayer",
    }
    _layer = _layers.get(os.environ.get("KINDRED_CHANNEL_LAYER", "pubsub"))
    if _layer is None:
        raise ImproperlyConfigured("KINDRED_CHANNEL_LAYER must be 'pubsub' (the default) or 'core'.")
    CHANNEL_LAYERS = {"default": {"BACKEND": _layer, "CONFIG": {"hosts": [REDIS_URL]}}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

# Background work: a database-backed queue drained by `manage.py db_worker`.
TASKS = {"default": {"BACKEND": os.environ.get("KINDRED_TASK_BACKEND", "django_tasks_db.DatabaseBackend")}}

# --- People ----------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "home"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ("email", "display_name", "real_name")},
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24  # a day
INVITATION_VALID_DAYS = 14
# Versions of the documents people agree to; bumping one asks people again.
CONSENT_VERSIONS = {"terms": "2026-11", "privacy": "2026-11", "research_contact": "2026-11"}

# --- Email -----------------------------------------------------------------
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Kindred <no-reply@kindred.local>")

# --- Locale ----------------------------------------------------------------
LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

# --- Static ----------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
if DEBUG:  # files are served from the source folders; an empty root keeps WhiteNoise quiet
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "kindred" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# --- Security --------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
    # Preloading HSTS binds a whole domain for good; a charity self-hosting on a subdomain must opt in.
    SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]

# Everything is served by Kindred itself: no third-party origins at all.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# Key for HMAC of tokens and rate-limit identifiers; separate from SECRET_KEY so it can rotate alone.
KINDRED_HMAC_KEY = os.environ.get("KINDRED_HMAC_KEY", SECRET_KEY)

# Named rate-limit policies: (max attempts, window in seconds).
RATE_LIMITS = {
    "login": (10, 15 * 60),
    "signup": (5, 60 * 60),
    "password_reset": (5, 60 * 60),
    "email_change": (5, 60 * 60),
    "invite": (50, 60 * 60),
    "api_token": (10, 60 * 60),
    "data_export": (10, 60 * 60),  # copies of "my data", per person, by page or API
    "referral": (10, 60 * 60),  # self- and professional referrals, per person and per IP
    "listing": (5, 24 * 60 * 60),  # grassroots listings submitted, per person
    "community_post": (30, 60 * 60),  # threads and replies in online spaces, per person
    "community_report": (20, 60 * 60),  # reports of posts and chat messages, per person
    "group_post": (30, 60 * 60),  # group noticeboard posts and newsletter items, per person
    "onetoone_message": (120, 60 * 60),  # one-to-one messages, per person
    "connection_request": (20, 24 * 60 * 60),  # informal connection requests, per person
    "match_request": (10, 24 * 60 * 60),  # requests to schemes for a match, per person
    "chat_message": (8, 10),  # live chat messages, per person (each room also has its own per-minute limit)
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.channels.server": {"level": "WARNING"}},
}
