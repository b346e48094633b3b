"""Settings shared by every environment. Environment-specific files import from here."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("LUMBUNG_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
DEBUG = False
ALLOWED_HOSTS: list[str] = [
    h.strip() for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "").split(",") if h.strip()
]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rules.apps.AutodiscoverRulesConfig",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_tasks",
    "django_tasks_db",
    "template_partials",
    "csp",
    "ninja",
    "lumbung.core",
    "lumbung.api",
    "lumbung.portal",
    "lumbung.complaints",
    "lumbung.grants",
    "lumbung.permits",
    "lumbung.performance",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "lumbung.core.middleware.RequestIdMiddleware",
    # Before anything touches the database, and outside the region's transaction.
    "lumbung.api.ratelimit.ApiRateLimitMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "lumbung.core.middleware.LanguageMiddleware",
    "lumbung.core.public_cache.PublicCacheMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "lumbung.core.middleware.RegionMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "lumbung" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "lumbung.core.context_processors.lumbung",
            ],
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'lumbung.sqlite3'}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the demo server and the task worker share the file.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "core:after-login"
LOGOUT_REDIRECT_URL = "portal:home"

# django-allauth: log in by email, verified addresses, rate-limited attempts, TOTP.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_RATE_LIMITS = {
    "login_failed": "5/5m/ip,5/5m/key",
    "login": "30/m/ip",
    "signup": "20/h/ip",
    "reset_password": "5/h/ip,3/h/key",
    "confirm_email": "1/3m/key",
}
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Lumbung] "
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Lumbung"

LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "lumbung" / "locale"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "lumbung" / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

CACHES: dict[str, dict[str, Any]] = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "lumbung_cache",
    }
}
if os.environ.get("REDIS_URL"):
    CACHES["default"] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": os.environ["REDIS_URL"],
    }

# Rendered public pages for anonymous visitors, per process; see lumbung/core/public_cache.py.
CACHES["public"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "lumbung-public",
    "OPTIONS": {"MAX_ENTRIES": 5000},
}
LUMBUNG_PUBLIC_CACHE = "public"
LUMBUNG_PUBLIC_CACHE_SECONDS = int(os.environ.get("LUMBUNG_PUBLIC_CACHE_SECONDS", "300"))
LUMBUNG_PUBLIC_VERSION_SECONDS = float(os.environ.get("LUMBUNG_PUBLIC_VERSION_SECONDS", "1"))
LUMBUNG_PUBLIC_CACHE_PATHS = [
    r"^/$",  # platform home
    r"^/[a-z0-9-]+/$",  # a region's home
    r"^/api/v1/regions$",
    r"^/api/v1/regions/[a-z0-9-]+$",
    r"^/api/v1/reference/regions$",
    # The complaints module's public list, map and figures (pages and API).
    r"^/[a-z0-9-]+/complaints/$",
    r"^/[a-z0-9-]+/complaints/stats(/|\.csv|\.json)$",
    r"^/api/v1/regions/[a-z0-9-]+/complaints/(reports|categories|stats)$",
]

SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True  # htmx sends the token from hx-headers on <body>, not the cookie.
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Background work: the Django 6 Tasks API, database backend, so no broker is needed.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "127.0.0.1")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Lumbung <noreply@lumbung.local>")

# Map background tiles: none unless a tile server is named (maps still take pins without
# them), e.g. LUMBUNG_MAP_TILES=https://tile.openstreetmap.org/{z}/{x}/{y}.png; its origin
# is then allowed as an image source.
LUMBUNG_MAP_TILES = os.environ.get("LUMBUNG_MAP_TILES", "")
LUMBUNG_MAP_ATTRIBUTION = os.environ.get("LUMBUNG_MAP_ATTRIBUTION", "")
_TILE_ORIGIN = "/".join(LUMBUNG_MAP_TILES.split("/")[:3]) if LUMBUNG_MAP_TILES else ""

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", *([_TILE_ORIGIN] if _TILE_ORIGIN else [])],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

NINJA_PAGINATION_MAX_PER_PAGE_SIZE = 100

SCOPES_DISABLED = False

# API fair share: per client, per region and platform-wide (requests per minute).
LUMBUNG_RATE_LIMITS = {
    "client": os.environ.get("LUMBUNG_RATE_CLIENT", "120/m"),
    # Everything from one address, whatever token or cookie it shows (offices share one).
    "address": os.environ.get("LUMBUNG_RATE_ADDRESS", "600/m"),
    "region": os.environ.get("LUMBUNG_RATE_REGION", "1200/m"),
    "global": os.environ.get("LUMBUNG_RATE_GLOBAL", "6000/m"),
}
# Where the fair-share counters live: Redis when configured, else one database table.
LUMBUNG_RATELIMIT_REDIS_URL = os.environ.get(
    "LUMBUNG_RATELIMIT_REDIS_URL", os.environ.get("REDIS_URL", "")
)
# Anonymous complaint filing, per address and per contact (email or phone) in a region.
LUMBUNG_COMPLAINT_FILING_LIMITS = {
    "address": os.environ.get("LUMBUNG_COMPLAINT_FILING_ADDRESS", "10/h"),
    "contact": os.environ.get("LUMBUNG_COMPLAINT_FILING_CONTACT", "5/h"),
}
# How long the worker's count of a region's all-time complaint figures is served: longer
# than the worker's interval (`lumbung worker --every`, 900 s), so a page never counts live
# while the worker runs.
LUMBUNG_COMPLAINT_FIGURES_SECONDS = int(os.environ.get("LUMBUNG_COMPLAINT_FIGURES_SECONDS", "1800"))
# Where this instance is reached, for links in emails (tracking pages).
LUMBUNG_BASE_URL = os.environ.get("LUMBUNG_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
LUMBUNG_DEMO_ALLOWED = env_bool("LUMBUNG_DEMO", False)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"pdp": {"()": "lokal.samaran.logging.SamaranFilter"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["pdp"]}
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
NINJA_NUM_PROXIES = int(os.environ.get("LUMBUNG_NUM_PROXIES", "0"))
