from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language

from lumbung.api.api import api
from lumbung.core import health

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("api/v1/", api.urls),
    # Choosing a display language is harmless, so it needs no CSRF token; that keeps public
    # pages free of per-visitor tokens (and so cacheable).
    path("i18n/setlang/", csrf_exempt(set_language), name="set_language"),
    path("accounts/", include("allauth.urls")),
    path("open311/v2/", include("lumbung.complaints.open311.urls")),
    path("", include("lumbung.core.urls")),
    path("", include("lumbung.portal.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    # Only the public files (region logos); complaint photos go through their own view.
    urlpatterns += static(
        f"{settings.MEDIA_URL}regions/", document_root=Path(settings.MEDIA_ROOT) / "regions"
    )
