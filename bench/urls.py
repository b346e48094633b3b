"""The project's URLs plus the baseline: the smallest view Django can serve through the
same middleware stack, so every ratio divides out the server, the stack and the machine."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, path

from config.urls import urlpatterns as project_urlpatterns


def minimal(request: HttpRequest) -> HttpResponse:
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns: list[URLPattern | URLResolver] = [
    path("bench/minimal", minimal, name="bench-minimal"),
    *project_urlpatterns,
]
