"""Benchmark settings: production as deployed, pointed at a throw-away PostgreSQL database,
plus the baseline view's URL. Only what a benchmark on 127.0.0.1 cannot do without is
changed, and each change says why."""

from __future__ import annotations

import os

import dj_database_url

# Production refuses to start without a secret; the bench database holds demo data only.
os.environ.setdefault("DJANGO_SECRET_KEY", "lumbung-bench-not-a-secret")
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "0")

from config.settings.production import *  # noqa: F403
from config.settings.production import BASE_DIR, INSTALLED_APPS

BENCH_DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/lumbung_bench"
)
DATABASES = {"default": dj_database_url.parse(BENCH_DATABASE_URL, conn_max_age=60)}

DEBUG = False
ROOT_URLCONF = "bench.urls"
# Plain HTTP on the loopback: no TLS terminator in front, so no redirect to https.
SECURE_SSL_REDIRECT = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
STATIC_ROOT = BASE_DIR / "var" / "bench" / "static"
# The same hashed names from a manifest as production, without whitenoise's gzip and brotli
# copies: those only serve static files (not measured here) and take minutes to build.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
}

# Until the first real module lands, the test-only sample module stands in so that region
# pages carry module cards and the N+1 check has modules to multiply.
if "lumbung.core.tests.sample" not in INSTALLED_APPS:
    INSTALLED_APPS = [*INSTALLED_APPS, "lumbung.core.tests.sample"]

# The throttles stay on (their cache reads and writes are part of every API request), but
# with a one-second window and a limit no single-machine run reaches: one client on
# 127.0.0.1 would otherwise get 429 after 120 requests. See bench/README.md.
BENCH_RATE = os.environ.get("BENCH_RATE", "1000000/s")
LUMBUNG_RATE_LIMITS = {
    "client": BENCH_RATE,
    "address": BENCH_RATE,
    "region": BENCH_RATE,
    "global": BENCH_RATE,
}
