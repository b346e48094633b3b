"""Test settings: fast hashing, in-memory mail outbox, tasks run immediately."""

from __future__ import annotations

import os

from .base import *  # noqa: F403
from .base import DATABASES

DEBUG = False
SECRET_KEY = "lumbung-test-key"
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    # Off in tests (their writes never commit, so nothing would invalidate it); the public
    # cache's own tests switch a real one on.
    "public": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
}
LUMBUNG_DEMO_ALLOWED = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3" and not os.environ.get(
    "DATABASE_URL"
):
    DATABASES["default"]["NAME"] = ":memory:"
    DATABASES["default"]["OPTIONS"] = {}

# A test-only module that exercises the registry, the region wall and the workflow engine.
INSTALLED_APPS = [*INSTALLED_APPS, "lumbung.core.tests.sample"]  # noqa: F405
LUMBUNG_RATELIMIT_REDIS_URL = ""  # the database counters; the Redis path has its own test
LUMBUNG_DEMO_COMPLAINTS = 10  # reports per demo region: the demo tests check shape, not volume
LUMBUNG_DEMO_PERFORMANCE_STAFF = 0  # none: the module's own demo tests ask for a small office
